#!/usr/bin/env bash
# tests/ha/rejoin.t — issue 17, docs/ha.md "Adding the old primary back":
# on a stack whose database is a pg_auto_failover formation
# (`scripts/stack start --ha`), the primary node is lost whole (its
# postmaster and its pg_autoctl killed with SIGKILL, as a host's loss), the
# monitor fails over, a payment is made on the new primary; then
# `scripts/stack db-start` starts the old node's pg_autoctl again, and it
# must rejoin as a standby — rewound in place by pg_rewind, not rebuilt —
# holding the payment made while it was away.  Then the whole formation is
# restarted after that failover (`db-stop`, `db-start`), and the new
# primary is lost in turn: the second failover, back to the first node,
# loses no payment completed before it (checked in SQL on the primary now,
# against a list taken before the kill), and the node lost second rejoins
# too.
#
#   PAYGW_VAR=$PWD/var/ha PAYGW_HTTPS_PORT=... PAYGW_CREDIT_PORT=... PAYGW_PG_PORT=... \
#     tests/ha/rejoin.t
#
# Given the environment of a running `start --ha` stack with the demo data
# (PAYGW_STACK_ENV naming a stack.env with PAYGW_HA='1', as `scripts/check`
# exports it), it runs on that stack and leaves it running, its formation
# whole.  Otherwise, like failover_smoke.t, it starts the stack fresh in
# PAYGW_VAR (default var/ha) with the demo data, and stops it at the end
# unless PAYGW_HA_KEEP=1.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
STACK=$ROOT/scripts/stack
. "$ROOT/tests/ha/halib.sh"
ha_stack_up
. "$ROOT/tests/api/flowlib.sh"
trap ha_cleanup EXIT

MERCHANT=1111111111 USER=00001
# the node the monitor wants primary and that says it is (a dead node's last report stays "primary")
primary_node() {
  monitor_q "SELECT substr(nodename, 6) FROM pgautofailover.node
              WHERE reportedstate = goalstate AND reportedstate IN ('primary', 'wait_primary')"
}
node_state() { monitor_q "SELECT reportedstate || '/' || goalstate FROM pgautofailover.node WHERE nodename = 'node-$1'"; }
node_port() { monitor_q "SELECT nodeport FROM pgautofailover.node WHERE nodename = 'node-$1'"; }
# node_q NAME SQL: on that node alone, whatever its role (a standby answers reads)
node_q() { PGCONNECT_TIMEOUT=5 psql -X -q -tA -v ON_ERROR_STOP=1 "postgresql://postgres@127.0.0.1:$(node_port "$1")/paygw" -c "$2" 2>/dev/null; }
secs_since() { local t=$(($(now_ms) - $1)); printf '%d.%01d' $((t / 1000)) $(((t % 1000) / 100)); }
# pay: one whole payment as the demo POS and handset; ok when it completed
pay() {
  flow_to chosen "$MERCHANT" "$USER" $((100 + RANDOM % 100)) L
  if [[ $STATUS == 200 && $(jqr .status) == completed ]]; then return 0; fi
  # what a failed attempt left open is canceled: a user holds 3 open at most
  [[ -n ${TXN:-} ]] && pos POST "/v1/transactions/$TXN/cancel" "$MERCHANT" >/dev/null
  return 1
}
# pay_within SECONDS: pay until one completes (PAID its number)
pay_within() {
  local end=$(($(now_ms) + $1 * 1000))
  PAID=""
  while (($(now_ms) < end)); do
    pay && { PAID=$TXN; return 0; }
    echo "# $(secs_since "$T0") s: a payment failed: $STATUS ${FLOW_ERROR:-$(jqr '.code // .status' 2>/dev/null)}"
    sleep 0.5
  done
  return 1
}
approved_auths_for() {
  psql_q "SELECT count(*) FROM issuer.authorizations ia
            JOIN gateway.authorizations ga ON ia.stan = lpad(ga.stan::text, 6, '0')
             AND ia.transmission_time = ga.transmission_time AND ia.terminal_id = ga.terminal_code
            JOIN gateway.transactions t ON t.id = ga.transaction_id
           WHERE t.number = '$1' AND ia.status = 'approved'"
}
# kill_node NAME: the node's pg_autoctl (scripts/stack runs it in a session
# of its own) and all it runs, PostgreSQL included, with SIGKILL
kill_node() {
  local keeper victims
  keeper=$(cat "$PAYGW_VAR/run/pg-$1.pid")
  # shellcheck disable=SC2207
  victims=($(ps -o pid= -s "$keeper") $(head -1 "$PAYGW_VAR/pg/ha/$1/postmaster.pid"))
  echo "# killing node $1 (pg_autoctl, PostgreSQL): ${victims[*]}"
  kill -KILL "${victims[@]}" 2>/dev/null
}
# wait_primary_other_than NAME SECONDS: until another node is primary
wait_primary_other_than() {
  local end=$(($(now_ms) + $2 * 1000)) p
  while (($(now_ms) < end)); do
    p=$(primary_node)
    [[ $p =~ ^[ab]$ && $p != "$1" ]] && return 0
    sleep 0.2
  done
  return 1
}
# the inodes of the node's PGDATA and of its PG_VERSION: pg_rewind writes
# into the files it keeps; a base backup makes every file anew
pgdata_inode() { stat -c %i "$PAYGW_VAR/pg/ha/$1" "$PAYGW_VAR/pg/ha/$1/PG_VERSION" | tr '\n' ' '; }
# the completed payments so far, as "count md5-of-their-numbers", on the primary
completed_digest() {
  psql_q "SELECT count(*) || ' ' || md5(coalesce(string_agg(number, ',' ORDER BY number), ''))
            FROM gateway.transactions WHERE status = 'completed' AND created_at <= '$1'"
}

FIRST=$(primary_node) SECOND=b
[[ $FIRST == b ]] && SECOND=a
is "the formation has a primary and a secondary" "$(node_state "$FIRST") $(node_state "$SECOND")" \
  "primary/primary secondary/secondary"
pay; is "a payment completes before the first failover" "$STATUS $(jqr .status)" "200 completed"
P1=$TXN

# --- the primary lost, a payment on the new primary ------------------------------
INODE=$(pgdata_inode "$FIRST")
T0=$(now_ms)
kill_node "$FIRST"
check "node $SECOND is primary after node $FIRST's loss" wait_primary_other_than "$FIRST" 60
echo "# promoted after $(secs_since "$T0") s: $(states)"
check "a payment completes on node $SECOND while node $FIRST is down" pay_within 60
P2=$PAID
echo "# paid after $(secs_since "$T0") s"
is "node $FIRST is not running" "$(node_q "$FIRST" "SELECT 1")" ""

# --- the old primary back: it rejoins as a standby -----------------------------------
T1=$(now_ms)
check "scripts/stack db-start starts node $FIRST again and the formation is whole" quietly "$STACK" db-start
echo "# rejoined after $(secs_since "$T1") s: $(states)"
is "node $FIRST is a secondary, node $SECOND the primary" "$(node_state "$FIRST") $(node_state "$SECOND")" \
  "secondary/secondary primary/primary"
is "node $FIRST is in recovery (a standby)" "$(node_q "$FIRST" "SELECT pg_is_in_recovery()")" t
# pg_rewind rewinds the data folder in place; a new base backup (pg_autoctl's
# fallback) replaces it with another folder
is "node $FIRST was rewound in place, not rebuilt (its PGDATA and PG_VERSION are the same files)" "$(pgdata_inode "$FIRST")" "$INODE"
is "node $FIRST holds the payment made while it was away, completed" \
  "$(node_q "$FIRST" "SELECT status FROM gateway.transactions WHERE number = '$P2'")" completed
is "... and the one made before it was lost" \
  "$(node_q "$FIRST" "SELECT status FROM gateway.transactions WHERE number = '$P1'")" completed
pay; is "a payment completes with node $FIRST back" "$STATUS $(jqr .status)" "200 completed"
P3=$TXN
like "the primary replicates synchronously to node $FIRST again" \
  "$(psql_q "SELECT sync_state FROM pg_stat_replication")" '^(sync|quorum)$'

# --- the whole formation restarted after the failover ---------------------------------
T2=$(now_ms)
check "scripts/stack db-stop stops the formation" quietly "$STACK" db-stop
check "... db-start starts it again, a primary and a secondary" quietly "$STACK" db-start
echo "# restarted in $(secs_since "$T2") s: $(states)"
pay; is "a payment completes after the restart" "$STATUS $(jqr .status)" "200 completed"
P4=$TXN

# --- the second failover, back -------------------------------------------------------------
NOW_PRIMARY=$(primary_node) OTHER=$FIRST
[[ $NOW_PRIMARY == "$FIRST" ]] && OTHER=$SECOND
is "the formation is whole before the second failover" "$(node_state "$NOW_PRIMARY") $(node_state "$OTHER")" \
  "primary/primary secondary/secondary"
SNAP_AT=$(psql_q "SELECT now()")
BEFORE=$(completed_digest "$SNAP_AT")
echo "# completed payments before the second failover: ${BEFORE%% *}"
T3=$(now_ms)
kill_node "$NOW_PRIMARY"
check "node $OTHER is primary after node $NOW_PRIMARY's loss" wait_primary_other_than "$NOW_PRIMARY" 60
echo "# promoted after $(secs_since "$T3") s: $(states)"
T0=$T3
check "a payment completes on node $OTHER" pay_within 60
P5=$PAID
echo "# paid after $(secs_since "$T3") s"
is "every payment completed before the second failover is completed on node $OTHER (count and numbers)" \
  "$(completed_digest "$SNAP_AT")" "$BEFORE"
all_ok=1
for p in "$P1" "$P2" "$P3" "$P4"; do
  [[ $(psql_q "SELECT status FROM gateway.transactions WHERE number = '$p'") == completed \
     && $(approved_auths_for "$p") == 1 ]] || { all_ok=0; echo "# $p: not completed with one approved authorization"; }
done
is "the four payments of this test are completed, each with exactly one approved authorization" "$all_ok" 1
check "scripts/stack db-start brings node $NOW_PRIMARY back as a standby" quietly "$STACK" db-start
is "the formation is whole again" "$(node_state "$OTHER") $(node_state "$NOW_PRIMARY")" \
  "primary/primary secondary/secondary"
is "node $NOW_PRIMARY holds the payment made while it was away" \
  "$(node_q "$NOW_PRIMARY" "SELECT status FROM gateway.transactions WHERE number = '${P5:-none}'")" completed
done_testing
