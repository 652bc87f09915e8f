// history_mobile.js — the history on a phone 360 px wide (touch, a mobile
// browser): every page fits the screen with no sideways scroll (the list's
// six columns too), and the forms and links work by tapping: sign in, the
// list, "Older", the filter, one transaction, sign out.  A user of the
// test's own with its 60 transactions and a newest one whose merchant,
// shop and item have the longest names allowed (80 characters) with no
// space to break at: nothing on the list or the transaction page reaches
// past the screen's edge, and no box of them needs scrolling sideways
// either.  axe: no finding of any impact.
'use strict';
const T = require('./lib');
const H = require('./history');

const PHONE = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
  userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Mobile Safari/537.36',
  fit: true };

// within PAGE's screen: → the elements of #page reaching past its right
// edge and the boxes that scroll sideways (what fits() of lib.js cannot
// see: a box scrolling inside a page that does not)
async function overflowing(page) {
  return page.evaluate(() => {
    const w = document.documentElement.clientWidth;
    const out = [];
    for (const e of document.querySelectorAll('#page *')) {
      const r = e.getBoundingClientRect();
      if (r.width && r.right > w + 0.5) out.push(`${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}.${e.className} reaches ${Math.round(r.right)} px`);
      const st = getComputedStyle(e);
      if (/auto|scroll/.test(st.overflowX) && e.scrollWidth > e.clientWidth + 1) out.push(`${e.tagName.toLowerCase()}.${e.className} scrolls sideways (${e.scrollWidth} px in ${e.clientWidth})`);
    }
    return out.slice(0, 8);      // the first few say enough
  });
}

const LONG = (c) => c.repeat(80);                    // 80 letters, nowhere to break

T.run('history_mobile', async (t) => {
  const u = H.newUser();
  const rows = H.sixtyFor(H.uniqueTag());
  const code = H.newMerchant(LONG('M'), LONG('S'));
  rows.push({ i: 60, number: H.numberFor(H.uniqueTag(), 60), at: new Date(Date.now() - 60000).toISOString(), merchant: code,
    currency: 'JPY', items: [{ name: LONG('I'), quantity: 9999, unit_price: 99999999, tax: 99999999 }],
    status: 'completed', method: 'I', installments: 12, approval: 'LONG01' });
  const newest = H.insertTransactions(u.user, rows).reverse().slice(1);   // the 60 below the long one
  const { page } = await t.newPage(PHONE);

  await t.goto(page, T.historyUrl('/sign-in'), 'sign-in');
  await H.signIn(t, page, u.user, u.password, 'list');
  t.is(await T.dataPage(page), 'list', 'signed in by tapping: the list');
  t.is((await H.rows(page)).length, 20, '20 rows');
  t.is(JSON.stringify(await overflowing(page)), '[]', 'the list: nothing reaches past the screen\'s edge or scrolls sideways, the 80-letter names included');
  await t.clickAndLook(page, page.locator('#transactions tr.txn a').first(), 'long-names');
  t.is(JSON.stringify(await overflowing(page)), '[]', 'the transaction with 80-letter names: nothing reaches past the screen\'s edge or scrolls sideways');
  await page.goBack({ waitUntil: 'load' });
  const cell = await page.locator('#transactions tr.txn').first().boundingBox();
  t.ok(cell && cell.x >= 0 && cell.x + cell.width <= 360, 'the first transaction lies within the screen', JSON.stringify(cell));
  t.ok((await page.locator('#transactions tr.txn').first().innerText()).replace(/\s/g, '').includes(u.card_masked),
    'its masked card is shown');
  await t.clickAndLook(page, page.locator('a#next'), 'page-2');
  t.is((await H.rows(page))[0].number, newest[19].number, '"Older" by tapping: page 2');
  await H.filter(t, page, { from: '2026-09-01', to: '2026-09-03' }, 'filtered');
  t.is((await H.rows(page)).length, 3, 'the filter by tapping: 3 days, 3 rows');
  await t.docShot(page, 'phone-list');
  await t.clickAndLook(page, page.locator('#transactions tr.txn a').first(), 'transaction');
  t.is(await T.dataPage(page), 'transaction', 'a number opens its transaction');
  await H.signOut(t, page, 'signed-out');
  t.is(page.url(), T.historyUrl('/sign-in?ended=signed-out'), 'signed out by tapping');
}, { axe: 'all' });
