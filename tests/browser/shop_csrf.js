// shop_csrf.js — a form sent without the session's CSRF token (the hidden
// input removed from the page, then submitted) is refused with the error
// page (403, data-page="error", the reason in #error-reason) and changes
// nothing: adding to the cart, checking out, typing a user ID, canceling,
// signing in as the owner.
'use strict';
const T = require('./lib');
const S = require('./shop');

// submitWithoutToken T PAGE FORM-SELECTOR STEP [BUTTON]: the hidden csrf
// input taken out of the form, the form submitted; the refusal checked
async function submitWithoutToken(t, page, form, step, button = '[type="submit"]') {
  const removed = await page.locator(`${form} input[name="csrf"]`).evaluateAll((els) => {
    els.forEach((e) => e.remove());
    return els.length;
  });
  t.is(removed, 1, `${step}: the form had its token, now removed`);
  const resp = await t.clickAndLook(page, page.locator(`${form} ${button}`).first(), step);
  t.is(resp && resp.status(), 403, `${step}: refused with 403`);
  t.is(await S.dataPage(page), 'error', `${step}: the error page`);
  t.like(await S.text(page, '#error-reason'), /token/i, `${step}: it says the form token is missing or wrong`);
}

T.run('shop_csrf', async (t) => {
  const { page } = await t.newPage();
  const codes = [];
  try {
    await t.goto(page, T.shopUrl(), 'catalog');
    await submitWithoutToken(t, page, 'li.good[data-good="1"] form', 'add-without-token', 'button.add');
    await t.goto(page, T.shopUrl('cart'), 'cart-still-empty');
    t.is(await page.locator('#cart-lines tr.line').count(), 0, 'the cart is still empty');
    t.ok(await S.visible(page, '#cart-empty'), 'the cart says it is empty');

    // with the token the same form works (the refusal was the token's)
    await t.goto(page, T.shopUrl(), 'catalog-2');
    await S.addGood(t, page, 1, 1, 'cart-with-token');
    t.is(await page.locator('#cart-lines tr.line').count(), 1, 'with its token the form adds the good');

    await submitWithoutToken(t, page, '#checkout', 'checkout-without-token');
    const before = S.psql('SELECT count(*) FROM shop.orders');
    await t.goto(page, T.shopUrl('cart'), 'cart-kept');
    t.is(await page.locator('#cart-lines tr.line').count(), 1, 'no order made: the cart still holds the good');
    t.is(S.psql('SELECT count(*) FROM shop.orders'), before, 'no order row added');

    const code = await S.checkout(t, page, 'order');
    codes.push(code);
    await page.locator('#user-form input[name="user_id"]').fill('00001');
    await submitWithoutToken(t, page, '#user-form', 'user-without-token');
    await t.goto(page, T.shopUrl(`orders/${code}`), 'order-again');
    await submitWithoutToken(t, page, '#cancel-form', 'cancel-without-token');
    await t.goto(page, T.shopUrl(`orders/${code}`), 'order-unchanged');
    t.is(await S.orderStatus(page), 'awaiting_user', 'the order still awaits the user: neither form did anything');
    t.is(S.psql(`SELECT state || ' ' || (user_id IS NULL) FROM shop.orders WHERE code = :'code'`, { code }),
      'awaiting_user true', 'its row has no user ID');

    const { page: admin } = await t.newPage();
    await t.goto(admin, T.shopUrl('admin'), 'admin-login');
    await admin.locator('#admin-login input[name="password"]').fill('whatever');
    await submitWithoutToken(t, admin, '#admin-login', 'login-without-token');
  } finally {
    await S.cancelLeftovers(page, codes);
  }
});
