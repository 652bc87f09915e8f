#!/usr/bin/env bash
# client_token_declined.t — the token is issued, but the card's own rules
# decline the POS's 0100: user 00007's card has a limit of 1,000 yen, the
# sale is 3,456.  The POS prints the credit server's reason and code, a
# SALE NOT PAID - DECLINED slip, journals token_pending then token_declined
# with response code 51, exits 1; nothing is charged, and the token is spent
# (a declined token cannot be tried again).
. "$(dirname "$0")/client_token_lib.sh"
STORE=$(store_copy 4456789 h4)
export PAYGW_WEB_PASSWORD=demo-web-00007
unlock_user 00007
low() { psql_q "SELECT balance FROM issuer.card_accounts WHERE card_masked = '152500******4567'"; }
before=$(low)

token_pos low --item "Coffee beans,2,1200,192" --item "Mug,1,800,64"
token_watch wlow "$STORE" --agree --method L
PAYGW_HANDSET_PASSWORD=demo-pass-00007 "$HANDSET" --store "$STORE" pay --user 00007 --link "127.0.0.1:$PORT" >"$CT/pay.out" 2>&1
is "pay: exit status 0" "$?" 0
wait_exit "$WATCH" 60; is "watch: exit status 0 (the token was issued)" "$RC" 0
wait_exit "$POS_PID" 60; is "pos: exit status 1" "$RC" 1
J=$CT/low.journal
K=$(jline "$J" 1 .key_id)
check "pos: the credit server's reason and code" grep -q "^Declined by the credit server: over the credit limit (code 51).$" "$CT/low.out"
check "pos: the slip" grep -q "^SALE NOT PAID - DECLINED$" "$CT/low.out"
check "pos: no approval code on it" bash -c "! grep -q '^Approval code' '$CT/low.out'"
is "journal: token_pending, then token_declined 51" "$(jq -r '.status + " " + (.response_code // "-")' "$J" | tr '\n' ' ')" \
  "token_pending - token_declined 51 "
is "credit server: declined, with the token's key" "$(psql_q "SELECT status FROM issuer.authorizations WHERE token_key_id = '$K'")" declined
is "credit server: the token is spent" "$(psql_q "SELECT used_at IS NOT NULL FROM issuer.token_keys WHERE key_id = '$K'")" t
is "balance unchanged" "$(low)" "$before"
check "no card number in what the POS wrote" no_card_in 1525000034567895 "$CT"/low.out "$J" "$J.stan"
done_testing
