// shop_admin.js — the owner's page: /shop/admin asks for the password
// (a wrong one is refused and shows no order), the password of
// $PAYGW_VAR/shop/admin-password signs in, and the order list shows this
// test's orders with their state, total and goods — a paid one as paid;
// a shopper's own session sees the login form, not the list; signing out
// brings the login form back.
'use strict';
const fs = require('fs');
const path = require('path');
const T = require('./lib');
const S = require('./shop');

const USER = '00001';

async function orderRow(page, code) {
  return page.locator(`#orders tr.order[data-code="${code}"]`);
}

T.run('shop_admin', async (t) => {
  let shopper;
  const codes = [];
  try {
    const password = fs.readFileSync(path.join(T.env('PAYGW_VAR'), 'shop/admin-password'), 'utf8').trim();
    t.ok(password.length >= 8, 'the owner password is in $PAYGW_VAR/shop/admin-password');

    // two orders: one paid, one left awaiting the user
    const a = await S.shopperWithOrder(t, [[8, 1]], {}, 'shopper-');
    shopper = a.page;
    codes.push(a.code);
    const h = await S.payAsHandset(a.code, USER);
    t.is(h.handset && h.handset.exit, 0, 'the first order is paid (handset shop CODE: exit 0)', h.error);
    t.ok(await S.waitStatus(shopper, 'paid', 30000), 'its page says paid');
    await t.look(shopper, 'shopper-paid');
    await t.goto(shopper, T.shopUrl(), 'shopper-catalog-2');
    await S.addGood(t, shopper, 12, 3, 'shopper-cart-2');
    const b = await S.checkout(t, shopper, 'shopper-order-2');
    codes.push(b);

    // the shopper's session is no owner's
    await t.goto(shopper, T.shopUrl('admin'), 'shopper-admin');
    t.is(await S.dataPage(shopper), 'admin-login', 'a shopper\'s session gets the login form at /shop/admin');
    t.is(await shopper.locator('#orders').count(), 0, 'and no order list');

    const { page } = await t.newPage();
    await t.goto(page, T.shopUrl('admin'), 'admin-login');
    t.is(await S.dataPage(page), 'admin-login', 'GET /shop/admin: the login form');
    await page.locator('#admin-login input[name="password"]').fill(`${password}x`);
    await t.clickAndLook(page, page.locator('#admin-login button[type="submit"], #admin-login [type="submit"]').first(), 'admin-wrong-password');
    t.is(await S.dataPage(page), 'admin-login', 'a wrong password: the login form again');
    t.is(await page.locator('#orders').count(), 0, 'and no order list');

    await page.locator('#admin-login input[name="password"]').fill(password);
    await t.clickAndLook(page, page.locator('#admin-login button[type="submit"], #admin-login [type="submit"]').first(), 'admin-orders');
    t.is(await S.dataPage(page), 'admin-orders', 'the password signs in: the order list');
    const rowA = await orderRow(page, a.code);
    const rowB = await orderRow(page, b);
    t.is(await rowA.count(), 1, `the list has the paid order ${a.code}`);
    t.is(await rowB.count(), 1, `the list has the open order ${b}`);
    const state = async (row) => `${await row.locator('.order-status').getAttribute('data-status').catch(() => '')} ${
      await row.locator('.order-status').textContent().catch(() => '')}`.trim();
    t.like(await state(rowA), /paid/i, 'the first is paid');
    t.like(await state(rowB), /awaiting_user|wait/i, 'the second awaits the user');
    const totalA = S.psql(`SELECT total FROM shop.orders WHERE code = :'code'`, { code: a.code });
    t.is(S.digits(await rowA.locator('.order-total').textContent().catch(() => '')), totalA, `the first's total is ${totalA}`);
    t.like(await rowA.locator('.order-items').textContent().catch(() => ''), /Tenugui towel/, 'the first\'s goods are named');
    t.like(await rowB.locator('.order-items').textContent().catch(() => ''), /Paper fan/, 'the second\'s goods are named');
    await S.noCardNumber(t, page, USER, 'the order list');

    const out = page.locator('form[action="/shop/admin/logout"] [type="submit"]');
    t.is(await out.count(), 1, 'a sign-out button');
    await t.clickAndLook(page, out, 'admin-signed-out');
    t.is(await S.dataPage(page), 'admin-login', 'signed out: the login form');
    await t.goto(page, T.shopUrl('admin'), 'admin-after-sign-out');
    t.is(await page.locator('#orders').count(), 0, 'no order list after signing out');
  } finally {
    if (shopper) await S.cancelLeftovers(shopper, codes);
  }
});
