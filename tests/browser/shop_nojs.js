// shop_nojs.js — the whole flow with JavaScript off: the forms work as
// plain HTML forms, the order page has a Refresh link (no timed refresh:
// axe rates one critical), and after the handset pays, the shopper's click
// on it shows the order paid, with the receipt the server renders.
'use strict';
const T = require('./lib');
const S = require('./shop');

const USER = '00001';

T.run('shop_nojs', async (t) => {
  let page;
  const codes = [];
  try {
    const o = await S.shopperWithOrder(t, [[6, 2]], { javaScriptEnabled: false });
    page = o.page;
    codes.push(o.code);
    t.is(await S.orderStatus(page), 'awaiting_user', 'the order awaits the user');
    const html = await page.content();
    t.ok(!/http-equiv="refresh"/i.test(html), 'no timed refresh (axe: meta-refresh)');
    t.is(await page.locator('a#refresh').getAttribute('href'), `/shop/orders/${o.code}`, 'a Refresh link to the order page');

    const navs = page.__paygw.navigations;
    const h = await S.payAsHandset(o.code, USER);
    t.is(h.handset && h.handset.exit, 0, 'the handset paid (handset shop CODE: exit 0)', h.error);
    t.is(await S.orderStatus(page), 'awaiting_user', 'without JavaScript the page does not change by itself');
    // the shopper clicks Refresh until the webhook has reached the shop
    let paid = false;
    for (let i = 0; i < 30 && !paid; i++) {
      await page.locator('a#refresh').click();
      await page.waitForLoadState('load');
      paid = await S.orderStatus(page) === 'paid';
      if (!paid) await page.waitForTimeout(1000);
    }
    t.ok(paid, 'after a click on Refresh the order page shows paid', `status ${await S.orderStatus(page)}`);
    t.ok(page.__paygw.navigations > navs, `it got there by loading the page again (${page.__paygw.navigations - navs} loads)`);
    await t.look(page, 'paid');
    t.ok(await S.visible(page, '#receipt'), 'the receipt is shown');
    t.like((await S.text(page, '#receipt-card')).replace(/\s/g, ''), /^[0-9]{6}\*+[0-9]{4}$/, 'the card masked');
    await S.noCardNumber(t, page, USER, 'the paid order page');
  } finally {
    if (page) await S.cancelLeftovers(page, codes);
  }
});
