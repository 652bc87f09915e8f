#!/usr/bin/env bash
# client_pos_interrupt.t — Ctrl-C at the POS while it waits for the shopper:
# it cancels the transaction and prints and journals the same outcome
# (CANCELED / canceled).  When the gateway then does not answer, a second
# Ctrl-C stops the wait at once: the slip says "OUTCOME UNKNOWN - check
# transaction N" and the journal "unknown", exit 3.  The gateway is made
# silent by stopping this stack's own gateway workers (SIGSTOP, by their pid
# under the pid file scripts/stack wrote), and started again afterwards.
. "$(dirname "$0")/client_lib.sh"
LINK=$CT/link.sock
STORE=$(store_copy 1234567 h1)
trap 'resume_gateway; client_cleanup' EXIT

# start_sale NAME: a POS sale whose shopper sent the user ID and never confirms
start_sale() {
  pos_start "$1" --merchant 1111111111 --item "Tea,1,500,40" --listen "$LINK" --link-timeout 20
  wait_for "$CT/$1.out" "proximity link" 10
  PAYGW_HANDSET_PASSWORD=demo-pass-00001 "$HANDSET" --store "$STORE" pay --user 00001 --link "$LINK" >"$CT/pay.out" 2>&1
  wait_for "$CT/$1.out" "Transaction number" 15
}

# --- one Ctrl-C: canceled, and receipt and journal say so ---------------------
start_sale one
N=$(pos_number one)
sleep 1
kill -INT "$POS_PID"
wait_exit "$POS_PID" 40; is "one Ctrl-C: exit status 1" "$RC" 1
is "one Ctrl-C: the gateway canceled it" "$(txn_status "$N")" canceled
check "one Ctrl-C: SALE NOT PAID" grep -q "^SALE NOT PAID$" "$CT/one.out"
check "one Ctrl-C: CANCELED on the slip" grep -qE "^CANCELED: .+" "$CT/one.out"
is "one Ctrl-C: journal canceled" "$(jq -r '[.status, .transaction] | join(" ")' "$CT/one.journal")" "canceled $N"

# --- the gateway goes silent; a second Ctrl-C stops the wait at once -----------------
start_sale two
N=$(pos_number two)
sleep 1
stop_gateway
kill -INT "$POS_PID"
sleep 2
check "silent gateway: the POS is still waiting for the cancel" kill -0 "$POS_PID"
t0=$(date +%s%N)
kill -INT "$POS_PID"
wait_exit "$POS_PID" 10; is "second Ctrl-C: exit status 3" "$RC" 3
ms=$((($(date +%s%N) - t0) / 1000000))
check "second Ctrl-C: stopped at once (${ms} ms)" test "$ms" -le 2000
resume_gateway
cancel_open "$N"
is "the transaction left open could be canceled afterwards" "$(txn_status "$N")" canceled
check "second Ctrl-C: OUTCOME UNKNOWN - check transaction $N" grep -q "^OUTCOME UNKNOWN - check transaction $N$" "$CT/two.out"
check "second Ctrl-C: not called CANCELED or NOT PAID" bash -c "! grep -qE '^(CANCELED|SALE NOT PAID)' '$CT/two.out'"
is "second Ctrl-C: journal unknown" "$(jq -r '[.status, .transaction] | join(" ")' "$CT/two.journal")" "unknown $N"

# --- silent gateway and no second Ctrl-C: the wait after the cancel is bounded ------
start_sale three
N=$(pos_number three)
stop_gateway
t0=$(date +%s)
kill -INT "$POS_PID"
wait_exit "$POS_PID" 60; is "bounded wait: exit status 3" "$RC" 3
s=$(($(date +%s) - t0))
check "bounded wait: gave up within 40 s of the Ctrl-C (${s} s)" test "$s" -le 40 -a "$s" -ge 30
resume_gateway
cancel_open "$N"
is "bounded wait: journal unknown" "$(jq -r .status "$CT/three.journal")" unknown
check "bounded wait: OUTCOME UNKNOWN on the slip" grep -q "^OUTCOME UNKNOWN - check transaction $N$" "$CT/three.out"
done_testing
