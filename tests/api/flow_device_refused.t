#!/usr/bin/env bash
# flow_device_refused.t — issue 5: device authentication with the wrong
# device ID, a wrong signature, an expired auth result, a replayed or foreign
# challenge, or for another user's transaction is refused with the documented
# code, and the transaction does not move (checked in the database and by GET
# as the terminal).
. "$(dirname "$0")/flowlib.sh"

MERCHANT=1111111111 USER=00001 DEV=1234567
OTHER_USER=00002 OTHER_DEV=2234567

flow_to awaiting_device "$MERCHANT" "$USER"
mailbox_find "$DEV" "$TXN" payment_command
CHALLENGE=$(msg_field .challenge)
nonempty "the payment command and its challenge arrived" "$CHALLENGE"
ROW_BEFORE=$(txn_row "$TXN")
COUNTS_BEFORE=$(table_counts)

# refused NAME HTTP-STATUS CODE BODY: device-auth with BODY is refused so,
# and nothing about the transaction changed
refused() {
  local name=$1 status=$2 code=$3
  device_auth "$4"
  is "$name: HTTP $status" "$STATUS" "$status"
  is "$name: code $code" "$(jqr .code)" "$code"
  is "$name: application/problem+json" "$CTYPE" application/problem+json
  is "$name: no session in the answer" "$(jqr '.session // empty')" ""
  is "$name: the transaction row is unchanged" "$(txn_row "$TXN")" "$ROW_BEFORE"
  is "$name: the terminal still sees awaiting_device" "$(txn_status "$MERCHANT" "$TXN")" awaiting_device
}

now=$(date +%s)
refused "wrong device ID (another enrolled device, its own key)" 403 device_refused \
  "$(device_auth_body "$TXN" "$USER" "$OTHER_DEV" "$CHALLENGE")"
refused "unknown device ID" 403 device_refused \
  "$(device_auth_body "$TXN" "$USER" 9999999 "$CHALLENGE" "$(device_key "$DEV")")"
refused "wrong signature (another device's key)" 403 device_refused \
  "$(device_auth_body "$TXN" "$USER" "$DEV" "$CHALLENGE" "$(device_key "$OTHER_DEV")")"
# signed over one expiry, sent with another: the signature no longer matches
body=$(device_auth_body "$TXN" "$USER" "$DEV" "$CHALLENGE")
refused "signature over other text (auth result's expiry changed after signing)" 403 device_refused \
  "$(jq -c --arg e "$(rfc3339_at $((now + 1700)))" '.auth_result.expires_at = $e' <<<"$body")"
refused "a well-formed but bogus signature" 403 device_refused \
  "$(jq -c --arg s "$(printf 'A%.0s' {1..86})" '.signature = $s' <<<"$body")"
refused "expired auth result" 401 auth_result_expired \
  "$(device_auth_body "$TXN" "$USER" "$DEV" "$CHALLENGE" "" $((now - 10)) $((now - 3000)))"
refused "another user's transaction (that user's own device and key)" 403 device_refused \
  "$(device_auth_body "$TXN" "$OTHER_USER" "$OTHER_DEV" "$CHALLENGE")"
refused "unknown challenge" 409 challenge_refused \
  "$(device_auth_body "$TXN" "$USER" "$DEV" "$(openssl rand 32 | basenc --base64url | tr -d '=\n')")"

# a second transaction's challenge does not open the first
TXN1=$TXN CHALLENGE1=$CHALLENGE
flow_to awaiting_device "$MERCHANT" "$USER"
TXN2=$TXN
mailbox_find "$DEV" "$TXN2" payment_command
CHALLENGE2=$(msg_field .challenge)
TXN=$TXN1
refused "the challenge of another transaction" 409 challenge_refused \
  "$(device_auth_body "$TXN1" "$USER" "$DEV" "$CHALLENGE2")"
is "nothing was added to any table by the refusals (transactions, mailbox, authorizations, keys)" \
  "$(table_counts)" "$(awk '{print $1 + 1, $2 + 1, $3, $4}' <<<"$COUNTS_BEFORE")"

# the right request still works after all that: the challenge stayed live
BODY_OK=$(device_auth_body "$TXN1" "$USER" "$DEV" "$CHALLENGE1")
device_auth "$BODY_OK"
SESSION1=$SESSION
is "the right device-auth after the refusals: 200" "$STATUS" 200
is "... awaiting_confirmation" "$(txn_status "$MERCHANT" "$TXN1")" awaiting_confirmation

# replayed challenge: the same signed request again, then a freshly signed one
ROW_BEFORE=$(txn_row "$TXN1")
device_auth "$BODY_OK"
is "replayed device-auth (same request): 409" "$STATUS" 409
is "replayed device-auth (same request): challenge_refused" "$(jqr .code)" challenge_refused
is "replayed device-auth: no new session" "$SESSION" ""
is "replayed device-auth: the row (and its session) is unchanged" "$(txn_row "$TXN1")" "$ROW_BEFORE"
sleep 1   # a new auth result, so the signed text differs
device_auth "$(device_auth_body "$TXN1" "$USER" "$DEV" "$CHALLENGE1" "" $(( $(date +%s) + 1500 )))"
is "used challenge, freshly signed: 409 challenge_refused" "$STATUS $(jqr .code)" "409 challenge_refused"
is "used challenge: the terminal still sees awaiting_confirmation" "$(txn_status "$MERCHANT" "$TXN1")" awaiting_confirmation

# the session of one transaction does not act on another
confirm "$TXN2" "$SESSION1" true
is "another transaction's session: 401 unauthenticated" "$STATUS $(jqr .code)" "401 unauthenticated"
is "another transaction's session: that transaction still awaits its device" "$(txn_status "$MERCHANT" "$TXN2")" awaiting_device
confirm "$TXN1" "$(openssl rand 32 | basenc --base64url | tr -d '=\n')" true
is "a made-up session: 401 unauthenticated" "$STATUS $(jqr .code)" "401 unauthenticated"
is "a made-up session: still awaiting_confirmation" "$(txn_status "$MERCHANT" "$TXN1")" awaiting_confirmation
confirm "$TXN1" "$SESSION1" true
is "the real session still works: 200 awaiting_method" "$STATUS $(jqr .status)" "200 awaiting_method"

done_testing
