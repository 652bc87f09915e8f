#!/usr/bin/env bash
# stack_db_unavailable.t — a request that finds the database gone (issue 17,
# lib/db across a switch): the worker waits PAYGW_DB_RECONNECT_MS for it to
# come back, then answers 503 database_unavailable with Retry-After (that
# wait in whole seconds, plus 1); once it has waited that long in vain it
# does not wait again — the next request is answered at once, so a failover
# longer than the wait holds no worker through it — and the first request
# after the database is back is served at once.  One worker
# (PAYGW_WORKERS=1), so every request meets the same one; the stack's
# workers are put back in the EXIT trap.  Before this rule the 503 had no
# Retry-After and every request waited the whole 2 s again.
. "$(dirname "$0")/flowlib.sh"
STACK=$PAYGW_ROOT/scripts/stack
MERCHANT=1111111111 USER=00005
RECONNECT_MS=4000
restore() {
  "$STACK" db-start >/dev/null 2>&1
  "$STACK" gateway-restart >/dev/null 2>&1
  flow_cleanup
}
trap restore EXIT

PAYGW_WORKERS=1 PAYGW_DB_RECONNECT_MS=$RECONNECT_MS "$STACK" gateway-restart >/dev/null
for i in $(seq 50); do api GET /v1/health; [[ $STATUS == 200 ]] && break; sleep 0.1; done
is "one worker, PAYGW_DB_RECONNECT_MS=$RECONNECT_MS: healthy" "$STATUS" 200

# sale KEY → POST /v1/transactions with that Idempotency-Key; $TOOK ms
sale() {
  local started
  started=$(date +%s%3N)
  pos POST /v1/transactions $MERCHANT -H 'Content-Type: application/json' -H "Idempotency-Key: $1" \
    -D "$FLOW_TMP/headers" --data "$(txn_body $USER 700)"
  TOOK=$(($(date +%s%3N) - started))
}
retry_after() { tr -d '\r' <"$FLOW_TMP/headers" | sed -n 's/^[Rr]etry-[Aa]fter: *//p'; }

before=$(psql_q "SELECT count(*) FROM gateway.transactions")
"$STACK" db-stop >/dev/null
key=unavailable-$$-$RANDOM
sale "$key"
is "the database stopped: 503" "$STATUS" 503
is "... database_unavailable" "$(jqr .code)" database_unavailable
is "... with Retry-After: the wait in whole seconds plus 1" "$(retry_after)" $((RECONNECT_MS / 1000 + 1))
check "... after waiting PAYGW_DB_RECONNECT_MS for the database ($TOOK ms)" \
  test "$TOOK" -ge "$RECONNECT_MS" -a "$TOOK" -lt $((RECONNECT_MS + 5000))
sale "$key"
is "the next request, the database still stopped: 503 database_unavailable" "$STATUS $(jqr .code)" \
  "503 database_unavailable"
is "... with Retry-After" "$(retry_after)" $((RECONNECT_MS / 1000 + 1))
check "... at once: the worker does not wait again ($TOOK ms)" test "$TOOK" -lt $((RECONNECT_MS / 2))

"$STACK" db-start >/dev/null
sale "$key"
is "the database back: the retry with the same key is served (201), the worker connecting again at once" "$STATUS" 201
is "one transaction stored in all" "$(psql_q "SELECT count(*) FROM gateway.transactions") " "$((before + 1)) "
pos POST "/v1/transactions/$(jqr .transaction)/cancel" $MERCHANT >/dev/null
done_testing
