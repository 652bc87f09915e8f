#!/usr/bin/env bash
# shop_refund_webhook.t — the refund.* webhooks at the demo shop (issue 15,
# docs/shop.md "Refunds"), signed here with the shop's secret as the
# gateway's sender signs them: a refund.completed records the refund of a
# paid order (shop.do_refund) and the pages show it (the order page's
# Refunds section and state, the status JSON, the owner's list and refund
# form's amount left); the same webhook-id again changes nothing; a later
# event never takes an ended refund back; a refund of no order of the
# shop is ignored; a body that is no refund event is 400; a forged one 401.
# The order is made paid by a signed payment.completed: no handset, no
# issuer (shop_refund.t refunds a real payment through the gateway).
. "$(dirname "$0")/shop_lib.sh"

new_id() { echo "msg_$(openssl rand -hex 16)"; }
rf_id() { echo "rf_$(openssl rand -base64 16 | tr '+/' '-_' | tr -d '=' | head -c 22)"; }
# refund_event TYPE CODE TXN RF AMOUNT [REASON] → the body
refund_event() {
  jq -cn --arg type "$1" --arg ref "$2" --arg n "$3" --arg rf "$4" --argjson a "$5" --arg why "${6:-}" \
    '{type: $type, timestamp: "2026-12-05T00:00:00Z", data: {refund: $rf, number: $n, merchant: "2222222222",
      reference: $ref, kind: "refund", amount: $a, currency: "JPY", status: ($type | ltrimstr("refund.")),
      refunded: 0, refundable: 0, reason: (if $why == "" then null else $why end),
      completed_at: "2026-12-05T00:00:01Z"}}'
}
send() { webhook "$1" "$(date +%s)" "$2"; }
rows() { psql_q "SELECT count(*) FROM shop.refunds"; }
field() { grep -o "<dd id=\"$1\">[^<]*" <<<"$BODY" | sed 's/.*>//'; }

rm -f "$JAR"
buy 2:1                              # coffee beans 1200 + 8 % = 1296
SHOPPER_JAR=$JAR
api POST "/shop/api/orders/$ORDER/user" -H 'Content-Type: application/json' --data '{"user_id": "00001"}'
TXN=$(jqr .transaction)
send "$(new_id)" "$(jq -cn --arg ref "$ORDER" --arg n "$TXN" '{type: "payment.completed", timestamp: "2026-12-05T00:00:00Z",
  data: {number: $n, status: "completed", reference: $ref, method: "L", approval_code: "T00001", response_code: "00",
         completed_at: "2026-12-05T00:00:00Z"}}')"
is "the order is paid (a signed payment.completed)" "$(shop_row "$ORDER" | cut -d'|' -f1)" paid

RF1=$(rf_id) ID1=$(new_id)
EVIL='<script>alert(1)</script>"&'
send "$ID1" "$(refund_event refund.completed "$ORDER" "$TXN" "$RF1" 300 "$EVIL")"
is "refund.completed: 200, recorded, completed" "$STATUS $(jqr .handled) $(jqr .state)" "200 recorded completed"
is "shop.refunds: the refund, its order, amount, reason" \
  "$(psql_q "SELECT concat_ws('|', o.code, r.kind, r.amount, r.status, r.reason, r.idempotency_key IS NULL) FROM shop.refunds r JOIN shop.orders o ON o.id = r.order_id WHERE r.refund_id = '$RF1'")" \
  "$ORDER|refund|300|completed|$EVIL|t"
n=$(rows)
send "$ID1" "$(refund_event refund.completed "$ORDER" "$TXN" "$RF1" 300 "$EVIL")"
is "the same webhook-id again: 200 repeated, nothing added" "$STATUS $(jqr .handled) $(rows)" "200 repeated $n"
send "$(new_id)" "$(refund_event refund.declined "$ORDER" "$TXN" "$RF1" 300)"
is "a later refund.declined of the completed refund: unchanged, still completed" \
  "$STATUS $(jqr .handled) $(psql_q "SELECT status FROM shop.refunds WHERE refund_id = '$RF1'")" "200 unchanged completed"
send "$(new_id)" "$(refund_event refund.completed ZZZZZZZZ "$TXN" "$(rf_id)" 100)"
is "a refund of no order of the shop: unknown_order, nothing added" "$STATUS $(jqr .handled) $(rows)" "200 unknown_order $n"
send "$(new_id)" "$(refund_event refund.completed "" "$TXN" "$(rf_id)" 100 | jq -c '.data.reference = null')"
is "a refund without a reference (another terminal's sale): ignored" "$STATUS $(jqr .handled) $(rows)" "200 ignored $n"
send "$(new_id)" "$(refund_event refund.completed "$ORDER" "$TXN" "$(rf_id)" 100 | jq -c 'del(.data.refund)')"
is "a refund event without data.refund: 400 invalid_json" "$STATUS $(jqr .code) $(rows)" "400 invalid_json $n"
send "$(new_id)" "$(refund_event refund.completed "$ORDER" "$TXN" "$(rf_id)" 100 | jq -c '.data.kind = "chargeback"')"
is "a refund event of an unknown kind: 400 invalid_json" "$STATUS $(jqr .code) $(rows)" "400 invalid_json $n"
send "$(new_id)" "$(refund_event refund.completed "$ORDER" "$TXN" "rf_short" 100)"
is "a refund ID that is not the gateway's: 400" "$STATUS $(rows)" "400 $n"
body=$(refund_event refund.completed "$ORDER" "$TXN" "$(rf_id)" 100)
webhook "$(new_id)" "$(date +%s)" "$body" "v1,$(printf forged | base64)"
is "a forged refund event: 401, nothing added" "$STATUS $(jqr .code) $(rows)" "401 webhook_refused $n"

priv() { psql_q "SELECT has_table_privilege('paygw_shop', 'shop.refunds', '$1')"; }
is "paygw_shop: SELECT, INSERT, UPDATE of shop.refunds; no DELETE, no TRUNCATE" \
  "$(priv SELECT) $(priv INSERT) $(priv UPDATE) $(priv DELETE) $(priv TRUNCATE)" "t t t f f"
is "and still nothing of the gateway's schema" "$(psql_q "SELECT has_schema_privilege('paygw_shop', 'gateway', 'USAGE')")" f

# --- the pages ---------------------------------------------------------------------------
shop GET "/shop/orders/$ORDER"
like "order page: paid, partly refunded" "$BODY" 'id="order-status" data-status="paid" data-refund="partly_refunded"[^>]*>Paid — partly refunded<'
is "order page: one refund row" "$(grep -c '<tr class="refund"' <<<"$BODY")" 1
check "order page: the reason escaped" grep -qF '<td class="refund-reason">&lt;script&gt;alert(1)&lt;/script&gt;&quot;&amp;</td>' <<<"$BODY"
like "order page: kind, amount, status" "$(grep '<tr class="refund"' <<<"$BODY")" \
  'data-kind="refund" data-status="completed">.*Refund</td><td class="num refund-amount">¥300</td><td class="refund-status">Refunded<'
is "order page: refunded, net paid" "$(field refunded) $(field net-paid)" "¥300 ¥996"
shop GET "/shop/orders/$ORDER/status"
is "status JSON: paid, partly_refunded" "$(jqr '[.status, .refund_state, .status_text] | join("|")')" \
  "paid|partly_refunded|Paid — partly refunded"

OWNER_JAR=$FLOW_TMP/owner-jar JAR=$OWNER_JAR
shop GET /shop/admin
form /shop/admin/login "csrf=$(csrf)" "password=$(cat "$SHOP_DIR/admin-password")"
shop GET /shop/admin
is "owner page: 200 admin-orders" "$STATUS $(grep -c 'data-page="admin-orders"' <<<"$BODY")" "200 1"
like "owner page: the order partly refunded" "$(sed -n "/<tr class=\"order\" data-code=\"$ORDER\"/,/<\/tr>/p" <<<"$BODY" | tr '\n' ' ')" \
  'class="order-refund" data-refund="partly_refunded">Partly refunded \(¥300\)'
form_of() { sed -n "/<li class=\"refund-order\" data-code=\"$1\"/,/<\/li>/p" <<<"$BODY" | tr '\n' ' '; }
f=$(form_of "$ORDER")
like "owner page: its refund form, the amount left prefilled" "$f" "id=\"amount-$ORDER\" name=\"amount\"[^>]*value=\"996\""
like "owner page: the form's key" "$f" 'name="key" value="shop-refund-[0-9a-f]{32}"'

send "$(new_id)" "$(refund_event refund.completed "$ORDER" "$TXN" "$(rf_id)" 996)"
is "a second refund of the rest: recorded" "$STATUS $(jqr .handled)" "200 recorded"
shop GET /shop/admin
is "owner page: no refund form once nothing is left" "$(form_of "$ORDER")" ""
JAR=$SHOPPER_JAR
shop GET "/shop/orders/$ORDER"
like "order page: refunded" "$BODY" 'data-refund="refunded"[^>]*>Paid — refunded<'
is "order page: two rows, net 0" "$(grep -c '<tr class="refund"' <<<"$BODY") $(field net-paid)" "2 ¥0"
done_testing
