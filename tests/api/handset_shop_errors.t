#!/usr/bin/env bash
# handset_shop_errors.t — what `handset shop` does when the shop does not
# give it a transaction to pay: 404 (unknown order), 409 (the order has
# another user ID, or is past waiting for one), 502 (the gateway refused
# the shop: here a wrong terminal credential, refused by the real gateway),
# 400, 503 — each said in plain words with the shop's code, exit status 6, and
# nothing paid; a 200 for another order refused; a transaction whose
# payment command never comes given up after --timeout (exit 3); a shop that
# is not there, or whose certificate the store's CA did not sign (exit 3,
# the user ID not sent: no request reaches it).
. "$(dirname "$0")/handset_shop_lib.sh"
STORE=$(store_copy 1234567 h1)
check "the fake shop listens" shop_start
shop() { PAYGW_HANDSET_PASSWORD=demo-pass-00001 "$HANDSET" --store "$STORE" shop --user 00001 --agree --method L "$@" >"$CT/out" 2>&1; RC=$?; }
last_path() { shop_request "$(shop_requests)" .path; }

# refusal DESCRIPTION MODE REGEX: a new order the shop answers as MODE says
# ("unknown": not known to it); `handset shop` exits 6 with a line matching
# REGEX, and neither starts the payment application nor leaves a transaction
refusal() {
  local d=$1 mode=$2 regex=$3
  C=$(order_code)
  [[ $mode == unknown ]] || shop_order "$C" "$mode"
  shop "$SHOP_URL/pay/$C"
  is "$d: exit status 6" "$RC" 6
  is "$d: the request reached the shop" "$(last_path)" "/shop/api/orders/$C/user"
  check "$d: says so in plain words" grep -qE -- "$regex" "$CT/out"
  check "$d: no payment application" bash -c '! grep -q "payment command" "$1"' _ "$CT/out"
  is "$d: no transaction at the gateway" "$(order_txn "$C")" ""
}
D='[A-Z0-9]{4}-[A-Z0-9]{4}'
refusal "404" unknown "^The shop knows no order $D: check the code on the shop's page \(unknown_order: no order [A-Z0-9]{8}\)\.$"
refusal "409 (forced: not awaiting a user)" 409 \
  "^Order $D is not waiting for a user ID: it has one already, or it has ended \(order_not_awaiting_user: forced by the test \(409\)\)\.$"
refusal "502 (the real gateway refused the shop's credential)" bad-credential \
  "^The shop could not get a transaction from the payment gateway \(gateway_refused: the gateway answered 401 [a-z_]+; the gateway's code: [a-z_]+\)\. Nothing was paid\.$"
refusal "502 (the gateway unreachable)" 502 \
  "^The shop could not get a transaction from the payment gateway \(gateway_unreachable: forced by the test \(502\)\)\. Nothing was paid\.$"
refusal "400" 400 "^The shop refused the request \(invalid_field: "
refusal "503" 503 "^The shop could not take the user ID now: HTTP 503 \(database_unavailable: .*\)\. Nothing was paid; try again later\.$"
refusal "a 200 for another order" other-order "^The shop's answer is not what a paygw shop answers \(it is for another order\)"

# 409 from the shop's own rule: the order holds another user ID
C=$(order_code); shop_order "$C"; echo 00009 >"$SHOP_DIR/orders/$C.user"
shop "$SHOP_URL/pay/$C"
is "409 (another user ID holds the order): exit status 6" "$RC" 6
check "409: says the order is not waiting for a user ID" \
  grep -q "^Order ${C:0:4}-${C:4} is not waiting for a user ID: it has one already, or it has ended (order_has_user: " "$CT/out"
is "409: the gateway has no transaction for it" "$(order_txn "$C")" ""

C=$(order_code); shop_order "$C" unknown-transaction
start=$(date +%s)
shop --timeout 3 "$SHOP_URL/pay/$C"
took=$(($(date +%s) - start))
is "no payment command for the shop's transaction: exit status 3" "$RC" 3
check "no payment command: waited for that transaction" grep -q "^Waiting for the gateway's payment command for transaction ZZZZZZZZZZZZZZZZ.$" "$CT/out"
check "no payment command: gave up, saying so" grep -q "^No payment command for transaction ZZZZZZZZZZZZZZZZ arrived within 3 s; nothing was paid.$" "$CT/out"
check "no payment command: within --timeout (3 s + 2 s slack, took $took s)" test "$took" -le 5

# a shop whose certificate the store's CA did not sign: TLS refuses it
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1 -keyout "$CT/other.key" -out "$CT/other.crt" >/dev/null 2>&1
shop_stop
check "the fake shop listens again, with a certificate of no CA the handset knows" shop_start "$CT/other.crt" "$CT/other.key"
C=$(order_code); shop_order "$C"
shop "$SHOP_URL/pay/$C"
is "untrusted certificate: exit status 3" "$RC" 3
check "untrusted certificate: the shop could not be reached, because of its certificate" \
  grep -qiE "^The shop at $SHOP_URL could not be reached \(.*certificate.*\)\. Nothing was paid\.$" "$CT/out"
is "untrusted certificate: the handset did connect" "$(shop_connections)" 1
is "untrusted certificate: but sent no request" "$(shop_requests)" 0

shop_stop
shop "$SHOP_URL/pay/$C"
is "no shop listening: exit status 3" "$RC" 3
check "no shop listening: says so" grep -q "^The shop at $SHOP_URL could not be reached (" "$CT/out"
is "after all that: no transaction for user 00001 is left open by these orders" \
  "$(psql_q "SELECT count(*) FROM gateway.transactions WHERE user_id = '00001' AND reference IS NOT NULL AND status LIKE 'awaiting_%' AND created_at >= '$CLIENT_STARTED'")" 0
done_testing
