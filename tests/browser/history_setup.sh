#!/usr/bin/env bash
# tests/browser/history_setup.sh — what the history's browser tests set up
# on the stack from the shell, with tests/api/flowlib.sh (paygw-admin,
# curl and openssl as the flow tests drive them).  Called only through
# tests/browser/history.js.  Each prints one JSON line and exits 0 when
# every step answered as documented.
#
#   history_setup.sh user TAG   a shopper of the test's own, user ID uTAG
#                               (flowlib's enrol_shopper: subscriber,
#                               handset, a card in no issuer's range), given
#                               the web password read from stdin with
#                               `paygw-admin user set-web-password --user-id uTAG`;
#                               prints {"user", "card_masked", "error"}
#   history_setup.sh merchant NAME SHOP
#                               a merchant of the test's own named NAME, its
#                               shop SHOP (any text paygw-admin takes), with
#                               a terminal; prints {"code", "error"}
#   history_setup.sh pay USER   a real payment of the demo user USER through
#                               the flow: merchant 1111111111's demo
#                               terminal asks for a transaction of two items
#                               (POST /v1/transactions), and USER's demo
#                               handset polls, authenticates, agrees and
#                               chooses the lump sum (L); prints
#                               {"transaction", "binding_code", "total",
#                               "tax_total", "status", "error"}
# shellcheck disable=SC1091
. "$(dirname "$0")/../api/flowlib.sh" >/dev/null || exit 1
mode=$1 arg=$2
ERR=""

if [[ $mode == user ]]; then
  password=$(cat)
  if ! enrol_shopper "$arg"; then
    ERR="paygw-admin refused an enrolment step: $(cat "$FLOW_TMP/enrol.err")"
  elif ! printf '%s\n' "$password" | "$PAYGW_ADMIN" user set-web-password --user-id "u$arg" >/dev/null 2>"$FLOW_TMP/pw.err"; then
    ERR="paygw-admin user set-web-password u$arg failed: $(cat "$FLOW_TMP/pw.err")"
  fi
  jq -cn --arg u "u$arg" --arg c "${USER_CARD[u$arg]:-}" --arg e "$ERR" '{user: $u, card_masked: $c, error: $e}'
  [[ -z $ERR ]]; exit
fi

if [[ $mode == merchant ]]; then
  code=$(date +%s%N | cut -c4-15)
  { "$PAYGW_ADMIN" merchant add --code "$code" --name "$arg" --shop "$3" &&
    "$PAYGW_ADMIN" terminal add --merchant "$code" --code "h$(unique_tag)"; } >/dev/null 2>"$FLOW_TMP/m.err" ||
    ERR="paygw-admin refused the merchant: $(cat "$FLOW_TMP/m.err")"
  jq -cn --arg c "$code" --arg e "$ERR" '{code: $c, error: $e}'
  [[ -z $ERR ]]; exit
fi

[[ $mode == pay ]] || { echo "usage: history_setup.sh user TAG | merchant NAME SHOP | pay USER" >&2; exit 2; }
user=$arg MERCHANT=1111111111 STATE=""
# two items, each with its tax: 2 × 600..689 yen at 8 %, 1 × 480 yen at
# 10 % (a total that differs from run to run)
p1=$((600 + RANDOM % 90))
sale=$(jq -cn --arg u "$user" --argjson p "$p1" \
  '{user_id: $u, currency: "JPY", reference: "history-browser-test",
    items: [{name: "Coffee beans", quantity: 2, unit_price: $p, tax: (2 * $p * 8 / 100 | floor)},
            {name: "Tea cup", quantity: 1, unit_price: 480, tax: 48}]}')
pos POST /v1/transactions "$MERCHANT" -H 'Content-Type: application/json' --data "$sale"
if [[ $STATUS != 201 ]]; then
  ERR="POST /v1/transactions answered $STATUS: $BODY"
else
  TXN=$(jqr .transaction) BINDING=$(jqr .binding_code) TOTAL=$(jqr .total) TAX=$(jqr .tax_total)
  DEVICE=${USER_DEVICE[$user]}
  if ! mailbox_find "$DEVICE" "$TXN" payment_command; then
    ERR="no payment command for $TXN in the mailbox of $DEVICE"
  else
    device_auth "$(device_auth_body "$TXN" "$user" "$DEVICE" "$(msg_field .challenge)")"
    if [[ $STATUS != 200 ]]; then ERR="device-auth answered $STATUS: $BODY"; else
      confirm "$TXN" "$SESSION" true
      if [[ $STATUS != 200 ]]; then ERR="confirmation answered $STATUS: $BODY"; else
        choose "$TXN" "$SESSION" L
        [[ $STATUS == 200 ]] || ERR="payment-method answered $STATUS: $BODY"
      fi
    fi
  fi
  STATE=$(psql_q "SELECT status FROM gateway.transactions WHERE number = '$TXN'")
fi
jq -cn --arg t "${TXN:-}" --arg b "${BINDING:-}" --arg total "${TOTAL:-}" --arg tax "${TAX:-}" --arg s "$STATE" --arg e "$ERR" \
  '{transaction: $t, binding_code: $b, total: $total, tax_total: $tax, status: $s, error: $e}'
[[ -z $ERR ]]
