#!/usr/bin/env bash
# client_pos_outcome_unknown.t — the gateway lost its database connection
# right after committing the POS's new transaction and could not read
# whether the commit held (PostgreSQL unreachable for longer than
# PAYGW_DB_IN_DOUBT_MS): it answers 503 outcome_unknown with Retry-After.
# The transaction exists and its payment command is in the handset's
# mailbox, so the POS must not journal the sale as refused: it sends the
# same POST with the same Idempotency-Key after Retry-After, gets the first
# answer and goes on with that one transaction (here it is then stopped
# with Ctrl-C and cancels it).  The cut is made by tests/tools/pg-cut-proxy
# (dbproxy.sh).
. "$(dirname "$0")/client_lib.sh"
. "$(dirname "$0")/dbproxy.sh"
LINK=$CT/link.sock
STORE=$(store_copy 1234567 h1)
REF=unknown-$RANDOM$RANDOM
ref_count() { psql_q "SELECT count(*) FROM gateway.transactions WHERE reference = '$1'"; }
ref_number() { psql_q "SELECT string_agg(number, ',') FROM gateway.transactions WHERE reference = '$1'"; }
ref_status() { psql_q "SELECT string_agg(status::text, ',') FROM gateway.transactions WHERE reference = '$1'"; }
trap 'cancel_open "$(ref_number "$REF")"; dbproxy_stop; client_cleanup' EXIT
dbproxy_start 1000

cut after txn_create 2500            # unreachable for 2.5 s: longer than the 1 s the gateway looks
pos_start one --merchant 1111111111 --item "Tea,1,500,40" --listen "$LINK" --link-timeout 20 --reference "$REF"
wait_for "$CT/one.out" "proximity link" 10
PAYGW_HANDSET_PASSWORD=demo-pass-00001 "$HANDSET" --store "$STORE" pay --user 00001 --link "$LINK" >"$CT/pay.out" 2>&1
wait_for "$CT/one.out" "User ID 00001 received" 10
check "the POS got its number after all" wait_for "$CT/one.out" "Transaction number [0-9A-Z]{16}" 15
is "the proxy cut the connection after the new transaction's COMMIT" "$(cuts after txn_create)" 1
check "the gateway answered outcome_unknown first" gateway_log_call txn_create unknown
check "the POS said the gateway did not know, and asked again" grep -q "does not know whether it stored the sale" "$CT/one.out"
is "one transaction for the sale" "$(ref_count "$REF")" 1
N=$(ref_number "$REF")
is "the POS shows that transaction's number" "$(pos_number one)" "$N"
kill -INT "$POS_PID" 2>/dev/null
wait_exit "$POS_PID" 40; is "stopped: exit status 1 (canceled)" "$RC" 1
is "the journal says canceled, with the number (not refused)" \
  "$(jq -r '[.status, .transaction] | join(" ")' "$CT/one.journal")" "canceled $N"
is "the gateway canceled it: nothing left open" "$(ref_status "$REF")" canceled
done_testing
