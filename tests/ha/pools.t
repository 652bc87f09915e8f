#!/usr/bin/env bash
# tests/ha/pools.t — two gateway pools behind one nginx (docs/ha.md, "Two
# gateway pools"), on a running stack started with `scripts/stack start
# --ha` (two pools, a and b) and the demo data (`paygw-admin demo`,
# `credit-server --enrol-demo`; scripts/check --ha loads them):
#
#   1. requests reach both pools (the workers' own pids in GET /v1/health);
#   2. one sweeper and one webhook sender hold their advisory locks and the
#      other pool's stand by (PostgreSQL's pg_locks and pg_stat_activity);
#   3. `scripts/stack pool-kill a` while POSTs with an Idempotency-Key are in
#      flight on both pools (held in the database on their users' rows, so
#      some are surely on pool a's workers when they die), beside a stream of
#      GETs and long polls: every GET answers 200 (nginx passes a GET whose
#      worker died to pool b), each POST that died with its worker is
#      settled by the client's retry with the same key, and no POST made
#      two transactions (in SQL); multiwatch starts pool a's workers again;
#   4. `scripts/stack pool-stop a` with a holding both locks: b's sweeper
#      and sender take them within HANDOVER_MAX_S, the time measured and
#      printed; the gateway still answers;
#   5. `scripts/stack pool-start a`: both pools answer again.
#
# Check 4 failed before a standby asked for its lock every second (it asked
# every PAYGW_WEBHOOK_EVERY, 30 s): b's webhook sender took the lock 19.9 s
# after a's had ended.
#
#   PAYGW_STACK_ENV=var/ha/stack.env tests/ha/pools.t
#
# About 3 minutes on a loaded 2-core machine (psql takes a second there).
# check: timeout 900
set -u
. "$(dirname "$0")/../api/flowlib.sh"
STACK=$TEST_ROOT/scripts/stack
HANDOVER_MAX_S=${HANDOVER_MAX_S:-5}
MERCHANT=1111111111

[[ ${PAYGW_GATEWAY_POOLS:-1} == 2 ]] || { echo "not ok - the stack runs two gateway pools (PAYGW_GATEWAY_POOLS=2, scripts/stack start --ha)"; exit 1; }

# the advisory locks' keys, as the programs define them
SWEEPER_KEY=$(sed -n 's/^#define SWEEPER_LOCK_KEY "\([0-9]*\)"$/\1/p' "$TEST_ROOT/cgi/gateway/sweep.h")
WEBHOOKS_KEY=$(sed -n 's/^#define WEBHOOKS_LOCK_KEY "\([0-9]*\)"$/\1/p' "$TEST_ROOT/cgi/gateway/webhook_send.h")
# holder KEY → the application_name of the session holding that advisory
# lock (a bigint key: classid its high 32 bits, objid its low ones)
holder() {
  psql_q "SELECT coalesce(string_agg(a.application_name, ','), '')
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
           WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
             AND ((l.classid::bigint << 32) | l.objid::bigint) = $1" 2>/dev/null
}
sessions() { psql_q "SELECT count(*) FROM pg_stat_activity WHERE application_name = '$1'" 2>/dev/null; }
# pool_of PID → the pool whose multiwatch the worker PID is a child of
pool_of() {
  local p m
  for p in a b; do
    m=$(cat "$PAYGW_VAR/run/gateway-$p.pid" 2>/dev/null) || continue
    pgrep -P "$m" | grep -qx "$1" && { echo "$p"; return; }
  done
  echo "?"
}
# health_pools N → the pools that answered N GET /v1/health, sorted, one line
health_pools() {
  local i
  for ((i = 0; i < $1; i++)); do
    api GET /v1/health --max-time 10
    [[ $STATUS == 200 ]] && pool_of "$(jqr .worker_pid)"
  done | sort -u | tr '\n' ' '
}
now_s() { date +%s.%N; }
secs_since() { echo "$(now_s) $1" | awk '{ printf "%.1f", $1 - $2 }'; }
# wait_until SECONDS COMMAND...: until COMMAND succeeds (every 0.1 s)
wait_until() {
  local end; end=$(($(date +%s%N) + $1 * 1000000000))
  until "${@:2}"; do (($(date +%s%N) < end)) || return 1; sleep 0.1; done
}
holds() { [[ $(holder "$1") == "$2" ]]; }

# --- 1. both pools answer --------------------------------------------------------
is "requests reach both pools (the workers' pids in /v1/health)" "$(health_pools 20)" "a b "

# --- 2. one of each background process works, the other stands by ------------
# A test before this one may have failed the database over: a process
# standing by reconnects through the URI's hosts, each refused or fenced
# in turn (lib/db/fence.c: up to PAYGW_DB_FENCE_MS each), so it may still be
# on its way; seen 32 s after failover_smoke.t's kill
all_connected() {
  local n
  for n in paygw-sweeper-a paygw-sweeper-b paygw-webhooks-a paygw-webhooks-b; do
    [[ $(sessions "$n") == 1 ]] || return 1
  done
}
check "the four background processes are connected (within 60 s of the test's start)" wait_until 60 all_connected
for kind in sweeper webhooks; do
  key=SWEEPER_KEY; [[ $kind == webhooks ]] && key=WEBHOOKS_KEY
  like "one $kind process holds its lock" "$(holder "${!key}")" "^paygw-$kind-[ab]$"
  is "both pools' $kind processes are connected (one stands by)" \
    "$(sessions "paygw-$kind-a") $(sessions "paygw-$kind-b")" "1 1"
done

# --- 3. pool-kill a during GETs and POSTs ----------------------------------------
TAG=$(unique_tag)
txn_create "$MERCHANT" 00008 150
is "a transaction for the GETs" "$STATUS" 201
T0=$TXN
OUT=$FLOW_TMP/kill
mkdir -p "$OUT"

# GETs: the transaction, one after another, until told to stop; and long polls
get_stream() {
  local began
  while [[ ! -e $OUT/stop ]]; do
    began=$(date +%s%3N)
    pos GET "/v1/transactions/$T0" "$MERCHANT" --max-time 60
    echo "$STATUS $began $(date +%s%3N)" >>"$OUT/gets"
    sleep 0.05
  done
}
long_poll() { pos GET "/v1/transactions/$T0?wait=4" "$MERCHANT" --max-time 60; echo "$STATUS" >>"$OUT/long"; }
# post_client N USER: POST /v1/transactions with its own Idempotency-Key
# (and the key as the reference), sent again with the same key a second
# later while the answer is not 201, as a POS does; writes
# "KEY FIRST-STATUS LAST-STATUS TRANSACTION ATTEMPTS" to $OUT/post.N
post_client() {
  local key="pools-$TAG-$1" body first="" tries=0
  body=$(jq -cn --arg u "$2" --arg r "$key" \
    '{user_id: $u, currency: "JPY", items: [{name: "Pool test", quantity: 1, unit_price: 120, tax: 0}], reference: $r}')
  while ((tries < 20)); do
    tries=$((tries + 1))
    pos POST /v1/transactions "$MERCHANT" -H 'Content-Type: application/json' -H "Idempotency-Key: $key" \
      --data "$body" --max-time 120
    first=${first:-$STATUS}
    [[ $STATUS == 201 ]] && break
    sleep 1
  done
  echo "$key $first $STATUS $(jq -r '.transaction // "-"' <<<"$BODY" 2>/dev/null) $tries" >"$OUT/post.$1"
}
# the POSTs' users' rows held by a session of the test's own, so each POST
# waits in its worker (gateway.do_create_transaction locks its user's row)
USERS=(00002 00003 00004 00005)
user_list=$(printf "'%s'," "${USERS[@]}")
PGAPPNAME=pools.t-lock psql -X -q -o /dev/null "$PAYGW_PGURI" -c "BEGIN" \
  -c "SELECT 1 FROM gateway.users WHERE user_id IN (${user_list%,}) FOR UPDATE" -c "SELECT pg_sleep(120)" 2>/dev/null &
LOCKER=$!
unlock() { psql_q "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'pools.t-lock'" >/dev/null 2>&1; }
trap 'unlock; flow_cleanup' EXIT
lock_held() { [[ $(psql_q "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pools.t-lock' AND query LIKE 'SELECT pg_sleep%'") == 1 ]]; }
check "the test's session holds the users' rows" wait_until 20 lock_held
# blocked → "A B": how many of pool a's and of pool b's workers wait on a lock
blocked() {
  psql_q "SELECT count(*) FILTER (WHERE application_name = 'paygw.fcgi-a') || ' ' ||
                 count(*) FILTER (WHERE application_name = 'paygw.fcgi-b')
            FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
}
# the POSTs at once: nginx takes turns between the pools, so half of them
# wait on pool a's workers
n=${#USERS[@]}
for ((i = 1; i <= n; i++)); do post_client "$i" "${USERS[i - 1]}" & done
in_flight() { read -r ON_A ON_B < <(blocked); ((ON_A + ON_B >= n)); }
check "the $n POSTs wait in the database" wait_until 30 in_flight
echo "# POSTs waiting in the database: $ON_A on pool a's workers, $ON_B on pool b's"
check "POSTs are in flight on pool a's workers" test "$ON_A" -ge 1
get_stream &
GETTER=$!
long_poll &
long_poll &
sleep 1
KILL_MS=$(date +%s%3N)
KILLED=$("$STACK" pool-kill a 2>"$OUT/kill.err")
echo "# pool-kill a killed: $(tr '\n' ' ' <<<"$KILLED")"
check "pool-kill a printed the pids it killed, pool a's workers" test "$(wc -w <<<"$KILLED")" -eq "$PAYGW_WORKERS"
dead() { local p; for p in $KILLED; do kill -0 "$p" 2>/dev/null && return 1; done; return 0; }
check "... and they are dead" wait_until 5 dead
sleep 1
# the users' rows let go: the POSTs on pool b go on, the retries too
unlock
wait "$LOCKER" 2>/dev/null
posts_done() { local i; for ((i = 1; i <= n; i++)); do [[ -s $OUT/post.$i ]] || return 1; done; }
check "every POST client finished" wait_until 180 posts_done
touch "$OUT/stop"
wait "$GETTER"
wait

gets=$(wc -l <"$OUT/gets") bad_gets=$(awk '$1 != 200' "$OUT/gets" | wc -l)
echo "# GETs: $gets, long polls: $(wc -l <"$OUT/long")"
check "GETs were made before the kill and after it" \
  awk -v k="$KILL_MS" '$2 < k { before++ } $3 > k { after++ } END { exit !(before > 0 && after > 0) }' "$OUT/gets"
is "every GET answered 200" "$bad_gets" 0
is "both long polls answered 200" "$(sort "$OUT/long" | tr '\n' ' ')" "200 200 "
cat "$OUT"/post.* | sed 's/^/# POST: /'
is "every POST ended in 201 (retried with its key)" "$(awk '$3 != 201' "$OUT"/post.* | wc -l)" 0
retried=$(awk '$2 != 201' "$OUT"/post.* | wc -l)
echo "# POSTs whose first answer was not 201: $retried ($(awk '$2 != 201 { print $2 }' "$OUT"/post.* | sort | uniq -c | tr -s ' \n' ' '))"
is "the POSTs whose worker died (pool a's) were settled by the retry" "$retried" "$ON_A"
# in SQL: each key one transaction, the one its 201 named
made=$(psql_q "SELECT reference || ' ' || count(*) || ' ' || min(number) FROM gateway.transactions
                WHERE reference LIKE 'pools-$TAG-%' GROUP BY reference ORDER BY reference")
is "one transaction per POST" "$(awk '{ print $2 }' <<<"$made" | sort -u | tr '\n' ' ')" "1 "
is "... for each of them, the one its answer named" "$(awk '{ print $1, $3 }' <<<"$made")" \
  "$(awk '{ print $1, $4 }' "$OUT"/post.* | sort)"
workers_back() { [[ $(pgrep -c -P "$(cat "$PAYGW_VAR/run/gateway-a.pid")") == "$PAYGW_WORKERS" ]]; }
check "multiwatch started pool a's workers again" wait_until 10 workers_back

# --- 4. pool-stop a: b's sweeper and sender take the locks ------------------------
# a holds both first: a pool b holding one is stopped and started again
a_holds_both() { holds "$SWEEPER_KEY" paygw-sweeper-a && holds "$WEBHOOKS_KEY" paygw-webhooks-a; }
if ! holds "$SWEEPER_KEY" paygw-sweeper-a || ! holds "$WEBHOOKS_KEY" paygw-webhooks-a; then
  "$STACK" pool-stop b >/dev/null
  check "with b stopped, a's sweeper and sender take the locks" wait_until 10 a_holds_both
  "$STACK" pool-start b >/dev/null
fi
is "a's sweeper and sender hold the locks" "$(holder "$SWEEPER_KEY") $(holder "$WEBHOOKS_KEY")" "paygw-sweeper-a paygw-webhooks-a"
# the hand-over is timed from the holder's end: the programs under a's multiwatches
sweeper_a=$(pgrep -P "$(cat "$PAYGW_VAR/run/sweeper-a.pid")") webhooks_a=$(pgrep -P "$(cat "$PAYGW_VAR/run/webhooks-a.pid")")
t0=$(now_s)
"$STACK" pool-stop a >"$OUT/stop-a.out" 2>&1 &
STOPPER=$!
sweeper_end="" webhooks_end="" sweeper_s="" webhooks_s=""
end=$(($(date +%s) + 60))
while [[ -z $sweeper_s || -z $webhooks_s ]] && (($(date +%s) < end)); do
  [[ -z $sweeper_end ]] && ! kill -0 "$sweeper_a" 2>/dev/null && sweeper_end=$(now_s)
  [[ -z $webhooks_end ]] && ! kill -0 "$webhooks_a" 2>/dev/null && webhooks_end=$(now_s)
  [[ -n $sweeper_end && -z $sweeper_s ]] && holds "$SWEEPER_KEY" paygw-sweeper-b && sweeper_s=$(secs_since "$sweeper_end")
  [[ -n $webhooks_end && -z $webhooks_s ]] && holds "$WEBHOOKS_KEY" paygw-webhooks-b && webhooks_s=$(secs_since "$webhooks_end")
  sleep 0.1
done
wait "$STOPPER"
check "pool-stop a" test $? -eq 0
echo "# pool-stop a: b's sweeper held the lock ${sweeper_s:-never} s after a's ended, b's sender ${webhooks_s:-never} s after a's (polled with psql, about a second a query on this loaded machine); the stop took $(secs_since "$t0") s"
check "b's sweeper took the lock within $HANDOVER_MAX_S s" awk -v s="${sweeper_s:-999}" -v m="$HANDOVER_MAX_S" 'BEGIN { exit !(s <= m) }'
check "b's webhook sender took its lock within $HANDOVER_MAX_S s" awk -v s="${webhooks_s:-999}" -v m="$HANDOVER_MAX_S" 'BEGIN { exit !(s <= m) }'
is "pool a's processes are gone from the database" \
  "$(psql_q "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE '%-a'")" 0
is "with pool a stopped, pool b answers" "$(health_pools 10)" "b "
txn_create "$MERCHANT" 00008 130
is "... and takes payments" "$STATUS" 201

# --- 5. pool-start a: both serve again -------------------------------------------
"$STACK" pool-start a >"$OUT/start-a.out" 2>&1
check "pool-start a" test $? -eq 0
# nginx counts pool a out for fail_timeout (10 s) after its errors
both() { [[ $(health_pools 10) == "a b " ]]; }
t0=$(now_s)
check "both pools answer again" wait_until 30 both
echo "# both pools answered $(secs_since "$t0") s after pool-start a"
is "pool a's sweeper and sender are back, standing by" "$(sessions paygw-sweeper-a) $(sessions paygw-webhooks-a)" "1 1"
is "b's keep the locks" "$(holder "$SWEEPER_KEY") $(holder "$WEBHOOKS_KEY")" "paygw-sweeper-b paygw-webhooks-b"
done_testing
