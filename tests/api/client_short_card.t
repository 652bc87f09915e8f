#!/usr/bin/env bash
# client_short_card.t — a 14-digit card (PCI DSS 3.4.1: under 16 digits only
# the last 4 may be shown, so at least 6 stay hidden) enrolled with
# paygw-admin and the credit server, then paid with by `pos` and `handset`:
# every place it is shown — card add, card list, user list, the UIM store,
# the handset's card picker, its payment details (device-auth answer) and
# result, the POS receipt and journal, the gateway's answers, the stored
# row, the issuer's sales view and the credit server's log — shows
# "**********NNNN", never its first 6 digits; the database keeps no clear
# digit but the last 4.  Its proximity link listens on PAYGW_TEST_PORT_BASE + 14.
. "$(dirname "$0")/client_lib.sh"
ADMIN=$TEST_ROOT/admin/paygw-admin
CREDIT_SERVER=$TEST_ROOT/credit-server/credit-server
PORT=$((${PAYGW_TEST_PORT_BASE:-10600} + 14))
S=k$$$RANDOM
# "13559" + 8 random digits + check digit: 14 digits inside issuer A's range
# 13500-13560 (demo data), which merchant 1111111111 takes; no demo card
# starts so
PAN=$(luhn "13559$(printf '%08d' $(( (RANDOM * 32768 + RANDOM) % 100000000 )))")
MASK="**********${PAN: -4}"
MASK_RE="\*{10}${PAN: -4}"
PASS="short card password $S"

is "the test card has 14 digits" "${#PAN}" 14

# --- enrolment --------------------------------------------------------------
quietly "$ADMIN" subscriber add --code "s$S" --name "Short $S"
quietly "$ADMIN" device add --subscriber "s$S" --code "d$S" --key-out "$CT/d.pem"
"$ADMIN" card add --subscriber "s$S" --expiry 3012 --label "Short card" <<<"$PAN" >"$CT/card.out" 2>"$CT/card.err"
is "card add: exit status 0" "$?" 0
card=$(awk '{print $2}' "$CT/card.out")
is "card add prints the card with the last 4 only" "$(awk '{print $3}' "$CT/card.out")" "$MASK"
printf '%s\n' "$PASS" | "$ADMIN" user add --user-id "u$S" --subscriber "s$S" --card "$card" --device "d$S" >/dev/null 2>&1
is "user add: exit status 0" "$?" 0
"$ADMIN" card list >"$CT/card-list.out" 2>&1
check "card list shows it with the last 4 only" grep -qE "^$card +s$S +$MASK_RE " "$CT/card-list.out"
"$ADMIN" user list >"$CT/user-list.out" 2>&1
check "user list shows it with the last 4 only" grep -qE "^u$S +s$S +$card +$MASK_RE " "$CT/user-list.out"
is "gateway.cards keeps the mask" "$(psql_q "SELECT pan_masked FROM gateway.cards WHERE id = $card")" "$MASK"
is "gateway.cards keeps no clear digit but the last 4 (ciphertext and lookup hash aside)" \
  "$(psql_q "SELECT position('${PAN:0:6}' IN (to_jsonb(c) - 'pan_ciphertext' - 'pan_lookup')::text) FROM gateway.cards c WHERE id = $card")" 0
STORE=$CT/store.json
quietly "$ADMIN" uim write --device "d$S" --device-key "$CT/d.pem" --out "$STORE"
is "UIM store: the card with the last 4 only" "$(jq -r '.users[0].card_masked' "$STORE")" "$MASK"
"$CREDIT_SERVER" --enrol-account --expiry 3012 --limit 100000 --holder "Short $S" --address "1 Short St" \
  <<<"$PAN" >"$CT/account.out" 2>"$CT/account.err"
is "credit server: the issuer holds the card" "$?" 0
account=$(sed -n 's/^account //p' "$CT/account.out")
is "issuer.card_accounts keeps the mask" "$(psql_q "SELECT card_masked FROM issuer.card_accounts WHERE id = ${account:-0}")" "$MASK"
is "issuer.card_accounts keeps no clear digit but the last 4 (ciphertext and lookup hash aside)" \
  "$(psql_q "SELECT position('${PAN:0:6}' IN (to_jsonb(c) - 'card_ciphertext' - 'card_lookup_hash')::text) FROM issuer.card_accounts c WHERE id = ${account:-0}")" 0

# --- the purchase -----------------------------------------------------------
pos_start sale --merchant 1111111111 --reference "short-$$" --item "Tea,1,700,56" \
  --listen "127.0.0.1:$PORT" --link-timeout 30
check "pos waits on the link" wait_for "$CT/sale.out" "proximity link 127.0.0.1:$PORT" 10
"$HANDSET" --store "$STORE" watch --once --agree --method L --for 60 >"$CT/watch.out" 2>&1 &
WATCH=$!; CLIENT_PIDS+=("$WATCH")
PAYGW_HANDSET_PASSWORD=$PASS "$HANDSET" --store "$STORE" pay --user "u$S" --link "127.0.0.1:$PORT" \
  >"$CT/pay.out" 2>&1
is "pay: exit status 0" "$?" 0
wait_exit "$WATCH" 60; is "watch: exit status 0" "$RC" 0
wait_exit "$POS_PID" 30; is "pos: exit status 0" "$RC" 0
"$HANDSET" --store "$STORE" cards >"$CT/picker.out" 2>&1
check "handset: the card picker (fig 13) shows the last 4 only" grep -qE "\[1\] Short card +$MASK_RE +user ID u$S" "$CT/picker.out"
check "handset: the payment details (fig 16) show the last 4 only" grep -qE "^  Card: +Short card +$MASK_RE$" "$CT/watch.out"
check "handset: the result shows the last 4 only" grep -qE "card $MASK_RE\.$" "$CT/watch.out"
check "handset: Payment has now been completed." grep -q "^Payment has now been completed.$" "$CT/watch.out"

N=$(pos_number sale)
is "gateway: the transaction is completed" "$(txn_status "$N")" completed
is "gateway: the transaction's card, masked" "$(psql_q "SELECT card_masked FROM gateway.transactions WHERE number = '$N'")" "$MASK"
cred=$(env_get "$PAYGW_VAR/demo/terminals.env" PAYGW_TERMINAL_1111111111)
api GET "/v1/transactions/$N" -H "Authorization: Bearer $cred"
is "gateway: GET /v1/transactions/{n} answers the completion's card masked" "$(jqr .completion.card)" "$MASK"
check "receipt: the card with the last 4 only" grep -qE "^Card +$MASK_RE$" "$CT/sale.out"
is "journal: the card with the last 4 only" "$(jq -r .card "$CT/sale.journal")" "$MASK"
is "issuer: the sales view (fig 24D) shows the card masked" \
  "$(psql_q "SELECT card_masked FROM issuer.merchant_sales WHERE approval_code = (SELECT approval_code FROM gateway.transactions WHERE number = '$N') AND merchant_code = '1111111111'")" "$MASK"
check "credit server log: the authorization's card with the last 4 only" grep -qF "\"card\":\"$MASK\"" "$PAYGW_VAR/log/credit-server.log"

# --- nowhere the first 6 digits next to the mask, nowhere the number ---------
files=("$CT"/*.out "$CT/sale.journal" "$STORE" "$PAYGW_VAR/log/gateway.log" "$PAYGW_VAR/log/credit-server.log")
check "the files searched exist and are not empty" bash -c 'for f; do [[ -s $f ]] || exit 1; done' _ "${files[@]}"
check "no output, store, journal or log holds the card number" bash -c '! grep -qF -- "$1" "${@:2}"' _ "$PAN" "${files[@]}"
check "none shows the first 6 digits of the card" bash -c '! grep -qF -- "$1*" "${@:2}"' _ "${PAN:0:6}" "${files[@]}"
done_testing
