#!/usr/bin/env bash
# client_token_completed.t — the second embodiment end to end with the real
# programs: `pos token-sale` gets user 00001 over the link, asks POST
# /v1/tokens, shows the waiting line; `handset watch` verifies and shows
# the token confirmation, agrees with the web password; the gateway
# delivers the key (0600) and hands the POS the encrypted card number; the
# POS journals token_pending, sends its own 0100 to the credit server over
# mutual TLS (its merchant certificate), prints the receipt and journals
# token_completed.  The balance moves once.  The POS never held the card
# number: not in a byte it printed, journaled or counted (STAN file).  A
# second sale for the same user gets another key and encrypted number.
# `pos token-void` reverses the first: balance back, token spent.
. "$(dirname "$0")/client_token_lib.sh"
STORE=$(store_copy 1234567 h1)
export PAYGW_WEB_PASSWORD=demo-web-00001
unlock_user 00001
before=$(balance_a)
J=$CT/sales.journal
export JOURNAL=$J

token_pos sale1 --item "Coffee beans,2,1200,192" --item "Mug,1,800,64"
check "pos waits on the link" test $? -eq 0
token_watch w1 "$STORE" --agree --method L
send_user 00001 "$STORE"; is "pay: exit status 0" "$?" 0
wait_exit "$WATCH" 60; is "watch: exit status 0" "$RC" 0
wait_exit "$POS_PID" 60; is "pos: exit status 0" "$RC" 0
T1=$(pos_token sale1)
check "pos printed the token request's id" test -n "$T1"
check "pos showed the waiting line" grep -qE "Waiting for the shopper's reply on the handset\.\.\. \[awaiting_reply\] [0-9]+s" "$CT/sale1.out"
is "gateway: the request is issued" "$(token_row "$T1")" "issued|"
check "watch: token confirmation shown with the shop" grep -q "Shop:          Shop A Ginza (merchant 1111111111)" "$CT/w1.watch"
check "watch: the total" grep -q "Total:         3,456 JPY" "$CT/w1.watch"
binding=$(psql_q "SELECT binding_code FROM gateway.token_requests WHERE token = '$T1'")
check "watch and pos show the gateway's binding code" \
  eval "grep -q 'Binding code:  $binding' '$CT/w1.watch' && grep -q 'Binding code $binding' '$CT/sale1.out'"
check "watch: answered Agree" grep -q "^Answer: Agree$" "$CT/w1.watch"
check "watch: confirmed" grep -q "^Confirmed: the shop received the encrypted card number" "$CT/w1.watch"

read -r K1 E1 <<<"$(psql_q "SELECT key_id || ' ' || encrypted_card_number FROM gateway.token_requests WHERE token = '$T1'")"
is "journal: two lines" "$(wc -l <"$J")" 2
is "journal: token_pending first, then token_completed" "$(jq -r .status "$J" | tr '\n' ' ')" "token_pending token_completed "
is "journal: the pending line holds the token and the 0100's STAN" \
  "$(jline "$J" 1 '[.token, .key_id, .encrypted_card_number, (.stan | test("^[0-9]{6}$")), .iso_terminal_id] | join(" ")')" \
  "$T1 $K1 $E1 true $(psql_q "SELECT iso_terminal_id FROM gateway.terminals WHERE code = 'pos-1111111111'")"
code=$(jline "$J" 2 .approval_code)
stan=$(jline "$J" 1 .stan)
is "journal: completed with 00" "$(jline "$J" 2 '[.response_code, .key_id, .encrypted_card_number, .card, .total] | join(" ")')" \
  "00 $K1 $E1 ************5678 3456"
check "receipt: RECEIPT" grep -q "^RECEIPT$" "$CT/sale1.out"
check "receipt: the approval code" grep -qE "^Approval code $code$" "$CT/sale1.out"
check "receipt: the card's last 4 only" grep -qE "^Card +\*{12}5678$" "$CT/sale1.out"
check "receipt: total" grep -qE "^TOTAL +3,456 JPY$" "$CT/sale1.out"
is "credit server: the POS's authorization, from the merchant, with the token's key" \
  "$(psql_q "SELECT status || ' ' || amount || ' ' || peer || ' ' || approval_code FROM issuer.authorizations WHERE token_key_id = '$K1'")" \
  "approved 3456 merchant-1111111111 $code"
is "credit server: its STAN is the POS's" "$(psql_q "SELECT stan FROM issuer.authorizations WHERE token_key_id = '$K1'")" "$stan"
is "credit server: the token is spent" "$(psql_q "SELECT used_at IS NOT NULL FROM issuer.token_keys WHERE key_id = '$K1'")" t
is "credit server: fig 24D holds the encrypted number for this sale" \
  "$(psql_q "SELECT card_number FROM issuer.merchant_sales WHERE token_key_id = '$K1'")" "$E1"
is "balance: charged once" "$(balance_a)" "$((before + 3456))"
is "the STAN counter beside the journal holds the STAN" "$(cat "$J.stan")" "$stan"

# --- a second sale for the same user: another key, another encrypted number
# (the web password from a file descriptor this time, not the environment)
token_pos sale2 --item "Rice cooker,1,24000,2400" --method I3
printf 'demo-web-00001\n' >"$CT/pw"
PAYGW_WEB_PASSWORD="" token_watch w2 "$STORE" --agree --method L --password-fd 3 3<"$CT/pw"
send_user 00001 "$STORE"
wait_exit "$WATCH" 60; is "second: watch exit status 0" "$RC" 0
wait_exit "$POS_PID" 60; is "second: pos exit status 0" "$RC" 0
T2=$(pos_token sale2)
read -r K2 E2 <<<"$(psql_q "SELECT key_id || ' ' || encrypted_card_number FROM gateway.token_requests WHERE token = '$T2'")"
check "second: another key ID" test -n "$K2" -a "$K2" != "$K1"
check "second: another encrypted card number for the same card" test -n "$E2" -a "$E2" != "$E1"
is "second: journal 4 lines, the last completed in 3" "$(wc -l <"$J") $(jline "$J" 4 '.status + " " + .method + " " + (.installments | tostring)')" \
  "4 token_completed I 3"
check "second: receipt says I (3 payments)" grep -qE "^Method +I \(3 payments\)$" "$CT/sale2.out"
is "second: the STANs differ" "$(jline "$J" 3 .stan | grep -vc "^$stan$")" 1
is "balance: both sales" "$(balance_a)" "$((before + 3456 + 26400))"

# --- token-void of the first sale
"$POS" token-void --key-id "$K1" --journal "$J" >"$CT/void.out" 2>&1
is "void: exit status 0" "$?" 0
check "void: says voided" grep -q "^SALE VOIDED: the credit server reversed the authorization (code 00)" "$CT/void.out"
is "void: journal token_voiding then token_voided" "$(jq -r 'select(.key_id == "'"$K1"'") | .status' "$J" | tr '\n' ' ')" \
  "token_pending token_completed token_voiding token_voided "
is "void: the authorization is reversed" "$(psql_q "SELECT status FROM issuer.authorizations WHERE token_key_id = '$K1'")" reversed
is "void: balance back to the second sale only" "$(balance_a)" "$((before + 26400))"
"$POS" token-void --key-id "$K1" --journal "$J" >"$CT/void2.out" 2>&1
is "void again: exit status 1" "$?" 1
check "void again: says why" grep -q "cannot be voided: its journal says token_voided" "$CT/void2.out"
is "void again: nothing sent, balance as it was" "$(balance_a)" "$((before + 26400))"
"$POS" token-void --key-id "$K2" --journal "$J" >"$CT/void3.out" 2>&1
is "void of the second: exit status 0" "$?" 0
is "balance: back where it started" "$(balance_a)" "$before"

check "the POS never held the card number: output, journal, STAN file" \
  no_card_in "$CARD_A" "$CT"/sale*.out "$CT"/void*.out "$J" "$J.stan"
check "the handset never got it either" no_card_in "$CARD_A" "$CT"/w*.watch
check "no 12+ digit run in the journal but the token's expiry and field 7" \
  eval "! jq -r 'del(.expiry, .transmission_time, .time) | tostring' '$J' | grep -qE '[0-9]{12,}'"
is "journal: mode 600" "$(stat -c %a "$J")" 600
done_testing
