// shop_handset_pay.js — the shopper's whole flow with the handset (issue
// 12, [0117]-[0119]): the catalog, goods into the cart, the cart's totals,
// check out, the order page with its code and QR image; the handset client
// (`handset shop CODE`) tells the shop the user ID and pays, showing the
// shop and the binding code; the order page turns to paid WITHOUT a
// reload and shows the receipt (goods, tax, total, method, approval code,
// the card masked 6 + stars + 4), and no card number is anywhere in its
// HTML.  Reloaded, the server's own page shows the same receipt.
'use strict';
const T = require('./lib');
const S = require('./shop');

const USER = '00001';
const CARD = '152500******5678';          // the demo card of 00001, masked
const GOODS = [[1, 2], [7, 1]];           // a reduced-rate (8 %) and a standard-rate (10 %) good

// what the goods cost, from shop.goods: tax per line = floor(q × price × rate / 100)
function expected(goods) {
  let subtotal = 0, tax = 0;
  const names = [];
  for (const [id, q] of goods) {
    const [name, price, rate] = S.psql(`SELECT name || E'\\t' || unit_price || E'\\t' || tax_rate_pct FROM shop.goods WHERE id = :'id'`, { id }).split('\t');
    subtotal += q * Number(price);
    tax += Math.floor((q * Number(price) * Number(rate)) / 100);
    names.push(name);
  }
  return { names, subtotal, tax, total: subtotal + tax };
}

T.run('shop_handset_pay', async (t) => {
  const want = expected(GOODS);
  const { page } = await t.newPage();
  const codes = [];
  try {
    const resp = await t.goto(page, T.shopUrl(), 'catalog');
    t.is(resp.status(), 200, 'GET /shop/ answers 200');
    t.is(await S.dataPage(page), 'catalog', 'the catalog page');
    t.ok(await page.locator('li.good').count() >= 2, 'the catalog lists goods');
    t.like(resp.headers()['content-security-policy'] || '', /script-src 'self'/, "the shop's CSP is sent");

    for (const [id, q] of GOODS) await S.addGood(t, page, id, q, `cart-after-adding-${id}`);
    t.is(await S.dataPage(page), 'cart', 'adding leads to the cart');
    t.is(await page.locator('#cart-lines tr.line').count(), GOODS.length, 'the cart has one line per good');
    t.is(S.digits(await S.text(page, '#subtotal')), String(want.subtotal), `the cart's subtotal is ${want.subtotal}`);
    t.is(S.digits(await S.text(page, '#tax-total')), String(want.tax), `the cart's tax is ${want.tax}`);
    t.is(S.digits(await S.text(page, '#total')), String(want.total), `the cart's total is ${want.total}`);
    t.like(await S.text(page, '#cart-link'), /3/, 'the cart link counts 3 items');

    const code = await S.checkout(t, page);
    codes.push(code);
    t.like(code, /^[2-9A-HJKMNP-Z]{8}$/, `checkout leads to the order page with an order code (${code})`);
    t.is(await S.dataPage(page), 'order', 'the order page');
    t.like(await S.text(page, '#order-code'), /^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/, 'the code is shown ABCD-EFGH');
    t.is(new URL(page.url()).pathname, `/shop/orders/${code}`, 'at /shop/orders/CODE');
    t.is(await S.orderStatus(page), 'awaiting_user', 'the order awaits the user');
    const img = page.locator('#qr img');
    t.is(await img.getAttribute('src'), `/shop/orders/${code}/qr.svg`, 'the QR image is the order\'s qr.svg');
    t.ok(await img.evaluate((i) => i.complete && i.naturalWidth > 0), 'the QR image loaded');
    const qr = await page.context().request.get(T.shopUrl(`orders/${code}/qr.svg`));
    t.is(qr.headers()['content-type'], 'image/svg+xml', 'qr.svg is image/svg+xml');
    t.like(await qr.text(), /<svg[\s>]/, 'qr.svg is an SVG');
    const payUrl = `${new URL(T.shopUrl()).origin}/shop/pay/${code}`;
    t.is(await S.qrText(t, page), payUrl, 'the QR code, read from the screen, is the order\'s pay URL');
    t.ok(await S.visible(page, '#user-form'), 'the form to type a user ID is shown while awaiting the user');

    // the handset, while the page stays open: no reload may happen
    const sameDocument = await S.markNoReload(page);
    const h = await S.payAsHandset(code, USER);
    t.is(h.handset && h.handset.exit, 0, 'handset shop CODE: the payment completed (exit 0)', h.error);
    const said = (h.handset && h.handset.output) || '';
    t.like(said, /^Shop: paygw demo shop$/m, 'the handset names the shop the order is at');
    const bc = S.psql(`SELECT coalesce(binding_code, '') FROM shop.orders WHERE code = :'code'`, { code });
    t.like(bc, /^[0-9A-Z]{4}$/, 'the shop holds the transaction\'s binding code');
    t.like(said, new RegExp(`^Binding code: ${bc} `, 'm'), 'the handset shows the binding code the shop got');
    t.like(said, /^Payment has now been completed\.$/m, 'the handset says the payment completed');
    t.ok(!said.includes(S.demoPan(USER)), 'the handset\'s output has no card number');
    t.ok(await S.waitStatus(page, 'paid', 30000), 'the order page turns to paid', `status ${await S.orderStatus(page)}`);
    t.ok(await sameDocument(), 'without a reload (the same document: the marker set on window is still there, no navigation)');
    await t.look(page, 'paid');
    await S.checkReceipt(t, page, { ...want, card: CARD });
    t.ok(!(await S.visible(page, '#user-form')) && !(await S.visible(page, '#cancel-form')),
      'the user-ID and cancel forms are gone');
    await S.noCardNumber(t, page, USER, 'the paid order page (as the script left it)');

    // reloaded: the server renders the same receipt
    await page.reload({ waitUntil: 'load' });
    await t.look(page, 'paid-reloaded');
    t.is(await S.orderStatus(page), 'paid', 'reloaded, the order is paid');
    await S.checkReceipt(t, page, { ...want, card: CARD }, 'reloaded: ');
    await S.noCardNumber(t, page, USER, 'the paid order page (reloaded)');
    const status = await (await page.context().request.get(T.shopUrl(`orders/${code}/status`))).text();
    t.ok(!status.includes(S.demoPan(USER)), 'the status JSON has no card number');
  } finally {
    await S.cancelLeftovers(page, codes);
  }
});
