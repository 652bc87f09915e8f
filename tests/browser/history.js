// tests/browser/history.js — the shopper's transaction history
// (docs/history.md) as the browser tests drive it, by the page markup of
// its contract: the sign-in form, the list (#transactions tr.txn, #next,
// #prev, #filter, #totals, #csv), one transaction, the sign-out form; and
// what a test sets up on the stack: a shopper of its own with a web
// password, transactions of that shopper inserted in SQL (as the
// superuser), a merchant of its own, a real payment through the flow
// (tests/browser/history_setup.sh, on tests/api/flowlib.sh).
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const T = require('./lib');

const SETUP = path.join(__dirname, 'history_setup.sh');
// the demo users' web password (paygw-admin demo, docs/history.md)
const demoPassword = (user) => `demo-web-${user}`;
const SESSION_COOKIE = '__Host-history_session';

function setup(args, input = '') {
  let out;
  try {
    out = execFileSync(SETUP, args, { input, encoding: 'utf8', timeout: 120000 });
  } catch (e) {
    out = e.stdout || '';
    const last = out.trim().split('\n').pop() || '';
    let r = {};
    try { r = JSON.parse(last); } catch (x) { /* below */ }
    throw new Error(`history_setup.sh ${args.join(' ')}: ${r.error || `${out} ${e.stderr || e.message}`}`);
  }
  return JSON.parse(out.trim().split('\n').pop());
}

// a tag no earlier run gave: the time in base 36 and 2 random characters
function uniqueTag() {
  return (Date.now().toString(36) + crypto.randomBytes(2).toString('hex').slice(0, 2)).slice(-10);
}

// newUser → {user, password, card_masked}: a shopper of the test's own with
// a web password (no demo user is ever locked or filled by a test)
function newUser() {
  const password = `a web password ${crypto.randomBytes(6).toString('hex')}`;
  const r = setup(['user', uniqueTag()], `${password}\n`);
  return { user: r.user, password, card_masked: r.card_masked };
}

// pay USER → {transaction, binding_code, total, tax_total, status}: a real
// payment of a demo user through the flow (POS and handset)
function pay(user) {
  return setup(['pay', user]);
}

// newMerchant NAME SHOP → its code: a merchant of the test's own
// (paygw-admin merchant add: any name it takes, as the history must show
// whatever a merchant is called), with a terminal
function newMerchant(name, shop) {
  return setup(['merchant', name, shop]).code;
}

// Transactions of USER written straight into gateway.transactions as the
// superuser (docs/history.md allows it for tests), each ROW {number, at
// (ISO 8601 UTC), merchant (code), currency, items [{name, quantity,
// unit_price, tax}], status, method, installments, approval}.  total and
// tax_total are the items' sums; the card is the user's.  → the rows, with
// total and tax_total
function insertTransactions(user, rows) {
  for (const r of rows) {
    r.tax_total = r.items.reduce((s, i) => s + i.tax, 0);
    r.total = r.items.reduce((s, i) => s + i.quantity * i.unit_price + i.tax, 0);
  }
  const n = T.psql(`
    WITH r AS (
      SELECT * FROM jsonb_to_recordset(:'rows'::jsonb) AS x(
        number text, at timestamptz, merchant text, currency text, items jsonb, total bigint,
        tax_total bigint, status text, method text, installments smallint, approval text, ord int))
    INSERT INTO gateway.transactions (number, user_id, card_id, device_id, merchant_id, terminal_id,
        status, currency, total, tax_total, items, reference, binding_code, challenge, challenge_used,
        method, installments, approval_code, response_code, outcome_reason, card_masked,
        created_at, updated_at, completed_at)
    SELECT r.number, u.user_id, u.card_id, u.device_id, m.id,
           (SELECT min(id) FROM gateway.terminals WHERE merchant_id = m.id),
           r.status, r.currency, r.total, r.tax_total, r.items, 'history-browser-test',
           upper(substr(md5(r.number), 1, 4)), md5(r.number), true,
           r.method, r.installments, r.approval,
           CASE WHEN r.status = 'completed' THEN '00' WHEN r.status = 'declined' THEN '51' END,
           CASE WHEN r.status = 'declined' THEN 'insufficient_funds' END,
           c.pan_masked, r.at, r.at, r.at
      FROM r JOIN gateway.users u ON u.user_id = :'user'
             JOIN gateway.cards c ON c.id = u.card_id
             JOIN gateway.merchants m ON m.code = r.merchant
     ORDER BY r.ord
    RETURNING 1`, { user, rows: JSON.stringify(rows.map((r, ord) => ({ ...r, ord }))) });
  const count = n ? n.split('\n').length : 0;
  if (count !== rows.length) throw new Error(`inserted ${count} of ${rows.length} transactions`);
  return rows;
}

// transaction numbers of 16 of [0-9A-Z], unique to this run: TAG + I
function numberFor(tag, i) {
  return (tag.toUpperCase().replace(/[^0-9A-Z]/g, '') + String(i).padStart(6, '0')).slice(-16).padStart(16, 'Z');
}

// sixtyFor USER TAG → the 60 transactions a test of the list inserts for
// its own USER (insertTransactions): one a day from 2026-09-01 (i = 0..59,
// day i + 1), so the newest first are i = 59..0; i = 39, 40 and 41 at the
// very same time (ordered among themselves by their row: the pages' keyset
// cursor has to carry more than the time, as page 1 ends at i = 40 and
// page 2 begins at i = 39); every 10th from i = 3 in USD, the others in
// JPY; every 7th from i = 5 declined, the others completed; every 4th from
// i = 1 in 3 installments, the others a lump sum; at merchant 1111111111
// (the demo's) or 2222222222
function sixtyFor(tag) {
  const rows = [];
  const base = Date.UTC(2026, 8, 1, 9, 0);
  for (let i = 0; i < 60; i++) {
    let at = new Date(base + i * 86400000 + (i % 5) * 37 * 60000);
    if (i >= 39 && i <= 41) at = new Date(Date.UTC(2026, 9, 11, 12, 0));
    const quantity = 1 + (i % 3), unitPrice = 100 * (i + 1);
    const declined = i % 7 === 5;
    rows.push({
      i, number: numberFor(tag, i), at: at.toISOString(),
      merchant: i % 2 ? '2222222222' : '1111111111',
      currency: i % 10 === 3 ? 'USD' : 'JPY',
      items: [{ name: `Item ${i}`, quantity, unit_price: unitPrice, tax: Math.floor((quantity * unitPrice) / 10) }],
      status: declined ? 'declined' : 'completed',
      method: i % 4 === 1 ? 'I' : 'L', installments: i % 4 === 1 ? 3 : 0,
      approval: declined ? null : `A${String(i).padStart(5, '0')}`,
    });
  }
  return rows;
}

// minor units → the CSV's major units as text, from integers (JPY has no
// decimals; USD, EUR, GBP 2)
function major(minor, currency) {
  if (currency === 'JPY') return String(minor);
  return `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
}

// --- the pages ----------------------------------------------------------------

// headers T RESP WHAT: a history page's answer carries a strict CSP (no
// 'unsafe-inline'), and the shop's other security headers
function checkHeaders(t, resp, what) {
  const h = resp ? resp.headers() : {};
  const csp = h['content-security-policy'] || '';
  t.ok(/default-src 'none'|default-src 'self'/.test(csp) && !/unsafe-inline|unsafe-eval/.test(csp),
    `${what}: a strict Content-Security-Policy (no 'unsafe-inline')`, csp);
  t.is(h['x-content-type-options'], 'nosniff', `${what}: X-Content-Type-Options nosniff`);
}

// signIn T PAGE USER PASSWORD STEP: the sign-in page (opened first unless
// it is the page shown), the form filled and sent; → the answer to the POST
async function signIn(t, page, user, password, step = 'signed-in') {
  if (await T.dataPage(page) !== 'sign-in') await t.goto(page, T.historyUrl('/sign-in'), `${step}-form`);
  const form = page.locator('#sign-in-form');
  await form.locator('[name="user_id"]').fill(user);
  await form.locator('[name="password"]').fill(password);
  return t.clickAndLook(page, form.locator('button[type="submit"], input[type="submit"]').first(), step);
}

// signOut T PAGE STEP: the header's sign-out form; → the answer
async function signOut(t, page, step = 'signed-out') {
  return t.clickAndLook(page, page.locator('#sign-out button[type="submit"], #sign-out input[type="submit"]').first(), step);
}

// rows PAGE → [{number, cells: [text...], href}] of the list's tr.txn
async function rows(page) {
  return page.locator('#transactions tr.txn').evaluateAll((trs) => trs.map((tr) => {
    const a = tr.querySelector('a[href*="/history/transactions/"]');
    return {
      number: tr.getAttribute('data-number'),
      cells: [...tr.querySelectorAll('td, th')].map((c) => c.textContent.replace(/\s+/g, ' ').trim()),
      href: a ? a.getAttribute('href') : null,
    };
  }));
}

// totals PAGE → {CURRENCY: text} of #totals li[data-currency]
async function totals(page) {
  return page.locator('#totals li[data-currency]').evaluateAll((lis) =>
    Object.fromEntries(lis.map((li) => [li.getAttribute('data-currency'), li.textContent.replace(/\s+/g, ' ').trim()])));
}

// filter T PAGE {from, to, status} STEP: the list's #filter form filled
// and sent with its "Show" button
async function filter(t, page, { from = '', to = '', status = null } = {}, step = 'filtered') {
  const f = page.locator('#filter');
  await f.locator('[name="from"]').fill(from);
  await f.locator('[name="to"]').fill(to);
  if (status !== null) await f.locator('[name="status"]').selectOption(status);
  return t.clickAndLook(page, f.locator('button[type="submit"], input[type="submit"]').first(), step);
}

// download T PAGE LOCATOR → {name, text}: the file a click on LOCATOR
// downloads (the CSV), read whole
async function download(t, page, locator) {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: 15000 }), locator.click()]);
  const file = path.join(t.shotDir, dl.suggestedFilename() || 'download');
  await dl.saveAs(file);
  return { name: dl.suggestedFilename(), text: fs.readFileSync(file, 'utf8'), file };
}

// parseCsv TEXT → {rows: [[cell...]...], crlf: every record ended CRLF}
// (RFC 4180: quoted cells, "" a quote, CRLF inside quotes kept)
function parseCsv(text) {
  const out = [];
  let row = [], cell = '', q = false, crlf = true, i = 0;
  while (i < text.length) {
    const c = text[i];
    if (q) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i += 2; continue; }
      if (c === '"') { q = false; i += 1; continue; }
      cell += c; i += 1; continue;
    }
    if (c === '"' && cell === '') { q = true; i += 1; continue; }
    if (c === ',') { row.push(cell); cell = ''; i += 1; continue; }
    if (c === '\r' && text[i + 1] === '\n') { row.push(cell); out.push(row); row = []; cell = ''; i += 2; continue; }
    if (c === '\n') { crlf = false; row.push(cell); out.push(row); row = []; cell = ''; i += 1; continue; }
    cell += c; i += 1;
  }
  if (cell !== '' || row.length) { row.push(cell); out.push(row); crlf = false; }
  return { rows: out, crlf };
}
const CSV_HEADER = 'date,number,merchant,shop,amount,currency,method,installments,status,card,approval_code,refunded';

// the session cookie the browser holds for the history, or undefined
async function sessionCookie(context) {
  return (await context.cookies(T.historyUrl('/'))).find((c) => c.name === SESSION_COOKIE);
}

// "YYYY-MM-DD HH:MM" (UTC) of an ISO time
const listTime = (iso) => new Date(iso).toISOString().slice(0, 16).replace('T', ' ');

module.exports = {
  demoPassword, SESSION_COOKIE, newUser, sixtyFor, pay, newMerchant, insertTransactions, numberFor, uniqueTag, major,
  checkHeaders, signIn, signOut, rows, totals, filter, download, parseCsv, CSV_HEADER, sessionCookie, listTime,
};
