// history_paging.js — the list of a shopper with 60 transactions (a user
// of the test's own, its transactions inserted in SQL: history.js
// sixtyFor, three of them at the very same time across the first page's
// end): 20 a page newest first, "Older" twice and "Newer" back, every
// transaction exactly once, the rows as the database holds them (time,
// amount and currency, method with installments, status, masked card);
// the date filter (#filter, "Show") keeps the days asked for, with the
// totals per currency of that range; the CSV of the filtered list
// (a#csv, a download) holds the same transactions, RFC 4180 with CRLF, the
// header row of docs/history.md, amounts in major units as text; the CSV
// of everything holds all 60.  A declined transaction's page gives the
// decline reason and no approval code; another user's transaction number
// is the same 404 page as a number nobody has; a date that does not exist
// is a 400 page, not a 500.  axe: no finding of any impact.
'use strict';
const T = require('./lib');
const H = require('./history');

T.run('history_paging', async (t) => {
  const tag = H.uniqueTag();
  const u = H.newUser();
  const all = H.insertTransactions(u.user, H.sixtyFor(tag));
  const newest = [...all].reverse();                  // i = 59..0: the list's order
  const byNumber = new Map(all.map((r) => [r.number, r]));

  const { page } = await t.newPage({ viewport: { width: 1000, height: 720 } });
  await H.signIn(t, page, u.user, u.password, 'list-page-1');
  t.is(await T.dataPage(page), 'list', 'signed in: the list');

  // --- three pages of 20, by the cursors of a#next ---------------------------
  const seen = [];
  for (let p = 1; p <= 3; p++) {
    const rows = await H.rows(page);
    const want = newest.slice((p - 1) * 20, p * 20).map((r) => r.number);
    t.is(JSON.stringify(rows.map((r) => r.number)), JSON.stringify(want),
      `page ${p}: transactions ${60 - (p - 1) * 20}..${60 - p * 20 + 1} of 60, newest first`);
    seen.push(...rows.map((r) => r.number));
    t.is(await page.locator('a#prev').count(), p === 1 ? 0 : 1, `page ${p}: ${p === 1 ? 'no' : 'a'} link to newer ones`);
    t.is(await page.locator('a#next').count(), p === 3 ? 0 : 1, `page ${p}: ${p === 3 ? 'no' : 'a'} link to older ones`);
    for (const r of rows.filter((x) => [5, 20, 33, 39, 40, 41, 59].includes(byNumber.get(x.number).i))) {
      const w = byNumber.get(r.number);
      const amount = H.major(w.total, w.currency);
      t.ok(r.cells[0] === H.listTime(w.at) && r.cells[2].replace(/,/g, '').includes(amount) &&
        (w.currency === 'USD' ? /USD|\$/ : /JPY|¥|円/).test(r.cells[2]) &&
        (w.installments ? /3/.test(r.cells[3]) : /lump/i.test(r.cells[3])) &&
        (w.status === 'declined' ? /declin/i.test(r.cells[4]) : /complet|paid|approved/i.test(r.cells[4])) &&
        r.cells[5].replace(/\s/g, '') === u.card_masked,
      `page ${p}: transaction i=${w.i} shows ${H.listTime(w.at)}, ${amount} ${w.currency}, ${w.installments ? 'installments ×3' : 'lump sum'}, ${w.status}, ${u.card_masked}`,
      JSON.stringify(r.cells));
    }
    if (p < 3) {
      const href = await page.locator('a#next').getAttribute('href');
      t.ok(!/offset|page=/i.test(href || ''), `page ${p}: the link to older ones carries a cursor, not an offset (${href})`);
      await t.clickAndLook(page, page.locator('a#next'), `list-page-${p + 1}`);
    }
  }
  t.is(new Set(seen).size, 60, 'the three pages show 60 different transactions');
  // back: "Newer" from page 3 gives page 2 again
  await t.clickAndLook(page, page.locator('a#prev'), 'list-page-2-again');
  t.is(JSON.stringify((await H.rows(page)).map((r) => r.number)), JSON.stringify(newest.slice(20, 40).map((r) => r.number)),
    'from page 3, the link to newer ones shows page 2 again');
  await t.clickAndLook(page, page.locator('a#prev'), 'list-page-1-again');
  t.is(JSON.stringify((await H.rows(page)).map((r) => r.number)), JSON.stringify(newest.slice(0, 20).map((r) => r.number)),
    'and from there page 1');
  t.is(await page.locator('a#prev').count(), 0, 'page 1 has no link to newer ones');
  await T.noCardNumber(t, page, null, 'the list');

  // --- the date filter -------------------------------------------------------------
  const from = '2026-09-11', to = '2026-09-20';      // days 11..20: i = 10..19
  await H.filter(t, page, { from, to }, 'filtered');
  const inRange = newest.filter((r) => r.i >= 10 && r.i <= 19);
  const fRows = await H.rows(page);
  t.is(JSON.stringify(fRows.map((r) => r.number)), JSON.stringify(inRange.map((r) => r.number)),
    `from ${from} to ${to} (both days included): the 10 transactions of those days, newest first`);
  const q = new URL(page.url()).searchParams;
  t.ok(q.get('from') === from && q.get('to') === to, 'the filter is in the URL (a plain GET form)', page.url());
  t.is(await page.locator('#filter [name="from"]').inputValue(), from, 'the form keeps the dates shown');
  t.is(await page.locator('a#next').count(), 0, 'one page: no link to older ones');
  const tot = await H.totals(page);
  for (const cur of ['JPY', 'USD']) {
    // "24,860 JPY paid in 7 completed of 9 transactions": the completed
    // ones' sum, and how many of the range's were counted
    const ofCur = inRange.filter((r) => r.currency === cur);
    const done = ofCur.filter((r) => r.status === 'completed');
    const sum = done.reduce((s, r) => s + r.total, 0);
    const m = (tot[cur] || '').match(/^([0-9][0-9,]*(?:\.[0-9]+)?)\s*([A-Z]{3})\b(.*)$/);
    t.ok(m && m[1].replace(/,/g, '') === H.major(sum, cur) && m[2] === cur,
      `#totals: ${H.major(sum, cur)} ${cur}, the completed ones of the range (declined ones not counted)`, JSON.stringify(tot));
    t.like(m ? m[3] : '', new RegExp(`\\b${done.length} completed of ${ofCur.length}\\b`),
      `#totals: ${cur} counts ${done.length} completed of ${ofCur.length}`);
  }
  t.is(Object.keys(tot).sort().join(','), 'JPY,USD', 'one total per currency of the range, no other');

  // status too: only the declined of the range
  await H.filter(t, page, { from, to, status: 'declined' }, 'filtered-declined');
  t.is(JSON.stringify((await H.rows(page)).map((r) => r.number)),
    JSON.stringify(inRange.filter((r) => r.status === 'declined').map((r) => r.number)), 'status "declined": the declined ones of the range');
  await H.filter(t, page, { from, to, status: '' }, 'filtered-all-again');

  // --- the CSV of the filtered list ------------------------------------------------
  const csvHref = await page.locator('a#csv').getAttribute('href');
  t.ok(/transactions\.csv/.test(csvHref || '') && /from=2026-09-11/.test(csvHref) && /to=2026-09-20/.test(csvHref),
    `a#csv asks for the same range (${csvHref})`);
  const dl = await H.download(t, page, page.locator('a#csv'));
  t.is(dl.name, `paygw-history-${from}-${to}.csv`, `the file is named ${dl.name}`);
  const csv = H.parseCsv(dl.text);
  t.ok(csv.crlf, 'every record ends CRLF (RFC 4180)');
  t.is((csv.rows[0] || []).join(','), H.CSV_HEADER, 'the header row');
  const data = csv.rows.slice(1);
  t.is(JSON.stringify(data.map((r) => r[1])), JSON.stringify(inRange.map((r) => r.number)),
    'one row per transaction of the range, as the list orders them');
  let good = 0;
  for (const r of data) {
    const w = byNumber.get(r[1]);
    if (!w) continue;
    const ok = r[0].startsWith(H.listTime(w.at)) && r[4] === H.major(w.total, w.currency) && r[5] === w.currency &&
      r[8] === w.status && r[9] === u.card_masked && (r[10] || '') === (w.approval || '') &&
      (w.installments ? r[7] === '3' : ['', '0', '1'].includes(r[7])) && r.length === 12 && ['0', '0.00'].includes(r[11]);
    if (ok) good += 1; else t.diag(`CSV row ${JSON.stringify(r)}`);
  }
  t.is(good, inRange.length, 'each row: date, amount in major units as text (12.34 USD, 1234 JPY), currency, installments, status, masked card, approval code');

  // --- the CSV of everything ------------------------------------------------------
  await H.filter(t, page, {}, 'unfiltered');
  const dlAll = await H.download(t, page, page.locator('a#csv'));
  const allRows = H.parseCsv(dlAll.text).rows.slice(1);
  t.is(JSON.stringify(allRows.map((r) => r[1])), JSON.stringify(newest.map((r) => r.number)),
    'the CSV of the whole list: all 60, newest first, not only a page');

  // --- a declined one; another user's number; a bad date ---------------------------
  const declined = all.find((r) => r.status === 'declined');
  await t.goto(page, T.historyUrl(`/transactions/${declined.number}`), 'declined');
  t.is(await T.dataPage(page), 'transaction', `a declined transaction (i=${declined.i}) has its page`);
  t.ok(await T.visible(page, '#decline-reason'), 'with the decline reason', await T.text(page, '#page'));
  t.is(await page.locator('#approval-code').count(), 0, 'and no approval code');
  const other = H.newUser();
  const [theirs] = H.insertTransactions(other.user, [{ ...all[0], number: H.numberFor(H.uniqueTag(), 1) }]);
  let resp = await t.goto(page, T.historyUrl(`/transactions/${theirs.number}`), 'another-users-number');
  t.is(resp.status(), 404, 'another user\'s transaction number: 404');
  t.is(await T.dataPage(page), 'not-found', 'the not-found page (data-page="not-found")');
  const theirsText = await page.locator('#page').innerText();
  t.ok(!theirsText.includes(theirs.number) && !theirsText.includes('Item 0'), 'nothing of that transaction shown (its number, its item)');
  resp = await t.goto(page, T.historyUrl(`/transactions/${H.numberFor(H.uniqueTag(), 2)}`), 'unknown-number');
  t.is(resp.status(), 404, 'a number nobody has: 404');
  t.is(await page.locator('#page').innerText(), theirsText, 'the very same page as another user\'s number');
  resp = await t.goto(page, T.historyUrl('/transactions?from=2026-02-30&to=2026-13-01'), 'bad-date');
  t.is(resp.status(), 400, 'a date that does not exist (2026-02-30): 400');
  t.ok(['error', 'list'].includes(await T.dataPage(page)), `a page saying so (data-page="${await T.dataPage(page)}")`);
}, { axe: 'all' });
