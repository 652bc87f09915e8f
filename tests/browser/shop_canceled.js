// shop_canceled.js — the shopper cancels (#cancel-form): an order still
// awaiting the user, and an order the handset has claimed (awaiting the
// payment: the page showed the binding code without a reload), whose
// transaction the shop then cancels at the gateway too.  Canceled orders
// offer nothing any more, and the handset's user ID for one is refused.
'use strict';
const T = require('./lib');
const S = require('./shop');

const USER = '00001';

T.run('shop_canceled', async (t) => {
  let page;
  const codes = [];
  try {
    // 1. awaiting the user
    const o = await S.shopperWithOrder(t, [[4, 2]], {}, 'a-');
    page = o.page;
    codes.push(o.code);
    t.ok(await S.visible(page, '#cancel-form'), 'a new order can be canceled');
    await t.clickAndLook(page, page.locator('#cancel-form button[type="submit"]'), 'a-canceled');
    t.is(new URL(page.url()).pathname, `/shop/orders/${o.code}`, 'the cancel leads back to the order page');
    t.is(await S.orderStatus(page), 'canceled', 'the order is canceled');
    t.ok(!(await S.visible(page, '#user-form')) && !(await S.visible(page, '#cancel-form')), 'no form is offered any more');
    const h1 = await S.payAsHandset(o.code, USER, { announceOnly: true });
    t.is(h1.announce && h1.announce.status, 409, 'the handset\'s user ID for the canceled order is refused (409)');

    // 2. awaiting the payment: the handset claimed it, the page follows
    await t.goto(page, T.shopUrl(), 'b-catalog');
    await S.addGood(t, page, 5, 1, 'b-cart');
    const code = await S.checkout(t, page, 'b-order');
    codes.push(code);
    const sameDocument = await S.markNoReload(page);
    const h = await S.payAsHandset(code, USER, { announceOnly: true });
    t.is(h.announce && h.announce.status, 200, 'the handset claims the order', h.error);
    const binding = h.announce && h.announce.body && h.announce.body.binding_code;
    t.ok(await S.waitStatus(page, 'awaiting_payment', 20000), 'the order page turns to awaiting_payment');
    t.ok(await page.locator('#binding-code').filter({ hasText: binding || '-' }).isVisible().catch(() => false),
      `the page shows the binding code ${binding}`, await S.text(page, '#binding-code'));
    t.ok(await sameDocument(), 'without a reload');
    t.ok(!(await S.visible(page, '#user-form')), 'the user-ID form is gone');
    await t.look(page, 'b-awaiting-payment');
    t.ok(await S.visible(page, '#cancel-form'), 'the order can be canceled');
    await t.clickAndLook(page, page.locator('#cancel-form button[type="submit"]'), 'b-canceled');
    t.ok(await S.waitStatus(page, 'canceled', 20000), 'the order is canceled', `status ${await S.orderStatus(page)}`);
    const txn = h.announce && h.announce.body && h.announce.body.transaction;
    t.is(S.psql(`SELECT status FROM gateway.transactions WHERE number = :'n'`, { n: txn || '' }), 'canceled',
      'its transaction is canceled at the gateway');
    t.ok(!(await S.visible(page, '#cancel-form')), 'no cancel form any more');
  } finally {
    if (page) await S.cancelLeftovers(page, codes);
  }
});
