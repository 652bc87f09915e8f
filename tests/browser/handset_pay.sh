#!/usr/bin/env bash
# tests/browser/handset_pay.sh — the shopper's handset in the shop tests,
# driven with curl and openssl as tests/api/flowlib.sh drives it (the
# same steps `handset shop CODE` takes: issue 12's contract).  Called only
# through payAsHandset() of tests/browser/shop.js, so the handset side is
# in one place.
#
#   handset_pay.sh announce CODE USER   the handset tells the shop the user
#                                       ID: POST /shop/api/orders/CODE/user
#   handset_pay.sh pay CODE USER [typed] announce (unless "typed": the user
#                                       ID came through the order page's
#                                       form), then the gateway's flow as the
#                                       user's demo handset: mailbox →
#                                       device-auth → confirmation (agree) →
#                                       payment method L (lump sum)
#
# Prints one JSON line: {"announce": {"status": N, "body": ...} | null,
# "transaction": "...", "method": {"status": N, "body": ...} | null,
# "error": "" or what went wrong}.  Exit 0 when every step answered.
# shellcheck disable=SC1091
. "$(dirname "$0")/../api/flowlib.sh" >/dev/null || exit 1
# the transaction is the shop's to end (paid, declined, canceled by a test):
# flowlib's EXIT trap would cancel it, which is not what a handset does
trap 'rm -rf "$FLOW_TMP"' EXIT
mode=$1 code=$2 user=$3 typed=${4:-}
SHOP=${PAYGW_SHOP_URL%/}
ANN=null METHOD_OUT=null ERR=""

out() {
  jq -cn --argjson a "$ANN" --arg t "${TXN:-}" --argjson m "$METHOD_OUT" --arg e "$ERR" \
    '{announce: $a, transaction: $t, method: $m, error: $e}'
}
as_json() { jq -e . >/dev/null 2>&1 <<<"$1" && echo "$1" || jq -cn --arg s "$1" '$s'; }

announce() {
  local o meta
  o=$(mktemp)
  meta=$(curl -sS -o "$o" -w '%{http_code}' --cacert "$PAYGW_CA" -X POST -H 'Content-Type: application/json' \
    --data "$(jq -cn --arg u "$user" '{user_id: $u}')" "$SHOP/api/orders/$code/user") || meta=000
  ANN=$(jq -cn --argjson s "$meta" --argjson b "$(as_json "$(cat "$o")")" '{status: $s, body: $b}')
  rm -f "$o"
  [[ $meta == 200 ]] || { ERR="the shop answered $meta to the handset's user ID"; return 1; }
  TXN=$(jq -r '.body.transaction // empty' <<<"$ANN")
}

if [[ $mode == announce || -z $typed ]]; then
  announce || { out; exit 1; }
fi
[[ $mode == announce ]] && { out; exit 0; }

if [[ -n $typed ]]; then    # the page's form sent the user ID: the shop's row names the transaction
  for _ in $(seq 50); do
    TXN=$(psql_q "SELECT transaction_number FROM shop.orders WHERE code = '$code' AND transaction_number IS NOT NULL")
    [[ -n $TXN ]] && break
    sleep 0.2
  done
  [[ -n $TXN ]] || { ERR="order $code has no transaction"; out; exit 1; }
fi
DEVICE=${USER_DEVICE[$user]}
mailbox_find "$DEVICE" "$TXN" payment_command || { ERR="no payment command for $TXN in the mailbox of $DEVICE"; out; exit 1; }
CHALLENGE=$(msg_field .challenge)
device_auth "$(device_auth_body "$TXN" "$user" "$DEVICE" "$CHALLENGE")"
[[ $STATUS == 200 ]] || { ERR="device-auth answered $STATUS: $BODY"; out; exit 1; }
confirm "$TXN" "$SESSION" true
[[ $STATUS == 200 ]] || { ERR="confirmation answered $STATUS: $BODY"; out; exit 1; }
choose "$TXN" "$SESSION" L
METHOD_OUT=$(jq -cn --argjson s "$STATUS" --argjson b "$(as_json "$BODY")" '{status: $s, body: $b}')
[[ $STATUS == 200 ]] || ERR="payment-method answered $STATUS: $BODY"
out
[[ -z $ERR ]]
