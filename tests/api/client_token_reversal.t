#!/usr/bin/env bash
# client_token_reversal.t — the POS's own 0100 gets no answer: the credit
# server's test controls (`drop 5678`, by the last 4 digits of the card the
# token opens to) decide it, charge, and never answer; the POS cannot know.
# The POS reverses it (0400, repeats as 0401 until acknowledged), journals
# token_reversed and exits 1: the balance is back.  Then a POS killed while
# waiting for the 0110 leaves its token_pending line without an end; the
# next start of pos on that journal reverses it before anything else
# (exactly once), and a second POS on the same journal never reverses a
# sale a living POS is still waiting on.
. "$(dirname "$0")/client_token_lib.sh"
if [[ -z ${PAYGW_CREDIT_TEST_CONTROLS:-} ]]; then
  echo "not ok - the credit server runs with test controls (PAYGW_CREDIT_TEST_CONTROLS; scripts/check sets it)"
  exit 1
fi
controls=$PAYGW_CREDIT_TEST_CONTROLS
trap 'rm -f "$controls"; token_cleanup' EXIT
STORE=$(store_copy 1234567 h1)
export PAYGW_WEB_PASSWORD=demo-web-00001 PAYGW_CLIENT_BACKOFF_MAX=2
unlock_user 00001
J=$CT/sales.journal
export JOURNAL=$J
before=$(balance_a)

# one_sale NAME ARGS...: a token sale of 3,456 yen up to the POS's 0100
one_sale() {
  local name=$1; shift
  token_pos "$name" --item "Coffee beans,2,1200,192" --item "Mug,1,800,64" "$@"
  token_watch "w$name" "$STORE" --agree --method L
  send_user 00001 "$STORE"
  wait_exit "$WATCH" 60
}

# --- no 0110: reversed at once
echo "drop 5678" >"$controls"
one_sale lost --credit-timeout 2
wait_exit "$POS_PID" 60; is "no answer: pos exit status 1" "$RC" 1
K=$(jq -r 'select(.status == "token_pending") | .key_id' "$J" | tail -1)
check "no answer: the POS says it reverses" grep -q "^No answer from the credit server (no 0110 within 2 s): reversing the authorization (0400)...$" "$CT/lost.out"
check "no answer: acknowledged" grep -q "^The credit server acknowledged the reversal (code 00): nothing is charged.$" "$CT/lost.out"
check "no answer: the slip" grep -q "^SALE NOT PAID - REVERSED$" "$CT/lost.out"
is "no answer: journal token_pending, token_reversed" "$(jq -r 'select(.key_id == "'"$K"'") | .status' "$J" | tr '\n' ' ')" \
  "token_pending token_reversed "
is "no answer: the credit server had charged, then reversed" \
  "$(psql_q "SELECT status FROM issuer.authorizations WHERE token_key_id = '$K'")" reversed
is "no answer: balance unchanged" "$(balance_a)" "$before"

# --- the POS dies while the 0110 is lost: its next start reverses the sale
one_sale killed --credit-timeout 30
wait_for "$CT/killed.out" "Asking the credit server" 30
sleep 1
K2=$(jq -r 'select(.status == "token_pending") | .key_id' "$J" | tail -1)
check "killed: another sale than the first" test -n "$K2" -a "$K2" != "$K"
for ((i = 0; i < 50; i++)); do
  [[ $(psql_q "SELECT count(*) FROM issuer.authorizations WHERE token_key_id = '$K2'") == 1 ]] && break
  sleep 0.1
done
is "killed: the credit server charged it (and dropped the 0110)" "$(balance_a)" "$((before + 3456))"

# a second POS on the same journal while the first still waits: it leaves that sale alone
"$POS" token-void --key-id "AAAAAAAAAAAAAAAAAAAAAA" --journal "$J" >"$CT/other.out" 2>&1
is "living POS: the other POS's start reversed nothing" "$(jq -r 'select(.key_id == "'"$K2"'") | .status' "$J" | tr '\n' ' ')" \
  "token_pending "
check "living POS: and said nothing of it" bash -c "! grep -q 'without an end' '$CT/other.out'"

kill -9 "$POS_PID"; wait "$POS_PID" 2>/dev/null
rm -f "$controls" # the next start's reversal is a 0400: never dropped anyway
is "killed: the journal's last line for it is token_pending" "$(jq -r 'select(.key_id == "'"$K2"'") | .status' "$J" | tail -1)" token_pending
"$POS" token-void --key-id "$K2" --journal "$J" >"$CT/next.out" 2>&1
is "next start: token-void of that sale exits 1 (it was reversed first)" "$?" 1
check "next start: says it reverses the sale in doubt first" \
  grep -q "^The journal holds the token sale STAN [0-9]\{6\} (key ID $K2, .*) without an end: reversing it first...$" "$CT/next.out"
check "next start: reversed" grep -qE "^Reversed STAN [0-9]{6} \(code 00\)\.$" "$CT/next.out"
check "next start: then refuses the void" grep -q "cannot be voided: its journal says token_reversed" "$CT/next.out"
is "next start: journal token_pending, token_reversed" "$(jq -r 'select(.key_id == "'"$K2"'") | .status' "$J" | tr '\n' ' ')" \
  "token_pending token_reversed "
is "next start: the authorization is reversed" "$(psql_q "SELECT status FROM issuer.authorizations WHERE token_key_id = '$K2'")" reversed
is "next start: balance back" "$(balance_a)" "$before"
"$POS" token-void --key-id "$K2" --journal "$J" >"$CT/again.out" 2>&1
check "a later start: nothing left to reverse (exactly once)" bash -c "! grep -q 'without an end' '$CT/again.out'"
is "a later start: the journal unchanged for it" "$(jq -r 'select(.key_id == "'"$K2"'") | .status' "$J" | wc -l)" 2
check "the POS never held the card number" no_card_in "$CARD_A" "$CT"/*.out "$J" "$J.stan"
done_testing
