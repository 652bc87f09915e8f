#!/usr/bin/env bash
# client_auth_expired.t — the payment application needs a live auth result.
# (1) The handset's clock runs behind: it still thinks its result is live,
#     sends it, the gateway refuses it (401 auth_result_expired) and the
#     handset says to authenticate again.
# (2) The handset sees its result has expired: it says so and sends no
#     device-auth at all (the transaction stays awaiting_device).
# The POS, stopped by a signal, cancels each sale.
. "$(dirname "$0")/client_lib.sh"
LINK=$CT/link.sock
STORE=$(store_copy 4456789 h4)

# --- (1) expired by the gateway's clock -------------------------------------
pos_start sale --merchant 1111111111 --item "Tea,1,500,40" --listen "$LINK" --link-timeout 20
wait_for "$CT/sale.out" "proximity link" 10
PAYGW_HANDSET_PASSWORD=demo-pass-00007 "$HANDSET" --store "$STORE" pay --user 00007 --auth-ttl 2 --link "$LINK" >"$CT/pay.out" 2>&1
is "pay with a 2 s auth result: exit status 0" "$?" 0
check "pos: got a transaction number" wait_for "$CT/sale.out" "Transaction number" 10
N=$(pos_number sale)
sleep 3
PAYGW_HANDSET_CLOCK_OFFSET=-8 "$HANDSET" --store "$STORE" watch --once --agree --method L --for 20 >"$CT/watch.out" 2>&1
is "clock behind: watch exit status 4" "$?" 4
check "clock behind: the gateway refused the result" grep -q "The gateway refused the authentication result: it has expired" "$CT/watch.out"
check "clock behind: the handset says to authenticate again" grep -q "Please authenticate again" "$CT/watch.out"
is "clock behind: the transaction did not move" "$(txn_status "$N")" awaiting_device
kill -TERM "$POS_PID"; wait_exit "$POS_PID" 20
is "pos stopped: exit status 1" "$RC" 1
is "pos stopped: the transaction is canceled" "$(txn_status "$N")" canceled

# --- (2) expired by the handset's own clock ----------------------------------
pos_start sale2 --merchant 1111111111 --item "Tea,1,500,40" --listen "$LINK" --link-timeout 20
wait_for "$CT/sale2.out" "proximity link" 10
PAYGW_HANDSET_PASSWORD=demo-pass-00007 "$HANDSET" --store "$STORE" pay --user 00007 --auth-ttl 1 --link "$LINK" >"$CT/pay2.out" 2>&1
check "pos: got a transaction number" wait_for "$CT/sale2.out" "Transaction number" 10
N2=$(pos_number sale2)
sleep 2
"$HANDSET" --store "$STORE" watch --once --agree --method L --for 20 >"$CT/watch2.out" 2>&1
is "expired on the handset: watch exit status 4" "$?" 4
check "expired on the handset: Please authenticate again" grep -q "There is no valid authentication for user ID 00007 on this handset. Please authenticate again" "$CT/watch2.out"
check "expired on the handset: no device-auth was tried" bash -c "! grep -q 'The gateway refused' '$CT/watch2.out'"
is "expired on the handset: the transaction did not move" "$(txn_status "$N2")" awaiting_device
is "expired on the handset: its challenge is unused" "$(psql_q "SELECT challenge_used FROM gateway.transactions WHERE number = '$N2'")" f
kill -TERM "$POS_PID"; wait_exit "$POS_PID" 20
is "pos stopped: the second transaction is canceled" "$(txn_status "$N2")" canceled
done_testing
