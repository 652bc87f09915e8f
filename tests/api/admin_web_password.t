#!/usr/bin/env bash
# admin_web_password.t — `paygw-admin user set-web-password` (docs/admin.md):
# the web password of the HTML history read on standard input, stored as
# argon2id (19 MiB, t=2, p=1) and never in clear, its time recorded, the
# failed-attempt count and lock cleared, the user ID's history sessions
# ended, an admin_log row; refused (exit 2, nothing changed) when short,
# with a control character, missing, or for an unknown user ID.  And the
# demo users' web passwords demo-web-<USERID>, signing in through nginx.
. "$(dirname "$0")/history_lib.sh"
T=w$(unique_tag)
U=${T}a
history_user "$U" || exit 1
hash_of() { psql_q "SELECT coalesce(web_password_hash, '-') FROM gateway.users WHERE user_id = '$1'"; }
# set_pw ID → exit status of set-web-password, stdin from the caller
set_pw() { "$ADMIN" user set-web-password --user-id "$1" >"$H_TMP/out" 2>"$H_TMP/err"; }

is "a new user ID has no web password" "$(hash_of "$U")" "-"
new_browser; sign_in "$U" "anything at all here"
is "so it cannot sign in (the wrong-password answer)" "$STATUS $(text_of error)" "401 User ID or password is wrong."

# a session and a lock to be undone
psql_q "UPDATE gateway.users SET failed_attempts = 7, locked_until = now() + interval '1 hour' WHERE user_id = '$U'" >/dev/null
psql_q "INSERT INTO history.sessions (token_hash, user_id, csrf_token) VALUES (repeat('ab', 32), '$U', repeat('cd', 16))" >/dev/null
printf '%s\n' "web password of $T" | set_pw "$U"; rc=$?
is "set-web-password: exit 0" "$rc" 0
is "it says so" "$(cat "$H_TMP/out")" "user ID $U has a new web password (its history sessions have ended)"
check "stored as argon2id, m=19456 t=2 p=1" grep -q '^\$argon2id\$v=19\$m=19456,t=2,p=1\$' <<<"$(hash_of "$U")"
is "not in clear" "$(psql_q "SELECT position('web password of' IN web_password_hash) FROM gateway.users WHERE user_id = '$U'")" 0
is "the handset's password is another one, unchanged" \
  "$(psql_q "SELECT password_hash <> web_password_hash FROM gateway.users WHERE user_id = '$U'")" t
is "its time recorded" "$(psql_q "SELECT web_password_changed_at > now() - interval '1 minute' FROM gateway.users WHERE user_id = '$U'")" t
is "the failed-attempt count and lock cleared" \
  "$(psql_q "SELECT failed_attempts || ' ' || coalesce(locked_until::text, '-') FROM gateway.users WHERE user_id = '$U'")" "0 -"
is "the user ID's history session has ended" \
  "$(psql_q "SELECT ended_at IS NOT NULL FROM history.sessions WHERE token_hash = repeat('ab', 32)")" t
is "one admin_log row" \
  "$(psql_q "SELECT count(*) FROM gateway.admin_log WHERE action = 'user set-web-password' AND subject = '$U'")" 1
is "holding no password" "$(psql_q "SELECT count(*) FROM gateway.admin_log WHERE actor || action || subject LIKE '%web password of%'")" 0
check "nor does stderr (the JSON log line)" bash -c '! grep -qF "web password of" "$1"' _ "$H_TMP/err"
new_browser; sign_in "$U" "web password of $T"
is "the user ID signs in with it through nginx" "$STATUS $LOCATION" "303 /history/transactions"

# --- refused, nothing changed --------------------------------------------------
before=$(hash_of "$U")
refused() {  # refused DESCRIPTION MESSAGE-PART ID (stdin: the password)
  set_pw "$3"; local rc=$?
  is "$1: exit 2" "$rc" 2
  check "$1: says '$2'" grep -qF "$2" "$H_TMP/err"
}
printf '%s\n' "11 chars ok" | refused "11 characters" "at least 12" "$U"
printf 'tab\there and long enough\n' | refused "a control character" "control characters" "$U"
refused "no password on standard input" "no password" "$U" </dev/null
printf '%s\n' "$(printf 'p%.0s' {1..300})" | refused "over 256 bytes" "longer than 256 bytes" "$U"
printf '%s\n' "a long enough password" | refused "an unknown user ID" "unknown user ID" "${T}nosuch"
printf '%s\n' "a long enough password" | refused "a malformed user ID" "user ID must be" "bad id!"
is "the web password is unchanged by all of them" "$(hash_of "$U")" "$before"
is "and no admin_log row was added" \
  "$(psql_q "SELECT count(*) FROM gateway.admin_log WHERE action = 'user set-web-password' AND subject IN ('$U', '${T}nosuch')")" 1

# --- the demo users ------------------------------------------------------------
for id in 00001 00002 00003; do
  check "demo user $id has a web password" grep -q '^\$argon2id\$' <<<"$(hash_of "$id")"
done
new_browser; sign_in 00002 demo-web-00002
is "demo user 00002 signs in with demo-web-00002" "$STATUS $LOCATION" "303 /history/transactions"
hist GET /history/transactions
is "and sees its name in the header" "$(text_of user-id)" "00002"
# a demo database loaded before the history: the next demo run gives the
# demo web password to a demo user ID that has none, and leaves the rest
psql_q "UPDATE gateway.users SET web_password_hash = NULL WHERE user_id = '00006'" >/dev/null
other=$(hash_of 00002)
"$ADMIN" demo --out-dir "$PAYGW_VAR/demo" >"$H_TMP/demo.out" 2>&1; rc=$?
is "paygw-admin demo again: exit 0" "$rc" 0
check "it says it gave the web password" grep -q "web passwords demo-web-<USER ID> given to 1 demo user" "$H_TMP/demo.out"
check "00006 has one again" grep -q '^\$argon2id\$' <<<"$(hash_of 00006)"
is "00002's is unchanged" "$(hash_of 00002)" "$other"
new_browser; sign_in 00006 demo-web-00006
is "00006 signs in with demo-web-00006" "$STATUS $LOCATION" "303 /history/transactions"
done_testing
