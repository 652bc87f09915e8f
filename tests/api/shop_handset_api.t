#!/usr/bin/env bash
# shop_handset_api.t — POST /shop/api/orders/{CODE}/user, what `handset
# shop` sends (docs/shop.md): {"user_id": "00001"} as application/json
# answers 200 with the order, the transaction and the binding code; the
# same again (a retry) the same 200 and no second transaction; another user
# ID 409 order_has_user; bad bodies 400, an unknown code 404, another
# content type 415, a user ID the gateway does not know 502 with the
# gateway's code (the order keeps awaiting a user, the error on its page).
# Each refusal changes nothing.
. "$(dirname "$0")/shop_lib.sh"

user_api() { api POST "/shop/api/orders/$1/user" -H "Content-Type: ${3:-application/json}" --data-binary "$2"; }
rm -f "$JAR"
buy 2:2
row_before=$(shop_row "$ORDER")
is "a new order awaits a user" "$row_before" "awaiting_user|-|-|-"

# --- refused bodies: 400, nothing changed --------------------------------------------------
for c in 'malformed JSON|{"user_id": "00001"' 'not an object|["00001"]' 'user_id missing|{}' \
         'user_id a number|{"user_id": 1}' 'user_id null|{"user_id": null}' 'user_id empty|{"user_id": ""}' \
         "user_id 33 characters|{\"user_id\": \"$(printf '1%.0s' {1..33})\"}" 'user_id with a space|{"user_id": "0000 1"}' \
         'an unknown member|{"user_id": "00001", "admin": true}' 'a duplicate member|{"user_id": "00001", "user_id": "00002"}'; do
  user_api "$ORDER" "${c#*|}"
  is "${c%%|*}: 400 problem+json" "$STATUS $CTYPE $(jqr .status)" "400 application/problem+json 400"
  like "${c%%|*}: code invalid_json or invalid_field" "$(jqr .code)" '^(invalid_json|invalid_field)$'
done
user_api "$ORDER" '{"user_id": "00001"}' text/plain
is "text/plain: 415 unsupported_media_type" "$STATUS $(jqr .code)" "415 unsupported_media_type"
user_api "$ORDER" 'user_id=00001' application/x-www-form-urlencoded
is "a form body: 415" "$STATUS" 415
is "after the refusals the order is as it was" "$(shop_row "$ORDER")" "$row_before"
user_api 23456789 '{"user_id": "00001"}'
is "an unknown code: 404 unknown_order" "$STATUS $(jqr .code)" "404 unknown_order"
user_api ABCD '{"user_id": "00001"}'
is "no code at all: 404" "$STATUS" 404
n_before=$(psql_q "SELECT count(*) FROM gateway.transactions")

# --- a user ID the gateway does not know: 502 with its code --------------------------------
user_api "$ORDER" '{"user_id": "99999"}'
is "unknown user: 502 gateway_refused" "$STATUS $(jqr .code)" "502 gateway_refused"
is "... with the gateway's code and status" "$(jqr '[.gateway_code, .gateway_status] | join(" ")')" "unknown_user 404"
is "... the order still awaits a user, the error kept for its page" "$(shop_row "$ORDER" | cut -d'|' -f1-3)" "awaiting_user|-|-"
shop GET "/shop/orders/$ORDER"
like "... the order page shows the error" "$(grep -o '<p id="order-error" class="error" >[^<]*' <<<"$BODY")" 'refused user ID 99999'
is "no transaction was made" "$(psql_q "SELECT count(*) FROM gateway.transactions")" "$n_before"

# --- a card number typed where the user ID belongs: refused, never kept or shown ----------------
PAN=$(head -1 <<<"$DEMO_PANS")
user_api "$ORDER" "{\"user_id\": \"$PAN\"}"
is "a card number as user ID: 502 gateway_refused unknown_user" "$STATUS $(jqr .code) $(jqr .gateway_code)" "502 gateway_refused unknown_user"
printf '%s' "$BODY" >"$FLOW_TMP/answer.json"
check "... the answer does not hold it" no_pan "$FLOW_TMP/answer.json"
shop GET "/shop/orders/$ORDER"
printf '%s' "$BODY" >"$FLOW_TMP/page.html"
check "... nor the order page" no_pan "$FLOW_TMP/page.html"
check "... nor the shop's log" no_pan "$PAYGW_VAR/log/shop.log"
is "... nor the order's row" "$(psql_q "SELECT count(*) FROM shop.orders WHERE code = '$ORDER' AND (coalesce(user_id, '') || coalesce(error, '')) LIKE '%$PAN%'")" 0
printf '%s' "$PAN" >"$FLOW_TMP/pan.txt"
check "(the check finds a card number where there is one)" pan_in "$FLOW_TMP/pan.txt"

# --- the user ID: 200, then the same again, then another --------------------------------------
user_api "${ORDER:0:4}-${ORDER:4:4}" '{"user_id": "00001"}'
is "the user ID (code with a dash): 200" "$STATUS $CTYPE" "200 application/json"
first=$BODY
is "the answer: order, status, shop" "$(jqr '[.order, .status, .shop] | join("|")')" "$ORDER|awaiting_payment|paygw demo shop"
TXN=$(jqr .transaction) BINDING=$(jqr .binding_code)
is "the answer's transaction is the order's" "$TXN" "$(shop_txn "$ORDER")"
is "the answer's binding code is the gateway's" "$BINDING" "$(psql_q "SELECT binding_code FROM gateway.transactions WHERE number = '$TXN'")"
is "the answer's totals" "$(jqr '[.total, .tax_total, .currency] | map(tostring) | join(" ")')" "2592 192 JPY"
user_api "${ORDER,,}" '{"user_id": "00001"}'
is "the same again (a retry, the code in lower case): 200" "$STATUS" 200
is "... the same answer" "$BODY" "$first"
is "... and no second transaction" "$(psql_q "SELECT count(*) FROM gateway.transactions WHERE reference = '$ORDER'")" 1
user_api "$ORDER" '{"user_id": "00002"}'
is "another user ID: 409 order_has_user" "$STATUS $(jqr .code)" "409 order_has_user"
is "... the order keeps its user and transaction" "$(shop_row "$ORDER" | cut -d'|' -f1-3)" "awaiting_payment|00001|$TXN"
is "the refused answers name no card" "$(no_pan "$PAYGW_VAR/log/shop.log" && echo clean)" clean
done_testing
