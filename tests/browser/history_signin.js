// history_signin.js — signing in as a shopper of the test's own (so no demo
// user is locked): a wrong password is 401 with the sign-in page saying
// "User ID or password is wrong" and no session cookie; an unknown user ID
// gets the very same page; a success resets the count of failures; then 9
// wrong passwords in a row leave the user able to sign in, the 10th locks
// the user ID for 30 minutes (423, "locked" and the time it ends — also
// for the right password); a session idle for 14 minutes still opens the
// list, one idle for 16 (last_seen_at moved back in SQL, the server judging
// age by the database's clock) leads to /history/sign-in?ended=expired,
// which says the session has ended; one 12 hours old (created_at moved
// back) too, however recently it was used.  A form sent without its csrf
// field (removed from the page first) is refused with the 403 error page
// and changes nothing: the sign-out leaves the session alive, the sign-in
// signs nobody in.  axe: no finding of any impact.
'use strict';
const T = require('./lib');
const H = require('./history');

// the page's #error text, whitespace folded
async function error(page) { return (await T.text(page, '#error')).replace(/\s+/g, ' '); }
const failures = (user) => T.psql(`SELECT failed_attempts || ' ' || (locked_until IS NOT NULL)
                                     FROM gateway.users WHERE user_id = :'u'`, { u: user });

// move the clock of USER's live sessions: COLUMN set to now() - AGO
function age(user, column, ago) {
  return T.psql(`UPDATE history.sessions SET ${column} = now() - :'ago'::interval
                  WHERE user_id = :'u' AND ended_at IS NULL RETURNING 1`, { u: user, ago }).split('\n').filter(Boolean).length;
}

T.run('history_signin', async (t) => {
  const u = H.newUser();
  const { context, page } = await t.newPage({ viewport: { width: 1000, height: 720 } });

  // --- a wrong password, an unknown user ------------------------------------------
  let resp = await H.signIn(t, page, u.user, `${u.password}x`, 'wrong-password');
  t.is(resp && resp.status(), 401, 'a wrong password: 401');
  t.is(await T.dataPage(page), 'sign-in', 'the sign-in page again');
  const wrong = await error(page);
  t.like(wrong, /User ID or password is wrong/, `#error says "User ID or password is wrong"`);
  t.is(await H.sessionCookie(context), undefined, 'no session cookie');
  t.is(await page.locator('#sign-in-form [name="password"]').inputValue(), '', 'the password is not put back in the form');
  t.is(failures(u.user), '1 false', 'one failure counted');
  resp = await H.signIn(t, page, `nobody${H.uniqueTag()}`, u.password, 'unknown-user');
  t.is(resp && resp.status(), 401, 'an unknown user ID: 401 as well');
  t.is(await error(page), wrong, 'with the very same words');

  // --- a success resets the count -------------------------------------------------
  for (let k = 2; k <= 5; k++) await H.signIn(t, page, u.user, `wrong ${k}`, `wrong-${k}`);
  t.is(failures(u.user), '5 false', '5 failures in a row counted, not locked');
  resp = await H.signIn(t, page, u.user, u.password, 'signed-in');
  t.is(await T.dataPage(page), 'list', 'the right password after 5 wrong ones signs in');
  t.is(failures(u.user), '0 false', 'and sets the count back to 0');
  await t.goto(page, T.historyUrl('/transactions'), 'empty-list');
  t.like(await T.text(page, '#empty'), /No transactions/, 'a user with no transaction: #empty "No transactions…"');
  t.is(await page.locator('#transactions tr.txn').count(), 0, 'and no row');
  await H.signOut(t, page, 'signed-out');

  // --- the 10th wrong password in a row locks ----------------------------------------
  for (let k = 1; k <= 9; k++) {
    resp = await H.signIn(t, page, u.user, `wrong again ${k}`, `wrong-again-${k}`);
    if (resp && resp.status() !== 401) t.ok(false, `wrong password ${k} of 9: 401`, `got ${resp.status()}`);
  }
  t.is(failures(u.user), '9 false', '9 wrong passwords in a row: counted, not locked yet');
  resp = await H.signIn(t, page, u.user, 'wrong again 10', 'wrong-10-locks');
  t.ok(resp && [401, 423].includes(resp.status()), `the 10th wrong one: refused (${resp && resp.status()})`);
  const until = T.psql(`SELECT to_char(locked_until AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') || ' ' ||
                               round(extract(epoch FROM locked_until - now()) / 60)
                          FROM gateway.users WHERE user_id = :'u'`, { u: u.user }).split(' ');
  t.is(until[2], '30', `it locks the user ID for 30 minutes (until ${until[0]} ${until[1]} UTC)`);
  resp = await H.signIn(t, page, u.user, u.password, 'locked');
  t.is(resp && resp.status(), 423, 'locked: even the right password is 423');
  const locked = await error(page);
  t.like(locked, /locked/i, `#error says it is locked (${locked})`);
  // the time it ends, to the minute (or the next one, rounded up)
  const [hh, mm] = until[1].split(':').map(Number);
  const next = `${String((hh + (mm === 59 ? 1 : 0)) % 24).padStart(2, '0')}:${String((mm + 1) % 60).padStart(2, '0')}`;
  t.ok(locked.includes(until[1]) || locked.includes(next), `and when it ends (${until[1]} UTC)`, locked);
  t.is(await H.sessionCookie(context), undefined, 'no session cookie');

  // --- idle and old sessions -----------------------------------------------------
  T.psql(`UPDATE gateway.users SET failed_attempts = 0, locked_until = NULL WHERE user_id = :'u'`, { u: u.user });
  await H.signIn(t, page, u.user, u.password, 'signed-in-again');
  t.is(await T.dataPage(page), 'list', 'unlocked (in SQL): signed in again');
  t.ok(age(u.user, 'last_seen_at', '14 minutes') >= 1, 'the session\'s last request moved 14 minutes back');
  await t.goto(page, T.historyUrl('/transactions'), 'idle-14-minutes');
  t.is(await T.dataPage(page), 'list', 'idle 14 minutes: the list still opens');
  t.ok(age(u.user, 'last_seen_at', '16 minutes') >= 1, 'the session\'s last request moved 16 minutes back');
  resp = await t.goto(page, T.historyUrl('/transactions'), 'idle-16-minutes');
  t.is(page.url(), T.historyUrl('/sign-in?ended=expired'), 'idle 16 minutes: /history/sign-in?ended=expired');
  t.like(await T.text(page, '#notice'), /session has ended/i, '"Your session has ended…"');
  t.is(await T.dataPage(page), 'sign-in', 'with the sign-in form');

  await H.signIn(t, page, u.user, u.password, 'signed-in-third');
  t.ok(age(u.user, 'created_at', '12 hours 1 minute') >= 1, 'a new session\'s start moved 12 hours back (used just now)');
  await t.goto(page, T.historyUrl('/transactions'), 'older-than-12-hours');
  t.is(page.url(), T.historyUrl('/sign-in?ended=expired'), '12 hours after sign-in: ended as well, however recent its use');

  // --- forms without their csrf field ------------------------------------------------
  await page.locator('#sign-in-form [name="csrf"]').evaluate((e) => e.remove());
  resp = await H.signIn(t, page, u.user, u.password, 'sign-in-without-csrf');
  t.is(resp && resp.status(), 403, 'the sign-in form without its csrf field: 403');
  t.is(await T.dataPage(page), 'error', 'the error page (data-page="error")');
  t.is(await H.sessionCookie(context), undefined, 'nobody signed in');
  await H.signIn(t, page, u.user, u.password, 'signed-in-fourth');
  t.is(await T.dataPage(page), 'list', 'with it, the same sign-in works');
  await page.locator('#sign-out [name="csrf"]').evaluate((e) => e.remove());
  resp = await H.signOut(t, page, 'sign-out-without-csrf');
  t.is(resp && resp.status(), 403, 'the sign-out form without its csrf field: 403');
  t.is(await T.dataPage(page), 'error', 'the error page');
  await t.goto(page, T.historyUrl('/transactions'), 'still-signed-in');
  t.is(await T.dataPage(page), 'list', 'the session is still alive');
}, { axe: 'all' });
