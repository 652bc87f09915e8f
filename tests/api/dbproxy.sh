# tests/api/dbproxy.sh — for tests that cut the gateway's database
# connection at a commit: tests/tools/pg-cut-proxy between the gateway
# workers and PostgreSQL (docs/testing.md, "A COMMIT whose answer is lost").
# Source it after lib.sh (or flowlib.sh, client_lib.sh); call dbproxy_start,
# and dbproxy_stop from the test's EXIT trap.
DBPROXY=$TEST_ROOT/tests/tools/pg-cut-proxy
DBPROXY_PORT=${PAYGW_TEST_DB_PROXY_PORT:-$((${PAYGW_TEST_PORT_BASE:-10600} + 11))}
DBPROXY_DIR=$(mktemp -d /tmp/paygw-dbproxy-XXXXXX)
DBPROXY_LOG=$DBPROXY_DIR/proxy.log DBPROXY_PID=""
# the gateway's log from here on (gateway_log_has reads only that)
DBPROXY_LOG_FROM=$(($(stat -c %s "$PAYGW_VAR/log/gateway.log" 2>/dev/null || echo 0) + 1))

gateway_healthy() {
  local i
  for i in $(seq 50); do api GET /v1/health; [[ $STATUS == 200 ]] && return 0; sleep 0.1; done
  return 1
}

# dbproxy_start IN-DOUBT-MS: the proxy up, the gateway workers restarted
# through it with PAYGW_DB_IN_DOUBT_MS=IN-DOUBT-MS.  Exits the test with a
# not ok when that cannot be done.
dbproxy_start() {
  [[ -x $DBPROXY ]] || { echo "not ok - $DBPROXY is built (make)"; exit 1; }
  [[ $PAYGW_DB_URI =~ ^postgresql://([^:@/]+):([^@]+)@[^/]*/([^?]+) ]] \
    || { echo "not ok - the gateway's database URI has a role, a password and a database"; exit 1; }
  local via="postgresql://${BASH_REMATCH[1]}:${BASH_REMATCH[2]}@127.0.0.1:$DBPROXY_PORT/${BASH_REMATCH[3]}?sslmode=disable"
  "$DBPROXY" --listen "127.0.0.1:$DBPROXY_PORT" --to "127.0.0.1:$PAYGW_PG_PORT" --control "$DBPROXY_DIR/cut" \
    2>"$DBPROXY_LOG" &
  DBPROXY_PID=$!
  DBPROXY_VIA=$via DBPROXY_IN_DOUBT_MS=$1
  PAYGW_GATEWAY_DB_URI=$via PAYGW_DB_IN_DOUBT_MS=$1 "$PAYGW_ROOT/scripts/stack" gateway-restart >/dev/null
  check "the gateway workers answer through the proxy" gateway_healthy
  # the workers' connections (application_name, lib/db's db_open): the
  # sweeper shares their role but not the restart, and stays on the socket
  is "every gateway worker's connection comes through the proxy (TCP, none on the socket)" \
    "$(psql_q "SELECT count(*) > 0 AND count(*) FILTER (WHERE client_addr IS NULL) = 0
                 FROM pg_stat_activity WHERE usename = 'paygw_gateway' AND application_name = 'paygw.fcgi'")" t
}

# dbproxy_workers N: the workers through the proxy restarted as N of them
# (a case that must know which worker's cache serves its request uses 1)
dbproxy_workers() {
  PAYGW_WORKERS=$1 PAYGW_GATEWAY_DB_URI=$DBPROXY_VIA PAYGW_DB_IN_DOUBT_MS=$DBPROXY_IN_DOUBT_MS \
    "$PAYGW_ROOT/scripts/stack" gateway-restart >/dev/null
  check "the gateway answers with $1 worker(s) through the proxy" gateway_healthy
}

# dbproxy_stop: the stack's own workers back, then the proxy stopped
dbproxy_stop() {
  "$PAYGW_ROOT/scripts/stack" gateway-restart >/dev/null 2>&1
  [[ -n $DBPROXY_PID ]] && kill "$DBPROXY_PID" 2>/dev/null
  gateway_healthy
  rm -rf "$DBPROXY_DIR"
}

# cut after|before STATEMENT [REFUSE-MS]: arms the proxy for one cut
cut() { echo "$1 $2 ${3:-0}" >"$DBPROXY_DIR/cut"; }
# cuts after|before STATEMENT → how many such cuts the proxy made
cuts() { grep -c "^cut $1 the commit of $2 " "$DBPROXY_LOG"; }
# proxy_refused: the proxy turned a new connection away at least once
proxy_refused() { grep -q "^refused a connection" "$DBPROXY_LOG"; }

# gateway_log_has LABEL OUTCOME: the gateway logged, since this file was
# sourced, a lost COMMIT answer of that transaction and what it read of it
# gateway_log_call STATEMENT resent|unknown: the gateway logged that the
# answer to one call of STATEMENT (autocommit, lib/db's db_call) was lost and
# that it sent the call again to read its outcome (DB_REPEATABLE), or that
# the database did not come back in time (DB_IN_DOUBT)
gateway_log_call() {
  local says="was lost: sent again to read its outcome"
  [[ $2 == unknown ]] && says="was lost and the database is not back; its outcome is unknown"
  tail -c +"$DBPROXY_LOG_FROM" "$PAYGW_VAR/log/gateway.log" | grep -qF "the answer to $1 $says"
}

gateway_log_has() {
  tail -c +"$DBPROXY_LOG_FROM" "$PAYGW_VAR/log/gateway.log" | grep -F '"msg":"the answer to a COMMIT was lost"' \
    | grep -F "\"transaction\":\"$1\"" | grep -qF "\"outcome\":\"$2\""
}
