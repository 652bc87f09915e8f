#!/usr/bin/env bash
# handset_shop_pay.t — [0119]: the handset sends the user ID to an online
# shop instead of a POS.  `handset shop URL` authenticates user 00001 as
# `pay` does, sends exactly {"user_id": "00001"} to the shop's handset API
# over HTTPS (the shop: fake_shop.py, which asks the real gateway for the
# transaction), shows the shop's name, total and binding code, and runs the
# payment to its end: the gateway's transaction for the order completes.  It
# pays that transaction only: an older payment command for another user of
# the handset is ignored and left waiting.  Then `handset shop CODE` (any
# case, with a dash) with the shop from PAYGW_SHOP_URL, and --shop over it.
. "$(dirname "$0")/handset_shop_lib.sh"
STORE=$(store_copy 1234567 h1)
check "the fake shop listens on base + 13" shop_start
issuer_auths() { psql_q "SELECT count(*) FROM issuer.authorizations"; }
before=$(issuer_auths)

# an older sale for user 00004 (same handset), left waiting in the mailbox
CRED=$(env_get "$PAYGW_VAR/demo/terminals.env" PAYGW_TERMINAL_1111111111)
OLD=$(curl -sS --cacert "$PAYGW_CA" -X POST -H "Authorization: Bearer $CRED" -H 'Content-Type: application/json' \
  --data '{"user_id": "00004", "currency": "JPY", "items": [{"name": "Older sale", "quantity": 1, "unit_price": 300, "tax": 0}]}' \
  "$PAYGW_URL/v1/transactions" | jq -r '.transaction // empty')
check "an older transaction for user 00004 waits for the handset" test -n "$OLD"

C1=$(order_code); shop_order "$C1"
PAYGW_HANDSET_PASSWORD=demo-pass-00001 "$HANDSET" --store "$STORE" shop --user 00001 --agree --method L \
  "$SHOP_URL/pay/$C1" >"$CT/shop1.out" 2>&1
is "shop URL: exit status 0" "$?" 0
is "shop URL: one request reached the shop" "$(shop_requests)" 1
is "shop URL: POST /shop/api/orders/CODE/user" "$(shop_request 1 '.method + " " + .path')" "POST /shop/api/orders/$C1/user"
is "shop URL: Content-Type application/json" "$(shop_request 1 .content_type)" "application/json"
is "shop URL: the body is exactly the user ID" "$(shop_request 1 '.body | fromjson | tojson')" '{"user_id":"00001"}'
check "shop URL: authenticated first" grep -q "^Authenticated: user ID 00001 (Card A), valid until " "$CT/shop1.out"
check "shop URL: says the user ID was sent to the shop" grep -q "^User ID 00001 sent to the shop.$" "$CT/shop1.out"
check "shop URL: shows the shop's name" grep -q "^Shop: Fake shop (tests)$" "$CT/shop1.out"
check "shop URL: shows the order and its total" grep -q "^Order ${C1:0:4}-${C1:4}: total 3,456 JPY (tax 256 JPY)$" "$CT/shop1.out"
N=$(order_txn "$C1")
check "gateway: the shop's transaction (reference = order code)" test -n "$N"
BC=$(psql_q "SELECT binding_code FROM gateway.transactions WHERE number = '$N'")
check "shop URL: shows the gateway's binding code" grep -q "^Binding code: $BC " "$CT/shop1.out"
check "shop URL: ran the payment application for it" grep -q "^Payment command for user ID 00001: transaction $N, binding code $BC" "$CT/shop1.out"
check "shop URL: the details (fig 16)" grep -q "Total:         3,456 JPY" "$CT/shop1.out"
check "shop URL: Payment has now been completed." grep -q "^Payment has now been completed.$" "$CT/shop1.out"
is "gateway: the order's transaction completed" "$(txn_status "$N")" completed
code=$(psql_q "SELECT approval_code FROM gateway.transactions WHERE number = '$N'")
is "credit server: one new authorization, this one" "$(issuer_auths) $(psql_q "SELECT count(*) FROM issuer.authorizations WHERE approval_code = '$code' AND amount = 3456")" "$((before + 1)) 1"
check "shop URL: the older command was ignored, not paid" grep -q "^Ignored a payment command for transaction $OLD: this run pays transaction $N only.$" "$CT/shop1.out"
is "gateway: the older transaction still waits" "$(txn_status "$OLD")" awaiting_device
is "the store holds the auth result for 00001" "$(jq -r '[.auth_results[] | select(.user_id == "00001")] | length' "$STORE")" 1

# --- the order code alone, the shop from PAYGW_SHOP_URL (as stack.env has it) ---
C2=$(order_code); shop_order "$C2"
lower=${C2,,}
PAYGW_SHOP_URL=$SHOP_URL/ PAYGW_HANDSET_PASSWORD=demo-pass-00005 "$HANDSET" --store "$STORE" shop --user 00005 \
  --agree --method I --installments 3 "${lower:0:4}-${lower:4}" >"$CT/shop2.out" 2>&1
is "code + PAYGW_SHOP_URL: exit status 0" "$?" 0
is "code + PAYGW_SHOP_URL: the request names the code in upper case without the dash" \
  "$(shop_request 2 .path)" "/shop/api/orders/$C2/user"
is "code + PAYGW_SHOP_URL: the body" "$(shop_request 2 '.body | fromjson | .user_id')" 00005
check "code + PAYGW_SHOP_URL: I in 3" grep -q "^Method: I, 3 payments$" "$CT/shop2.out"
check "code + PAYGW_SHOP_URL: completed" grep -q "^Payment has now been completed.$" "$CT/shop2.out"
is "gateway: completed in 3 installments" "$(psql_q "SELECT status || ' ' || method || ' ' || installments FROM gateway.transactions WHERE reference = '$C2'")" "completed I 3"

# --- --shop over PAYGW_SHOP_URL (which names a shop that is not there) ---
C3=$(order_code); shop_order "$C3"
PAYGW_SHOP_URL=https://127.0.0.1:1/shop/ PAYGW_HANDSET_PASSWORD=demo-pass-00001 "$HANDSET" --store "$STORE" shop \
  --user 00001 --agree --method L --shop "$SHOP_URL/" "$C3" >"$CT/shop3.out" 2>&1
is "--shop over PAYGW_SHOP_URL: exit status 0" "$?" 0
is "--shop over PAYGW_SHOP_URL: completed" "$(txn_status "$(order_txn "$C3")")" completed
check "no card number in any output or the store" no_pan_in "$CT"/*.out "$STORE" "$SHOP_DIR/requests"
done_testing
