#!/usr/bin/env bash
# client_not_agree.t — the shopper answers Not agree on figure 16: the
# handset says the payment was canceled, the gateway cancels it ([0087]),
# the POS prints CANCELED with the reason and journals the sale as canceled;
# nothing reaches the credit server.
. "$(dirname "$0")/client_lib.sh"
LINK=$CT/link.sock
STORE=$(store_copy 1234567 h1)
before=$(psql_q "SELECT count(*) FROM gateway.authorizations")

pos_start sale --merchant 1111111111 --shop "Shop A Ginza" --item "Umbrella,1,2500,250" --listen "$LINK" --link-timeout 20
wait_for "$CT/sale.out" "proximity link" 10
"$HANDSET" --store "$STORE" watch --once --decline --for 60 >"$CT/watch.out" 2>&1 &
WATCH=$!; CLIENT_PIDS+=("$WATCH")
PAYGW_HANDSET_PASSWORD=demo-pass-00005 "$HANDSET" --store "$STORE" pay --user 00005 --link "$LINK" >"$CT/pay.out" 2>&1
is "pay: exit status 0" "$?" 0
wait_exit "$WATCH" 60; is "watch: exit status 1" "$RC" 1
check "watch: showed the details first" grep -q "Total:         2,750 JPY" "$CT/watch.out"
check "watch: answered Not agree" grep -q "^Answer: Not agree$" "$CT/watch.out"
check "watch: says the payment was canceled" grep -q "You did not agree: the payment was canceled." "$CT/watch.out"
check "watch: no method screen" bash -c "! grep -q 'Select the payment method' '$CT/watch.out'"
wait_exit "$POS_PID" 30; is "pos: exit status 1" "$RC" 1
N=$(pos_number sale)
is "gateway: canceled" "$(txn_status "$N")" canceled
check "pos: prints SALE NOT PAID" grep -q "^SALE NOT PAID$" "$CT/sale.out"
check "pos: prints CANCELED with the reason" grep -qE "^CANCELED: .+" "$CT/sale.out"
check "pos: no approval code printed" bash -c "! grep -q 'Approval code' '$CT/sale.out'"
is "journal: canceled, with the transaction" "$(jq -r '[.status, .transaction] | join(" ")' "$CT/sale.journal")" "canceled $N"
check "journal: carries the reason" test -n "$(jq -r '.reason // empty' "$CT/sale.journal")"
is "no authorization was sent" "$(psql_q "SELECT count(*) FROM gateway.authorizations")" "$before"
done_testing
