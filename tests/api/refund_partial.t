#!/usr/bin/env bash
# refund_partial.t — issue 15: three partial refunds adding up to the
# payment (each a 0220 of its own, completed; the credit server's balance
# and figure 24D after each), then a fourth refused 409
# refund_exceeds_refundable; on another payment an amount above what is
# left refused with nothing changed; the same Idempotency-Key retried gives
# the same refund (Idempotency-Replayed) and with another body 409; the
# GETs (list, one, the transaction's refunded/refundable); the handset's
# signed `refund` message in the mailbox.
. "$(dirname "$0")/refund_lib.sh"

USER=00001 DEV=${USER_DEVICE[00001]}
before=$(issuer_balance "$USER")
paid "$USER" 1000 || echo "# $PAID_ERROR"
is "a completed payment of 1000" "$(txn_status "$MERCHANT" "$TXN")" completed
ids=()
left=1000
for amount in 200 300 500; do
  refund_post "$TXN" "$amount" "$(refund_key)" "part $amount"
  left=$((left - amount))
  is "refund of $amount: 201 refund completed" "$STATUS $(jqr .kind) $(jqr .status)" "201 refund completed"
  ids+=("$(jqr .id)")
  is "... the issuer's balance is down by it" "$(issuer_balance "$USER")" "$((before + left))"
done
is "the gateway's rows" "$(gw_refunds "$TXN")" "refund:200:completed refund:300:completed refund:500:completed"
is "the issuer holds three refunds of 1000 in all" "$(issuer_refunds_of "$TXN")" "3 1000"
is "the issuer's authorization: approved, 1000 refunded" "$(issuer_auth_of "$TXN")" "approved 1000"
is "figure 24D: the sale and three refund rows" "$(sales_of "$TXN")" "sale:1000 refund:-200 refund:-300 refund:-500"
rows=$(gw_refund_count) keys=$(psql_q "SELECT count(*) FROM gateway.idempotency_keys")
refund_post "$TXN" 1 "$(refund_key)"
is "a fourth refund: 409 refund_exceeds_refundable, refundable 0" "$STATUS $(jqr .code) $(jqr .refundable)" \
  "409 refund_exceeds_refundable 0"
is "... no row, no key kept" "$(gw_refund_count) $(psql_q "SELECT count(*) FROM gateway.idempotency_keys")" "$rows $keys"
is "... the issuer's balance does not move" "$(issuer_balance "$USER")" "$before"

# --- the reads ------------------------------------------------------------------
pos GET "/v1/transactions/$TXN/refunds" "$MERCHANT"
is "GET .../refunds: 200, refunded 1000, refundable 0" "$STATUS $(jqr .refunded) $(jqr .refundable)" "200 1000 0"
is "... the three, oldest first" "$(jq -c '[.refunds[] | [.id, .amount, .status, .reason]]' <<<"$BODY")" \
  "$(jq -cn --arg a "${ids[0]}" --arg b "${ids[1]}" --arg c "${ids[2]}" \
     '[[$a, 200, "completed", "part 200"], [$b, 300, "completed", "part 300"], [$c, 500, "completed", "part 500"]]')"
pos GET "/v1/transactions/$TXN/refunds/${ids[1]}" "$MERCHANT"
is "GET .../refunds/{id}: 200 the second" "$STATUS $(jqr .id) $(jqr .amount) $(jqr .transaction)" \
  "200 ${ids[1]} 300 $TXN"
start=$(now_ms)
pos GET "/v1/transactions/$TXN/refunds/${ids[1]}?wait=3" "$MERCHANT"
between "... ?wait= on a completed refund answers at once (ms)" "$(($(now_ms) - start))" 0 1500
pos GET "/v1/transactions/$TXN" "$MERCHANT"
is "the transaction's GET: refunded 1000, refundable 0" "$(jqr .refunded) $(jqr .refundable)" "1000 0"

# --- the handset's mailbox: one signed refund message per completed refund --------
mailbox_find "$DEV" "$TXN" refund
is "the handset's refund message verifies with the gateway's message key" "$MSG_VERIFIED" true
is "... names the refund, its kind, amount and the payment" \
  "$(msg_field '"\(.refund) \(.refund_kind) \(.amount) \(.currency) \(.total) \(.merchant) \(.user_id)"')" \
  "${ids[0]} refund 200 JPY 1000 $MERCHANT $USER"
is "the refund messages say what was given back so far" \
  "$(jq -r --arg t "$TXN" 'select(.message.kind == "refund" and .message.transaction == $t and .verified == true)
        | .message.refunded' "$FLOW_TMP/mbox.$DEV" | sort -n | paste -sd' ')" "200 500 1000"

# --- above what is left: nothing changes ------------------------------------------
paid "$USER" 1000 || echo "# $PAID_ERROR"
refund_post "$TXN" 600 "$(refund_key)"
is "600 of 1000: 201 completed" "$STATUS $(jqr .status)" "201 completed"
balance=$(issuer_balance "$USER") rows=$(gw_refund_count)
refund_post "$TXN" 401 "$(refund_key)"
is "401 when 400 is left: 409 refund_exceeds_refundable, refundable 400" "$STATUS $(jqr .code) $(jqr .refundable)" \
  "409 refund_exceeds_refundable 400"
is "... problem+json" "$CTYPE" application/problem+json
is "... nothing recorded, the balance unmoved" "$(gw_refund_count) $(issuer_balance "$USER")" "$rows $balance"

# --- the same Idempotency-Key ------------------------------------------------------
key=$(refund_key)
refund_post "$TXN" 100 "$key" "first"
first_id=$(jqr .id)
is "a refund of 100 with a key: 201, no Idempotency-Replayed" "$STATUS $(replayed_header)" "201 0"
balance=$(issuer_balance "$USER")
refund_post "$TXN" 100 "$key" "first"
is "the same key and body again: 201, Idempotency-Replayed, the same refund" \
  "$STATUS $(replayed_header) $(jqr .id) $(jqr .status)" "201 1 $first_id completed"
is "... one refund at the gateway, the issuer's balance unmoved" \
  "$(gw_refunds "$TXN") $(issuer_balance "$USER")" "refund:600:completed refund:100:completed $balance"
refund_post "$TXN" 200 "$key" "first"
is "the same key with another body: 409 idempotency_conflict" "$STATUS $(jqr .code)" "409 idempotency_conflict"
refund_post "$TXN" 100 -
is "no Idempotency-Key: 400 invalid_field" "$STATUS $(jqr .code)" "400 invalid_field"
is "... nothing recorded" "$(gw_refunds "$TXN")" "refund:600:completed refund:100:completed"
pos GET "/v1/transactions/$TXN/refunds" "$MERCHANT"
is "GET .../refunds: refunded 700, refundable 300" "$(jqr .refunded) $(jqr .refundable)" "700 300"

# --- any terminal of the payment's merchant ------------------------------------------
T2=r$(unique_tag)
check "a second terminal of the merchant" enrol_terminal "$MERCHANT" "$T2"
refund_post "$TXN" 300 "$(refund_key)" "at the other till" "$T2"
is "the other terminal refunds the rest: 201 completed" "$STATUS $(jqr .status)" "201 completed"
pos GET "/v1/transactions/$TXN/refunds" "$T2"
is "... and reads all of them: refunded 1000, refundable 0, three refunds" \
  "$(jqr .refunded) $(jqr .refundable) $(jq '.refunds | length' <<<"$BODY")" "1000 0 3"
is "the row names the terminal that asked" \
  "$(psql_q "SELECT tm.code FROM gateway.refunds r JOIN gateway.terminals tm ON tm.id = r.terminal_id
              WHERE r.refund_id = '$(jqr '.refunds[2].id')'")" "$T2"
done_testing
