#!/usr/bin/env bash
# tests/ha/failover_smoke.t — (docs/ha.md; run by `scripts/check --ha`,
# on its stack): a stack with its database as a pg_auto_failover
# formation (`scripts/stack start --ha`), one payment, then the primary
# PostgreSQL killed with SIGKILL, and the seconds measured until a node takes
# writes again, until the monitor has promoted the standby, and until a
# payment completes again; then the payment made before the kill is checked
# on the new primary (synchronous replication: it must be there, completed,
# with one approved authorization).
#
#   PAYGW_VAR=$PWD/var/ha PAYGW_HTTPS_PORT=... PAYGW_CREDIT_PORT=... PAYGW_PG_PORT=... \
#     tests/ha/failover_smoke.t [postgres|node]
#
# postgres (the default) kills the primary's postmaster alone: its
# pg_autoctl sees PostgreSQL stop and tells the monitor, which fails over
# (or pg_autoctl restarts it first: the figures say which happened);
# node kills the primary's pg_autoctl too, as the loss of its host would:
# the monitor then decides on its health checks and timeouts alone.
# It runs on the --ha stack PAYGW_STACK_ENV names (scripts/check --ha's), or
# starts one fresh in PAYGW_VAR (default var/ha) with the demo data and
# stops it at the end unless PAYGW_HA_KEEP=1 (halib.sh).
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
MODE=${1:-postgres}
[[ $MODE == postgres || $MODE == node ]] || { echo "usage: $0 [postgres|node]" >&2; exit 2; }
STACK=$ROOT/scripts/stack
. "$ROOT/tests/ha/halib.sh"
ha_stack_up
. "$ROOT/tests/api/flowlib.sh"
trap ha_cleanup EXIT

MERCHANT=1111111111 USER=00001
# pay: one whole payment as the demo POS and handset; ok when it completed
pay() {
  flow_to chosen "$MERCHANT" "$USER" $((100 + RANDOM % 100)) L
  if [[ $STATUS == 200 && $(jqr .status) == completed ]]; then return 0; fi
  # what a failed attempt left open is canceled: a user holds 3 open at most
  [[ -n ${TXN:-} ]] && pos POST "/v1/transactions/$TXN/cancel" "$MERCHANT" >/dev/null
  return 1
}
writable() { PGCONNECT_TIMEOUT=2 psql -X -q -tA "$PAYGW_PGURI" -c "SELECT NOT pg_is_in_recovery()" 2>/dev/null | grep -qx t; }

is "the formation has a primary and a secondary" \
  "$(monitor_q "SELECT string_agg(reportedstate::text, ' ' ORDER BY reportedstate::text) FROM pgautofailover.node")" "primary secondary"
# pg_auto_failover names its standbys in synchronous_standby_names as
# 'ANY 1 (...)': a quorum of one, sync_state "quorum"
like "the primary replicates synchronously to the standby" \
  "$(psql_q "SELECT sync_state FROM pg_stat_replication")" '^(sync|quorum)$'


pay; is "a payment completes before the failover" "$STATUS $(jqr .status)" "200 completed"
BEFORE=$TXN

# --- the kill -------------------------------------------------------------------
read -r OLD OLD_PORT < <(monitor_q "SELECT nodename, nodeport FROM pgautofailover.node WHERE reportedstate = 'primary'" | tr '|' ' ')
OLD_DATA=$PAYGW_VAR/pg/ha/${OLD#node-}
POSTMASTER=$(head -1 "$OLD_DATA/postmaster.pid")
victims=("$POSTMASTER")
if [[ $MODE == node ]]; then
  # the node's pg_autoctl (scripts/stack started it in a session of its own) and all it runs
  keeper=$(cat "$PAYGW_VAR/run/pg-${OLD#node-}.pid")
  # shellcheck disable=SC2207
  victims+=($(ps -o pid= -s "$keeper"))
fi
echo "# killing ($MODE) the primary $OLD on port $OLD_PORT: ${victims[*]}"
T0=$(now_ms)
kill -KILL "${victims[@]}" 2>/dev/null

T_WRITABLE="" T_PROMOTED="" T_PAID="" PAY_TRIES=0 DEADLINE=$((T0 + 120000))
while (( $(now_ms) < DEADLINE )); do
  [[ -z $T_WRITABLE ]] && writable && T_WRITABLE=$(now_ms)
  if [[ -z $T_PROMOTED ]]; then
    s=$(monitor_q "SELECT reportedstate FROM pgautofailover.node WHERE nodename <> '$OLD'")
    [[ $s == wait_primary || $s == primary ]] && T_PROMOTED=$(now_ms)
  fi
  if [[ -n $T_WRITABLE && -z $T_PAID ]]; then
    PAY_TRIES=$((PAY_TRIES + 1))
    pay && T_PAID=$(now_ms) AFTER=$TXN
  fi
  [[ -n $T_PAID && -n $T_PROMOTED ]] && break
  # the old primary back as the primary (pg_autoctl restarted it in time): no failover to wait for
  [[ -n $T_PAID && $(monitor_q "SELECT reportedstate FROM pgautofailover.node WHERE nodename = '$OLD'") == primary ]] && break
  sleep 0.2
done
secs() { [[ -n $1 ]] && printf '%d.%01d' $((($1 - T0) / 1000)) $(((($1 - T0) % 1000) / 100)) || echo never; }
echo "# seconds from the kill: a node takes writes $(secs "$T_WRITABLE"), standby promoted $(secs "$T_PROMOTED"), first payment completed $(secs "$T_PAID") ($PAY_TRIES attempts)"
echo "# formation now: $(states)"
# a dead node's last report stays "primary": the monitor's goal for it says otherwise
NEW=$(monitor_q "SELECT nodename FROM pgautofailover.node WHERE reportedstate = goalstate AND reportedstate IN ('primary', 'wait_primary')")
echo "# primary now: $NEW (was $OLD)"

nonempty "a node takes writes again within 120 s" "$T_WRITABLE"
nonempty "a payment completes again within 120 s" "$T_PAID"
is "the payment completed before the kill is completed on the primary now" \
  "$(psql_q "SELECT status FROM gateway.transactions WHERE number = '$BEFORE'")" completed
is "... with exactly one approved authorization at the issuer" "$(issuer_auths_for "$BEFORE")" 1
if [[ -n $T_PAID ]]; then
  is "the payment after the failover is completed in the database" \
    "$(psql_q "SELECT status FROM gateway.transactions WHERE number = '$AFTER'")" completed
fi
done_testing
