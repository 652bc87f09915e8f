// history_demo.js — the shopper's history as a demo user reads it (issue
// 13): a real payment of user 00001 made first through the flow (the POS
// and the handset, tests/browser/history_setup.sh), then in the browser:
// /history leads to the sign-in page; the demo web password
// demo-web-00001 signs in (the session cookie __Host-, Secure, HttpOnly,
// SameSite=Strict, 64 hex digits, out of JavaScript's reach); the list
// shows the payment first, with its time, shop, amount, method, status and
// masked card; its number opens the transaction: both items with quantity,
// unit price and tax, the totals, the binding code, the approval code, one
// line per state change, a print hint; printed (print media), the
// navigation and every form are hidden and the receipt is not; no page
// shows a card number; sign-out ends the session (the list then leads to
// the sign-in page, the old cookie sent again is refused).  Every page is
// photographed and audited by axe (no finding of any impact).
'use strict';
const T = require('./lib');
const H = require('./history');

const USER = '00001';
const CARD = '152500******5678';          // the demo card of 00001, masked

T.run('history_demo', async (t) => {
  const paid = H.pay(USER);
  t.is(paid.status, 'completed', `the demo purchase went through the flow (${paid.transaction})`);
  const row = T.psql(`SELECT m.shop_name || E'\\t' || m.name || E'\\t' || t.approval_code || E'\\t' ||
                             to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI')
                        FROM gateway.transactions t JOIN gateway.merchants m ON m.id = t.merchant_id
                       WHERE t.number = :'n'`, { n: paid.transaction }).split('\t');
  const [shop, merchant, approval, when] = row;

  const { context, page } = await t.newPage({ viewport: { width: 1000, height: 720 } });
  let resp = await t.goto(page, T.historyUrl(''), 'history');
  t.is(new URL(page.url()).pathname, '/history/sign-in', 'GET /history leads to the sign-in page');
  t.is(await T.dataPage(page), 'sign-in', 'the sign-in page (data-page="sign-in")');
  H.checkHeaders(t, resp, 'the sign-in page');
  t.is(await page.locator('#sign-in-form [name="csrf"]').getAttribute('type'), 'hidden', 'the form carries a hidden csrf field');
  t.is(await page.locator('#sign-in-form [name="password"]').getAttribute('type'), 'password', 'the password field hides what is typed');
  await t.docShot(page, 'sign-in');

  resp = await H.signIn(t, page, USER, H.demoPassword(USER), 'list');
  t.is(new URL(page.url()).pathname, '/history/transactions', 'the demo web password signs in: the list');
  t.is(await T.dataPage(page), 'list', 'the list page (data-page="list")');
  H.checkHeaders(t, resp, 'the list');
  const cookie = await H.sessionCookie(context);
  t.ok(cookie && /^[0-9a-f]{64}$/.test(cookie.value), 'the session cookie __Host-history_session holds 64 hex digits');
  t.ok(cookie && cookie.secure && cookie.httpOnly && cookie.sameSite === 'Strict' && cookie.path === '/',
    'it is Secure, HttpOnly, SameSite=Strict, Path=/', JSON.stringify(cookie && { ...cookie, value: '…' }));
  t.ok(!(await page.evaluate(() => document.cookie)).includes('history_session'), 'page scripts cannot read it');
  t.like(await T.text(page, 'header'), new RegExp(USER), 'the header names the user ID');
  t.ok(await T.visible(page, '#sign-out'), 'the header has the sign-out form');

  const rows = await H.rows(page);
  t.ok(rows.length >= 1 && rows.length <= 20, `the list shows 1 to 20 transactions (${rows.length})`);
  t.is(rows[0] && rows[0].number, paid.transaction, 'the demo purchase is the first row (newest first)');
  const first = rows[0] || { cells: [] };
  t.is(first.cells[0], when, `its date and time in UTC, YYYY-MM-DD HH:MM (${when})`);
  t.ok(first.cells[1] && first.cells[1].includes(shop) && first.cells[1].includes(merchant),
    `its shop and merchant (${shop}, ${merchant})`, JSON.stringify(first.cells[1]));
  t.is(T.digits(first.cells[2]), paid.total, `its amount ${paid.total}`);
  t.like(first.cells[2] || '', /JPY|¥|円/, 'with its currency');
  t.like(first.cells[3] || '', /lump/i, 'its method: lump sum');
  t.like(first.cells[4] || '', /complet|paid|approved/i, 'its status');
  t.is((first.cells[5] || '').replace(/\s/g, ''), CARD, 'its card, masked');
  t.is(first.href, `/history/transactions/${paid.transaction}`, 'its number links to the transaction');
  await T.noCardNumber(t, page, USER, 'the list');
  t.ok(await T.visible(page, '#totals li[data-currency="JPY"]'), 'totals per currency: JPY');
  await t.docShot(page, 'list');

  resp = await t.clickAndLook(page, page.locator(`#transactions tr.txn[data-number="${paid.transaction}"] a[href*="/history/transactions/"]`).first(), 'transaction');
  t.is(new URL(page.url()).pathname, `/history/transactions/${paid.transaction}`, 'a click on the number opens the transaction');
  t.is(await T.dataPage(page), 'transaction', 'the transaction page (data-page="transaction")');
  H.checkHeaders(t, resp, 'the transaction page');
  const items = await page.locator('#items').innerText();
  const p1 = Math.round((Number(paid.total) - 480 - 48 - (Number(paid.tax_total) - 48)) / 2);
  t.ok(/Coffee beans/.test(items) && /Tea cup/.test(items), 'both items are listed', items);
  const coffee = (await page.locator('#items tr, #items li').filter({ hasText: 'Coffee beans' }).first().innerText()).replace(/,/g, '');
  t.ok(new RegExp(`\\b2\\b`).test(coffee) && coffee.includes(String(p1)) && coffee.includes(String(Math.floor((2 * p1 * 8) / 100))),
    `the coffee's quantity 2, unit price ${p1} and tax`, coffee);
  t.is(T.digits(await T.text(page, '#total')), paid.total, `the total ${paid.total}`);
  t.is(T.digits(await T.text(page, '#tax-total')), paid.tax_total, `the tax ${paid.tax_total}`);
  t.is(await T.text(page, '#binding-code'), paid.binding_code, `the binding code ${paid.binding_code}`);
  t.is(await T.text(page, '#approval-code'), approval, `the approval code ${approval}`);
  t.ok(!(await T.visible(page, '#decline-reason')), 'no decline reason');
  const events = await page.locator('#events li').allInnerTexts();
  const changes = Number(T.psql(`SELECT count(*) FROM gateway.transaction_events e JOIN gateway.transactions t ON t.id = e.transaction_id
                                  WHERE t.number = :'n'`, { n: paid.transaction }));
  t.ok(events.length >= 2 && events.length === changes, `one line per state change (${events.length}, the database holds ${changes})`);
  t.like(events[events.length - 1] || '', /complet|paid|approved/i, 'the last one: completed');
  t.ok(events.every((e) => /\d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(e)), 'each with its time', events.join(' | '));
  t.like((await page.locator('#page').innerText()).replace(/\s/g, ''), new RegExp(CARD.replace(/\*/g, '\\*')), 'the masked card');
  t.like(await page.locator('#page').innerText(), /print/i, 'a hint to print it');
  await T.noCardNumber(t, page, USER, 'the transaction page');
  await t.docShot(page, 'transaction');

  // printed: the receipt without the navigation and the forms
  await page.emulateMedia({ media: 'print' });
  await t.look(page, 'transaction-print');
  t.ok(await T.visible(page, '#items') && await T.visible(page, '#total'), 'printed: the items and the total are on the paper');
  t.ok(!(await T.visible(page, 'nav')), 'printed: no navigation');
  t.ok(!(await T.visible(page, '#sign-out')), 'printed: no sign-out form');
  const shownForms = await page.locator('form').evaluateAll((fs) => fs.filter((f) => f.getClientRects().length > 0).length);
  t.is(shownForms, 0, 'printed: no form at all');
  await page.emulateMedia({ media: 'screen' });
  t.ok(await T.visible(page, '#sign-out'), 'on the screen again: the sign-out form is back');

  resp = await H.signOut(t, page);
  t.is(page.url(), T.historyUrl('/sign-in?ended=signed-out'), 'sign-out leads to /history/sign-in?ended=signed-out');
  t.like(await T.text(page, '#notice'), /signed out/i, 'which says "You have signed out"');
  t.is(await H.sessionCookie(context), undefined, 'the session cookie is gone');
  await t.goto(page, T.historyUrl('/transactions'), 'list-after-sign-out');
  t.is(new URL(page.url()).pathname, '/history/sign-in', 'the list leads to the sign-in page afterwards');
  // the old cookie, sent again by hand, opens nothing
  const again = await context.request.get(T.historyUrl('/transactions'),
    { headers: { Cookie: `${H.SESSION_COOKIE}=${cookie ? cookie.value : ''}` }, maxRedirects: 0 });
  t.is(again.status(), 303, 'the signed-out session cookie sent again: 303');
  t.like(again.headers().location || '', /\/history\/sign-in/, 'to the sign-in page');
}, { axe: 'all' });
