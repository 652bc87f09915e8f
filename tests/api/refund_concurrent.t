#!/usr/bin/env bash
# refund_concurrent.t — issue 15: 20 refunds of 100 at once on a payment of
# 1000 (each its own Idempotency-Key): exactly 10 are accepted (201
# completed) and 10 refused 409 refund_exceeds_refundable, because the
# gateway decides each under the payment's lock (SELECT ... FOR UPDATE in
# gateway.do_create_refund); the issuer's balance moves by exactly 1000
# and it holds exactly ten refunds of the payment.
. "$(dirname "$0")/refund_lib.sh"

USER=00002 MERCHANT=2222222222
before=$(issuer_balance "$USER")
paid "$USER" 1000 || echo "# $PAID_ERROR"
is "a completed payment of 1000" "$(txn_status "$MERCHANT" "$TXN")" completed
is "the issuer's balance holds it" "$(issuer_balance "$USER")" "$((before + 1000))"
for i in $(seq 20); do
  ( refund_post "$TXN" 100 "conc-$TXN-$i" >/dev/null
    echo "$STATUS $(jqr '.code // .status')" >"$FLOW_TMP/answer.$i" ) &
done
wait
is "10 accepted and completed, 10 refused refund_exceeds_refundable" \
  "$(cat "$FLOW_TMP"/answer.* | sort | uniq -c | awk '{print $1 " " $2 " " $3}' | paste -sd,)" \
  "10 201 completed,10 409 refund_exceeds_refundable"
is "the gateway holds ten completed refunds of 100" \
  "$(psql_q "SELECT count(*) || ' ' || sum(r.amount) || ' ' || string_agg(DISTINCT r.status, ',')
              FROM gateway.refunds r JOIN gateway.transactions t ON t.id = r.transaction_id
             WHERE t.number = '$TXN'")" "10 1000 completed"
is "the issuer's balance moved by exactly 1000" "$(issuer_balance "$USER")" "$before"
is "the issuer holds ten refunds of 1000 in all" "$(issuer_refunds_of "$TXN")" "10 1000"
is "the issuer's authorization: approved, 1000 refunded" "$(issuer_auth_of "$TXN")" "approved 1000"
pos GET "/v1/transactions/$TXN" "$MERCHANT"
is "the transaction's GET: refunded 1000, refundable 0" "$(jqr .refunded) $(jqr .refundable)" "1000 0"
done_testing
