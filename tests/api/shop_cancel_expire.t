#!/usr/bin/env bash
# shop_cancel_expire.t — the shopper cancels an order still awaiting a user
# (the shop alone) and one awaiting the payment (at the gateway first:
# POST /v1/transactions/{n}/cancel); an order left awaiting a user past
# PAYGW_SHOP_ORDER_TTL_S is expired (its expiry moved in SQL here) and takes
# no user ID any more; a canceled order cannot be canceled again.
. "$(dirname "$0")/shop_lib.sh"

rm -f "$JAR"
# --- awaiting_user: canceled by the shop ----------------------------------------------
buy 4:2
form "/shop/orders/$ORDER/cancel" "csrf=$TOKEN"
is "cancel: 303 back to the order" "$STATUS $LOCATION" "303 /shop/orders/$ORDER"
is "the order is canceled, no transaction" "$(shop_row "$ORDER")" "canceled|-|-|-"
shop GET "/shop/orders/$ORDER"
check "order page: canceled, no user form, no cancel form" bash -c \
  'grep -q "data-status=\"canceled\"" <<<"$1" && grep -qE "<form id=\"user-form\" [^>]*hidden>" <<<"$1" && grep -qE "<form id=\"cancel-form\" [^>]*hidden>" <<<"$1"' _ "$BODY"
form "/shop/orders/$ORDER/user" "csrf=$TOKEN" user_id=00001
is "a user ID for the canceled order: no transaction made" "$(shop_row "$ORDER" | cut -d'|' -f1,3)" "canceled|-"
api POST "/shop/api/orders/$ORDER/user" -H 'Content-Type: application/json' --data '{"user_id": "00001"}'
is "the handset API: 409 order_not_awaiting_user" "$STATUS $(jqr .code)" "409 order_not_awaiting_user"

# --- awaiting_payment: canceled at the gateway too -----------------------------------------
buy 5:1
form "/shop/orders/$ORDER/user" "csrf=$TOKEN" user_id=00001
TXN=$(shop_txn "$ORDER")
like "the order has a transaction" "$TXN" '^[0-9A-Z]{16}$'
form "/shop/orders/$ORDER/cancel" "csrf=$TOKEN"
is "cancel: 303" "$STATUS" 303
is "the order is canceled" "$(shop_row "$ORDER" | cut -d'|' -f1)" canceled
is "the gateway's transaction is canceled" "$(psql_q "SELECT status FROM gateway.transactions WHERE number = '$TXN'")" canceled
form "/shop/orders/$ORDER/cancel" "csrf=$TOKEN"
is "a second cancel changes nothing" "$STATUS $(shop_row "$ORDER" | cut -d'|' -f1)" "303 canceled"
# the gateway's payment.canceled webhook comes for it and changes nothing
sleep 1
for i in $(seq 40); do
  [[ $(psql_q "SELECT e.status FROM gateway.webhook_events e JOIN gateway.transactions t ON t.id = e.transaction_id WHERE t.number = '$TXN'") == delivered ]] && break
  sleep 0.25
done
is "the gateway's webhook for it was delivered (2xx)" \
  "$(psql_q "SELECT e.status || ' ' || e.last_http_status FROM gateway.webhook_events e JOIN gateway.transactions t ON t.id = e.transaction_id WHERE t.number = '$TXN'")" \
  "delivered 200"
is "... and the order stays canceled" "$(shop_row "$ORDER" | cut -d'|' -f1)" canceled

# --- expiry ---------------------------------------------------------------------------------
buy 6:1
shop GET "/shop/orders/$ORDER/status"
is "a fresh order awaits a user" "$(jqr .status)" awaiting_user
psql_q "UPDATE shop.orders SET expires_at = now() - interval '1 second' WHERE code = '$ORDER'" >/dev/null
shop GET "/shop/orders/$ORDER"
check "past its time: the page shows it expired" grep -q 'data-status="expired"' <<<"$BODY"
is "the order is expired in the database" "$(shop_row "$ORDER" | cut -d'|' -f1)" expired
api POST "/shop/api/orders/$ORDER/user" -H 'Content-Type: application/json' --data '{"user_id": "00001"}'
is "an expired order takes no user ID: 409" "$STATUS $(jqr .code)" "409 order_not_awaiting_user"
is "... and asked the gateway for nothing" "$(shop_txn "$ORDER")" ""
# an order overdue but never looked at is expired by the user ID's arrival itself
buy 6:1
psql_q "UPDATE shop.orders SET expires_at = now() - interval '1 second' WHERE code = '$ORDER'" >/dev/null
api POST "/shop/api/orders/$ORDER/user" -H 'Content-Type: application/json' --data '{"user_id": "00001"}'
is "overdue, unseen: the handset's user ID is refused 409" "$STATUS $(jqr .code)" "409 order_not_awaiting_user"
is "... and the order is expired" "$(shop_row "$ORDER" | cut -d'|' -f1,3)" "expired|-"
done_testing
