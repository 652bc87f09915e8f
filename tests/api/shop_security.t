#!/usr/bin/env bash
# shop_security.t — the demo shop's guards (docs/shop.md, "Security"): a
# form POST without the session's form token, with another's, or with a
# stale or unknown session is 403 and changes nothing; another session's
# order is 404 (page, status, QR, forms); the headers (CSP, nosniff,
# Referrer-Policy, no-store) are on pages, errors and static files; the
# shop's database role reads nothing of the gateway's or the issuer's.
. "$(dirname "$0")/shop_lib.sh"

cart_count() { psql_q "SELECT coalesce(sum(quantity), 0) FROM shop.cart_lines WHERE session_id = $1"; }
session_id() { psql_q "SELECT id FROM shop.sessions WHERE token_hash = encode(sha256(convert_to('$(grep shop_session "$JAR" | awk '{print $7}')', 'UTF8')), 'hex')"; }

rm -f "$JAR"
shop GET /shop/
TOKEN=$(csrf)
SID=$(session_id)
like "the browser has a session" "$SID" '^[0-9]+$'
form /shop/cart "csrf=$TOKEN" item=1 quantity=1 add=1
is "with the token: the good is in the cart" "$(cart_count "$SID")" 1

# --- the form token -------------------------------------------------------------------------
form /shop/cart item=1 quantity=5 add=1
is "no token: 403" "$STATUS" 403
check "no token: the error page says why" bash -c 'grep -q "data-page=\"error\"" <<<"$1" && grep -q "<p id=\"error-reason\">form token missing or wrong" <<<"$1"' _ "$BODY"
form /shop/cart "csrf=0123456789abcdef0123456789abcdef" item=1 quantity=5 add=1
is "a wrong token: 403" "$STATUS" 403
form /shop/cart "csrf=${TOKEN:0:31}" item=1 quantity=5 add=1
is "a cut token: 403" "$STATUS" 403
form /shop/checkout
is "checkout without a token: 403" "$STATUS" 403
is "... nothing changed: the cart holds 1, no order" "$(cart_count "$SID") $(psql_q "SELECT count(*) FROM shop.orders WHERE session_id = $SID")" "1 0"
# bad cart forms: 400, nothing changed
for c in "item=999|quantity=1|a good that does not exist" "item=1|quantity=100|100 of one" "item=1|quantity=-1|a negative quantity" \
         "item=1|quantity=1x|a quantity that is no number" "item=x|quantity=1|an item that is no number" "item=1|quantity=|no quantity"; do
  IFS='|' read -r item qty name <<<"$c"
  form /shop/cart "csrf=$TOKEN" "$item" "$qty" add=1
  is "cart form with $name: 400 error page" "$STATUS $(grep -c 'data-page="error"' <<<"$BODY")" "400 1"
done
form /shop/cart "csrf=$TOKEN" item=1 quantity=99 add=1
is "adding past 99 of one keeps 99" "$STATUS $(cart_count "$SID")" "303 99"
form /shop/cart "csrf=$TOKEN" item=1 quantity=1
is "setting the quantity: 1" "$(cart_count "$SID")" 1

# another session's token does not do for this one
cp "$JAR" "$FLOW_TMP/jar.a"
rm -f "$JAR"; shop GET /shop/; OTHER_TOKEN=$(csrf); cp "$FLOW_TMP/jar.a" "$JAR"
form /shop/cart "csrf=$OTHER_TOKEN" item=1 quantity=5 add=1
is "another session's token: 403" "$STATUS" 403
is "... the cart unchanged" "$(cart_count "$SID")" 1

# --- stale and unknown sessions ---------------------------------------------------------------
psql_q "UPDATE shop.sessions SET last_seen_at = now() - interval '16 minutes' WHERE id = $SID" >/dev/null
form /shop/cart "csrf=$TOKEN" item=1 quantity=5 add=1
is "a session idle for 16 minutes: 403" "$STATUS" 403
check "... the page says the session expired" grep -q '<p id="error-reason">session expired' <<<"$BODY"
is "... the cart unchanged" "$(cart_count "$SID")" 1
shop GET /shop/cart
check "a GET then starts a new session (new cookie)" bash -c '[[ -n $(sed -n "s/^set-cookie: __Host-shop_session=//Ip" <<<"$1") ]]' _ "$HEADERS"
check "... with an empty cart" grep -q 'id="cart-empty"' <<<"$BODY"
# a session unseen for over a day is deleted when a new one is made, its cart with it
psql_q "UPDATE shop.sessions SET last_seen_at = now() - interval '25 hours' WHERE id = $SID" >/dev/null
rm -f "$JAR"; shop GET /shop/
is "a session unseen for 25 hours is gone once a new one is made, its cart too" \
  "$(psql_q "SELECT count(*) FROM shop.sessions WHERE id = $SID") $(psql_q "SELECT count(*) FROM shop.cart_lines WHERE session_id = $SID")" "0 0"
rm -f "$JAR"
api POST /shop/cart --data "csrf=$TOKEN&item=1&quantity=1"
is "no cookie at all: 403" "$STATUS" 403
api POST /shop/cart -H "Cookie: __Host-shop_session=0123456789abcdef0123456789abcdef" --data "csrf=$TOKEN&item=1&quantity=1"
is "an unknown session: 403" "$STATUS" 403
is "the CSP is on the 403 page too" "$(curl -s -o /dev/null -D - --cacert "$PAYGW_CA" -X POST "$PAYGW_URL/shop/cart" | tr -d '\r' | sed -n 's/^content-security-policy: //Ip')" \
  "default-src 'none'; img-src 'self'; style-src 'self'; script-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

# --- another session's order ------------------------------------------------------------------------
rm -f "$JAR"
buy 9:1
MINE=$ORDER
cp "$JAR" "$FLOW_TMP/jar.owner"
rm -f "$JAR"; shop GET /shop/; TOKEN=$(csrf)
shop GET "/shop/orders/$MINE"
is "another session's order page: 404 error page" "$STATUS $(grep -c 'data-page="error"' <<<"$BODY")" "404 1"
check "... nothing of the order shown" bash -c '! grep -qE "Notebook|order-code" <<<"$1"' _ "$BODY"
shop GET "/shop/orders/$MINE/status"
is "... its status: 404" "$STATUS" 404
shop GET "/shop/orders/$MINE/qr.svg"
is "... its QR code: 404" "$STATUS" 404
form "/shop/orders/$MINE/user" "csrf=$TOKEN" user_id=00001
is "... its user form: 404" "$STATUS" 404
form "/shop/orders/$MINE/cancel" "csrf=$TOKEN"
is "... its cancel form: 404" "$STATUS" 404
is "... and the order is untouched" "$(shop_row "$MINE")" "awaiting_user|-|-|-"
cp "$FLOW_TMP/jar.owner" "$JAR"
shop GET "/shop/orders/$MINE"
is "its own session still sees it" "$STATUS" 200
shop GET /shop/orders/NOTACODE
is "a path that is no order code: 404" "$STATUS" 404
shop GET /shop/nothing-here
is "an unknown page: 404 error page" "$STATUS $(grep -c 'data-page="error"' <<<"$BODY")" "404 1"
shop DELETE /shop/cart
is "a method a page does not take: 405" "$STATUS" 405

# --- static files and headers --------------------------------------------------------------------------
for f in shop.css order.js icons/tea.svg; do
  shop GET "/shop/static/$f"
  is "static $f: 200 with the shop's CSP and nosniff" "$STATUS $(header X-Content-Type-Options) $(header Content-Security-Policy | cut -d';' -f1)" \
    "200 nosniff default-src 'none'"
done
shop GET /shop/static/order.js
check "order.js writes no HTML (textContent only)" bash -c '! grep -qE "innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(" <<<"$1"' _ "$BODY"
check "no template holds inline script or style" bash -c '! grep -rqiE "<script>|<style|[[:space:]]style=|[[:space:]]on[a-z]+=\"" "$1"' _ "$TEST_ROOT/cgi/shop/templates"

# --- the shop's database role ------------------------------------------------------------------------------
shop_sql() { psql -X -q -tA -v ON_ERROR_STOP=1 "$PAYGW_SHOP_DB_URI" -c "$1" 2>&1; }
is "the shop role reads its own schema" "$(shop_sql "SELECT count(*) > 0 FROM shop.goods")" t
for t in gateway.transactions gateway.cards gateway.users gateway.terminals gateway.webhook_events issuer.card_accounts issuer.authorizations; do
  like "the shop role cannot read $t" "$(shop_sql "SELECT 1 FROM $t LIMIT 1")" 'permission denied'
done
is "the shop role has no USAGE on gateway or issuer" \
  "$(psql_q "SELECT has_schema_privilege('paygw_shop', 'gateway', 'USAGE')::text || ' ' || has_schema_privilege('paygw_shop', 'issuer', 'USAGE')::text")" "false false"
is "the gateway's role has no USAGE on shop" "$(psql_q "SELECT has_schema_privilege('paygw_gateway', 'shop', 'USAGE')::text")" false
like "the shop role cannot change the goods" "$(shop_sql "UPDATE shop.goods SET unit_price = 1")" 'permission denied'

# --- the workers' environments: each its own part of stack.env --------------------------------------------
vars_of() { tr '\0' '\n' <"/proc/$1/environ" | grep -oE '^PAYGW_[A-Z_]+=' | tr -d = | sort | tr '\n' ' '; }
shop_worker=$(pgrep -P "$(cat "$PAYGW_VAR/run/shop.pid")" | head -1)
gw_worker=$(pgrep -P "$(cat "$PAYGW_VAR/run/gateway.pid")" | head -1)
senv=$(vars_of "$shop_worker") genv=$(vars_of "$gw_worker")
check "a shop worker has its database URI, credential and secret files" \
  bash -c 'grep -qw PAYGW_SHOP_DB_URI <<<"$1" && grep -qw PAYGW_SHOP_TERMINAL_CREDENTIAL_FILE <<<"$1" && grep -qw PAYGW_SHOP_WEBHOOK_SECRET_FILE <<<"$1"' _ "$senv"
check "... not the gateway's or the issuer's role, the superuser or a key" \
  bash -c '! grep -qE "PAYGW_(DB_URI|ISSUER_DB_URI|PGURI|CARD_KEY_FILE|ISSUER_CARD_KEY_FILE|MESSAGE_KEY_FILE|CREDIT_CLIENT_KEY)\b" <<<"$1"' _ "$senv"
check "a gateway worker does not have the shop's role" bash -c '! grep -qw PAYGW_SHOP_DB_URI <<<"$1"' _ "$genv"
done_testing
