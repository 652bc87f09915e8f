#!/usr/bin/env bash
# shop_order_paid.t — a whole order at the demo shop ([0117]-[0119],
# docs/shop.md) through nginx, TLS and PostgreSQL, as a browser with a
# cookie jar: the catalog, the cart with its tax and totals, the checkout,
# the order page with its code and QR code, the user ID typed into the
# page, the handset's side of the payment (flowlib.sh), the gateway's
# webhook arriving, and the order paid with its receipt (method, approval
# code, masked card).  One of the goods is named <script>alert(1)</script>"'&:
# it shows escaped on the catalog, cart, order, receipt and the owner's
# list.  No page and no shop log holds a card number; every page carries
# the shop's CSP and the session cookie its attributes.
. "$(dirname "$0")/shop_lib.sh"
EVIL='<script>alert(1)</script>"'"'"'&'
ESCAPED='&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;'
psql_q "INSERT INTO shop.goods (id, name, unit_price, tax_rate_pct, icon) VALUES (900, \$q\$$EVIL\$q\$, 100, 10, 'fan')
        ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, active = true" >/dev/null
trap 'psql_q "UPDATE shop.goods SET active = false WHERE id = 900" >/dev/null; shop_cleanup' EXIT
PAGES=$FLOW_TMP/pages; mkdir -p "$PAGES"
keep() { printf '%s\n' "$BODY" >"$PAGES/$1.html"; }

# --- the catalog ------------------------------------------------------------------
rm -f "$JAR"
shop GET /shop/
is "catalog: 200 text/html" "$STATUS $CTYPE" "200 text/html; charset=utf-8"
check "catalog: data-page=catalog" grep -q '<main id="page" data-page="catalog">' <<<"$BODY"
is "catalog: the shop's CSP" "$(header Content-Security-Policy)" \
  "default-src 'none'; img-src 'self'; style-src 'self'; script-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
is "catalog: nosniff, no referrer, no-store" "$(header X-Content-Type-Options) $(header Referrer-Policy) $(header Cache-Control)" \
  "nosniff no-referrer no-store"
cookie=$(header Set-Cookie)
like "catalog: the session cookie: __Host-, 128-bit hex, Path=/, Secure, HttpOnly, SameSite=Lax" "$cookie" \
  '^__Host-shop_session=[0-9a-f]{32}; Path=/; Secure; HttpOnly; SameSite=Lax$'
is "catalog: twelve goods and the test's one" "$(grep -c '<li class="good" data-good=' <<<"$BODY")" 13
check "catalog: each good has a name, a price and an add button" \
  bash -c '[[ $(grep -c "class=\"good-name\"" <<<"$1") == 13 && $(grep -c "class=\"good-price\"" <<<"$1") == 13 && $(grep -c "class=\"add\"" <<<"$1") == 13 ]]' _ "$BODY"
check "catalog: the evil name escaped" grep -qF "<span class=\"good-name\">$ESCAPED</span>" <<<"$BODY"
check "catalog: no raw <script> anywhere" bash -c '! grep -qi "<script>" <<<"$1"' _ "$BODY"
check "catalog: no inline style or script" bash -c '! grep -qiE "style=|<style|<script>|on(click|load)=" <<<"$1"' _ "$BODY"
TOKEN=$(csrf)
like "catalog: a form token" "$TOKEN" '^[0-9a-f]{32}$'
keep catalog

# --- the cart -----------------------------------------------------------------------
form /shop/cart "csrf=$TOKEN" item=1 quantity=2 add=1     # green tea 980, 8 %
is "add to cart: 303 to /shop/cart" "$STATUS $LOCATION" "303 /shop/cart"
form /shop/cart "csrf=$TOKEN" item=7 quantity=1 add=1     # mug 1800, 10 %
form /shop/cart "csrf=$TOKEN" item=900 quantity=1 add=1   # the evil good, 100, 10 %
form /shop/cart "csrf=$TOKEN" item=1 quantity=1 add=1     # adds: 3 teas
form /shop/cart "csrf=$TOKEN" item=3 quantity=4 add=1
form /shop/cart "csrf=$TOKEN" item=3 quantity=0           # removed
shop GET /shop/cart
is "cart: 200, data-page=cart" "$STATUS $(grep -c 'data-page="cart"' <<<"$BODY")" "200 1"
is "cart: three lines" "$(grep -c '<tr class="line" data-good=' <<<"$BODY")" 3
check "cart: the evil name escaped in .line-name" grep -qF "<td class=\"line-name\">$ESCAPED</td>" <<<"$BODY"
# 3 × 980 = 2940, tax floor(235.2) = 235; 1800 + 180; 100 + 10
is "cart: subtotal, tax, total" \
  "$(grep -oE 'id="(subtotal|tax-total|total)">[^<]*' <<<"$BODY" | sed 's/.*>//' | paste -sd' ')" "¥4,840 ¥425 ¥5,265"
check "cart: the checkout form" grep -q '<form id="checkout" method="post" action="/shop/checkout">' <<<"$BODY"
like "cart: the cart link counts 5 items" "$BODY" 'id="cart-link"[^>]*>Cart \(<span id="cart-count">5</span>\)'
keep cart

# --- the checkout -------------------------------------------------------------------
form /shop/checkout "csrf=$TOKEN"
like "checkout: 303 to the order page" "$STATUS $LOCATION" '^303 /shop/orders/[2-9A-HJKMNP-Z]{8}$'
ORDER=${LOCATION#/shop/orders/}
is "checkout: the order awaits a user, totals stored" \
  "$(psql_q "SELECT concat_ws(' ', state, subtotal, tax_total, total, currency) FROM shop.orders WHERE code = '$ORDER'")" \
  "awaiting_user 4840 425 5265 JPY"
is "checkout: the cart is empty" "$(psql_q "SELECT count(*) FROM shop.cart_lines c JOIN shop.orders o ON o.session_id = c.session_id WHERE o.code = '$ORDER'")" 0
shop GET "$LOCATION"
is "order page: 200, data-page=order" "$STATUS $(grep -c 'data-page="order"' <<<"$BODY")" "200 1"
is "order page: the code shown ABCD-EFGH" "$(grep -o '<span id="order-code">[^<]*' <<<"$BODY" | sed 's/.*>//')" "${ORDER:0:4}-${ORDER:4:4}"
check "order page: status awaiting_user" grep -q 'id="order-status" data-status="awaiting_user"' <<<"$BODY"
check "order page: the QR code's img" grep -q "<div id=\"qr\"><img src=\"/shop/orders/$ORDER/qr.svg\"" <<<"$BODY"
check "order page: the user form shown" grep -qE '<form id="user-form" method="post" action="/shop/orders/[A-Z0-9]+/user" >' <<<"$BODY"
check "order page: a Refresh link for a browser without JS, no timed refresh" \
  bash -c 'grep -qF "<a id=\"refresh\" href=\"/shop/orders/$2\">" <<<"$1" && ! grep -q "http-equiv=\"refresh\"" <<<"$1"' _ "$BODY" "$ORDER"
check "order page: the script is a file" grep -qF '<script src="/shop/static/order.js" defer></script>' <<<"$BODY"
check "order page: the evil name escaped" grep -qF "<td class=\"line-name\">$ESCAPED</td>" <<<"$BODY"
keep order
shop GET "/shop/orders/$ORDER/qr.svg"
is "qr.svg: 200 image/svg+xml" "$STATUS $CTYPE" "200 image/svg+xml"
check "qr.svg: an SVG" grep -q '<svg' <<<"$BODY"
shop GET "/shop/orders/${ORDER,,}"
is "the order page by the code in lower case" "$STATUS" 200
shop GET "/shop/pay/${ORDER:0:4}-${ORDER:4:4}"
is "pay page: anyone, 200, data-page=pay" "$STATUS $(grep -c 'data-page="pay"' <<<"$BODY")" "200 1"
check "pay page: the handset command" grep -qF "handset shop https://127.0.0.1:$PAYGW_HTTPS_PORT/shop/pay/$ORDER" <<<"$BODY"
check "pay page: no goods, no total" bash -c '! grep -qE "Green tea|5,265|line-name" <<<"$1"' _ "$BODY"

# --- the user ID typed into the page ------------------------------------------------
form "/shop/orders/$ORDER/user" "csrf=$TOKEN" user_id=00001
is "user form: 303 to the order page" "$STATUS $LOCATION" "303 /shop/orders/$ORDER"
TXN=$(shop_txn "$ORDER")
like "the order has the gateway's transaction" "$TXN" '^[0-9A-Z]{16}$'
gw=$(psql_q "SELECT concat_ws(' ', t.status, t.reference, t.total, t.tax_total, tm.code) FROM gateway.transactions t JOIN gateway.terminals tm ON tm.id = t.terminal_id WHERE t.number = '$TXN'")
is "the gateway's transaction: the order code as reference, the same totals, terminal shop-web" "$gw" \
  "awaiting_device $ORDER 5265 425 shop-web"
shop GET "/shop/orders/$ORDER"
check "order page: awaiting_payment" grep -q 'data-status="awaiting_payment"' <<<"$BODY"
BINDING=$(grep -o '<strong id="binding-code">[^<]*' <<<"$BODY" | sed 's/.*>//')
is "order page: the binding code is the gateway's" "$BINDING" "$(psql_q "SELECT binding_code FROM gateway.transactions WHERE number = '$TXN'")"
check "order page: the user form hidden now" grep -qE '<form id="user-form" [^>]*hidden>' <<<"$BODY"

# --- the handset pays; the webhook moves the order -----------------------------------
handset_pays 00001 "$TXN" true L
is "handset: the payment completed" "$STATUS $(jqr .status) $FLOW_ERROR" "200 completed "
is "handset: the binding code it showed" "$BINDING_SHOWN" "$BINDING"
check "the webhook made the order paid (within 30 s)" wait_order "$ORDER" paid 30
shop GET "/shop/orders/$ORDER/status"
is "status JSON: 200 application/json, paid" "$STATUS $CTYPE $(jqr .status)" "200 application/json paid"
is "status JSON: code, transaction, binding code" "$(jqr '[.code, .transaction, .binding_code] | join(" ")')" "$ORDER $TXN $BINDING"
is "status JSON: the receipt's card is masked" "$(jqr .receipt.card)" "${USER_CARD[00001]}"
is "the webhook's id was recorded" "$(psql_q "SELECT count(*) FROM shop.webhook_ids w JOIN gateway.webhook_events e ON e.event_id = w.id JOIN gateway.transactions t ON t.id = e.transaction_id WHERE t.number = '$TXN'")" 1
shop GET "/shop/orders/$ORDER"
check "order page: paid" grep -q 'data-status="paid"' <<<"$BODY"
check "order page: the receipt shown" grep -qE '<section id="receipt" >' <<<"$BODY"
is "receipt: three lines" "$(grep -c '<tr class="receipt-line">' <<<"$BODY")" 3
check "receipt: the evil name escaped" grep -qF "<tr class=\"receipt-line\"><td class=\"line-name\">$ESCAPED</td>" <<<"$BODY"
field() { grep -o "<dd id=\"$1\">[^<]*" <<<"$BODY" | sed 's/.*>//'; }
is "receipt: tax and total" "$(field receipt-tax) $(field receipt-total)" "¥425 ¥5,265"
is "receipt: method lump sum" "$(field receipt-method)" "lump sum"
is "receipt: the approval code is the gateway's" "$(field receipt-approval)" \
  "$(psql_q "SELECT approval_code FROM gateway.transactions WHERE number = '$TXN'")"
is "receipt: the masked card" "$(field receipt-card)" "${USER_CARD[00001]}"
check "order page: no forms any more" bash -c 'grep -qE "<form id=\"cancel-form\" [^>]*hidden>" <<<"$1"' _ "$BODY"
keep receipt

# --- the owner's list --------------------------------------------------------------------
rm -f "$JAR"
shop GET /shop/admin
is "admin: the sign-in form" "$STATUS $(grep -c '<form id="admin-login"' <<<"$BODY")" "200 1"
check "admin: no order listed before signing in" bash -c '! grep -q "$1" <<<"$2"' _ "$ORDER" "$BODY"
TOKEN=$(csrf)
form /shop/admin/login "csrf=$TOKEN" password=not-the-password
is "admin: a wrong password goes back with ?failed=1" "$STATUS $LOCATION" "303 /shop/admin?failed=1"
old_cookie=$(grep shop_session "$JAR" | awk '{print $7}')
form /shop/admin/login "csrf=$TOKEN" "password=$(cat "$SHOP_DIR/admin-password")"
is "admin: signed in, 303 /shop/admin" "$STATUS $LOCATION" "303 /shop/admin"
check "admin: signing in gave a new session token" test "$(grep shop_session "$JAR" | awk '{print $7}')" != "$old_cookie"
shop GET /shop/admin
is "admin: the order list" "$STATUS $(grep -c '<table id="orders">' <<<"$BODY")" "200 1"
row=$(grep -A3 "<tr class=\"order\" data-code=\"$ORDER\">" <<<"$BODY")
check "admin: the order's row, paid, ¥5,265" bash -c 'grep -q "class=\"order-status\" data-status=\"paid\"" <<<"$1" && grep -q "¥5,265" <<<"$1"' _ "$row"
check "admin: the evil name escaped in .order-items" grep -qF "$ESCAPED × 1" <<<"$row"
keep admin
TOKEN=$(csrf)
form /shop/admin/logout "csrf=$TOKEN"
shop GET /shop/admin
is "admin: signed out, the sign-in form again" "$(grep -c '<form id="admin-login"' <<<"$BODY")" 1

# --- no card number anywhere ------------------------------------------------------------
check "no demo card number in any page" no_pan "$PAGES"
check "no demo card number in the shop's log" no_pan "$PAYGW_VAR/log/shop.log"
check "no raw <script> in any page" bash -c '! grep -rqi "<script>" "$1"' _ "$PAGES"
done_testing
