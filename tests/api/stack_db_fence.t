#!/usr/bin/env bash
# stack_db_fence.t — an old primary back after a failover is not used
# (issue 17, lib/db/fence.c).  The stand-in: the stack's own server with
# synchronous_standby_names naming a standby that never comes, so that, as
# on an old primary whose standby was promoted, it takes connections and
# reads but can get no commit acknowledged.  A gateway worker that
# connects to it must not serve from it: GET /v1/health answers 503 within
# the fence's wait plus the reconnect wait, a sale is refused (503), not
# held on a COMMIT that never returns, and nothing is stored; once the
# setting is gone the same worker serves again, the sale's retry with its
# key included.  One worker (PAYGW_WORKERS=1), PAYGW_DB_FENCE_MS=1000; the
# setting and the stack's workers are put back in the EXIT trap.  Before
# fence.c the health check answered 200 from such a server — the read that
# told a POS "completed" from an old primary in tests/ha/failover.t.
. "$(dirname "$0")/flowlib.sh"
STACK=$PAYGW_ROOT/scripts/stack
MERCHANT=1111111111 USER=00005
FENCE_MS=1000 RECONNECT_MS=1500
sync_names() {
  psql_q "ALTER SYSTEM SET synchronous_standby_names = '$1'" >/dev/null && psql_q "SELECT pg_reload_conf()" >/dev/null
}
restore() {
  psql_q "ALTER SYSTEM RESET synchronous_standby_names" >/dev/null 2>&1
  psql_q "SELECT pg_reload_conf()" >/dev/null 2>&1
  "$STACK" gateway-restart >/dev/null 2>&1
  flow_cleanup
}
trap restore EXIT
# commits_wait: a commit that wrote WAL now waits for the standby (the
# reload reaches the checkpointer, which decides that, a moment after the
# backends): one writing a logical-decoding message, as the fence's does,
# is still waiting after a second
commits_wait() {
  timeout 1 psql -X -q -tA "$PAYGW_PGURI" -c "BEGIN" -c "SELECT pg_logical_emit_message(true, 'stack_db_fence.t', '')" \
    -c "COMMIT" >/dev/null 2>&1
  [[ $? == 124 ]]
}
# ends the worker's database session, so its next request connects anew
drop_worker_session() {
  psql_q "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'paygw.fcgi'" >/dev/null
}

PAYGW_WORKERS=1 PAYGW_DB_FENCE_MS=$FENCE_MS PAYGW_DB_RECONNECT_MS=$RECONNECT_MS "$STACK" gateway-restart >/dev/null
for i in $(seq 50); do api GET /v1/health; [[ $STATUS == 200 ]] && break; sleep 0.1; done
is "one worker, PAYGW_DB_FENCE_MS=$FENCE_MS: healthy (no standby expected: the fence passes at once)" "$STATUS" 200

before=$(psql_q "SELECT count(*) FROM gateway.transactions")
sync_names paygw_test_standby_that_never_comes
for i in $(seq 10); do commits_wait && break; done
check "the stand-in: a commit on the server now waits for a standby that never comes" commits_wait
drop_worker_session
started=$(date +%s%3N)
api GET /v1/health
took=$(($(date +%s%3N) - started))
is "a server no standby acknowledges: health 503, not served from it" "$STATUS" 503
check "... within the fence's wait and the reconnect wait ($took ms)" test "$took" -lt $((FENCE_MS * 4 + RECONNECT_MS + 3000))
check "... the worker's log says why" grep -q "no synchronous standby acknowledged a commit within $FENCE_MS ms" \
  "$PAYGW_VAR/log/gateway.log"
key=fence-$$-$RANDOM
started=$(date +%s%3N)
pos POST /v1/transactions $MERCHANT -H 'Content-Type: application/json' -H "Idempotency-Key: $key" \
  --max-time 30 --data "$(txn_body $USER 800)"
took=$(($(date +%s%3N) - started))
is "a sale meanwhile: 503 database_unavailable (refused, not held on its COMMIT)" "$STATUS $(jqr .code)" \
  "503 database_unavailable"
check "... answered in $took ms" test "$took" -lt 15000

psql_q "ALTER SYSTEM RESET synchronous_standby_names" >/dev/null && psql_q "SELECT pg_reload_conf()" >/dev/null
is "nothing was stored meanwhile" "$(psql_q "SELECT count(*) FROM gateway.transactions")" "$before"
for i in $(seq 50); do api GET /v1/health; [[ $STATUS == 200 ]] && break; sleep 0.2; done
is "the setting gone: the same worker serves again" "$STATUS" 200
pos POST /v1/transactions $MERCHANT -H 'Content-Type: application/json' -H "Idempotency-Key: $key" \
  --data "$(txn_body $USER 800)"
is "the sale's retry with its key: 201" "$STATUS" 201
is "one transaction stored" "$(psql_q "SELECT count(*) FROM gateway.transactions")" "$((before + 1))"
pos POST "/v1/transactions/$(jqr .transaction)/cancel" $MERCHANT >/dev/null
done_testing
