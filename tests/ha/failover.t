#!/usr/bin/env bash
# tests/ha/failover.t — issue 17's failover test (docs/ha.md "The failover
# test"), on a stack started with `scripts/stack start --ha` and the demo
# data (`scripts/check --ha` makes one): 32 concurrent payments
# (bench/flows --keep-going, the clients' own rules after an error) for
# about 70 s, during which
#   1. the primary PostgreSQL's postmaster is killed with SIGKILL,
#   2. the FastCGI workers of gateway pool a are killed with SIGKILL
#      (kill_pool_a below),
#   3. the credit server is restarted (`scripts/stack credit-restart`).
# Then, in SQL on the new primary (the gateway's and the issuer's schemas):
# every payment the POS saw completed is completed with exactly one approved
# authorization at the issuer; every other payment of the run is final, as
# its POS last saw it, with no approved authorization; no authorization is
# left sent or awaiting its reversal, and the issuer holds no approved one
# without a completed payment (the sweeper's reversals are waited for, up
# to SETTLE_S).  It prints the seconds from the primary's death to the
# first payment completed on the new primary, and fails above 30 s.  It
# ends by waiting for the formation to have a primary and a secondary again
# (the old primary rejoins as a standby), for the tests after it.
# All 32 POS share one terminal, so its allowance of new transactions
# (PAYGW_TERMINAL_RATE, 10/s) must be lifted as scripts/bench does:
# `scripts/check --ha` starts its stack so; by hand, start the stack with
# PAYGW_TERMINAL_RATE=100000 PAYGW_TERMINAL_BURST=100000.
# check: timeout 900
. "$(dirname "$0")/../api/flowlib.sh"
ROOT=$TEST_ROOT
STACK=$ROOT/scripts/stack
. "$ROOT/tests/ha/halib.sh" # monitor_q, states
C=32 DURATION=${PAYGW_FAILOVER_SECONDS:-70} SETTLE_S=180 FIRST_PAYMENT_MAX_S=30
WORK=$(mktemp -d)
OUT=$WORK/flows.out ERR=$WORK/flows.err OUTCOMES=$WORK/outcomes
POLLER=""
cleanup() {
  [[ -n $POLLER ]] && kill "$POLLER" 2>/dev/null
  [[ -n ${FLOWS:-} ]] && kill "$FLOWS" 2>/dev/null
  rm -rf "$WORK"
  flow_cleanup
}
trap cleanup EXIT

formation_healthy() {
  [[ $(monitor_q "SELECT string_agg(reportedstate::text || '/' || goalstate::text, ' ' ORDER BY reportedstate::text) FROM pgautofailover.node") \
    == "primary/primary secondary/secondary" ]]
}
# the port of the node that takes writes now (through the multi-host URI)
writable_port() {
  PGCONNECT_TIMEOUT=2 psql -X -q -tA "$PAYGW_PGURI" -c "SELECT inet_server_port() WHERE NOT pg_is_in_recovery()" 2>/dev/null
}
ms_to_s() { printf '%d.%01d' $(($1 / 1000)) $((($1 % 1000) / 100)); }

# kill_pool_a: kill -9 every FastCGI worker of gateway pool a (its
# multiwatch starts new ones: a crash of the workers), printing their pids
# (the --ha stack runs two pools, a and b: docs/ha.md "Two gateway pools")
kill_pool_a() { "$STACK" pool-kill a; }

check "bench/flows is built" test -x "$ROOT/bench/flows"
check "the formation has a primary and a secondary" formation_healthy
check "$C benchmark users enrolled" quietly "$ROOT/bench/enrol-users" "$C" "$PAYGW_VAR/bench-users"
set -a; . "$PAYGW_VAR/demo/terminals.env"; set +a
export PAYGW_BENCH_TERMINAL=$PAYGW_TERMINAL_1111111111

# --- the run ------------------------------------------------------------------------
RUN_START=$(psql_q "SELECT now()")
"$ROOT/bench/flows" -c "$C" -d "$DURATION" --users "$PAYGW_VAR/bench-users/users.txt" --ping-seconds 0 \
  --pgbench-seconds 0 --settle-seconds 0 --keep-going --outcomes "$OUTCOMES" >"$OUT" 2>"$ERR" &
FLOWS=$!
# the warm-up flows (one a thread) have ended: the measured phase begins
for _ in $(seq 300); do
  [[ -f $OUTCOMES ]] && (($(wc -l <"$OUTCOMES") >= C)) && break
  kill -0 "$FLOWS" 2>/dev/null || break
  sleep 0.2
done
sleep 8

# 1. the primary's postmaster
read -r OLD OLD_PORT < <(monitor_q "SELECT nodename, nodeport FROM pgautofailover.node WHERE reportedstate = 'primary'" | tr '|' ' ')
POSTMASTER=$(head -1 "$PAYGW_VAR/pg/ha/${OLD#node-}/postmaster.pid" 2>/dev/null)
echo "# $(wc -l <"$OUTCOMES") flows ended; killing the primary $OLD (port $OLD_PORT, postmaster $POSTMASTER)"
T_KILL=$(now_ms)
kill -KILL "$POSTMASTER"
# polled meanwhile: when the monitor has promoted the other node (it
# reports wait_primary), and when the stack's multi-host URI first lands on
# it (until then libpq keeps the first node that takes writes: the old
# primary, restarted by its keeper, until its demotion)
# (each until seen, for at most 120 s: the URI may land on the new primary
# before the monitor's table says it was promoted)
(
  end=$(($(now_ms) + 120000))
  while [[ ! -s $WORK/new_writable || ! -s $WORK/promoted ]] && (($(now_ms) < end)); do
    if [[ ! -s $WORK/promoted ]]; then
      s=$(monitor_q "SELECT reportedstate FROM pgautofailover.node WHERE nodename <> '$OLD'")
      [[ $s == wait_primary || $s == primary ]] && now_ms >"$WORK/promoted"
    fi
    if [[ ! -s $WORK/new_writable ]]; then
      p=$(writable_port)
      [[ -n $p && $p != "$OLD_PORT" ]] && now_ms >"$WORK/new_writable"
    fi
    sleep 0.2
  done
) &
POLLER=$!
sleep 25

# 2. the workers of gateway pool a
echo "# killing gateway pool a's workers: $(kill_pool_a | tr '\n' ' ')"
T_POOL=$(now_ms)
sleep 15

# 3. the credit server
"$STACK" credit-restart >"$WORK/credit-restart.out" 2>&1
is "scripts/stack credit-restart" "$?" 0
T_CREDIT=$(now_ms)

wait "$FLOWS"
FLOWS_RC=$?
FLOWS=""
T_END=$(now_ms)
sed 's/^/# /' "$OUT" | grep -E '^# (paygw|flows:|outcomes|keep-going|completed flows)'
[[ -s $ERR ]] && grep -v ' s .* completed ' "$ERR" | head -12 | sed 's/^/# /'
is "bench/flows --keep-going saw every flow's end (exit 0)" "$FLOWS_RC" 0
kill "$POLLER" 2>/dev/null
POLLER=""
echo "# formation after the run: $(states)"

NEW_PORT=$(writable_port)
check "the standby was promoted: the node taking writes ($NEW_PORT) is not the killed primary ($OLD_PORT)" \
  test -n "$NEW_PORT" -a "$NEW_PORT" != "$OLD_PORT"

# --- the invariants, in SQL ------------------------------------------------------------
# the outcomes ("<transaction|-> <status> <unix ms>") as a VALUES list,
# the CTE "seen" of the queries below
outcomes_values() {
  awk '$1 != "-" { printf "%s(%s, %s, %s)", sep, "\x27" $1 "\x27", "\x27" $2 "\x27", $3; sep = ", " }' "$OUTCOMES"
}
VALUES=$(outcomes_values)
[[ -n $VALUES ]] || VALUES="('-', '-', 0)"   # no outcome at all: a row no payment matches
n_lines=$(wc -l <"$OUTCOMES")
n_none=$(awk '$1 == "-"' "$OUTCOMES" | wc -l)
n_completed=$(awk '$2 == "completed"' "$OUTCOMES" | wc -l)
echo "# outcomes: $n_lines flows, $n_completed seen completed, $n_none without a transaction number"
check "flows completed during the run ($n_completed)" test "$n_completed" -gt 0
is "every flow learnt its transaction number" "$n_none" 0

RUN="t.created_at >= '$RUN_START' AND t.user_id LIKE 'b%'"
OUTCOMES_CTE="WITH seen(number, status, ms) AS (VALUES $VALUES)"
# the payments of the run, their issuer authorizations approved and all
AUTHS="SELECT t.id, t.number, t.status,
              count(ia.id) FILTER (WHERE ia.status = 'approved') AS approved,
              count(ia.id) AS issuer_rows,
              count(ga.id) FILTER (WHERE ga.status IN ('sent', 'reversal_pending')) AS open_auths
         FROM gateway.transactions t
         LEFT JOIN gateway.authorizations ga ON ga.transaction_id = t.id
         LEFT JOIN issuer.authorizations ia ON ia.stan = lpad(ga.stan::text, 6, '0')
              AND ia.transmission_time = ga.transmission_time AND ia.terminal_id = ga.terminal_code
        WHERE $RUN GROUP BY t.id, t.number, t.status"
not_final() { psql_q "SELECT count(*) FROM gateway.transactions t WHERE $RUN AND status NOT IN ('completed', 'declined', 'failed', 'canceled', 'expired')"; }
open_auths() { psql_q "SELECT coalesce(sum(open_auths), 0) FROM ($AUTHS) a"; }
# approved at the issuer since the run began, without a completed payment
orphans() {
  psql_q "SELECT count(*) FROM issuer.authorizations ia
           WHERE ia.created_at >= '$RUN_START' AND ia.status = 'approved'
             AND NOT EXISTS (SELECT 1 FROM gateway.authorizations ga JOIN gateway.transactions t ON t.id = ga.transaction_id
                              WHERE ia.stan = lpad(ga.stan::text, 6, '0') AND ia.transmission_time = ga.transmission_time
                                AND ia.terminal_id = ga.terminal_code AND t.status = 'completed')"
}
# the sweeper settles what is in doubt and reverses what must be
settled_in=""
for i in $(seq "$SETTLE_S"); do
  if [[ $(not_final) == 0 && $(open_auths) == 0 && $(orphans) == 0 ]]; then settled_in=$i; break; fi
  sleep 1
done
echo "# settled $((($(now_ms) - T_END) / 1000)) s after the run: not final $(not_final), authorizations sent or awaiting reversal $(open_auths), approved at the issuer without a completed payment $(orphans)"
nonempty "within $SETTLE_S s every payment is final and every authorization answered or reversed" "$settled_in"

total=$(psql_q "SELECT count(*) FROM gateway.transactions t WHERE $RUN")
is "every payment of the run is in the outcomes ($total in the database)" "$total" "$((n_lines - n_none))"
is "every payment the POS saw completed is completed with exactly one approved authorization at the issuer" \
  "$(psql_q "$OUTCOMES_CTE SELECT count(*) FROM seen s LEFT JOIN ($AUTHS) a ON a.number = s.number
             WHERE s.status = 'completed' AND NOT (a.status IS NOT DISTINCT FROM 'completed' AND a.approved = 1)")" 0
is "every payment is in the final state its POS last saw" \
  "$(psql_q "$OUTCOMES_CTE SELECT count(*) FROM seen s LEFT JOIN gateway.transactions t ON t.number = s.number
             WHERE t.status IS DISTINCT FROM s.status")" 0
is "no payment but a completed one has an approved authorization at the issuer (no net charge)" \
  "$(psql_q "SELECT count(*) FROM ($AUTHS) a WHERE a.status <> 'completed' AND a.approved > 0")" 0
is "no completed payment has more than one authorization at the issuer" \
  "$(psql_q "SELECT count(*) FROM ($AUTHS) a WHERE a.status = 'completed' AND a.issuer_rows <> 1")" 0
is "no authorization left sent or awaiting its reversal" "$(open_auths)" 0
is "the issuer holds no approved authorization without a completed payment" "$(orphans)" 0
diffs=$(psql_q "$OUTCOMES_CTE SELECT s.number || ' POS saw ' || s.status || ', database ' || coalesce(a.status, 'no row')
                || ', approved ' || coalesce(a.approved, 0) || ' of ' || coalesce(a.issuer_rows, 0)
         FROM seen s LEFT JOIN ($AUTHS) a ON a.number = s.number
        WHERE a.status IS DISTINCT FROM s.status OR (s.status = 'completed') <> (coalesce(a.approved, 0) = 1)
        LIMIT 10")
[[ -n $diffs ]] && sed 's/^/# differs: /' <<<"$diffs"
psql_q "SELECT '# database: ' || string_agg(status || ' ' || n, ', ' ORDER BY status)
          FROM (SELECT status, count(*) n FROM gateway.transactions t WHERE $RUN GROUP BY status) s"

# --- the time to the first payment on the new primary --------------------------------
T_NEW=$(cat "$WORK/new_writable" 2>/dev/null) T_PROMOTED=$(cat "$WORK/promoted" 2>/dev/null)
FIRST=""
if [[ -n $T_NEW ]]; then
  # the first payment the POS saw completed whose completing transaction
  # began after the new primary took writes (so it was made there)
  FIRST=$(psql_q "$OUTCOMES_CTE SELECT min(s.ms) FROM seen s JOIN gateway.transactions t ON t.number = s.number
                   WHERE s.status = 'completed' AND t.completed_at >= to_timestamp($T_NEW / 1000.0)")
fi
echo "# seconds from the primary's death: the standby promoted (monitor) $([[ -n $T_PROMOTED ]] && ms_to_s $((T_PROMOTED - T_KILL)) || echo never), the stack's URI lands on the new primary $([[ -n $T_NEW ]] && ms_to_s $((T_NEW - T_KILL)) || echo never), first payment completed on it $([[ -n $FIRST ]] && ms_to_s $((FIRST - T_KILL)) || echo never); pool a killed at $(ms_to_s $((T_POOL - T_KILL))), credit server restarted at $(ms_to_s $((T_CREDIT - T_KILL)))"
nonempty "the other node took writes after the kill" "$T_NEW"
check "a payment completed on the new primary within $FIRST_PAYMENT_MAX_S s of the primary's death" \
  test -n "$FIRST" -a "$(((${FIRST:-0} - T_KILL) / 1000))" -lt "$FIRST_PAYMENT_MAX_S"
completed_after_pool=$(awk -v t="$T_POOL" '$2 == "completed" && $3 > t' "$OUTCOMES" | wc -l)
completed_after_credit=$(awk -v t="$T_CREDIT" '$2 == "completed" && $3 > t' "$OUTCOMES" | wc -l)
check "payments completed after pool a's workers died ($completed_after_pool)" test "$completed_after_pool" -gt 0
check "payments completed after the credit server's restart ($completed_after_credit)" test "$completed_after_credit" -gt 0

# --- for the tests after this one: a primary and a secondary again --------------------
healthy_in=""
for i in $(seq 120); do
  formation_healthy && { healthy_in=$i; break; }
  sleep 1
done
echo "# formation: $(states)"
nonempty "the formation has a primary and a secondary again within 120 s (the old primary rejoined)" "$healthy_in"
done_testing
