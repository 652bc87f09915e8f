#!/usr/bin/env bash
# tests/browser/handset_pay.sh — the shopper's handset in the shop tests,
# `handset shop CODE` itself, or for the steps a test takes apart, curl and
# openssl as tests/api/flowlib.sh drives them.  Called only
# through payAsHandset() of tests/browser/shop.js, so the handset side is
# in one place.
#
#   handset_pay.sh announce CODE USER   the handset tells the shop the user
#                                       ID: POST /shop/api/orders/CODE/user
#   handset_pay.sh pay CODE USER        the handset client itself:
#                                       `handset shop CODE --agree --method L`
#                                       as USER; prints {"handset": {"exit": N,
#                                       "output": "..."}, "transaction": "...",
#                                       "error": ""}
#   handset_pay.sh pay CODE USER typed  the user ID came through the order
#                                       page's form: the gateway's flow as the
#                                       user's demo handset (flowlib.sh):
#                                       mailbox → device-auth → confirmation
#                                       (agree) → payment method L (lump sum)
#
# announce and typed print one JSON line: {"announce": {"status": N, "body":
# ...} | null, "transaction": "...", "method": {"status": N, "body": ...} |
# null, "error": "" or what went wrong}.  Exit 0 when every step answered.
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

# the shopper's own handset program pays the order: `handset shop CODE` (its
# local authentication, the user ID to the shop, the payment to its end),
# with a copy of the user's demo UIM store so no earlier test's state counts
if [[ $mode == pay && -z $typed ]]; then
  store=$FLOW_TMP/store.json
  (umask 077; jq '.auth_results = [] | del(.lockout)' "$PAYGW_VAR/demo/uim/${USER_DEVICE[$user]}.json" >"$store")
  PAYGW_HANDSET_PASSWORD=demo-pass-$user "$TEST_ROOT/handset-client/handset" --store "$store" shop "$code" \
    --user "$user" --agree --method L >"$FLOW_TMP/handset.out" 2>&1
  rc=$?
  TXN=$(psql_q "SELECT coalesce(transaction_number, '') FROM shop.orders WHERE code = '$code'")
  # exit 0 paid, 1 not paid (declined, failed): the handset ran to an answer
  ((rc <= 1)) || ERR="handset shop exited $rc"
  jq -cn --argjson x "$rc" --rawfile o "$FLOW_TMP/handset.out" --arg t "$TXN" --arg e "$ERR" \
    '{handset: {exit: $x, output: $o}, transaction: $t, error: $e}'
  [[ -z $ERR ]]; exit
fi
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
