#!/usr/bin/env bash
# refund_webhook.t — issue 15: a refund's end reaches the merchant's shop as
# a signed webhook of its own (docs/webhooks.md "refund.*"), beside the
# payment's: a payment completed and then partly refunded gives the shop
# payment.completed and refund.completed (one each, same signing), whose
# body names the refund, its payment, kind, amount and what the payment has
# given back and has left; the queue holds one payment event for the
# transaction and one per refund.
. "$(dirname "$0")/webhook_lib.sh"
. "$(dirname "$0")/refund_lib.sh"
trap wh_cleanup EXIT

check "a merchant of the test's own, with a terminal and the issuer's side" wh_merchant
check "the shop's endpoint listens on 127.0.0.1:$WH_PORT" wh_receiver_start
SECRET=$("$PAYGW_ADMIN" merchant webhook set --code "$WH_MERCHANT" --url "$WH_URL" 2>/dev/null)
like "the merchant has a webhook URL and secret" "$SECRET" '^whsec_'
MERCHANT=$WH_MERCHANT
paid 00001 800 || echo "# $PAID_ERROR"
is "a completed payment of 800" "$(txn_status "$MERCHANT" "$TXN")" completed
refund_post "$TXN" 300 "$(refund_key)" "one item back"
RID=$(jqr .id)
is "a refund of 300: 201 completed" "$STATUS $(jqr .status)" "201 completed"
check "the shop received two requests" wh_wait 2
reqs=$(wh_for_txn "$TXN" | paste -sd' ')
is "both name the payment" "$(wc -w <<<"$reqs")" 2
for n in $reqs; do
  type=$(wh_body "$n" | jq -r .type)
  is "$type: the signature verifies with the secret" "$(wh_header "$n" webhook-signature)" "$(wh_expected_sig "$n" "$SECRET")"
  [[ $type == refund.completed ]] && R=$n
done
is "the events are payment.completed and refund.completed" \
  "$(for n in $reqs; do wh_body "$n" | jq -r .type; done | sort | paste -sd,)" "payment.completed,refund.completed"
is "refund.completed's body" \
  "$(wh_body "$R" | jq -c '.data | [.refund, .number, .merchant, .reference, .kind, .amount, .currency, .status, .refunded, .refundable, .reason]')" \
  "$(jq -cn --arg r "$RID" --arg t "$TXN" --arg m "$MERCHANT" \
     '[$r, $t, $m, "flowtest", "refund", 300, "JPY", "completed", 300, 500, "one item back"]')"
like "... with completed_at" "$(wh_body "$R" | jq -r .data.completed_at)" '^20[0-9-]{8}T[0-9:]{8}Z$'
is "the queue: one payment event and one refund event, both delivered" \
  "$(psql_q "SELECT string_agg(e.event_type || ':' || e.status || ':' || (e.refund_id IS NOT NULL), ',' ORDER BY e.id)
              FROM gateway.webhook_events e JOIN gateway.transactions t ON t.id = e.transaction_id
             WHERE t.number = '$TXN'")" "payment.completed:delivered:false,refund.completed:delivered:true"
check "no body holds a card number" bash -c "! cat '$WH_DIR'/*.body | grep -qE '[0-9]{13,19}'"
done_testing
