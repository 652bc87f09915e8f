# tests/api/shop_lib.sh — shared by the shop_*.t tests: the demo shop
# (docs/shop.md) driven as a browser would, with curl and a cookie jar
# through nginx + TLS, and the handset's side of the payment as flowlib.sh
# drives it.  Sources flowlib.sh.
. "$(dirname "${BASH_SOURCE[0]}")/flowlib.sh"

SHOP_DIR=$PAYGW_VAR/shop
[[ -r $SHOP_DIR/terminal-credential && -r $SHOP_DIR/webhook-secret ]] \
  || { echo "not ok - the demo shop is set up ($SHOP_DIR: scripts/stack shop-setup)"; exit 1; }
SHOP_CRED=$(cat "$SHOP_DIR/terminal-credential")
SHOP_SECRET=$(cat "$SHOP_DIR/webhook-secret")
JAR=$FLOW_TMP/jar
# on exit also: the shop's own open transactions canceled (shop-web is not
# among the demo terminals cancel_open_since knows)
shop_cleanup() {
  local n
  for n in $(psql_q "SELECT t.number FROM gateway.transactions t JOIN gateway.terminals tm ON tm.id = t.terminal_id
                      WHERE tm.code = 'shop-web' AND t.created_at >= '$FLOW_STARTED' AND t.status LIKE 'awaiting_%'" 2>/dev/null); do
    curl -s -o /dev/null --max-time 15 --cacert "$PAYGW_CA" -X POST -H "Authorization: Bearer $SHOP_CRED" \
      "$PAYGW_URL/v1/transactions/$n/cancel"
  done
  flow_cleanup
}
trap shop_cleanup EXIT

# shop METHOD PATH [curl args...] → STATUS, BODY, CTYPE, HEADERS (the
# response's header lines), LOCATION; the browser's cookies in $JAR
shop() {
  local method=$1 path=$2; shift 2
  local out=$FLOW_TMP/body hdr=$FLOW_TMP/headers meta
  meta=$(curl -sS -o "$out" -D "$hdr" -w '%{http_code} %{content_type}' --cacert "$PAYGW_CA" -b "$JAR" -c "$JAR" \
    -X "$method" "$@" "$PAYGW_URL$path") || meta="000 none"
  STATUS=${meta%% *} CTYPE=${meta#* } BODY=$(cat "$out") HEADERS=$(tr -d '\r' <"$hdr")
  LOCATION=$(sed -n 's/^[Ll]ocation: //p' <<<"$HEADERS" | head -1)
}
header() { sed -n "s/^$1: //Ip" <<<"$HEADERS" | head -1; }
# csrf → the form token of the page in BODY
csrf() { grep -o 'name="csrf" value="[0-9a-f]*"' <<<"$BODY" | head -1 | sed 's/.*value="\(.*\)"/\1/'; }
# form PATH FIELD=VALUE... → POST as a form with the page's token (CSRF)
form() {
  local path=$1; shift
  local args=() kv
  for kv in "$@"; do args+=(--data-urlencode "$kv"); done
  shop POST "$path" "${args[@]}"
}
new_browser() { rm -f "$JAR"; shop GET /shop/; TOKEN=$(csrf); }
# buy GOOD:QTY... → a new order from a fresh cart; ORDER (its code)
buy() {
  local g
  shop GET /shop/; TOKEN=$(csrf)
  for g in "$@"; do form /shop/cart "csrf=$TOKEN" "item=${g%%:*}" "quantity=${g#*:}" add=1; done
  form /shop/checkout "csrf=$TOKEN"
  ORDER=${LOCATION#/shop/orders/}
}
order_status() { shop GET "/shop/orders/$1/status"; jqr .status; }
# wait_order CODE STATE [SECONDS] → true once the order's status is STATE
wait_order() {
  local i
  for ((i = 0; i < ${3:-30} * 4; i++)); do
    [[ $(order_status "$1") == "$2" ]] && return 0
    sleep 0.25
  done
  return 1
}
# handset_pays USER TXN [agree] [METHOD]: the handset's side of the flow for
# the shop's transaction (mailbox, device-auth, agreement, method); STATUS/BODY
# of the last step, FLOW_ERROR when a step failed
handset_pays() {
  local user=$1 txn=$2 agree=${3:-true} method=${4:-L}
  DEVICE=${USER_DEVICE[$user]} FLOW_ERROR=""
  mailbox_find "$DEVICE" "$txn" payment_command || { FLOW_ERROR="no payment command for $txn"; return 1; }
  device_auth "$(device_auth_body "$txn" "$user" "$DEVICE" "$(msg_field .challenge)")"
  [[ $STATUS == 200 ]] || { FLOW_ERROR="device-auth answered $STATUS: $BODY"; return 1; }
  BINDING_SHOWN=$(jqr '.binding_code // empty')
  confirm "$txn" "$SESSION" "$agree"
  [[ $STATUS == 200 ]] || { FLOW_ERROR="confirmation answered $STATUS: $BODY"; return 1; }
  [[ $agree == true ]] || return 0
  choose "$txn" "$SESSION" "$method"
}
shop_txn() { psql_q "SELECT coalesce(transaction_number, '') FROM shop.orders WHERE code = '$1'"; }
shop_row() { psql_q "SELECT concat_ws('|', state, coalesce(user_id, '-'), coalesce(transaction_number, '-'), coalesce(error, '-')) FROM shop.orders WHERE code = '$1'"; }
# sign_webhook ID TS BODY → the webhook-signature header value for the shop's secret
sign_webhook() {
  local key; key=$(printf '%s' "${SHOP_SECRET#whsec_}" | base64 -d | od -An -v -tx1 | tr -d ' \n')
  echo "v1,$(printf '%s.%s.%s' "$1" "$2" "$3" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$key" -binary | base64)"
}
# webhook ID TS BODY [SIGNATURE] → POST /shop/api/webhooks as the gateway's sender would
webhook() {
  local sig=${4:-$(sign_webhook "$1" "$2" "$3")}
  api POST /shop/api/webhooks -H 'Content-Type: application/json' -H "webhook-id: $1" -H "webhook-timestamp: $2" \
    -H "webhook-signature: $sig" --data-binary "$3"
}
# the demo cards' numbers: none may appear in a page or a log
DEMO_PANS=$(grep -oE '"[0-9]{12,19}"' "$TEST_ROOT/lib/common/demo_data.h" | tr -d '"' | sort -u)
pan_in() { local p; for p in $DEMO_PANS; do grep -rqF -- "$p" "$@" 2>/dev/null && return 0; done; return 1; }
no_pan() { ! pan_in "$@"; }
