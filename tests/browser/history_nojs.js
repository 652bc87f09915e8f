// history_nojs.js — the history with JavaScript off (a context with
// javaScriptEnabled: false, so no script of the pages could run): the
// sign-in form, the list and its "Older" link, the date filter, one
// transaction, the CSV download and the sign-out form all work as plain
// HTML, on a user of the test's own with its 60 transactions.  axe: no
// finding of any impact.
'use strict';
const T = require('./lib');
const H = require('./history');

T.run('history_nojs', async (t) => {
  const u = H.newUser();
  const newest = H.insertTransactions(u.user, H.sixtyFor(H.uniqueTag())).reverse();
  const { context, page } = await t.newPage({ javaScriptEnabled: false, viewport: { width: 1000, height: 720 } });

  await H.signIn(t, page, u.user, u.password, 'list');
  t.is(await T.dataPage(page), 'list', 'the sign-in form works without JavaScript');
  t.ok(await H.sessionCookie(context), 'a session cookie is set');
  t.is((await H.rows(page)).length, 20, 'the list: 20 rows');
  t.is(await page.locator('script:not([src])').count(), 0, 'the page has no inline script (none could run under its CSP)');
  await t.clickAndLook(page, page.locator('a#next'), 'page-2');
  t.is(JSON.stringify((await H.rows(page)).map((r) => r.number)), JSON.stringify(newest.slice(20, 40).map((r) => r.number)),
    '"Older" shows page 2');
  await H.filter(t, page, { from: '2026-10-01', to: '2026-10-05' }, 'filtered');
  t.is(JSON.stringify((await H.rows(page)).map((r) => r.number)),
    JSON.stringify(newest.filter((r) => r.i >= 30 && r.i <= 34).map((r) => r.number)), 'the date filter: 5 days, 5 rows');
  const dl = await H.download(t, page, page.locator('a#csv'));
  t.is(H.parseCsv(dl.text).rows.length, 6, 'the CSV downloads: the header and 5 rows');
  await t.clickAndLook(page, page.locator('#transactions tr.txn a').first(), 'transaction');
  t.is(await T.dataPage(page), 'transaction', 'a number opens its transaction');
  t.is(T.digits(await T.text(page, '#total')), String(newest.find((r) => r.i === 34).total), 'the newest of the range, with its total');
  await H.signOut(t, page, 'signed-out');
  t.is(page.url(), T.historyUrl('/sign-in?ended=signed-out'), 'the sign-out form works without JavaScript');
  t.is(await H.sessionCookie(context), undefined, 'the session cookie is gone');
}, { axe: 'all' });
