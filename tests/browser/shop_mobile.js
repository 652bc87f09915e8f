// shop_mobile.js — the shop on a phone (390 × 844, touch, a mobile
// browser): every page fits the screen (no sideways scroll), the flow works
// by tapping, and the pay page the QR code opens (/shop/pay/CODE) shows the
// shop, the order code and the handset command — nothing else of the order.
'use strict';
const T = require('./lib');
const S = require('./shop');

const USER = '00001';
const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true,
  userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Mobile Safari/537.36',
  fit: true };

T.run('shop_mobile', async (t) => {
  let page;
  const codes = [];
  try {
    const o = await S.shopperWithOrder(t, [[2, 1], [11, 1]], PHONE);
    page = o.page;
    codes.push(o.code);
    t.is(await S.orderStatus(page), 'awaiting_user', 'the order awaits the user');
    t.ok(await page.locator('#qr img').isVisible(), 'the QR code is on the screen');

    // the pay page, as a second phone (the shopper's, scanning the QR) sees it
    const { page: other } = await t.newPage(PHONE);
    await t.goto(other, T.shopUrl(`pay/${o.code}`), 'pay-page');
    t.is(await S.dataPage(other), 'pay', 'the pay page');
    const body = await other.locator('#page').innerText();
    t.like(body, new RegExp(`${o.code.slice(0, 4)}-?${o.code.slice(4)}`), 'it shows the order code');
    t.like(body, /handset shop/, 'it shows the handset command');
    const total = S.psql(`SELECT total FROM shop.orders WHERE code = :'code'`, { code: o.code });
    t.ok(!body.replace(/[^0-9]/g, '').includes(total) && !/Coffee|Chopsticks/.test(body),
      'it shows nothing else of the order (no goods, no total)');

    const sameDocument = await S.markNoReload(page);
    const h = await S.payAsHandset(o.code, USER);
    t.is(h.handset && h.handset.exit, 0, 'the handset paid (handset shop CODE: exit 0)', h.error);
    t.ok(await S.waitStatus(page, 'paid', 30000), 'the order page turns to paid', `status ${await S.orderStatus(page)}`);
    t.ok(await sameDocument(), 'without a reload');
    await t.look(page, 'paid');
    t.ok(await S.visible(page, '#receipt'), 'the receipt is shown');
    t.is(await page.locator('#receipt-lines .receipt-line').count(), 2, 'with both goods');
  } finally {
    if (page) await S.cancelLeftovers(page, codes);
  }
});
