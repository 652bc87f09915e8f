#!/usr/bin/env bash
# refund_bad_input.t — issue 15: every refusal of the refund endpoints, each
# a problem+json answer that changes nothing (no refund row, no
# Idempotency-Key kept, the payment's refundable unchanged): a declined,
# canceled, expired or waiting transaction 409 wrong_state; another
# merchant's payment (or an unknown number) 404 unknown_transaction; an
# unknown, malformed or other payment's refund ID 404 unknown_refund;
# malformed JSON, missing, wrong-type, out-of-range and unknown members,
# an oversized body, another content type; no or a malformed
# Idempotency-Key; wrong credentials.
. "$(dirname "$0")/refund_lib.sh"

OTHER=2222222222
# state → refund rows, Idempotency-Keys kept and the payment's refunds, in one query;
# nothing_changed WHAT: as at the last snapshot
state() {
  psql_q "SELECT (SELECT count(*) FROM gateway.refunds) || ' ' || (SELECT count(*) FROM gateway.idempotency_keys) || ' '
                 || coalesce((SELECT string_agg(r.kind || ':' || r.amount || ':' || r.status, ' ' ORDER BY r.id)
                                FROM gateway.refunds r JOIN gateway.transactions t ON t.id = r.transaction_id
                               WHERE t.number = '$PAID'), '')"
}
snapshot() { SNAP=$(state); }
nothing_changed() { is "$1: nothing changed" "$(state)" "$SNAP"; }
refused() {   # refused WHAT STATUS CODE
  is "$1: $2 $3" "$STATUS $(jqr .code)" "$2 $3"
  is "$1: problem+json" "$CTYPE" application/problem+json
  nothing_changed "$1"
}
raw_post() {  # raw_post NUMBER BODY [curl args] (with a fresh key)
  local n=$1 b=$2; shift 2
  pos POST "/v1/transactions/$n/refunds" "$MERCHANT" -H "Idempotency-Key: $(refund_key)" "$@" --data "$b"
}
json_post() { local n=$1 b=$2; shift 2; raw_post "$n" "$b" -H 'Content-Type: application/json' "$@"; }

paid 00001 1000 || echo "# $PAID_ERROR"
PAID=$TXN
refund_post "$PAID" 100 "$(refund_key)"
is "a refund of 100 to look up later: 201" "$STATUS" 201
RID=$(jqr .id)
snapshot

# --- wrong state ----------------------------------------------------------------
flow_to chosen "$MERCHANT" 00008 500 L   # card unknown to the issuer: declined 14
is "a declined payment" "$(txn_status "$MERCHANT" "$TXN")" declined
refund_post "$TXN" 100 "$(refund_key)"
refused "refund of a declined payment" 409 wrong_state
is "... says the transaction's status" "$(jqr .transaction_status)" declined
txn_create "$MERCHANT" 00004 500
refund_post "$TXN" 100 "$(refund_key)"
refused "refund of a payment awaiting the device" 409 wrong_state
pos POST "/v1/transactions/$TXN/cancel" "$MERCHANT"
refund_post "$TXN" 100 "$(refund_key)"
refused "refund of a canceled payment" 409 wrong_state
is "... canceled" "$(jqr .transaction_status)" canceled
txn_create "$MERCHANT" 00004 500
psql_q "UPDATE gateway.transactions SET deadline = now() - interval '1 second' WHERE number = '$TXN'" >/dev/null
refund_post "$TXN" 100 "$(refund_key)"
refused "refund of an expired payment" 409 wrong_state
is "... expired" "$(jqr .transaction_status)" expired
pos GET "/v1/transactions/$TXN" "$MERCHANT"
is "a payment that is not completed has refundable 0" "$(jqr .refunded) $(jqr .refundable)" "0 0"

# --- whose ------------------------------------------------------------------------
refund_post "$PAID" 100 "$(refund_key)" "" "$OTHER"
refused "another merchant's payment" 404 unknown_transaction
pos GET "/v1/transactions/$PAID/refunds" "$OTHER"
is "GET .../refunds of another merchant's payment: 404 unknown_transaction" "$STATUS $(jqr .code)" \
  "404 unknown_transaction"
pos GET "/v1/transactions/$PAID/refunds/$RID" "$OTHER"
is "GET .../refunds/{id} of another merchant's payment: 404 unknown_transaction" "$STATUS $(jqr .code)" \
  "404 unknown_transaction"
refund_post ZZZZZZZZZZZZZZZZ 100 "$(refund_key)"
refused "an unknown number" 404 unknown_transaction
pos GET "/v1/transactions/$PAID/refunds/rf_AAAAAAAAAAAAAAAAAAAAAA" "$MERCHANT"
is "an unknown refund ID: 404 unknown_refund" "$STATUS $(jqr .code)" "404 unknown_refund"
pos GET "/v1/transactions/$PAID/refunds/rf_short" "$MERCHANT"
is "a malformed refund ID: 404 unknown_refund" "$STATUS $(jqr .code)" "404 unknown_refund"
paid 00001 500 || echo "# $PAID_ERROR"
pos GET "/v1/transactions/$TXN/refunds/$RID" "$MERCHANT"
is "another payment's refund ID: 404 unknown_refund" "$STATUS $(jqr .code)" "404 unknown_refund"
snapshot
api POST "/v1/transactions/$PAID/refunds" -H 'Authorization: Bearer wrongwrongwrongwrongwrongwrongwrongwrong' \
  -H 'Content-Type: application/json' -H "Idempotency-Key: $(refund_key)" --data '{"amount": 100}'
refused "wrong credentials" 401 unauthenticated
api GET "/v1/transactions/$PAID/refunds"
is "GET .../refunds without credentials: 401" "$STATUS $(jqr .code)" "401 unauthenticated"

# --- bodies ---------------------------------------------------------------------------
json_post "$PAID" '{"amount": 100';                    refused "malformed JSON" 400 bad_json
json_post "$PAID" '[100]';                             refused "a JSON array" 400 bad_json
json_post "$PAID" '{}';                                refused "no amount" 400 invalid_field
json_post "$PAID" '{"amount": "100"}';                 refused "amount as a string" 400 invalid_field
json_post "$PAID" '{"amount": 1.5}';                   refused "amount not whole" 400 invalid_field
json_post "$PAID" '{"amount": 0}';                     refused "amount 0" 400 invalid_field
json_post "$PAID" '{"amount": -5}';                    refused "a negative amount" 400 invalid_field
json_post "$PAID" '{"amount": 1000000000000}';         refused "amount over 999999999999" 400 invalid_field
json_post "$PAID" '{"amount": 100, "reason": 5}';      refused "reason not text" 400 invalid_field
json_post "$PAID" '{"amount": 100, "reason": ""}';     refused "an empty reason" 400 invalid_field
json_post "$PAID" "{\"amount\": 100, \"reason\": \"$(printf 'x%.0s' $(seq 201))\"}"
refused "a reason of 201 characters" 400 invalid_field
json_post "$PAID" '{"amount": 100, "reason": "a\u0001b"}'; refused "a control character in the reason" 400 invalid_field
json_post "$PAID" '{"amount": 100, "currency": "JPY"}'; refused "an unknown member" 400 invalid_field
json_post "$PAID" "{\"amount\": 100, \"reason\": \"$(head -c 20000 /dev/zero | tr '\0' x)\"}"
refused "a body over 16 KiB" 413 body_too_large
raw_post "$PAID" '{"amount": 100}' -H 'Content-Type: text/plain'; refused "text/plain" 415 unsupported_media_type
pos POST "/v1/transactions/$PAID/refunds" "$MERCHANT" -H 'Content-Type: application/json' --data '{"amount": 100}'
refused "no Idempotency-Key" 400 invalid_field
pos POST "/v1/transactions/$PAID/refunds" "$MERCHANT" -H 'Content-Type: application/json' \
  -H 'Idempotency-Key: not a key!' --data '{"amount": 100}'
refused "a malformed Idempotency-Key" 400 invalid_field
pos GET "/v1/transactions/$PAID/refunds/$RID?wait=x" "$MERCHANT"
is "?wait= not a number: 400 invalid_field" "$STATUS $(jqr .code)" "400 invalid_field"
pos GET "/v1/transactions/$PAID/refunds" "$MERCHANT"
is "the payment still has its one refund: refunded 100, refundable 900" \
  "$(jqr .refunded) $(jqr .refundable) $(jq '.refunds | length' <<<"$BODY")" "100 900 1"
check "no answer carried a card number" bash -c "! grep -qE '[0-9]{13,19}' <<<'$BODY'"
done_testing
