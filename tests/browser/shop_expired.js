// shop_expired.js — an order nobody claims expires: its expiry moved into
// the past in SQL (as if PAYGW_SHOP_ORDER_TTL_S had passed), the open
// order page turns to expired without a reload and offers nothing any
// more; the handset's user ID for it is refused (409), and the page
// reloaded says expired.
'use strict';
const T = require('./lib');
const S = require('./shop');

T.run('shop_expired', async (t) => {
  let page;
  const codes = [];
  try {
    const o = await S.shopperWithOrder(t, [[9, 1]]);
    page = o.page;
    codes.push(o.code);
    t.is(await S.orderStatus(page), 'awaiting_user', 'the order awaits the user');
    const sameDocument = await S.markNoReload(page);
    const moved = S.psql(`UPDATE shop.orders SET expires_at = now() - interval '1 second'
                           WHERE code = :'code' AND state = 'awaiting_user' RETURNING code`, { code: o.code });
    t.is(moved, o.code, 'its expiry is moved into the past');
    t.ok(await S.waitStatus(page, 'expired', 30000), 'the order page turns to expired', `status ${await S.orderStatus(page)}`);
    t.ok(await sameDocument(), 'without a reload');
    await t.look(page, 'expired');
    t.ok(!(await S.visible(page, '#user-form')) && !(await S.visible(page, '#cancel-form')), 'no form is offered any more');
    t.ok(!(await S.visible(page, '#receipt')), 'no receipt');
    const h = await S.payAsHandset(o.code, '00001', { announceOnly: true });
    t.is(h.announce && h.announce.status, 409, 'the handset\'s user ID for the expired order is refused (409)');
    t.is(S.psql(`SELECT state || ' ' || (transaction_number IS NULL) FROM shop.orders WHERE code = :'code'`, { code: o.code }),
      'expired true', 'the order stays expired, with no transaction');
    await page.reload({ waitUntil: 'load' });
    await t.look(page, 'expired-reloaded');
    t.is(await S.orderStatus(page), 'expired', 'reloaded, it is expired');
  } finally {
    if (page) await S.cancelLeftovers(page, codes);
  }
});
