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

# --- a refund the issuer declines: refund.declined, nothing spent ---------------------
# the issuer's own record says the sale is wholly refunded (moved in SQL), so it
# refuses the next refund with 13 although the gateway still sees 500 left
psql_q "UPDATE issuer.authorizations ia SET refunded = ia.amount FROM gateway.authorizations ga
         JOIN gateway.transactions t ON t.id = ga.transaction_id
        WHERE t.number = '$TXN' AND ia.stan = lpad(ga.stan::text, 6, '0')
          AND ia.transmission_time = ga.transmission_time AND ia.terminal_id = ga.terminal_code" >/dev/null
refund_post "$TXN" 100 "$(refund_key)"
DID=$(jqr .id)
is "the issuer declines it: 201 declined 13 with the reason" \
  "$STATUS $(jqr .status) $(jqr .decline.code) $(jqr '.decline.reason | length > 0') $(jqr .completed_at)" \
  "201 declined 13 true null"
check "the shop received a third request" wh_wait 3
D=$(for n in $(wh_for_txn "$TXN"); do [[ $(wh_body "$n" | jq -r .data.refund) == "$DID" ]] && echo "$n"; done)
is "refund.declined: signed, the refund, nothing given back by it" \
  "$(wh_body "$D" | jq -r '"\(.type) \(.data.status) \(.data.refunded) \(.data.refundable)"') $([[ $(wh_header "$D" webhook-signature) == "$(wh_expected_sig "$D" "$SECRET")" ]] && echo signed)" \
  "refund.declined declined 300 500 signed"
is "and says why, as the refund object does: code 13 and the issuer's reason" \
  "$(wh_body "$D" | jq -c '[.data.response_code, .data.decline.code, (.data.decline.reason | length > 0)]')" '["13","13",true]'
pos GET "/v1/transactions/$TXN/refunds" "$MERCHANT"
is "a declined refund is not spent: refunded 300, refundable 500" "$(jqr .refunded) $(jqr .refundable)" "300 500"
check "no body holds a card number" bash -c "! cat '$WH_DIR'/*.body | grep -qE '[0-9]{13,19}'"
done_testing
