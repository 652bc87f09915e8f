#!/usr/bin/env bash
# stack_commit_restarted.t — a COMMIT whose answer is lost, and the new
# connection lands on another incarnation of the server (issue 17, lib/db
# across a switch): the server crash-restarted in between (a backend killed
# with SIGKILL; restart_after_crash = on, PostgreSQL's default).  Crash
# recovery may hand out again a transaction ID that reached no WAL, so
# pg_xact_status on the restarted server may answer for another transaction:
# lib/db must call the COMMIT in doubt at once, without the lookup — not
# "committed", not "rolled back" (a run again).  On a failover the new
# primary is another incarnation the same way (another timeline); a crash-
# restart is the hard case, as the postmaster, its start time and its
# timeline stay the same (lib/db/incarnation.c says what differs).
#
# The vehicle is paygw-admin (its changes are lib/db's db_run_transaction,
# BEGIN ... COMMIT), with its URI through tests/tools/pg-cut-proxy
# (tests/api/dbproxy.sh's `cut`), which forwards the COMMIT, cuts the
# connection, and refuses new ones for a moment; in that moment the test
# kills a backend of its own.  Before this rule the lookup found the COMMIT
# committed and paygw-admin said it was done (exit 0).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/dbproxy.sh"
ADMIN=$TEST_ROOT/admin/paygw-admin
TMP=$(mktemp -d)
VICTIM=""
cleanup() {
  [[ -n $VICTIM ]] && kill "$VICTIM" 2>/dev/null
  [[ -n $DBPROXY_PID ]] && kill "$DBPROXY_PID" 2>/dev/null
  wait 2>/dev/null
  rm -rf "$TMP" "$DBPROXY_DIR"
}
trap cleanup EXIT
S=$(unique_tag)

# --- the roles of the services may read what names an incarnation ----------
for role in paygw_gateway paygw_issuer paygw_shop paygw_history; do
  is "$role may call pg_control_system, pg_current_wal_lsn, pg_walfile_name, pg_postmaster_start_time, pg_stat_get_bgwriter_stat_reset_time" \
    "$(psql_q "SELECT bool_and(has_function_privilege('$role', f, 'EXECUTE'))
                 FROM unnest(ARRAY['pg_control_system()', 'pg_current_wal_lsn()', 'pg_walfile_name(pg_lsn)',
                                   'pg_postmaster_start_time()', 'pg_stat_get_bgwriter_stat_reset_time()']) f")" t
done

# --- paygw-admin through the proxy ------------------------------------------
URI=${PAYGW_ADMIN_DB_URI:-$PAYGW_DB_URI}
[[ $URI =~ ^postgresql://([^:@/]+):([^@]+)@[^/]*/([^?]+) ]] \
  || { echo "not ok - the admin's database URI has a role, a password and a database"; exit 1; }
VIA="postgresql://${BASH_REMATCH[1]}:${BASH_REMATCH[2]}@127.0.0.1:$DBPROXY_PORT/${BASH_REMATCH[3]}?sslmode=disable"
"$DBPROXY" --listen "127.0.0.1:$DBPROXY_PORT" --to "127.0.0.1:$PAYGW_PG_PORT" --control "$DBPROXY_DIR/cut" \
  2>"$DBPROXY_LOG" &
DBPROXY_PID=$!
for i in $(seq 50); do
  PAYGW_ADMIN_DB_URI=$VIA "$ADMIN" issuer list >/dev/null 2>&1 && break
  sleep 0.1
done
IN_DOUBT_MS=15000 REFUSE_MS=3000
# admin_add CODE: adds an issuer through the proxy; its exit status in
# $TMP/rc, the milliseconds it took in $TMP/took (it may run in the background)
admin_add() {
  local started rc
  started=$(date +%s%3N)
  PAYGW_ADMIN_DB_URI=$VIA PAYGW_DB_IN_DOUBT_MS=$IN_DOUBT_MS \
    "$ADMIN" issuer add --code "$1" --name "Issuer $1" >"$TMP/out" 2>"$TMP/err"
  rc=$?
  echo $(($(date +%s%3N) - started)) >"$TMP/took"
  echo $rc >"$TMP/rc"
}
issuers() { psql_q "SELECT count(*) FROM gateway.issuers WHERE code = '$1'"; }

# --- 1. the same server: the lookup is trusted (committed → done) ----------
code=R${S}a
cut after adb_issuer_add "$REFUSE_MS"
admin_add "$code"
is "the proxy cut the connection after the COMMIT" "$(cuts after adb_issuer_add)" 1
is "the new connection is to the same server: the COMMIT is read as committed, paygw-admin says done (exit 0)" \
  "$(cat "$TMP/rc")" 0
is "... one issuer stored" "$(issuers "$code")" 1

# --- 2. the server crash-restarted in between: in doubt, no lookup ----------
# a backend of the test's own, killed with SIGKILL: the postmaster ends every
# session and runs crash recovery (restart_after_crash = on)
psql -X -q "$PAYGW_PGURI" -c "SET application_name = 'crash-me-$S'" -c "SELECT pg_sleep(120)" >/dev/null 2>&1 &
VICTIM=$!
for i in $(seq 50); do
  victim_pid=$(psql_q "SELECT pid FROM pg_stat_activity WHERE application_name = 'crash-me-$S'")
  [[ -n $victim_pid ]] && break
  sleep 0.1
done
before=$(psql_q "SELECT extract(epoch FROM pg_postmaster_start_time()) || ' ' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8)")
code=R${S}b
cut after adb_issuer_add "$REFUSE_MS"
admin_add "$code" &
adder=$!
for i in $(seq 100); do (($(cuts after adb_issuer_add) == 2)) && break; sleep 0.05; done
is "the proxy cut the connection after the COMMIT" "$(cuts after adb_issuer_add)" 2
sleep 0.3 # the COMMIT, forwarded, finishes (the proxy refuses paygw-admin's new connections meanwhile)
kill -9 "$victim_pid"
wait $adder
for i in $(seq 100); do psql_q "SELECT 1" >/dev/null 2>&1 && break; sleep 0.1; done
is "the cluster is back after its crash-restart" "$(psql_q "SELECT 1")" 1
is "... with the same postmaster start time and timeline (a crash-restart shows in neither)" \
  "$(psql_q "SELECT extract(epoch FROM pg_postmaster_start_time()) || ' ' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8)")" \
  "$before"
is "the COMMIT had landed before the crash: one issuer stored, not added again" "$(issuers "$code")" 1
check "paygw-admin did not say it was done: the outcome is unknown (exit not 0)" test "$(cat "$TMP/rc")" != 0
check "... and said so" grep -q "whether the change was made is unknown" "$TMP/err"
took=$(cat "$TMP/took")
check "... at once on the new connection ($took ms: after the proxy's ${REFUSE_MS} ms of refusals, well before the ${IN_DOUBT_MS} ms a lookup may take)" \
  test "$took" -ge "$REFUSE_MS" -a "$took" -lt $((IN_DOUBT_MS - 3000))

# --- 3. the next change through the restarted server is done as usual -------
code=R${S}c
admin_add "$code"
is "a change after the restart: exit 0" "$(cat "$TMP/rc")" 0
is "... stored once" "$(issuers "$code")" 1
done_testing
