#!/usr/bin/env bash
# client_pay_wrong_password.t — a wrong password (or a user ID that is not on
# the handset) fails with "Authentication failed", sends nothing over the
# link: the POS gets no user ID, times out, asks the gateway for nothing and
# journals the sale as no_user.  Then the right password goes through.
. "$(dirname "$0")/client_lib.sh"
LINK=$CT/link.sock
STORE=$(store_copy 1234567 h1)
before=$(txn_count 00004)

pos_start sale --merchant 1111111111 --item "Tea,1,500,40" --listen "$LINK" --link-timeout 4
check "pos listens on the Unix socket" wait_for "$CT/sale.out" "proximity link $LINK" 10
PAYGW_HANDSET_PASSWORD=wrong-password "$HANDSET" --store "$STORE" pay --user 00004 --link "$LINK" >"$CT/pay.out" 2>&1
is "wrong password: exit status 4" "$?" 4
check "wrong password: says Authentication failed" grep -q "^Authentication failed. Nothing was sent.$" "$CT/pay.out"
check "wrong password: says how many attempts are left" grep -q "^4 attempts left" "$CT/pay.out"
check "wrong password: the password is not echoed back" bash -c "! grep -q wrong-password '$CT/pay.out'"
PAYGW_HANDSET_PASSWORD=demo-pass-00004 "$HANDSET" --store "$STORE" pay --user 00009 --link "$LINK" >"$CT/pay2.out" 2>&1
is "user ID not on the handset: exit status 4" "$?" 4
check "user ID not on the handset: Authentication failed" grep -q "^Authentication failed" "$CT/pay2.out"
PAYGW_HANDSET_PASSWORD=demo-pass-00001 "$HANDSET" --store "$STORE" pay --user 00004 --link "$LINK" >"$CT/pay3.out" 2>&1
is "another card's password: exit status 4" "$?" 4
is "failed attempts counted in the store" "$(jq -r .lockout.failed_attempts "$STORE")" 3
is "no auth result stored" "$(jq -r '.auth_results | length' "$STORE")" 0

wait_exit "$POS_PID" 15; is "pos: timed out with exit status 3" "$RC" 3
check "pos: received no user ID" bash -c "! grep -q 'received from the handset' '$CT/sale.out'"
check "pos: says no payment" grep -q "No payment: no user ID arrived in time" "$CT/sale.out"
is "gateway: no transaction was requested" "$(txn_count 00004)" "$before"
is "journal: the sale is recorded as no_user" "$(jq -r '[.status, (.transaction // "none")] | join(" ")' "$CT/sale.journal")" "no_user none"

# the right password: sent, and the counter is cleared
pos_start sale2 --merchant 1111111111 --item "Tea,1,500,40" --listen "$LINK" --link-timeout 10
wait_for "$CT/sale2.out" "proximity link" 10
PAYGW_HANDSET_PASSWORD=demo-pass-00004 "$HANDSET" --store "$STORE" pay --card 2 --user 00004 --link "$LINK" >"$CT/pay4.out" 2>&1
is "right password: exit status 0" "$?" 0
check "right password: the POS received 00004" wait_for "$CT/sale2.out" "User ID 00004 received" 5
wait_for "$CT/sale2.out" "Transaction number" 10
is "right password: the failure counter is cleared" "$(jq -r .lockout.failed_attempts "$STORE")" 0
kill -TERM "$POS_PID"; wait_exit "$POS_PID" 20
is "pos stopped by a signal: exit status 1" "$RC" 1
N=$(pos_number sale2)
is "pos stopped by a signal: the transaction is canceled at the gateway" "$(txn_status "$N")" canceled
is "pos stopped by a signal: journal says canceled" "$(jq -r .status "$CT/sale2.journal")" canceled
done_testing
