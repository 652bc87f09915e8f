#!/usr/bin/env bash
# token_api_reply.t — POST /v1/tokens/{id}/reply (issue 14, [0151], [0155]):
# the handset's reply, signed by its device key over
# "token-reply:<id>:<device>:<timestamp>:<SHA-256 of the body>".  Bad input
# (malformed JSON, missing, over-long and wrongly typed members, agree
# without a password), missing or malformed signature headers and a stale
# timestamp are refused and change nothing; an unknown ID is 404; Not agree
# cancels (not_agreed); another handset, another key or a tampered body
# cancel (403 wrong_device); a wrong web password (or none) cancels (403
# wrong_password) and counts toward the user's lock; a second reply is 409
# and changes nothing; the right password resets the count, checks the
# card again (a card disabled meanwhile: rejected/no_card) and ends the
# request with the key delivery's outcome; the handset never gets the
# encrypted number.
. "$(dirname "$0")/token_lib.sh"

M1=1111111111
refused() {
  local got
  got="$STATUS $(jq -r '.code // "-"' <<<"$BODY" 2>/dev/null) $CTYPE"
  is "$1: $2 $3 (problem+json)" "$got" "$2 $3 application/problem+json"
}
token_user r$(unique_tag); U=$TU D=$TD PW=$TPW UCARD=$CARD_ID
token_user o$(unique_tag); OU=$TU OD=$TD   # another shopper, with a handset of their own

token_create "$M1" "$U" 900; T=$TOKEN
state() { echo "$(token_row "$T") $(user_lock "$U")"; }
S0=$(state)
is "setup: awaiting the reply, no wrong password yet" "$S0" "awaiting_reply| 0|false"

# --- refused before anything is judged: nothing changes ---------------------------------
json_reply() { token_reply "$T" "$D" "$1"; }
json_reply '{"agree": true, "password": '
refused "malformed JSON" 400 bad_json
json_reply '{"agree": true, "password": "x"}'
refused "no device_id" 400 invalid_field
json_reply "$(jq -cn --arg d "$D" '{password: "x", device_id: $d}')"
refused "no agree" 400 invalid_field
json_reply "$(jq -cn --arg d "$D" '{agree: "yes", password: "x", device_id: $d}')"
refused "agree as a string" 400 invalid_field
json_reply "$(jq -cn --arg d "$D" '{agree: true, password: 12345678, device_id: $d}')"
refused "a password as a number" 400 invalid_field
json_reply "$(jq -cn --arg d "$D" --arg p "$(printf 'p%.0s' {1..257})" '{agree: true, password: $p, device_id: $d}')"
refused "a password of 257 characters" 400 invalid_field
json_reply "$(jq -cn --arg d "$D" '{agree: true, device_id: $d}')"
refused "agree without a password" 400 invalid_field
json_reply "$(jq -cn --arg d "$D" --arg p "$PW" '{agree: true, password: $p, device_id: $d, pin: "1234"}')"
refused "an unknown member" 400 invalid_field
api POST "/v1/tokens/$T/reply" -H 'Content-Type: application/json' --data "$(reply_body true "$D" "$PW")"
refused "no signature headers" 401 unauthenticated
api POST "/v1/tokens/$T/reply" -H 'Content-Type: application/json' -H "X-Paygw-Device: $D" \
  -H "X-Paygw-Timestamp: $(now_ms)" -H "X-Paygw-Signature: not-a-signature" --data "$(reply_body true "$D" "$PW")"
refused "a malformed signature" 401 unauthenticated
token_reply "$T" "$D" "$(reply_body true "$D" "$PW")" "" "$(( $(now_ms) - 600000 ))"
refused "a timestamp 10 minutes old" 401 unauthenticated
is "none of them changed anything (no wrong password counted)" "$(state)" "$S0"
token_reply "tk_$(openssl rand 16 | basenc --base64url | tr -d '=\n')" "$D" "$(reply_body true "$D" "$PW")"
refused "an unknown ID" 404 unknown_token
api POST /v1/tokens/tk_bad/reply -H 'Content-Type: application/json' --data "$(reply_body false "$D")"
refused "a malformed ID" 404 unknown_token

# --- Not agree ---------------------------------------------------------------------------
not_agree "$T" "$D"
is "Not agree: 200 canceled/not_agreed" "$STATUS $BODY" "200 {\"id\":\"$T\",\"status\":\"canceled\",\"reason\":\"not_agreed\"}"
is "stored so" "$(token_row "$T")" "canceled|not_agreed"
agree "$T" "$D" "$PW"
refused "a second reply (Agree after Not agree)" 409 wrong_state
is "... says the state" "$(jqr .token_status)" canceled
not_agree "$T" "$D"
refused "the same reply again" 409 wrong_state
is "... and nothing changed" "$(token_row "$T") $(user_lock "$U")" "canceled|not_agreed 0|false"
token_get "$M1" "$T"
is "the POS sees it" "$(jqr .status) $(jqr .reason)" "canceled not_agreed"

# --- the wrong device ----------------------------------------------------------------------
token_create "$M1" "$U" 901; T=$TOKEN
token_reply "$T" "$OD" "$(reply_body true "$OD" "$PW")"
refused "another user's handset, its own key" 403 wrong_device
is "... the request canceled/wrong_device" "$(token_row "$T")" "canceled|wrong_device"
is "... and no password counted" "$(user_lock "$U")" "0|false"
token_create "$M1" "$U" 902; T=$TOKEN
token_reply "$T" "$D" "$(reply_body true "$D" "$PW")" "$(device_key "$OD")"
refused "the user's device ID, signed by another key" 403 wrong_device
is "... canceled/wrong_device" "$(token_row "$T")" "canceled|wrong_device"
token_create "$M1" "$U" 903; T=$TOKEN
token_reply "$T" "$D" "$(reply_body true "$OD" "$PW")"
refused "the body naming another device" 403 wrong_device
is "... canceled/wrong_device" "$(token_row "$T")" "canceled|wrong_device"
token_create "$M1" "$U" 904; T=$TOKEN
token_reply "$T" "$D" "$(reply_body false "$D")" "" "" "$(reply_body true "$D" "$PW")"
refused "a body other than the one signed (Agree signed, Not agree sent)" 403 wrong_device
is "... canceled/wrong_device" "$(token_row "$T")" "canceled|wrong_device"
token_create "$M1" "$U" 905; T=$TOKEN
ts=$(now_ms); body=$(reply_body true "$D" "$PW")
sig=$(sign_text "$(device_key "$D")" "token-reply:tk_AAAAAAAAAAAAAAAAAAAAAA:$D:$ts:$(printf '%s' "$body" | sha256sum | cut -d' ' -f1)")
api POST "/v1/tokens/$T/reply" -H 'Content-Type: application/json' -H "X-Paygw-Device: $D" -H "X-Paygw-Timestamp: $ts" \
  -H "X-Paygw-Signature: $sig" --data-binary "$body"
refused "a signature made for another request" 403 wrong_device
is "... canceled/wrong_device" "$(token_row "$T")" "canceled|wrong_device"

# --- the wrong password ----------------------------------------------------------------------
token_create "$M1" "$U" 906; T=$TOKEN
agree "$T" "$D" "not the web password"
refused "a wrong web password" 403 wrong_password
is "... canceled/wrong_password" "$(token_row "$T")" "canceled|wrong_password"
is "... counted (the history's failed_attempts)" "$(user_lock "$U")" "1|false"
agree "$T" "$D" "$PW"
refused "the right one after it, on the same request" 409 wrong_state
is "... changes nothing" "$(token_row "$T") $(user_lock "$U")" "canceled|wrong_password 1|false"
agree "$T" "$D" "still not the web password"
refused "a wrong one again on the canceled request" 409 wrong_state
is "... is not even checked" "$(user_lock "$U")" "1|false"
token_user w$(unique_tag) -
token_create "$M1" "$TU" 907
agree "$TOKEN" "$TD" "any password at all"
refused "a user ID without a web password" 403 wrong_password
is "... canceled/wrong_password" "$(token_row "$TOKEN")" "canceled|wrong_password"

# --- the right password ----------------------------------------------------------------------
token_create "$M1" "$U" 908; T=$TOKEN
LOGLINE=$(gateway_log_lines)
agree "$T" "$D" "$PW"
is "the right password: 200" "$STATUS" 200
ANSWER=$BODY
is "... the count reset" "$(user_lock "$U")" "0|false"
is "... the answer is the status only: no token for the handset" "$(jq -c 'keys' <<<"$ANSWER")" '["id","reason","status"]'
# the test user's card is in no issuer's range and the credit server holds
# no account for it: its key is not stored there, and the request fails
is "... ended as the 0610 says: failed/issuer_refused" "$(jq -r '.status + "/" + .reason' <<<"$ANSWER")" "failed/issuer_refused"
is "... stored so, with the 0600's STAN and the 0610's code" \
  "$(psql_q "SELECT status || '|' || reason || '|' || (stan IS NOT NULL) || '|' || response_code FROM gateway.token_requests WHERE token = '$T'")" \
  "failed|issuer_refused|true|14"
is "... and no encrypted number kept for a token never issued" \
  "$(psql_q "SELECT count(*) FROM gateway.token_requests WHERE token = '$T' AND encrypted_card_number IS NOT NULL")" 0
agree "$T" "$D" "$PW"
refused "the same right reply again" 409 wrong_state
is "... changes nothing" "$(token_row "$T")" "failed|issuer_refused"
# five copies of one signed right reply at once: one is taken, the others are 409
token_create "$M1" "$U" 910; T=$TOKEN
body=$(reply_body true "$D" "$PW") ts=$(now_ms)
sig=$(sign_text "$(device_key "$D")" "token-reply:$T:$D:$ts:$(printf '%s' "$body" | sha256sum | cut -d' ' -f1)")
for i in 1 2 3 4 5; do
  ( api POST "/v1/tokens/$T/reply" -H 'Content-Type: application/json' -H "X-Paygw-Device: $D" \
      -H "X-Paygw-Timestamp: $ts" -H "X-Paygw-Signature: $sig" --data-binary "$body"
    echo "$STATUS" >"$FLOW_TMP/race.$i" ) &
done
wait
is "five replies at once: one 200, four 409" "$(sort "$FLOW_TMP"/race.* | uniq -c | awk '{print $2 "x" $1}' | paste -sd' ')" "200x1 409x4"
is "... one delivery (one STAN, one key ID)" \
  "$(psql_q "SELECT status || '|' || (stan IS NOT NULL) || '|' || (key_id IS NOT NULL) FROM gateway.token_requests WHERE token = '$T'")" \
  "failed|true|true"
# the card disabled between the request and the reply: checked again
token_create "$M1" "$U" 909; T=$TOKEN
"$PAYGW_ADMIN" card disable --id "$UCARD" >/dev/null 2>&1
agree "$T" "$D" "$PW"
is "a card disabled meanwhile: 200 rejected/no_card" "$STATUS $(jqr .status)/$(jqr .reason)" "200 rejected/no_card"
is "... stored so, nothing sent to the issuer (no STAN)" \
  "$(psql_q "SELECT status || '|' || reason || '|' || (stan IS NULL) FROM gateway.token_requests WHERE token = '$T'")" "rejected|no_card|true"
# a key is 43 base64url characters, an encrypted number 55-63, a card number 12-19 digits
is "no card number, key or encrypted number in the gateway's log of these replies" \
  "$(gateway_log_since "$LOGLINE" | grep -cE '(^|[^A-Za-z0-9])[0-9]{12,19}([^A-Za-z0-9]|$)|[A-Za-z0-9_-]{40}')" 0
check "... which has their lines" grep -q "token key delivery" <(gateway_log_since "$LOGLINE")
done_testing
