#!/usr/bin/env bash
# gateway_no_pan.t — issue 5: after payments that complete, are declined by
# the issuer or are refused by the merchant (card not accepted) or for a
# method not offered, no demo card number in clear (nor spaced or dashed)
# is in any gateway answer seen, in any log under $PAYGW_VAR/log, or in a
# pg_dump of the whole database (gateway and issuer schemas).
. "$(dirname "$0")/flowlib.sh"

ANSWERS=$FLOW_TMP/answers
# every answer the gateway gives in this test is kept (and its headers)
eval "api_plain() $(declare -f api | tail -n +2)"
api() { api_plain "$@" -D "$FLOW_TMP/h"; { printf '%s\n' "$BODY"; cat "$FLOW_TMP/h"; } >>"$ANSWERS"; }

PANS=$(grep -oE '"[0-9]{13,19}"' "$PAYGW_ROOT/lib/common/demo_data.h" | tr -d '"' | sort -u)
is "the demo card numbers were read from demo_data.h" "$(wc -w <<<"$PANS")" 8

# --- payments that touch the card in every way --------------------------------------
flow_to chosen 1111111111 00001 120 I 3
is "a completed payment (installments)" "$STATUS $(jqr .status)" "200 completed"
pos GET "/v1/transactions/$TXN" 1111111111
mailbox_find "$DEVICE" "$TXN" completion
flow_to chosen 1111111111 00007 5000 L
is "a payment over the limit" "$(jqr .decline.code)" 51
flow_to chosen 1111111111 00008 100 L
is "a payment with a card unknown at the issuer" "$(jqr .decline.code)" 14
pos GET "/v1/transactions/$TXN" 1111111111
mailbox_find "$DEVICE" "$TXN" completion
flow_to awaiting_confirmation 1111111111 00002
confirm "$TXN" "$SESSION" true
is "a card the merchant does not take" "$(jqr .decline.code)" card_not_accepted
flow_to awaiting_method 2222222222 00004
handset GET "$TXN" payment-methods "$SESSION"
choose "$TXN" "$SESSION" R
is "a method not offered" "$(jqr .code)" method_not_offered
choose "$TXN" "$SESSION" B
is "a bonus payment" "$(jqr .status)" completed
check "answers were recorded" test -s "$ANSWERS"

# --- where a card number must not be -------------------------------------------------
# found_in FILE... → prints the last 4 digits of each demo card found in clear
found_in() {
  local pan form spaced
  for pan in $PANS; do
    spaced=$(sed -E 's/(.{4})/\1 /g; s/ $//' <<<"$pan")
    for form in "$pan" "$spaced" "${spaced// /-}"; do
      if grep -qF -- "$form" "$@" 2>/dev/null; then echo "…${pan: -4}"; break; fi
    done
  done
}

is "no card number in any gateway answer or header" "$(found_in "$ANSWERS" | tr '\n' ' ')" ""
for log in "$PAYGW_VAR"/log/*.log; do
  [[ $(basename "$log") == initdb.log ]] && continue
  is "no card number in $(basename "$log")" "$(found_in "$log" | tr '\n' ' ')" ""
done
DUMP=$FLOW_TMP/dump.sql
PGDUMP=${PAYGW_PGBIN:-/usr/lib/postgresql/15/bin}/pg_dump
[[ -x $PGDUMP ]] || PGDUMP=pg_dump
"$PGDUMP" "$PAYGW_PGURI" >"$DUMP"
check "pg_dump of the whole database worked" test -s "$DUMP"
check "the dump holds both schemas" grep -q 'CREATE TABLE issuer.card_accounts' "$DUMP"
is "no card number in the dump" "$(found_in "$DUMP" | tr '\n' ' ')" ""
check "the dump does hold masked parts (first 6 + last 4 columns)" grep -q '152500' "$DUMP"

done_testing
