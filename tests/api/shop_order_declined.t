#!/usr/bin/env bash
# shop_order_declined.t — an order the issuer declines: user 00007 has a
# limit of 1,000 yen (lib/common/demo_data.h), the order is 2,750; the
# handset's side runs to the method, the gateway's webhook makes the order
# declined, and the page shows no receipt.  The handset not agreeing ends
# another order canceled.
. "$(dirname "$0")/shop_lib.sh"

rm -f "$JAR"
buy 10:1                                       # umbrella 2500 + 250
like "checkout: an order" "$ORDER" '^[2-9A-HJKMNP-Z]{8}$'
form "/shop/orders/$ORDER/user" "csrf=$TOKEN" user_id=00007
is "user form: 303 back to the order" "$STATUS $LOCATION" "303 /shop/orders/$ORDER"
TXN=$(shop_txn "$ORDER")
like "the order has a transaction" "$TXN" '^[0-9A-Z]{16}$'
handset_pays 00007 "$TXN" true L
is "handset: declined, over the limit (51)" "$STATUS $(jqr .status) $(jqr .decline.code)" "200 declined 51"
check "the webhook made the order declined (within 30 s)" wait_order "$ORDER" declined 30
shop GET "/shop/orders/$ORDER"
check "order page: declined" grep -q 'id="order-status" data-status="declined"' <<<"$BODY"
check "order page: no receipt" grep -qE '<section id="receipt" hidden>' <<<"$BODY"
check "order page: no cancel form" grep -qE '<form id="cancel-form" [^>]*hidden>' <<<"$BODY"
is "the order keeps the issuer's code, no approval, no card" \
  "$(psql_q "SELECT concat_ws(' ', state, response_code, coalesce(approval_code, '-'), coalesce(card_masked, '-')) FROM shop.orders WHERE code = '$ORDER'")" \
  "declined 51 - ${USER_CARD[00007]}"
shop GET "/shop/orders/$ORDER/status"
is "status JSON: declined, no receipt" "$(jqr '[.status, (.receipt | tostring)] | join(" ")')" "declined null"
api POST "/shop/api/orders/$ORDER/user" -H 'Content-Type: application/json' --data '{"user_id": "00001"}'
is "a user ID for the declined order: 409 order_has_user" "$STATUS $(jqr .code)" "409 order_has_user"

# --- the shopper does not agree on the handset ----------------------------------------
buy 2:1
form "/shop/orders/$ORDER/user" "csrf=$TOKEN" user_id=00001
TXN=$(shop_txn "$ORDER")
handset_pays 00001 "$TXN" false
is "handset: not agreed" "$STATUS $(jqr .status)" "200 canceled"
check "the webhook made the order canceled (within 30 s)" wait_order "$ORDER" canceled 30
check "no card number in the shop's log" no_pan "$PAYGW_VAR/log/shop.log"
done_testing
