# tests/api/handset_shop_lib.sh — shared by the handset_shop*.t tests
# (`handset shop`, docs/handset.md): client_lib.sh, and a shop's handset API
# on PAYGW_TEST_PORT_BASE + 13 — tests/api/fake_shop.py, HTTPS with the
# stack's server certificate, asking the real gateway for transactions as
# merchant 1111111111's demo terminal — with what it received.
. "$(dirname "${BASH_SOURCE[0]}")/client_lib.sh"
SHOP_PORT=$((${PAYGW_TEST_PORT_BASE:-10600} + 13))
SHOP_DIR=$CT/shop
SHOP_URL=https://127.0.0.1:$SHOP_PORT/shop
SHOP_PID=""

# shop_start [CERT KEY]: the fake shop, with the stack's certificate unless given
shop_start() {
  rm -rf "$SHOP_DIR"; mkdir -p "$SHOP_DIR/orders"
  FAKE_SHOP_CERT=${1:-$PAYGW_VAR/tls/server.crt} FAKE_SHOP_KEY=${2:-$PAYGW_VAR/tls/server.key} \
    FAKE_SHOP_CREDENTIAL=$(env_get "$PAYGW_VAR/demo/terminals.env" PAYGW_TERMINAL_1111111111) \
    /usr/bin/python3 "$TEST_ROOT/tests/api/fake_shop.py" "$SHOP_PORT" "$SHOP_DIR" 2>>"$CT/fake_shop.err" &
  SHOP_PID=$!; CLIENT_PIDS+=("$SHOP_PID")
  local i
  for i in $(seq 50); do [[ -e $SHOP_DIR/ready ]] && return 0; sleep 0.1; done
  return 1
}
shop_stop() { [[ -n $SHOP_PID ]] && kill "$SHOP_PID" 2>/dev/null && wait "$SHOP_PID" 2>/dev/null; SHOP_PID=""; }

# order_code → 8 random characters of the shop's alphabet
order_code() {
  local a=23456789ABCDEFGHJKMNPQRSTUVWXYZ s="" i
  for i in 1 2 3 4 5 6 7 8; do s+=${a:RANDOM % 31:1}; done
  echo "$s"
}
# shop_order CODE [MODE]: the shop knows the order (MODE: fake_shop.py's header)
shop_order() { printf '%s\n' "${2:-}" >"$SHOP_DIR/orders/$1"; }
# how many TCP connections / requests reached the shop
shop_connections() { [[ -e $SHOP_DIR/connections ]] && wc -l <"$SHOP_DIR/connections" || echo 0; }
shop_requests() { [[ -e $SHOP_DIR/requests ]] && wc -l <"$SHOP_DIR/requests" || echo 0; }
# shop_request N JQ → JQ of request N (1-based)
shop_request() { sed -n "$1p" "$SHOP_DIR/requests" | jq -r "$2"; }
# the gateway's transaction whose reference is the order code
order_txn() { psql_q "SELECT number FROM gateway.transactions WHERE reference = '$1'"; }
