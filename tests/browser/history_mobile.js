// history_mobile.js — the history on a phone 360 px wide (touch, a mobile
// browser): every page fits the screen with no sideways scroll (the list's
// six columns too), and the forms and links work by tapping: sign in, the
// list, "Older", the filter, one transaction, sign out.  A user of the
// test's own with its 60 transactions.  axe: no finding of any impact.
'use strict';
const T = require('./lib');
const H = require('./history');

const PHONE = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
  userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Mobile Safari/537.36',
  fit: true };

T.run('history_mobile', async (t) => {
  const u = H.newUser();
  const newest = H.insertTransactions(u.user, H.sixtyFor(H.uniqueTag())).reverse();
  const { page } = await t.newPage(PHONE);

  await t.goto(page, T.historyUrl('/sign-in'), 'sign-in');
  await H.signIn(t, page, u.user, u.password, 'list');
  t.is(await T.dataPage(page), 'list', 'signed in by tapping: the list');
  t.is((await H.rows(page)).length, 20, '20 rows');
  const cell = await page.locator('#transactions tr.txn').first().boundingBox();
  t.ok(cell && cell.x >= 0 && cell.x + cell.width <= 360, 'the first transaction lies within the screen', JSON.stringify(cell));
  t.ok((await page.locator('#transactions tr.txn').first().innerText()).replace(/\s/g, '').includes(u.card_masked),
    'its masked card is shown');
  await t.docShot(page, 'phone-list');
  await t.clickAndLook(page, page.locator('a#next'), 'page-2');
  t.is((await H.rows(page))[0].number, newest[20].number, '"Older" by tapping: page 2');
  await H.filter(t, page, { from: '2026-09-01', to: '2026-09-03' }, 'filtered');
  t.is((await H.rows(page)).length, 3, 'the filter by tapping: 3 days, 3 rows');
  await t.clickAndLook(page, page.locator('#transactions tr.txn a').first(), 'transaction');
  t.is(await T.dataPage(page), 'transaction', 'a number opens its transaction');
  await t.docShot(page, 'phone-transaction');
  await H.signOut(t, page, 'signed-out');
  t.is(page.url(), T.historyUrl('/sign-in?ended=signed-out'), 'signed out by tapping');
}, { axe: 'all' });
