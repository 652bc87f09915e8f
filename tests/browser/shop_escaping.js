// shop_escaping.js — a good whose name is markup, `<script>alert(1)</script>"'&`
// (put into shop.goods by the test), shows as that very text on the
// catalog, the cart, the order page's receipt and the owner's order list;
// the HTML sent has it escaped (never a <script> element of it), and no
// dialog ever opens (lib.js fails the test on any dialog).  The good is
// taken off the catalog again at the end.
'use strict';
const fs = require('fs');
const path = require('path');
const T = require('./lib');
const S = require('./shop');

const NAME = `<script>alert(1)</script>"'&`;
const USER = '00001';

// the raw HTML of a page as the server sent it (not the DOM): NAME must be
// escaped in it
async function rawHtml(page, url) {
  return (await page.context().request.get(url)).text();
}

T.run('shop_escaping', async (t) => {
  let page;
  let good;
  const codes = [];
  try {
    good = S.psql(`INSERT INTO shop.goods (id, name, unit_price, tax_rate_pct, icon)
                   SELECT coalesce(max(id), 0) + 1, :'name', 120, 10, 'mug' FROM shop.goods RETURNING id`, { name: NAME });
    t.like(good, /^[0-9]+$/, `the good is in shop.goods (id ${good})`);
    const name = S.psql(`SELECT name FROM shop.goods WHERE id = :'id'`, { id: good });
    t.is(name, NAME, 'stored exactly as written');

    const o = await S.shopperWithOrder(t, [[Number(good), 2]]);
    page = o.page;
    codes.push(o.code);
    const noScriptOfIt = async (what) => {
      const n = await page.evaluate(() => [...document.scripts].filter((s) => /alert/.test(s.textContent)).length);
      t.is(n, 0, `${what}: no <script> element made of the name`);
    };

    // the catalog and the cart, from the start
    await t.goto(page, T.shopUrl(), 'catalog-again');
    t.is((await page.locator(`li.good[data-good="${good}"] .good-name`).textContent()).trim(), NAME, 'the catalog shows the name as text');
    await noScriptOfIt('the catalog');
    const catalogHtml = await rawHtml(page, T.shopUrl());
    t.ok(!catalogHtml.includes('<script>alert(1)') && catalogHtml.includes('&lt;script&gt;alert(1)&lt;/script&gt;'),
      'the catalog\'s HTML has it escaped');
    await S.addGood(t, page, Number(good), 1, 'cart');
    t.is((await page.locator(`#cart-lines tr.line[data-good="${good}"] .line-name`).textContent()).trim(), NAME, 'the cart shows the name as text');
    await noScriptOfIt('the cart');
    const cartHtml = await rawHtml(page, T.shopUrl('cart'));
    t.ok(!cartHtml.includes('<script>alert(1)'), 'the cart\'s HTML has it escaped');
    await t.clickAndLook(page, page.locator(`#cart-lines tr.line[data-good="${good}"] .remove`), 'cart-emptied');
    t.is(await page.locator(`#cart-lines tr.line[data-good="${good}"]`).count(), 0, 'the remove button takes it out of the cart');

    // the order: paid, its receipt filled by the page's script from JSON
    await t.goto(page, T.shopUrl(`orders/${o.code}`), 'order');
    const h = await S.payAsHandset(o.code, USER);
    t.is(h.handset && h.handset.exit, 0, 'the handset paid (handset shop CODE: exit 0)', h.error);
    t.ok(await S.waitStatus(page, 'paid', 30000), 'the order page turns to paid');
    await t.look(page, 'paid');
    const names = (await page.locator('#receipt-lines .receipt-line .line-name').allTextContents()).map((s) => s.trim());
    t.ok(names.includes(NAME), 'the receipt (filled by the script) shows the name as text', JSON.stringify(names));
    await noScriptOfIt('the paid order page');
    await page.reload({ waitUntil: 'load' });
    await t.look(page, 'paid-reloaded');
    const names2 = (await page.locator('#receipt-lines .receipt-line .line-name').allTextContents()).map((s) => s.trim());
    t.ok(names2.includes(NAME), 'the receipt (rendered by the server) shows the name as text', JSON.stringify(names2));
    const orderHtml = await rawHtml(page, T.shopUrl(`orders/${o.code}`));
    t.ok(!orderHtml.includes('<script>alert(1)'), 'the order page\'s HTML has it escaped');

    // the owner's list
    const password = fs.readFileSync(path.join(T.env('PAYGW_VAR'), 'shop/admin-password'), 'utf8').trim();
    const { page: admin } = await t.newPage();
    await t.goto(admin, T.shopUrl('admin'), 'admin-login');
    await admin.locator('#admin-login input[name="password"]').fill(password);
    await t.clickAndLook(admin, admin.locator('#admin-login [type="submit"]').first(), 'admin-orders');
    const items = await admin.locator(`#orders tr.order[data-code="${o.code}"] .order-items`).textContent().catch(() => '');
    t.ok(items.includes(NAME), 'the owner\'s list shows the name as text', items);
    const n = await admin.evaluate(() => [...document.scripts].filter((s) => /alert/.test(s.textContent)).length);
    t.is(n, 0, 'the owner\'s list: no <script> element made of the name');
    const adminHtml = await rawHtml(admin, T.shopUrl('admin'));
    t.ok(!adminHtml.includes('<script>alert(1)') && adminHtml.includes('&lt;script&gt;'), 'the owner\'s list\'s HTML has it escaped');
  } finally {
    if (page) await S.cancelLeftovers(page, codes);
    if (good) S.psql(`UPDATE shop.goods SET active = false WHERE id = :'id'`, { id: good });
  }
});
