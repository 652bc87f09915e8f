#!/usr/bin/env bash
# handset_shop_refused.t — `handset shop` sends nothing when it should not:
# a malformed pay URL or order code, an http:// URL (the user ID never travels
# in clear), a code without a shop, answers missing off a terminal — refused
# with a clear message and exit status 2 before anyone is contacted (no TCP
# connection reaches the shop, the store is not touched); a wrong password
# fails as `pay` does (exit 4, counted towards the lock-out), and the lock-out
# (exit 5) holds even for the right password — the shop hears nothing.
. "$(dirname "$0")/handset_shop_lib.sh"
STORE=$(store_copy 1234567 h1)
check "the fake shop listens" shop_start
C=$(order_code); shop_order "$C"
stamp() { sha256sum "$STORE" | cut -d' ' -f1; }
store_before=$(stamp)
# stack.env may name a shop (PAYGW_SHOP_URL): none here unless --shop says
shop() { env -u PAYGW_SHOP_URL PAYGW_HANDSET_PASSWORD=${PW:-demo-pass-00001} "$HANDSET" --store "$STORE" shop --user 00001 --agree --method L "$@" >"$CT/out" 2>&1; RC=$?; }

# refused: exit 2, a reason, and not one connection to the shop
refused() {  # refused DESCRIPTION GREP-PATTERN ARGS...
  local d=$1 pattern=$2; shift 2
  shop "$@"
  is "$d: exit status 2" "$RC" 2
  check "$d: says why" grep -qE -- "$pattern" "$CT/out"
  check "$d: did not authenticate" bash -c '! grep -q "^Authenticated" "$1"' _ "$CT/out"
}
refused "http:// URL" "not https; the user ID is sent only over https, never in clear" "http://127.0.0.1:$SHOP_PORT/shop/pay/$C"
refused "http:// shop for a code" "not https" --shop "http://127.0.0.1:$SHOP_PORT/shop/" "$C"
refused "ftp:// URL" "starts with https://" "ftp://127.0.0.1:$SHOP_PORT/shop/pay/$C"
refused "the order page's URL, not the pay URL" "not a pay URL; its path must end in /shop/pay/CODE" "$SHOP_URL/orders/$C"
refused "a pay URL with a malformed code" "is not an order code" "$SHOP_URL/pay/${C:0:7}0"
refused "a pay URL with a query" "no query" "$SHOP_URL/pay/$C?user=1"
refused "a pay URL with user info" "names no user" "https://shop@127.0.0.1:$SHOP_PORT/shop/pay/$C"
refused "a code of 7 characters" "neither an order code .* nor a pay URL" --shop "$SHOP_URL/" "${C:0:7}"
refused "a code with O in it" "neither an order code" --shop "$SHOP_URL/" "${C:0:7}O"
refused "a code with the dash elsewhere" "neither an order code" --shop "$SHOP_URL/" "${C:0:3}-${C:3}"
refused "a code without a shop" "which shop\? give --shop URL or set PAYGW_SHOP_URL" "$C"
refused "a shop URL whose path is not /shop/" "must end in /shop/" --shop "https://127.0.0.1:$SHOP_PORT/" "$C"
refused "no argument" "needs the pay URL or the order code"
refused "two arguments" "unexpected argument" "$C" "$C"
refused "an option of pay" "does not belong to .shop." --link 127.0.0.1:1 "$C"
PAYGW_HANDSET_PASSWORD=demo-pass-00001 "$HANDSET" --store "$STORE" shop --user 00001 "$SHOP_URL/pay/$C" </dev/null >"$CT/out" 2>&1
is "off a terminal without --agree/--method: exit status 2" "$?" 2
check "off a terminal without --agree/--method: says so" grep -q "not on a terminal: give --agree or --decline, and --method" "$CT/out"
# the store in use by another authentication (pay or shop): refused, as `pay` is
flock -n "$STORE.lock" sleep 3 &
holder=$!
sleep 0.3
shop "$SHOP_URL/pay/$C"
is "the store in use: exit status 2" "$RC" 2
check "the store in use: says so" grep -q "another \`handset pay\` or \`handset shop\` is using the store" "$CT/out"
wait "$holder"
is "after all that: no connection reached the shop" "$(shop_connections)" 0
is "after all that: the store is as it was" "$(stamp)" "$store_before"

# a wrong password: nothing sent, counted in the store
PW=wrong-password shop "$SHOP_URL/pay/$C"
is "wrong password: exit status 4" "$RC" 4
check "wrong password: Authentication failed. Nothing was sent." grep -q "^Authentication failed. Nothing was sent.$" "$CT/out"
check "wrong password: 4 attempts left" grep -q "^4 attempts left" "$CT/out"
check "wrong password: not echoed" bash -c '! grep -q wrong-password "$1"' _ "$CT/out"
is "wrong password: counted in the store" "$(jq -r .lockout.failed_attempts "$STORE")" 1
is "wrong password: no auth result stored" "$(jq -r '.auth_results | length' "$STORE")" 0
is "wrong password: no connection reached the shop" "$(shop_connections)" 0

# ... to the lock-out, shared with `pay`: two more here, one through `pay`, the fifth here
PW=wrong shop "$SHOP_URL/pay/$C"; PW=wrong shop "$C" --shop "$SHOP_URL/"
PAYGW_HANDSET_PASSWORD=wrong "$HANDSET" --store "$STORE" pay --user 00001 --link 127.0.0.1:1 >/dev/null 2>&1
is "pay and shop count on the same counter" "$(jq -r .lockout.failed_attempts "$STORE")" 4
PW=wrong shop "$SHOP_URL/pay/$C"
is "the fifth failure: exit status 5" "$RC" 5
check "the fifth failure: the handset is locked" grep -q "^Too many failed attempts: this handset is locked until" "$CT/out"
PW=demo-pass-00001 shop "$SHOP_URL/pay/$C"
is "locked: the right password is refused too, exit status 5" "$RC" 5
check "locked: says until when" grep -q "locked after too many failed attempts; try again after" "$CT/out"
is "locked: no connection reached the shop" "$(shop_connections)" 0
is "locked: the gateway has no transaction for the order" "$(order_txn "$C")" ""
done_testing
