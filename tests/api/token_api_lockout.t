#!/usr/bin/env bash
# token_api_lockout.t — the token reply's web password shares the HTML
# history's lock (issue 14; gateway.users.failed_attempts / locked_until,
# sql/0019): each wrong password in a reply counts, the 10th in a row
# (PAYGW_HISTORY_LOCK_AFTER) locks the user ID for 30 minutes and is
# answered 423 user_locked with locked_until; then a new token request is
# rejected (user_locked), a reply to one made before the lock is 423 and
# cancels it (user_locked) even with the right password, and the history's
# sign-in is locked too; unlocked, the right password works and the count
# starts again; and the other way round: 9 wrong sign-ins at the history
# and one wrong token reply lock the user ID.
. "$(dirname "$0")/token_lib.sh"

M1=1111111111
refused() {
  local got
  got="$STATUS $(jq -r '.code // "-"' <<<"$BODY" 2>/dev/null) $CTYPE"
  is "$1: $2 $3 (problem+json)" "$got" "$2 $3 application/problem+json"
}
# history_sign_in USER PASSWORD → HSTATUS: the history's sign-in, as a browser (docs/history.md)
history_sign_in() {
  local jar=$FLOW_TMP/jar page csrf
  rm -f "$jar"
  page=$(curl -sS --cacert "$PAYGW_CA" -b "$jar" -c "$jar" "$PAYGW_URL/history/sign-in")
  csrf=$(grep -o 'name="csrf" value="[0-9a-f]*"' <<<"$page" | head -1 | sed 's/.*value="\(.*\)"/\1/')
  sleep 0.11   # nginx lets 10 sign-ins a second through per address
  HSTATUS=$(curl -sS -o /dev/null -w '%{http_code}' --cacert "$PAYGW_CA" -b "$jar" -c "$jar" \
    --data-urlencode "csrf=$csrf" --data-urlencode "user_id=$1" --data-urlencode "password=$2" "$PAYGW_URL/history/sign-in")
}

token_user k$(unique_tag); U=$TU D=$TD PW=$TPW
history_sign_in "$U" "$PW"
is "setup: the history takes the web password" "$HSTATUS" 303

# --- nine wrong replies: each counted ------------------------------------------------------
token_create "$M1" "$U" 100; EARLY=$TOKEN   # answered after the lock
counts=""
for i in $(seq 9); do
  token_create "$M1" "$U" $((100 + i))
  agree "$TOKEN" "$D" "wrong password $i"
  counts+="$STATUS:$(jqr .code):$(user_lock "$U") "
done
is "nine wrong passwords: 403 wrong_password each, counted 1 to 9, not locked" "$counts" \
  "$(for i in $(seq 9); do printf '403:wrong_password:%d|false ' "$i"; done)"

# --- the tenth locks ------------------------------------------------------------------------
token_create "$M1" "$U" 110; T=$TOKEN
agree "$T" "$D" "wrong password 10"
refused "the 10th wrong password" 423 user_locked
until=$(jqr .locked_until)
like "... with locked_until (RFC 3339)" "$until" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$'
between "... 30 minutes from now (s)" "$(( $(date -d "$until" +%s) - $(date +%s) ))" 1780 1801
is "... the request canceled/wrong_password" "$(token_row "$T")" "canceled|wrong_password"
is "... the user locked, the count started again (as the history's sign-in)" "$(user_lock "$U")" "0|true"

# --- locked ------------------------------------------------------------------------------------
token_create "$M1" "$U" 111
is "a new request for the locked user: 201 rejected/user_locked" "$STATUS $(jqr .status)/$(jqr .reason)" "201 rejected/user_locked"
agree "$EARLY" "$D" "$PW"
refused "a reply to a request made before the lock, with the right password" 423 user_locked
is "... carries locked_until" "$(jqr .locked_until)" "$until"
is "... the request canceled/user_locked" "$(token_row "$EARLY")" "canceled|user_locked"
is "... counts nothing more" "$(user_lock "$U")" "0|true"
history_sign_in "$U" "$PW"
is "the history's sign-in is locked too, even with the right password" "$HSTATUS" 423

# --- unlocked: the right password works and the count starts again ------------------------------------
"$PAYGW_ADMIN" user unlock --user-id "$U" >/dev/null 2>&1
token_create "$M1" "$U" 112; T=$TOKEN
agree "$T" "$D" "wrong password 11"
is "unlocked: a wrong password counts from 1" "$STATUS $(user_lock "$U")" "403 1|false"
token_create "$M1" "$U" 113; T=$TOKEN
agree "$T" "$D" "$PW"
is "the right password: taken (the key delivery decides the end)" "$STATUS $(jqr .status)" "200 failed"
is "... and the count reset" "$(user_lock "$U")" "0|false"

# --- the other way round: the history's wrong sign-ins count for the reply -------------------------
token_user h$(unique_tag); U=$TU D=$TD PW=$TPW
for i in $(seq 9); do history_sign_in "$U" "wrong sign-in $i"; done
is "nine wrong sign-ins at the history: counted" "$(user_lock "$U")" "9|false"
token_create "$M1" "$U" 120; T=$TOKEN
agree "$T" "$D" "a wrong password at the token reply"
refused "then one wrong token reply: the 10th locks" 423 user_locked
is "... the user locked" "$(user_lock "$U")" "0|true"
token_create "$M1" "$U" 121
is "... and a new request is rejected/user_locked" "$(jqr .status)/$(jqr .reason)" "rejected/user_locked"
done_testing
