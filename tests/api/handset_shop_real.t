#!/usr/bin/env bash
# handset_shop_real.t — `handset shop` against the demo shop itself
# (shop.fcgi, docs/shop.md), not the stand-in of the other handset_shop_*
# tests: a browser's order (shop_lib.sh), then the handset pays it from the
# pay URL, and another from the order code with the shop from PAYGW_SHOP_URL
# as stack.env sets it — each order ends paid (the gateway's webhook) with
# the binding code the handset showed; and the shop's own refusals (404 for
# an unknown code, 409 for an order that already has a user ID) said in
# plain words with exit status 6.
. "$(dirname "$0")/shop_lib.sh"
HANDSET=$TEST_ROOT/handset-client/handset
STORE=$FLOW_TMP/h1.json
(umask 077; jq '.auth_results = [] | del(.lockout)' "$PAYGW_VAR/demo/uim/1234567.json" >"$STORE")
check "stack.env names the shop (PAYGW_SHOP_URL)" test -n "${PAYGW_SHOP_URL:-}"
SHOP_BASE=${PAYGW_SHOP_URL%/}
hs() {  # hs OUT ARGS...: handset shop as user 00001, answers given
  local out=$1; shift
  PAYGW_HANDSET_PASSWORD=demo-pass-00001 "$HANDSET" --store "$STORE" shop --user 00001 --agree --method L "$@" \
    >"$FLOW_TMP/$out" 2>&1
  RC=$?
}

# --- the pay URL, as the order page's QR code holds it -------------------------------
buy 1:2
check "an order awaiting a user" test "$(order_status "$ORDER")" = awaiting_user
shop GET "/shop/pay/$ORDER"
check "the pay page names the command" grep -q "handset shop" <<<"$BODY"
hs url.out "$SHOP_BASE/pay/$ORDER"
is "pay URL: exit status 0" "$RC" 0
check "pay URL: the shop's name" grep -q "^Shop: paygw demo shop$" "$FLOW_TMP/url.out"
N=$(shop_txn "$ORDER")
check "pay URL: the shop holds a transaction for the order" test -n "$N"
BC=$(psql_q "SELECT binding_code FROM gateway.transactions WHERE number = '$N'")
check "pay URL: the binding code shown is the gateway's" grep -q "^Binding code: $BC " "$FLOW_TMP/url.out"
check "pay URL: Payment has now been completed." grep -q "^Payment has now been completed.$" "$FLOW_TMP/url.out"
is "pay URL: the gateway's transaction completed" "$(psql_q "SELECT status FROM gateway.transactions WHERE number = '$N'")" completed
check "pay URL: the order is paid (the webhook reached the shop)" wait_order "$ORDER" paid 30

# --- the order code alone, any case, with a dash; the shop from PAYGW_SHOP_URL -----------
buy 7:1
lower=${ORDER,,}
hs code.out "${lower:0:4}-${lower:4}"
is "order code: exit status 0" "$RC" 0
check "order code: the order is paid" wait_order "$ORDER" paid 30

# --- the shop's refusals -----------------------------------------------------------------
hs unknown.out "$SHOP_BASE/pay/23456789"
is "unknown order: exit status 6" "$RC" 6
check "unknown order: said so" grep -q "^The shop knows no order 2345-6789: check the code on the shop's page (unknown_order: " "$FLOW_TMP/unknown.out"
buy 1:1
form "/shop/orders/$ORDER/user" "csrf=$TOKEN" user_id=00007   # typed at the PC: the order has its user
check "an order the PC gave user 00007" wait_order "$ORDER" awaiting_payment 10
hs taken.out "$SHOP_BASE/pay/$ORDER"
is "an order with another user ID: exit status 6" "$RC" 6
check "an order with another user ID: said so" \
  grep -q "^Order ${ORDER:0:4}-${ORDER:4} is not waiting for a user ID: it has one already, or it has ended (order_has_user: " "$FLOW_TMP/taken.out"
form "/shop/orders/$ORDER/cancel" "csrf=$TOKEN"
done_testing
