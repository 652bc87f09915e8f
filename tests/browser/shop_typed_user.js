// shop_typed_user.js — the shopper at a PC types the user ID into the
// order page (form #user-form) instead of the handset telling the shop:
// an unknown user ID is refused with #order-error and the order still
// awaits a user; the demo user's ID moves it to awaiting_payment with the
// binding code the gateway gave; the handset pays and the page turns to
// paid with the receipt.
'use strict';
const T = require('./lib');
const S = require('./shop');

const USER = '00001';

T.run('shop_typed_user', async (t) => {
  let page;
  const codes = [];
  try {
    const o = await S.shopperWithOrder(t, [[3, 1]]);
    page = o.page;
    codes.push(o.code);
    t.is(await S.orderStatus(page), 'awaiting_user', 'the new order awaits the user');

    // a user ID nobody has: refused, shown, nothing moves
    await page.locator('#user-form input[name="user_id"]').fill('99999');
    await t.clickAndLook(page, page.locator('#user-form button[type="submit"]'), 'unknown-user');
    t.is(new URL(page.url()).pathname, `/shop/orders/${o.code}`, 'the form leads back to the order page');
    t.like(await S.text(page, '#order-error'), /\S/, 'an unknown user ID: the order page says why', await S.text(page, '#order-error'));
    t.is(await S.orderStatus(page), 'awaiting_user', 'the order still awaits a user');
    t.ok(await S.visible(page, '#user-form'), 'the form is there to try again');

    // the demo user's ID
    await page.locator('#user-form input[name="user_id"]').fill(USER);
    await t.clickAndLook(page, page.locator('#user-form button[type="submit"]'), 'user-typed');
    t.is(await S.orderStatus(page), 'awaiting_payment', 'the typed user ID moves the order to awaiting_payment');
    const binding = S.psql(`SELECT binding_code FROM shop.orders WHERE code = :'code'`, { code: o.code });
    t.like(binding, /^\S+$/, 'the shop holds the gateway\'s binding code');
    t.is(await S.text(page, '#binding-code'), binding, 'the page shows the binding code');
    t.ok(!(await S.visible(page, '#user-form')), 'the user-ID form is gone');
    t.ok(await S.visible(page, '#cancel-form'), 'the order can still be canceled');
    t.ok(!(await S.visible(page, '#order-error')) || (await S.text(page, '#order-error')) === '', 'the earlier error is not shown any more');

    const sameDocument = await S.markNoReload(page);
    const h = await S.payAsHandset(o.code, USER, { typed: true });
    t.is(h.method && h.method.status, 200, 'the handset paid the order\'s transaction', h.error);
    t.ok(await S.waitStatus(page, 'paid', 30000), 'the order page turns to paid', `status ${await S.orderStatus(page)}`);
    t.ok(await sameDocument(), 'without a reload');
    await t.look(page, 'paid');
    t.ok(await S.visible(page, '#receipt'), 'the receipt is shown');
    t.like((await S.text(page, '#receipt-card')).replace(/\s/g, ''), /^[0-9]{6}\*+[0-9]{4}$/, 'the card masked');
    await S.noCardNumber(t, page, USER, 'the paid order page');
  } finally {
    if (page) await S.cancelLeftovers(page, codes);
  }
});
