#!/usr/bin/env bash
# refund_void.t — issue 15: a refund of the whole amount the same day before
# the cut-off is a void: the reversal (0400) of the original authorization,
# the credit server's balance back where it was, the authorization reversed
# and the sale gone from figure 24D (issuer.merchant_sales); after the
# cut-off the same request is a refund (0220): the balance comes back too,
# the sale stays and a refund row of -amount nets it out.  The workers run
# with a cut-off set for the test (PAYGW_CUTOFF_TZ / PAYGW_CUTOFF_TIME) and
# are put back at the end.
. "$(dirname "$0")/refund_lib.sh"

trap 'void_window_off; flow_cleanup' EXIT
USER=00001 AMOUNT=$((1000 + RANDOM % 500))

# --- same day, before the cut-off: a void ---------------------------------------
void_window_on
before=$(issuer_balance "$USER")
paid "$USER" "$AMOUNT" || echo "# $PAID_ERROR"
is "a completed payment to void" "$(txn_status "$MERCHANT" "$TXN")" completed
is "the issuer's balance holds the sale" "$(issuer_balance "$USER")" "$((before + AMOUNT))"
is "figure 24D shows the sale" "$(sales_of "$TXN")" "sale:$AMOUNT"
refund_post "$TXN" "$AMOUNT" "$(refund_key)" "changed mind"
is "POST .../refunds of the whole amount answers 201" "$STATUS" 201
is "... a void" "$(jqr .kind)" void
is "... completed at once (the issuer answered)" "$(jqr .status)" completed
is "... response code 00" "$(jqr .response_code)" 00
like "... an rf_ ID" "$(jqr .id)" '^rf_[A-Za-z0-9_-]{22}$'
is "... the amount, currency and reason" "$(jqr '"\(.amount) \(.currency) \(.reason)"')" "$AMOUNT JPY changed mind"
like "... a completed_at" "$(jqr .completed_at)" '^20[0-9-]{8}T[0-9:]{8}Z$'
is "the gateway's row: void, completed" "$(gw_refunds "$TXN")" "void:$AMOUNT:completed"
is "the void was sent under the original's STAN and time" \
  "$(psql_q "SELECT r.stan = a.stan AND r.transmission_time = a.transmission_time FROM gateway.refunds r
              JOIN gateway.authorizations a ON a.transaction_id = r.transaction_id
              JOIN gateway.transactions t ON t.id = r.transaction_id WHERE t.number = '$TXN'")" t
is "the issuer's balance is back" "$(issuer_balance "$USER")" "$before"
is "the issuer's authorization is reversed" "$(issuer_auth_of "$TXN" | cut -d' ' -f1)" reversed
is "figure 24D: the sale is gone, no refund row" "$(sales_of "$TXN")" ""
pos GET "/v1/transactions/$TXN" "$MERCHANT"
is "the transaction's GET: refunded the whole, refundable 0" "$(jqr '"\(.refunded) \(.refundable) \(.status)"')" \
  "$AMOUNT 0 completed"
refund_post "$TXN" 1 "$(refund_key)"
is "one unit more: 409 refund_exceeds_refundable" "$STATUS $(jqr .code) $(jqr .refundable)" \
  "409 refund_exceeds_refundable 0"

# --- after the cut-off: the whole amount is a refund -------------------------------
PAYGW_CUTOFF_TIME=00:00 "$TEST_ROOT/scripts/stack" gateway-restart >/dev/null   # nothing is before 00:00
before=$(issuer_balance "$USER")
paid "$USER" "$AMOUNT" || echo "# $PAID_ERROR"
refund_post "$TXN" "$AMOUNT" "$(refund_key)"
is "past the cut-off the whole amount answers 201" "$STATUS" 201
is "... a refund, completed" "$(jqr '"\(.kind) \(.status)"')" "refund completed"
is "the gateway's row: refund, completed, its own STAN" \
  "$(psql_q "SELECT r.kind || ' ' || r.status || ' ' || (r.stan <> a.stan) FROM gateway.refunds r
              JOIN gateway.authorizations a ON a.transaction_id = r.transaction_id
              JOIN gateway.transactions t ON t.id = r.transaction_id WHERE t.number = '$TXN'")" "refund completed true"
is "the issuer's balance is back" "$(issuer_balance "$USER")" "$before"
is "the issuer's authorization stays approved, wholly refunded" "$(issuer_auth_of "$TXN")" "approved $AMOUNT"
is "the issuer holds one refund of the amount" "$(issuer_refunds_of "$TXN")" "1 $AMOUNT"
is "figure 24D: the sale and a refund row netting it out" "$(sales_of "$TXN")" "sale:$AMOUNT refund:-$AMOUNT"
done_testing
