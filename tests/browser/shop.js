// tests/browser/shop.js — the demo shop as the browser tests drive it, by
// the page markup of the shop's contract (docs/shop.md): the catalog, the
// cart, the checkout, the order page, the owner's pages; the handset's
// side (payAsHandset).  The database (psql), a page's text and the
// no-card-number check are lib.js's, which the history's tests use too;
// they are exported here as well, as the shop's tests call them.
'use strict';
const path = require('path');
const { execFileSync, execFile } = require('child_process');
const T = require('./lib');
const { psql, demoPan, dataPage, digits, text, visible, noCardNumber } = T;

const FINAL = ['paid', 'declined', 'failed', 'canceled', 'expired'];

// The handset's side of an order: the user's demo handset tells the shop
// its user ID and pays (tests/browser/handset_pay.sh, flowlib.sh's steps).
// {typed: true}: the user ID was typed into the order page; the handset
// only pays.  {announceOnly: true}: it only tells the shop the user ID.
// → {announce, transaction, method, error, exit}.  When `handset shop`
// lands on main, this is the one place to run it instead.
function payAsHandset(code, user, { typed = false, announceOnly = false } = {}) {
  const script = path.join(__dirname, 'handset_pay.sh');
  const args = [announceOnly ? 'announce' : 'pay', code, user];
  if (typed) args.push('typed');
  return new Promise((resolve) => {
    execFile(script, args, { encoding: 'utf8', timeout: 120000 }, (err, stdout, stderr) => {
      const last = stdout.trim().split('\n').pop() || '';
      let r;
      try { r = JSON.parse(last); } catch (e) { r = { error: `handset_pay.sh printed ${JSON.stringify(stdout)} ${stderr}` }; }
      r.exit = err ? (err.code || 1) : 0;
      if (r.exit && !r.error) r.error = `handset_pay.sh exited ${r.exit}: ${stderr}`;
      resolve(r);
    });
  });
}

// --- the pages --------------------------------------------------------------

// addGood T PAGE GOOD QTY: on the catalog (opened first when the page is
// another), the good's form with QTY, submit
// (303 → the cart); the cart page is looked at
async function addGood(t, page, good, qty, step = `add-${good}`) {
  if (await dataPage(page) !== 'catalog') await t.goto(page, T.shopUrl(), `${step}-catalog`);
  const li = page.locator(`li.good[data-good="${good}"]`);
  await li.locator('input[name="quantity"]').fill(String(qty));
  await t.clickAndLook(page, li.locator('button.add'), step);
}

// checkout T PAGE: from the cart, "Check out" → the order page; its code
// (8 characters, no dash)
async function checkout(t, page, step = 'order') {
  await t.clickAndLook(page, page.locator('#checkout button[type="submit"]'), step);
  return orderCode(page);
}

async function orderCode(page) {
  const text = (await page.locator('#order-code').textContent({ timeout: 5000 }).catch(() => '')) || '';
  return text.trim().replace('-', '');
}

async function orderStatus(page) {
  return page.locator('#order-status').getAttribute('data-status', { timeout: 5000 }).catch(() => null);
}

// waitStatus PAGE STATE [MS]: until #order-status says STATE (by JS or by a
// refresh); true when it did
async function waitStatus(page, state, ms = 30000) {
  return page.locator(`#order-status[data-status="${state}"]`).waitFor({ state: 'attached', timeout: ms })
    .then(() => true, () => false);
}

// a fresh shopper: catalog opened, GOODS ([[id, qty], ...]) put in the
// cart, checked out.  → {context, page, code}
async function shopperWithOrder(t, goods, contextOpts = {}, tag = '') {
  const { context, page } = await t.newPage(contextOpts);
  await t.goto(page, T.shopUrl(), `${tag}catalog`);
  for (const [id, qty] of goods) await addGood(t, page, id, qty, `${tag}cart-${id}`);
  const code = await checkout(t, page, `${tag}order`);
  t.like(code, /^[2-9A-HJKMNP-Z]{8}$/, `${tag}checkout leads to an order page with an order code (${code})`);
  return { context, page, code };
}

// qrText T PAGE: what the order page's QR image says, read by zbarimg
// (Debian's zbar-tools) from a screenshot of the image as shown; '' when
// unreadable
async function qrText(t, page) {
  const file = path.join(t.shotDir, 'qr.png');
  await page.locator('#qr img').screenshot({ path: file });
  try {
    return execFileSync('zbarimg', ['-q', '--raw', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch (e) {
    return '';
  }
}

// markNoReload PAGE: a marker on window and the navigation count now;
// the returned function tells whether the page is still the same document
async function markNoReload(page) {
  const mark = `m${Date.now()}`;
  await page.evaluate((m) => { window.__paygwMarker = m; }, mark);
  const navs = page.__paygw.navigations;
  return async () => {
    const still = await page.evaluate(() => window.__paygwMarker).catch(() => undefined);
    return still === mark && page.__paygw.navigations === navs;
  };
}

module.exports = {
  FINAL, psql, demoPan, payAsHandset, dataPage, addGood, checkout, orderCode, orderStatus,
  waitStatus, shopperWithOrder, noCardNumber, markNoReload, qrText,
};

// --- checks shared by the tests ------------------------------------------------

// checkReceipt T PAGE WANT: #receipt shows WANT = {names: [...], tax, total,
// card (masked)} — and the method and an approval code
async function checkReceipt(t, page, want, tag = '') {
  t.ok(await visible(page, '#receipt'), `${tag}the receipt is shown`);
  const names = await page.locator('#receipt-lines .receipt-line .line-name').allTextContents();
  t.is(JSON.stringify(names.map((n) => n.trim()).sort()), JSON.stringify([...want.names].sort()),
    `${tag}the receipt lists the goods bought`);
  t.is(digits(await text(page, '#receipt-tax')), String(want.tax), `${tag}the receipt's tax is ${want.tax}`);
  t.is(digits(await text(page, '#receipt-total')), String(want.total), `${tag}the receipt's total is ${want.total}`);
  t.like(await text(page, '#receipt-method'), /\S/, `${tag}the receipt names the payment method`);
  t.like(await text(page, '#receipt-approval'), /^[0-9A-Za-z]{1,12}$/, `${tag}the receipt shows the approval code`);
  const card = (await text(page, '#receipt-card')).replace(/\s/g, '');
  t.like(card, /^[0-9]{6}\*+[0-9]{4}$/, `${tag}the receipt's card is masked: 6 digits, stars, 4 digits (${card})`);
  if (want.card) t.is(card, want.card, `${tag}it is the user's card`);
}

// cancelLeftovers PAGE CODES: orders of this test still open (a test that
// failed half-way) are canceled through the page's own cancel form, so no
// transaction stays open for the demo user (3 open at most per user)
async function cancelLeftovers(page, codes) {
  for (const code of codes) {
    let state = '';
    try { state = psql(`SELECT state FROM shop.orders WHERE code = :'code'`, { code }); } catch (e) { continue; }
    if (!/^awaiting_/.test(state)) continue;
    try {
      const url = T.shopUrl(`orders/${code}`);
      const html = await (await page.context().request.get(url)).text();
      const m = html.match(/<form[^>]*id="cancel-form"[\s\S]*?name="csrf"[^>]*value="([0-9a-f]+)"/)
             || html.match(/name="csrf"[^>]*value="([0-9a-f]+)"/);
      if (m) await page.context().request.post(T.shopUrl(`orders/${code}/cancel`), { form: { csrf: m[1] }, maxRedirects: 0 });
    } catch (e) { /* best effort */ }
  }
}

module.exports = Object.assign(module.exports, { digits, text, visible, checkReceipt, cancelLeftovers });
