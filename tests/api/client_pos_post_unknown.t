#!/usr/bin/env bash
# client_pos_post_unknown.t — Ctrl-C while POST /v1/transactions is on its
# way: the gateway may have made the transaction, so the POS asks again with
# the same Idempotency-Key, learns the number and cancels it; the journal
# and the gateway agree (one transaction for the sale, canceled).  When the
# gateway never answers, the POS journals "unknown" (not "error") and says a
# transaction may be open.  The gateway is held by stopping this stack's
# own gateway workers (SIGSTOP by pid, SIGCONT afterwards).
. "$(dirname "$0")/client_lib.sh"
LINK=$CT/link.sock
STORE=$(store_copy 1234567 h1)
trap 'resume_gateway; client_cleanup' EXIT
ref_count() { psql_q "SELECT count(*) FROM gateway.transactions WHERE reference = '$1'"; }
ref_status() { psql_q "SELECT string_agg(status::text, ',') FROM gateway.transactions WHERE reference = '$1'"; }

# sale NAME REF: a POS sale that got the user ID, with the gateway held
sale() {
  pos_start "$1" --merchant 1111111111 --item "Tea,1,500,40" --listen "$LINK" --link-timeout 20 --reference "$2"
  wait_for "$CT/$1.out" "proximity link" 10
  stop_gateway
  PAYGW_HANDSET_PASSWORD=demo-pass-00001 "$HANDSET" --store "$STORE" pay --user 00001 --link "$LINK" >"$CT/pay.out" 2>&1
  wait_for "$CT/$1.out" "User ID 00001 received" 10
  sleep 1                                # the POST is out, the gateway silent
}

# --- interrupted, then the gateway comes back: the transaction is canceled ------
REF=unk-$RANDOM$RANDOM
sale one "$REF"
kill -INT "$POS_PID"
check "interrupted: asks again with the same key" wait_for "$CT/one.out" "asking again with the same key" 5
sleep 1
resume_gateway
wait_exit "$POS_PID" 60; is "interrupted: exit status 1 (canceled)" "$RC" 1
is "interrupted: one transaction for the sale" "$(ref_count "$REF")" 1
is "interrupted: the gateway canceled it" "$(ref_status "$REF")" canceled
N=$(psql_q "SELECT number FROM gateway.transactions WHERE reference = '$REF'")
is "interrupted: journal canceled with the number" "$(jq -r '[.status, .transaction] | join(" ")' "$CT/one.journal")" "canceled $N"
check "interrupted: CANCELED on the slip" grep -qE "^CANCELED: .+" "$CT/one.out"

# --- interrupted and the gateway stays silent: unknown, not error ---------------
REF2=unk-$RANDOM$RANDOM
sale two "$REF2"
kill -INT "$POS_PID"
check "silent: asks again with the same key" wait_for "$CT/two.out" "asking again with the same key" 5
sleep 1
kill -INT "$POS_PID"                       # the second Ctrl-C: stop at once
wait_exit "$POS_PID" 10; is "silent: exit status 3" "$RC" 3
resume_gateway
is "silent: journal unknown (not error)" "$(jq -r .status "$CT/two.journal")" unknown
check "silent: says a transaction may be open" grep -q "may be open at the gateway" "$CT/two.out"
# the held request may have made the transaction once the gateway ran again:
# at most one, and it is canceled here so it does not wait in the mailbox
sleep 2
check "silent: at most one transaction for the sale" test "$(ref_count "$REF2")" -le 1
cancel_open "$(psql_q "SELECT number FROM gateway.transactions WHERE reference = '$REF2'")"
done_testing
