#!/usr/bin/env bash
# history_signin.t — signing in to the HTML transaction history and its
# sessions, as a browser does it through nginx + TLS (docs/history.md):
# the sign-in form and its pre-session cookie, a right password (a
# __Host- cookie of 256 bits, only its SHA-256 stored), the signed-in
# header, a wrong password and an unknown user ID answered alike, a user
# ID without a web password or disabled, the lock on the 10th wrong
# password in a row (and a right one resetting the count), the form token
# on sign-in and sign-out, a forged cookie, sessions ended idle, too old,
# signed out and by a new web password (the clock moved with SQL), and
# bad input refused with nothing changed.
. "$(dirname "$0")/history_lib.sh"
T=h$(unique_tag)
U=${T}a PW="web password $T a"   # the main user
L=${T}l LPW="web password $T l"  # the one locked
N=${T}n                          # one without a web password
history_user "$U" "$PW" && history_user "$L" "$LPW" && history_user "$N" || exit 1
failed() { psql_q "SELECT failed_attempts FROM gateway.users WHERE user_id = '$1'"; }
live_sessions() { psql_q "SELECT count(*) FROM history.sessions WHERE user_id = '$1' AND ended_at IS NULL"; }
sha256() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }

# --- the way in ------------------------------------------------------------------
new_browser
hist GET /history
is "GET /history without a session: 303 to the sign-in page" "$STATUS $LOCATION" "303 /history/sign-in"
hist GET /history/sign-in
is "the sign-in page" "$STATUS $(page)" "200 sign-in"
check "it has the form #sign-in-form with user_id, password, csrf" \
  bash -c 'grep -q "id=\"sign-in-form\"" <<<"$1" && grep -q "name=\"user_id\"" <<<"$1" && grep -q "name=\"password\"" <<<"$1"' _ "$BODY"
check "its form token is 32 hex digits" grep -qE '^[0-9a-f]{32}$' <<<"$(csrf)"
check "a pre-session cookie __Host-history_presession, Secure, HttpOnly, SameSite=Strict, Path=/" \
  grep -qE '^set-cookie: __Host-history_presession=[0-9a-f]{32}; Path=/; Secure; HttpOnly; SameSite=Strict' <<<"$(set_cookie __Host-history_presession)"
check "the form token is not the cookie itself" test "$(csrf)" != "$(jar_cookie __Host-history_presession)"
csp=$(header content-security-policy)
check "a strict Content-Security-Policy (script-src 'self', no 'unsafe-inline')" \
  bash -c '[[ $1 == *"script-src '"'"'self'"'"'"* && $1 != *unsafe-inline* && $1 == *"frame-ancestors '"'"'none'"'"'"* ]]' _ "$csp"
is "nosniff and no-store" "$(header x-content-type-options) $(header cache-control)" "nosniff no-store"
hist GET /history/static/history.css
is "the stylesheet is served from /history/static/" "$STATUS ${CTYPE%%;*}" "200 text/css"

# --- a right password --------------------------------------------------------------
sign_in "$U" "$PW"
is "the right password: 303 to the list" "$STATUS $LOCATION" "303 /history/transactions"
cookie_line=$(set_cookie __Host-history_session)
check "the session cookie: 64 hex digits, Path=/, Secure, HttpOnly, SameSite=Strict" \
  grep -qE '^set-cookie: __Host-history_session=[0-9a-f]{64}; Path=/; Secure; HttpOnly; SameSite=Strict$' <<<"$cookie_line"
check "the pre-session cookie is cleared" grep -q 'Max-Age=0' <<<"$(set_cookie __Host-history_presession)"
token=$(jar_cookie __Host-history_session)
is "the database holds the token's SHA-256, for this user" \
  "$(psql_q "SELECT user_id FROM history.sessions WHERE token_hash = '$(sha256 "$token")'")" "$U"
is "and never the token itself" "$(psql_q "SELECT count(*) FROM history.sessions WHERE token_hash = '$token' OR csrf_token = '$token'")" 0
hist GET /history/transactions
is "signed in: the list" "$STATUS $(page)" "200 list"
is "the header names the user ID" "$(text_of user-id)" "$U"
check "the header has the sign-out form #sign-out with the session's form token" \
  bash -c 'grep -q "id=\"sign-out\"" <<<"$1" && grep -q "Sign out" <<<"$1"' _ "$BODY"
check "and a link to the list" grep -q 'id="list-link" href="/history/transactions"' <<<"$BODY"
SESSION_CSRF=$(csrf)
hist GET /history
is "GET /history signed in: 303 to the list" "$STATUS $LOCATION" "303 /history/transactions"
hist GET /history/sign-in
is "the sign-in page signed in: 303 to the list" "$STATUS $LOCATION" "303 /history/transactions"
psql_q "UPDATE history.sessions SET last_seen_at = now() - interval '100 seconds' WHERE user_id = '$U'" >/dev/null
hist GET /history/transactions
is "each request moves last_seen_at" \
  "$(psql_q "SELECT last_seen_at > now() - interval '10 seconds' FROM history.sessions WHERE user_id = '$U' AND ended_at IS NULL")" t

# --- sign-out and its form token ------------------------------------------------------
hist_form /history/sign-out "csrf=0123456789abcdef0123456789abcdef"
is "sign-out with a wrong form token: 403" "$STATUS $(page)" "403 error"
hist POST /history/sign-out -H 'Content-Type: application/x-www-form-urlencoded' --data ''
is "sign-out without a form token: 403" "$STATUS $(page)" "403 error"
is "and the session lives on" "$(live_sessions "$U")" 1
hist_form /history/sign-out "csrf=$SESSION_CSRF"
is "sign-out: 303 to the sign-in page saying so" "$STATUS $LOCATION" "303 /history/sign-in?ended=signed-out"
check "its cookie is cleared" grep -q '^set-cookie: __Host-history_session=; .*Max-Age=0' <<<"$(set_cookie __Host-history_session)"
is "the session has ended in the database" "$(live_sessions "$U")" 0
hist GET /history/sign-in?ended=signed-out
is "the sign-in page says 'You have signed out'" "$(text_of notice)" "You have signed out."
curl -s -o /dev/null -D "$H_TMP/h" --cacert "$PAYGW_CA" -b "__Host-history_session=$token" "$PAYGW_URL/history/transactions"
is "the signed-out cookie, sent again: 303 to the sign-in page with ?ended=expired" \
  "$(sed -n 's/^location: //Ip' "$H_TMP/h" | tr -d '\r')" "/history/sign-in?ended=expired"

# --- wrong password, unknown user ID, no web password: one answer ---------------------
new_browser
sign_in "$U" "not the password"
is "a wrong password: 401, the sign-in page" "$STATUS $(page)" "401 sign-in"
is "'User ID or password is wrong'" "$(text_of error)" "User ID or password is wrong."
wrong_page=$(sed -e 's/value="[^"]*"//g' <<<"$BODY")
is "the wrong try is counted" "$(failed "$U")" 1
sign_in "${T}nosuchuser" "not the password"
is "an unknown user ID: the same 401 and message" "$STATUS $(text_of error)" "401 User ID or password is wrong."
is "the same page (but for the typed user ID and the form token)" "$(sed -e 's/value="[^"]*"//g' <<<"$BODY")" "$wrong_page"
sign_in "$N" "any password at all"
is "a user ID without a web password: the same 401" "$STATUS $(text_of error)" "401 User ID or password is wrong."
# the same work: an unknown user ID checks a dummy argon2id hash (the
# median of 3 each; loose, the machine is shared)
times() { local i; for i in 1 2 3; do sign_in "$1" "not the password"; echo "$TIME"; done | sort -n | sed -n 2p; }
t_known=$(times "$U") t_unknown=$(times "${T}nosuchuser")
check "an unknown user ID takes about as long as a wrong password ($t_unknown s vs $t_known s)" \
  awk -v a="$t_unknown" -v b="$t_known" 'BEGIN { exit !(a >= 0.4 * b) }'
sign_in "$U" "$PW"
is "a right password after wrong ones: signed in" "$STATUS $LOCATION" "303 /history/transactions"
is "and the count is back to 0" "$(failed "$U")" 0

# --- the lock on the 10th wrong password in a row ----------------------------------------
new_browser
codes=""
for i in 1 2 3 4 5 6 7 8 9; do sign_in "$L" "wrong $i"; codes+="$STATUS "; done
is "9 wrong passwords: 401 each" "$codes" "401 401 401 401 401 401 401 401 401 "
is "9 counted" "$(failed "$L")" 9
sign_in "$L" "wrong 10"
is "the 10th: 423, the sign-in page" "$STATUS $(page)" "423 sign-in"
until=$(psql_q "SELECT to_char(locked_until AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') FROM gateway.users WHERE user_id = '$L'")
check "it says locked, and until when ($until UTC)" bash -c '[[ $1 == *locked* && $1 == *"$2 UTC"* ]]' _ "$(text_of error)" "$until"
is "locked for 30 minutes" \
  "$(psql_q "SELECT locked_until BETWEEN now() + interval '29 minutes' AND now() + interval '31 minutes' FROM gateway.users WHERE user_id = '$L'")" t
sign_in "$L" "$LPW"
is "the right password while locked: 423 still" "$STATUS $(page)" "423 sign-in"
is "and no session" "$(live_sessions "$L")" 0
"$ADMIN" user unlock --user-id "$L" >/dev/null 2>&1
sign_in "$L" "$LPW"
is "after paygw-admin user unlock: signed in" "$STATUS $LOCATION" "303 /history/transactions"
psql_q "UPDATE gateway.users SET locked_until = now() - interval '1 second' WHERE user_id = '$L'" >/dev/null
new_browser
sign_in "$L" "$LPW"
is "a lock that has lapsed stops nobody" "$STATUS" 303

# --- form tokens of the sign-in form ----------------------------------------------------
new_browser
hist GET /history/sign-in
hist_form /history/sign-in "user_id=$U" "password=$PW"
is "sign-in without a form token: 403" "$STATUS $(page)" "403 error"
hist GET /history/sign-in; other=$(csrf)
new_browser
hist GET /history/sign-in
hist_form /history/sign-in "csrf=$other" "user_id=$U" "password=$PW"
is "sign-in with another browser's form token: 403" "$STATUS $(page)" "403 error"
rm -f "$JAR"
hist_form /history/sign-in "csrf=$other" "user_id=$U" "password=$PW"
is "sign-in without the pre-session cookie: 403" "$STATUS $(page)" "403 error"
is "none of these signed in" "$(live_sessions "$U")" 1

# --- forged and dead cookies ------------------------------------------------------------------
for c in "$(printf '%064d' 7)" "0123456789abcdef" "not-hex-at-all" ""; do
  curl -s -o /dev/null -D "$H_TMP/h" --cacert "$PAYGW_CA" -b "__Host-history_session=$c" "$PAYGW_URL/history/transactions"
  is "a forged cookie '${c:0:16}': 303 to the sign-in page" \
    "$(sed -n 's/^HTTP\/[0-9.]* \([0-9]*\).*/\1/p; s/^location: //Ip' "$H_TMP/h" | tr -d '\r' | tr '\n' ' ')" "303 /history/sign-in "
done

# --- idle, too old, a new web password ----------------------------------------------------------
expired_after() {  # expired_after DESCRIPTION SQL-SET: a fresh session, its clock moved, then a page
  new_browser; sign_in "$U" "$PW"
  psql_q "UPDATE history.sessions SET $2 WHERE token_hash = '$(sha256 "$(jar_cookie __Host-history_session)")'" >/dev/null
  hist GET /history/transactions
  is "$1" "$STATUS $LOCATION" "303 /history/sign-in?ended=expired"
}
new_browser; sign_in "$U" "$PW"
psql_q "UPDATE history.sessions SET last_seen_at = now() - interval '14 minutes' WHERE token_hash = '$(sha256 "$(jar_cookie __Host-history_session)")'" >/dev/null
hist GET /history/transactions
is "14 minutes idle: still signed in" "$STATUS $(page)" "200 list"
expired_after "15 minutes idle: the session has ended (303 to sign-in, ?ended=expired)" "last_seen_at = now() - interval '901 seconds'"
hist GET "$LOCATION"
is "the sign-in page says the session has ended" "$(text_of notice)" "Your session has ended: sign in again to go on."
expired_after "12 hours old, though just used: ended" "created_at = now() - interval '43201 seconds'"
new_browser; sign_in "$U" "$PW"
printf 'a new web password %s\n' "$T" | "$ADMIN" user set-web-password --user-id "$U" >/dev/null 2>&1
hist GET /history/transactions
is "a new web password ends the session" "$STATUS $LOCATION" "303 /history/sign-in?ended=expired"
is "every session of that user ID" "$(live_sessions "$U")" 0
sign_in "$U" "$PW"
is "the old password is wrong now" "$STATUS" 401
PW="a new web password $T"
sign_in "$U" "$PW"
is "the new one signs in" "$STATUS $LOCATION" "303 /history/transactions"
"$ADMIN" user disable --user-id "$U" >/dev/null 2>&1
hist GET /history/transactions
is "a user ID disabled: its session has ended" "$STATUS $LOCATION" "303 /history/sign-in?ended=expired"
sign_in "$U" "$PW"
is "and the right password of a disabled user ID: 401 like a wrong one" "$STATUS $(text_of error)" "401 User ID or password is wrong."
psql_q "UPDATE gateway.users SET status = 'active' WHERE user_id = '$U'" >/dev/null

# --- bad input: refused, nothing changed -----------------------------------------------------------
new_browser
before=$(failed "$U")
bad() {  # bad DESCRIPTION STATUS [curl args...]: a sign-in POST with this page's token
  local desc=$1 want=$2; shift 2
  hist GET /history/sign-in; local token; token=$(csrf); sleep 0.11
  hist POST /history/sign-in "$@" --data-urlencode "csrf=$token"
  is "$desc: $want" "$STATUS" "$want"
}
bad "a user ID of 33 characters" 400 --data-urlencode "user_id=$(printf 'u%.0s' {1..33})" --data-urlencode "password=x"
check "it says what to enter" grep -q 'Enter your user ID' <<<"$(text_of error)"
bad "a password of 257 bytes" 400 --data-urlencode "user_id=$U" --data-urlencode "password=$(printf 'p%.0s' {1..257})"
bad "a password with a control character" 400 --data-urlencode "user_id=$U" --data-urlencode "password=$(printf 'a\tb')"
bad "no password" 400 --data-urlencode "user_id=$U"
bad "a user ID with a quote" 400 --data-urlencode "user_id=$U'" --data-urlencode "password=x"
bad "a malformed form body (a bad %-escape)" 400 --data "user_id=%zz&password=x"
bad "a form body with a NUL" 400 --data "user_id=a%00b&password=x"
bad "a JSON body" 415 -H 'Content-Type: application/json' --data "{\"user_id\":\"$U\",\"password\":\"$PW\"}"
bad "a body over 4 KiB" 413 --data "user_id=$U&password=$(printf 'p%.0s' {1..5000})"
is "none of them counted as a wrong password" "$(failed "$U")" "$before"
hist GET "/history/sign-in?$(printf 'q%.0s' {1..1100})"
is "a query string over 1 KiB: 414" "$STATUS $(page)" "414 error"
hist PUT /history/sign-in
is "PUT on the sign-in page: 405" "$STATUS $(page)" "405 error"
hist GET /history/nosuch
is "an unknown page: 404" "$STATUS $(page)" "404 not-found"

# --- nothing secret in the log -----------------------------------------------------------
check "the history's log holds no password and no session token" \
  bash -c '! grep -qF -e "$1" -e "$2" -e "$3" "$4"' _ "$PW" "$LPW" "$token" "$PAYGW_VAR/log/history.log"
done_testing
