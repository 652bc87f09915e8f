// history_escaping.js — names a merchant chose are shown as text: a
// merchant named <script>alert("m")</script>'&, its shop named
// "=1+2 <b>Shop</b>" and an item named <img src=x onerror=alert(1)>"'&
// <script>alert(2)</script> (a user and a merchant of the test's own, the
// transaction inserted in SQL) appear on the list and on the transaction
// page letter for letter as text: no element made of them, no dialog, no
// script error, no CSP violation; in the CSV the shop's cell starting with
// = gets a leading ' (the formula guard) and the merchant's keeps its
// quotes (doubled inside a quoted cell).  axe: no finding of any impact.
'use strict';
const T = require('./lib');
const H = require('./history');

const MERCHANT = '<script>alert("m")</script>\'&';
const SHOP = '=1+2 <b>Shop</b> "quoted"';
const ITEM = '<img src=x onerror=alert(1)>"\'& <script>alert(2)</script>';

T.run('history_escaping', async (t) => {
  const u = H.newUser();
  const code = H.newMerchant(MERCHANT, SHOP);
  const [txn] = H.insertTransactions(u.user, [{
    number: H.numberFor(H.uniqueTag(), 1), at: new Date(Date.now() - 3600000).toISOString(), merchant: code,
    currency: 'JPY', items: [{ name: ITEM, quantity: 1, unit_price: 1500, tax: 150 }],
    status: 'completed', method: 'L', installments: 0, approval: 'X1Y2Z3',
  }]);

  const { page } = await t.newPage({ viewport: { width: 1000, height: 720 } });
  await H.signIn(t, page, u.user, u.password, 'list');
  const [row] = await H.rows(page);
  t.is(row && row.number, txn.number, 'the transaction is on the list');
  t.ok(row && row.cells[1].includes(MERCHANT) && row.cells[1].includes(SHOP),
    'the list shows the merchant\'s and the shop\'s names as text, letter for letter', JSON.stringify(row && row.cells[1]));
  const planted = async () => page.evaluate(() => document.querySelectorAll('#page script, #page b, #page img').length);
  t.is(await planted(), 0, 'the list has no element made of a name (no script, b or img in the page)');

  await t.clickAndLook(page, page.locator(`tr.txn[data-number="${txn.number}"] a`).first(), 'transaction');
  t.is(await T.dataPage(page), 'transaction', 'the transaction page');
  const body = await page.locator('#page').innerText();
  t.ok(body.includes(MERCHANT) && body.includes(SHOP), 'it shows the merchant\'s and the shop\'s names as text');
  t.ok((await page.locator('#items').innerText()).includes(ITEM), 'and the item\'s name as text, letter for letter');
  t.is(await planted(), 0, 'no element made of a name');
  t.is(await page.title().then((s) => /<|alert/.test(s)), false, 'the page title has no markup');

  await t.goto(page, T.historyUrl('/transactions'), 'list-again');
  const dl = await H.download(t, page, page.locator('a#csv'));
  const rows = H.parseCsv(dl.text).rows;
  const r = rows.find((x) => x[1] === txn.number) || [];
  t.is(r[2], MERCHANT, 'CSV: the merchant\'s name whole, its quotes kept');
  t.is(r[3], `'${SHOP}`, 'CSV: the shop\'s name starting with = gets a leading \' (no formula)');
  t.ok(dl.text.includes('"<script>alert(""m"")</script>\'&"'), 'CSV: a cell with quotes is quoted, its quotes doubled (RFC 4180)');
}, { axe: 'all' });
