#!/usr/bin/env bash
# gateway_no_pan.t — issue 5: after payments that complete, are declined by
# the issuer or are refused by the merchant (card not accepted) or for a
# method not offered, and after requests that carry a card number where it
# does not belong (a price, the user ID, a member name, an unterminated JSON
# string, the path), no demo card number in clear (nor spaced or dashed)
# is in any gateway answer seen, in any log under $PAYGW_VAR/log, or in a
# pg_dump of the whole database (gateway and issuer schemas).
. "$(dirname "$0")/flowlib.sh"

ANSWERS=$FLOW_TMP/answers
# every answer the gateway gives in this test is kept (and its headers)
eval "api_plain() $(declare -f api | tail -n +2)"
api() { api_plain "$@" -D "$FLOW_TMP/h"; { printf '%s\n' "$BODY"; cat "$FLOW_TMP/h"; } >>"$ANSWERS"; }

PANS=$(grep -oE '"[0-9]{13,19}"' "$PAYGW_ROOT/lib/common/demo_data.h" | tr -d '"' | sort -u)
is "the demo card numbers were read from demo_data.h" "$(wc -w <<<"$PANS")" 8

# --- payments that touch the card in every way --------------------------------------
flow_to chosen 1111111111 00001 120 I 3
is "a completed payment (installments)" "$STATUS $(jqr .status)" "200 completed"
pos GET "/v1/transactions/$TXN" 1111111111
mailbox_find "$DEVICE" "$TXN" completion
flow_to chosen 1111111111 00007 5000 L
is "a payment over the limit" "$(jqr .decline.code)" 51
flow_to chosen 1111111111 00008 100 L
is "a payment with a card unknown at the issuer" "$(jqr .decline.code)" 14
pos GET "/v1/transactions/$TXN" 1111111111
mailbox_find "$DEVICE" "$TXN" completion
flow_to awaiting_confirmation 1111111111 00002
confirm "$TXN" "$SESSION" true
is "a card the merchant does not take" "$(jqr .decline.code)" card_not_accepted
flow_to awaiting_method 2222222222 00004
handset GET "$TXN" payment-methods "$SESSION"
choose "$TXN" "$SESSION" R
is "a method not offered" "$(jqr .code)" method_not_offered
choose "$TXN" "$SESSION" B
is "a bonus payment" "$(jqr .status)" completed
check "answers were recorded" test -s "$ANSWERS"

# --- a card number sent where it does not belong ------------------------------------
# (a clerk types it into the user ID, a program puts it in a price or a path):
# the refusal must not send it back, and no log may keep it
PAN=$(head -1 <<<"$PANS")
SPACED=$(sed -E 's/(.{4})/\1 /g; s/ $//' <<<"$PAN")
body_with() { jq -cn --argjson items "$1" --arg u "${2:-00001}" '{user_id: $u, currency: "JPY", items: $items}'; }
json_post() { pos POST "$1" 1111111111 -H 'Content-Type: application/json' --data "$2"; }
json_post /v1/transactions "$(body_with "[{\"name\":\"x\",\"quantity\":1,\"unit_price\":$PAN,\"tax\":0}]")"
is "a card number as a price: refused" "$STATUS $(jqr .code)" "400 invalid_field"
like "... the detail says what is wrong without the number" "$(jqr .detail)" 'unit_price must be between 0 and 10000000000, got \*{16}$'
json_post /v1/transactions "$(body_with '[{"name":"x","quantity":1,"unit_price":1,"tax":0}]' "$PAN")"
is "a card number as the user ID: unknown user" "$STATUS $(jqr .code)" "404 unknown_user"
like "... the detail masks it" "$(jqr .detail)" '\*{16}'
json_post /v1/transactions "{\"user_id\": \"$PAN"
is "a card number in an unterminated JSON string: bad_json" "$STATUS $(jqr .code)" "400 bad_json"
json_post /v1/transactions "{\"user_id\": \"00001\", \"$SPACED\": 1}"
is "a card number (spaced) as a member name: refused" "$STATUS $(jqr .code)" "400 invalid_field"
like "... the detail masks it" "$(jqr .detail)" '\*{4} \*{4} \*{4} \*{4} is not a known field'
pos GET "/v1/transactions/$PAN" 1111111111
is "a card number as a transaction number: unknown" "$STATUS $(jqr .code)" "404 unknown_transaction"
pos POST "/v1/transactions/$PAN/cancel" 1111111111
is "... and to cancel: unknown" "$STATUS $(jqr .code)" "404 unknown_transaction"
pos GET "/v1/transactions/$PAN/x%20${SPACED// /%20}" 1111111111
is "two card numbers in an unknown path: not found" "$STATUS $(jqr .code)" "404 not_found"
api POST /v1/device-auth -H 'Content-Type: application/json' \
  --data "$(jq -cn --arg p "$PAN" '{transaction: $p, user_id: $p, device_id: "1234567", challenge: "c",
    signature: "s", auth_result: {verified_at: "2026-01-01T00:00:00Z", expires_at: "2026-01-01T00:10:00Z"}}')"
check "device-auth with a card number as transaction and user: refused ($STATUS)" test "$STATUS" -ge 400 -a "$STATUS" -lt 500
sleep 0.5   # the request log lines are written after the answer
check "the access log did record those requests (masked)" grep -q '"uri":"/v1/transactions/\[withheld\]/cancel"' "$PAYGW_VAR/log/nginx-access.log"
check "the gateway log did record them (masked)" grep -q '"path":"/v1/transactions/\*\{16\}/cancel"' "$PAYGW_VAR/log/gateway.log"

# --- where a card number must not be -------------------------------------------------
# found_in FILE... → prints the last 4 digits of each demo card found in clear
found_in() {
  local pan form spaced
  for pan in $PANS; do
    spaced=$(sed -E 's/(.{4})/\1 /g; s/ $//' <<<"$pan")
    for form in "$pan" "$spaced" "${spaced// /-}"; do
      if grep -qF -- "$form" "$@" 2>/dev/null; then echo "…${pan: -4}"; break; fi
    done
  done
}

is "no card number in any gateway answer or header" "$(found_in "$ANSWERS" | tr '\n' ' ')" ""
for log in "$PAYGW_VAR"/log/*.log; do
  [[ $(basename "$log") == initdb.log ]] && continue
  is "no card number in $(basename "$log")" "$(found_in "$log" | tr '\n' ' ')" ""
done
DUMP=$FLOW_TMP/dump.sql
PGDUMP=${PAYGW_PGBIN:-/usr/lib/postgresql/15/bin}/pg_dump
[[ -x $PGDUMP ]] || PGDUMP=pg_dump
"$PGDUMP" "$PAYGW_PGURI" >"$DUMP"
check "pg_dump of the whole database worked" test -s "$DUMP"
check "the dump holds both schemas" grep -q 'CREATE TABLE issuer.card_accounts' "$DUMP"
is "no card number in the dump" "$(found_in "$DUMP" | tr '\n' ' ')" ""
check "the dump does hold masked parts (first 6 + last 4 columns)" grep -q '152500' "$DUMP"

done_testing
