#!/usr/bin/env bash
# client_declined.t — the issuer declines (user 00007 has a 1,000 yen limit):
# the handset shows the decline reason instead of "Payment has now been
# completed." and exits 1; the POS prints DECLINED with the reason and the
# ISO 8583 response code, journals it, and prints no approval code.
. "$(dirname "$0")/client_lib.sh"
LINK=$CT/link.sock
STORE=$(store_copy 4456789 h4)

pos_start sale --merchant 1111111111 --shop "Shop A Ginza" --item "Kettle,1,5000,500" --listen "$LINK" --link-timeout 20
wait_for "$CT/sale.out" "proximity link" 10
"$HANDSET" --store "$STORE" watch --once --agree --method L --for 60 >"$CT/watch.out" 2>&1 &
WATCH=$!; CLIENT_PIDS+=("$WATCH")
PAYGW_HANDSET_PASSWORD=demo-pass-00007 "$HANDSET" --store "$STORE" pay --user 00007 --link "$LINK" >"$CT/pay.out" 2>&1
is "pay: exit status 0" "$?" 0
wait_exit "$WATCH" 60; is "watch: exit status 1" "$RC" 1
check "watch: shows the decline reason" grep -qE "^The payment was declined: .+\.$" "$CT/watch.out"
check "watch: does not claim completion" bash -c "! grep -q 'Payment has now been completed' '$CT/watch.out'"
wait_exit "$POS_PID" 30; is "pos: exit status 1" "$RC" 1
N=$(pos_number sale)
is "gateway: declined" "$(txn_status "$N")" declined
code=$(psql_q "SELECT response_code FROM gateway.transactions WHERE number = '$N'")
check "pos: DECLINED with reason and code" grep -qE "^DECLINED: .+ \(code $code\)$" "$CT/sale.out"
check "pos: no approval code" bash -c "! grep -q 'Approval code' '$CT/sale.out'"
is "journal: declined with the code" "$(jq -r '[.status, .decline_code] | join(" ")' "$CT/sale.journal")" "declined $code"
check "no card number anywhere" no_pan_in "$CT"/*.out "$CT/sale.journal"

# --- a card the merchant does not take (figure 10): declined on agreeing ----------
STORE1=$(store_copy 1234567 h1)
pos_start sale2 --merchant 1111111111 --item "Kettle,1,5000,500" --listen "$LINK" --link-timeout 20
wait_for "$CT/sale2.out" "proximity link" 10
"$HANDSET" --store "$STORE1" watch --once --agree --method L --for 60 >"$CT/watch2.out" 2>&1 &
WATCH=$!; CLIENT_PIDS+=("$WATCH")
PAYGW_HANDSET_PASSWORD=demo-pass-00004 "$HANDSET" --store "$STORE1" pay --user 00004 --link "$LINK" >/dev/null 2>&1
wait_exit "$WATCH" 60; is "card not accepted: watch exit status 1" "$RC" 1
check "card not accepted: the handset says declined" grep -q "^The payment was declined: " "$CT/watch2.out"
check "card not accepted: no method screen" bash -c "! grep -q 'Select the payment method' '$CT/watch2.out'"
wait_exit "$POS_PID" 30; is "card not accepted: pos exit status 1" "$RC" 1
check "card not accepted: POS prints the code" grep -qE "^DECLINED: .+ \(code card_not_accepted\)$" "$CT/sale2.out"
done_testing
