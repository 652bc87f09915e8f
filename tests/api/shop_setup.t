#!/usr/bin/env bash
# shop_setup.t — `scripts/stack shop-setup` (docs/shop.md, "Configuration
# and set-up"): run again with everything in place it changes nothing; a
# lost terminal credential is replaced (paygw-admin terminal rotate: the old
# one is refused by the gateway, the new one taken by the running workers
# without a restart); a lost webhook secret is set anew; the owner password
# works; the files are 0600 in a 0700 folder.
. "$(dirname "$0")/shop_lib.sh"

state() { (cd "$SHOP_DIR" && sha256sum terminal-credential webhook-secret admin-password); }
gw_as() { api GET /v1/transactions/AAAAAAAAAAAAAAAA -H "Authorization: Bearer $1"; echo "$STATUS"; }
setup() { "$TEST_ROOT/scripts/stack" shop-setup >"$FLOW_TMP/setup.out" 2>&1; }

is "var/shop is 0700, its files 0600" "$(stat -c %a "$SHOP_DIR") $(stat -c %a "$SHOP_DIR"/* | sort -u | paste -sd' ')" "700 600"
is "the credential is the shop-web terminal's: the gateway takes it (404 for an unknown number)" "$(gw_as "$SHOP_CRED")" 404
before=$(state) hash=$(psql_q "SELECT owner_password_hash FROM shop.settings")
check "again with everything in place: exit 0" setup
is "... no file changed" "$(state)" "$before"
is "... the terminal keeps its credential" "$(gw_as "$SHOP_CRED")" 404

# --- a lost credential -------------------------------------------------------------------
old=$SHOP_CRED
rm -f "$SHOP_DIR/terminal-credential"
check "the credential lost: exit 0" setup
check "... says it made a new one" grep -q "shop-web has a new credential" "$FLOW_TMP/setup.out"
new=$(cat "$SHOP_DIR/terminal-credential")
is "... the old credential is refused (401)" "$(gw_as "$old")" 401
is "... the new one taken" "$(gw_as "$new")" 404
is "... one shop-web terminal still" "$(psql_q "SELECT count(*) FROM gateway.terminals WHERE code = 'shop-web'")" 1
rm -f "$JAR"
buy 2:1
api POST "/shop/api/orders/$ORDER/user" -H 'Content-Type: application/json' --data '{"user_id": "00001"}'
is "... and the running workers use it (no restart)" "$STATUS $(jqr .status)" "200 awaiting_payment"

# --- a lost webhook secret ----------------------------------------------------------------------
rm -f "$SHOP_DIR/webhook-secret"
check "the webhook secret lost: exit 0" setup
like "... a new one" "$(cat "$SHOP_DIR/webhook-secret")" '^whsec_'
like "... the merchant's webhook URL is the shop's" "$("$PAYGW_ADMIN" merchant webhook show --code 2222222222 | sed -n 's/^url *//p')" \
  "^https://127.0.0.1:$PAYGW_HTTPS_PORT/shop/api/webhooks\$"
SHOP_SECRET=$(cat "$SHOP_DIR/webhook-secret")
TXN=$(shop_txn "$ORDER")
handset_pays 00001 "$TXN" true L
check "the gateway's webhook with the new secret makes the order paid" wait_order "$ORDER" paid 30

# --- the owner password ---------------------------------------------------------------------------
is "the owner password's hash is argon2id" "$(psql_q "SELECT owner_password_hash LIKE '\$argon2id\$v=19\$m=19456,t=2,p=1\$%' FROM shop.settings")" t
check "a new run hashes the same password again (a new salt)" test "$(psql_q "SELECT owner_password_hash FROM shop.settings")" != "$hash"
rm -f "$JAR"; shop GET /shop/admin; TOKEN=$(csrf)
form /shop/admin/login "csrf=$TOKEN" "password=$(cat "$SHOP_DIR/admin-password")"
is "the password in var/shop/admin-password signs in" "$STATUS $LOCATION" "303 /shop/admin"
out=$(printf 'short\n' | "$TEST_ROOT/cgi/shop/shop.fcgi" --set-owner-password 2>&1); rc=$?
is "shop.fcgi --set-owner-password refuses a password under 12 characters (exit 2)" "$rc" 2
check "... and says why" grep -q "at least 12 characters" <<<"$out"
# a shop in a currency the gateway does not take would show no price and
# could never be paid: the worker refuses to start
out=$(PAYGW_SHOP_CURRENCY=BHD "$TEST_ROOT/cgi/shop/shop.fcgi" </dev/null 2>&1); rc=$?
is "shop.fcgi refuses PAYGW_SHOP_CURRENCY=BHD at start (exit 1)" "$rc" 1
check "... and says why" grep -q "PAYGW_SHOP_CURRENCY=BHD is not a currency the gateway takes" <<<"$out"
done_testing
