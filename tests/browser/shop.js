// tests/browser/shop.js — the demo shop as the browser tests drive it, by
// the page markup of the shop's contract (docs/shop.md): the catalog, the
// cart, the checkout, the order page, the owner's pages; the handset's
// side (payAsHandset) and the database (psql) for what a test sets up.
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync, execFile } = require('child_process');
const T = require('./lib');

const FINAL = ['paid', 'declined', 'failed', 'canceled', 'expired'];

// psql SQL [VARS]: runs SQL on the stack's database as the tests' role
// (PAYGW_PGURI); VARS become psql variables (:'name' in SQL quotes one as
// a literal), so no value is pasted into the statement.  → stdout, trimmed
function psql(sql, vars = {}) {
  const args = ['-X', '-q', '-tA', '-v', 'ON_ERROR_STOP=1'];
  for (const [k, v] of Object.entries(vars)) args.push('-v', `${k}=${v}`);
  args.push(T.env('PAYGW_PGURI'));
  return execFileSync('psql', args, { input: sql, encoding: 'utf8' }).trim();
}

// the demo card number of a demo user (lib/common/demo_data.h), for the
// checks that it appears nowhere; never printed
function demoPan(user) {
  const src = fs.readFileSync(path.join(T.ROOT, 'lib/common/demo_data.h'), 'utf8');
  const m = src.match(new RegExp(`\\{\\s*"${user}",\\s*"[^"]*",\\s*"[^"]*",\\s*"[^"]*",\\s*"[^"]*",\\s*"([0-9]{12,19})"`));
  if (!m) throw new Error(`no demo card for user ${user} in lib/common/demo_data.h`);
  return m[1];
}

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

async function dataPage(page) {
  return page.locator('#page').getAttribute('data-page', { timeout: 5000 }).catch(() => null);
}

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

// the page's HTML has no card number: neither the demo card's digits nor
// any run of 12 or more digits (spaces or dashes between them allowed)
async function noCardNumber(t, page, user, what) {
  const html = await page.content();
  const pan = demoPan(user);
  // the forms' CSRF token is 32 random hex digits: a run of 12 decimal ones
  // in it (about one page in thirty) is no card number
  const scrubbed = html.replace(/(name="csrf" value=")[0-9a-f]+"/g, '$1"');
  const run = scrubbed.match(/(?<![0-9])[0-9](?:[ -]?[0-9]){11,}(?![0-9])/);
  t.ok(!html.includes(pan) && !run, `${what}: no card number in the HTML`, run ? `a digit run: ${run[0].slice(0, 4)}…` : 'the demo card number');
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

const digits = (s) => (s || '').replace(/[^0-9]/g, '');
async function text(page, sel) {
  return ((await page.locator(sel).first().textContent({ timeout: 5000 }).catch(() => null)) || '').trim();
}
async function visible(page, sel) {
  return page.locator(sel).first().isVisible().catch(() => false);
}

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
