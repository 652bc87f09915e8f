// shop_declined.js — the issuer declines (demo user 00007 has a 1,000 yen
// limit; the order is over it): the order page turns to declined without
// a reload, shows no receipt, and nothing can be done to the order any
// more (no user-ID form, no cancel form).
'use strict';
const T = require('./lib');
const S = require('./shop');

const USER = '00007';

T.run('shop_declined', async (t) => {
  let page;
  const codes = [];
  try {
    const o = await S.shopperWithOrder(t, [[10, 1]]);   // 2,500 yen before tax
    page = o.page;
    codes.push(o.code);
    const total = Number(S.psql(`SELECT total FROM shop.orders WHERE code = :'code'`, { code: o.code }));
    t.ok(total > 1000, `the order (${total}) is over user ${USER}'s limit of 1000`);
    const sameDocument = await S.markNoReload(page);
    const h = await S.payAsHandset(o.code, USER);
    t.is(h.handset && h.handset.exit, 1, 'handset shop CODE: not paid (exit 1)', h.error);
    t.like((h.handset && h.handset.output) || '', /^The payment was declined: /m, 'the handset says the payment was declined');
    t.ok(await S.waitStatus(page, 'declined', 30000), 'the order page turns to declined', `status ${await S.orderStatus(page)}`);
    t.ok(await sameDocument(), 'without a reload');
    await t.look(page, 'declined');
    t.like(await S.text(page, '#order-status'), /\S/, 'the status is said in words');
    t.ok(!(await S.visible(page, '#receipt')), 'no receipt for a declined order');
    t.ok(!(await S.visible(page, '#user-form')) && !(await S.visible(page, '#cancel-form')), 'no form is offered any more');
    await S.noCardNumber(t, page, USER, 'the declined order page');
    await page.reload({ waitUntil: 'load' });
    await t.look(page, 'declined-reloaded');
    t.is(await S.orderStatus(page), 'declined', 'reloaded, it is declined');
    t.ok(!(await S.visible(page, '#receipt')), 'reloaded, no receipt');
  } finally {
    if (page) await S.cancelLeftovers(page, codes);
  }
});
