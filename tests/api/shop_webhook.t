#!/usr/bin/env bash
# shop_webhook.t — POST /shop/api/webhooks as the gateway's sender posts it
# (docs/webhooks.md), signed here with the shop's secret the way the
# openssl example of docs/webhooks.md checks it: a forged signature, a
# changed body, a timestamp 10 minutes old or ahead, a missing header are
# 401 and change nothing; a good one moves the order and keeps its receipt;
# the same webhook-id again is 200 and changes nothing; a later event for
# an ended order changes nothing; a body that is no event is 400; a card
# number not masked is never kept.
. "$(dirname "$0")/shop_lib.sh"

event() {  # event TYPE CODE TXN [CARD] → the body
  jq -cn --arg type "$1" --arg ref "$2" --arg n "$3" --arg card "${4:-${USER_CARD[00001]}}" \
    '{type: $type, timestamp: "2026-12-05T00:00:00Z", data: {number: $n, status: "completed", merchant: "2222222222",
      reference: $ref, total: 2592, tax_total: 192, currency: "JPY", method: "I", installments: 3,
      approval_code: "T12345", card_masked: $card, response_code: "00", reason: null,
      completed_at: "2026-12-05T00:00:00Z"}}'
}
ids() { psql_q "SELECT count(*) FROM shop.webhook_ids"; }
new_id() { echo "msg_$(openssl rand -hex 16)"; }

rm -f "$JAR"
buy 2:2
api POST "/shop/api/orders/$ORDER/user" -H 'Content-Type: application/json' --data '{"user_id": "00001"}'
TXN=$(jqr .transaction)
is "the order awaits the payment" "$(shop_row "$ORDER" | cut -d'|' -f1)" awaiting_payment
BODY_OK=$(event payment.completed "$ORDER" "$TXN")
NOW=$(date +%s) ID=$(new_id)
before="$(shop_row "$ORDER") $(ids)"

# --- refused: 401, nothing changed -----------------------------------------------------------
webhook "$ID" "$NOW" "$BODY_OK" "v1,$(printf 'forged' | base64)"
is "a forged signature: 401 webhook_refused (problem+json)" "$STATUS $CTYPE $(jqr .code)" "401 application/problem+json webhook_refused"
webhook "$ID" "$NOW" "${BODY_OK/T12345/T99999}" "$(sign_webhook "$ID" "$NOW" "$BODY_OK")"
is "a body changed after signing: 401" "$STATUS" 401
webhook "$ID" "$((NOW - 600))" "$BODY_OK"
is "a timestamp 10 minutes old, rightly signed: 401" "$STATUS $(jqr .detail)" "401 webhook refused: too_old"
webhook "$ID" "$((NOW + 600))" "$BODY_OK"
is "a timestamp 10 minutes ahead: 401" "$STATUS $(jqr .detail)" "401 webhook refused: too_new"
api POST /shop/api/webhooks -H 'Content-Type: application/json' -H "webhook-timestamp: $NOW" \
  -H "webhook-signature: $(sign_webhook "$ID" "$NOW" "$BODY_OK")" --data-binary "$BODY_OK"
is "no webhook-id: 401" "$STATUS" 401
api POST /shop/api/webhooks -H 'Content-Type: application/json' --data-binary "$BODY_OK"
is "no headers at all: 401" "$STATUS" 401
other_secret="whsec_$(openssl rand -base64 32)"
SHOP_SECRET_SAVED=$SHOP_SECRET SHOP_SECRET=$other_secret
webhook "$ID" "$NOW" "$BODY_OK"
SHOP_SECRET=$SHOP_SECRET_SAVED
is "signed with another secret: 401" "$STATUS" 401
is "after the refusals: the order and the ids seen unchanged" "$(shop_row "$ORDER") $(ids)" "$before"

# --- a good one ---------------------------------------------------------------------------------
webhook "$ID" "$NOW" "$BODY_OK"
is "a good webhook: 200, the order moved" "$STATUS $(jqr .handled) $(jqr .state)" "200 moved paid"
is "the order is paid with the event's receipt" \
  "$(psql_q "SELECT concat_ws(' ', state, method, installments, approval_code, card_masked, response_code) FROM shop.orders WHERE code = '$ORDER'")" \
  "paid I 3 T12345 ${USER_CARD[00001]} 00"
shop GET "/shop/orders/$ORDER"
is "the receipt: installments (3)" "$(grep -o '<dd id="receipt-method">[^<]*' <<<"$BODY" | sed 's/.*>//')" "installments (3)"
after="$(shop_row "$ORDER") $(ids)"
webhook "$ID" "$((NOW + 1))" "$(event payment.declined "$ORDER" "$TXN")"
is "the same webhook-id again (other body, rightly signed): 200 repeated" "$STATUS $(jqr .handled)" "200 repeated"
is "... nothing changed" "$(shop_row "$ORDER") $(ids)" "$after"
webhook "$(new_id)" "$NOW" "$(event payment.declined "$ORDER" "$TXN")"
is "another id for the ended order: 200 unchanged" "$STATUS $(jqr .handled) $(jqr .state)" "200 unchanged paid"
is "... still paid" "$(shop_row "$ORDER" | cut -d'|' -f1)" paid

# --- bodies that are no order's event ------------------------------------------------------------
I2=$(new_id)
webhook "$I2" "$NOW" 'not json'
is "rightly signed, not JSON: 400" "$STATUS $(jqr .code)" "400 invalid_json"
webhook "$I2" "$NOW" '{"type": "payment.completed", "data": {}}'
is "rightly signed, no number or reference: 400" "$STATUS" 400
webhook "$I2" "$NOW" "$(event payment.refunded "$ORDER" "$TXN")"
is "an event type the shop does not know: 200, ignored" "$STATUS $(jqr .handled)" "200 ignored"
webhook "$(new_id)" "$NOW" "$(event payment.completed "pos-sale-17" "$TXN")"
is "another terminal's reference: 200, ignored" "$STATUS $(jqr .handled)" "200 ignored"

# --- a card number that is not masked is not kept -----------------------------------------------------
buy 2:2
api POST "/shop/api/orders/$ORDER/user" -H 'Content-Type: application/json' --data '{"user_id": "00001"}'
TXN=$(jqr .transaction)
PAN=$(head -1 <<<"$DEMO_PANS")
webhook "$(new_id)" "$NOW" "$(event payment.completed "$ORDER" "$TXN" "$PAN")"
is "an event with a clear card number: 200, the order moved" "$STATUS $(jqr .state)" "200 paid"
is "... the card not kept" "$(psql_q "SELECT coalesce(card_masked, 'none') FROM shop.orders WHERE code = '$ORDER'")" none
shop GET "/shop/orders/$ORDER"
printf '%s' "$BODY" >"$FLOW_TMP/page.html"
check "... nor shown" no_pan "$FLOW_TMP/page.html"
printf '%s' "$PAN" >"$FLOW_TMP/pan.txt"
check "(the check finds a card number where there is one)" pan_in "$FLOW_TMP/pan.txt"
check "no card number in the shop's log" no_pan "$PAYGW_VAR/log/shop.log"
done_testing
