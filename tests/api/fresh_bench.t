#!/usr/bin/env bash
# fresh_bench.t — scripts/bench as the first command in a fresh clone
# (issue 18: it redirected into var/ before anything had made it): its short
# mode installs, builds, starts a stack of its own, measures some flows,
# says so, and stops that stack again.  What PostgreSQL counted comes out
# too (issue 19): a fresh cluster is restarted once to load
# pg_stat_statements.
# check: alone — it loads the machine itself (builds, or a benchmark's
# concurrent flows): another lane beside it would slow both past their bounds
. "$(dirname "$0")/fresh_lib.sh"
L=$TEST_ROOT/var/check-logs/fresh_bench
rm -rf "$L"; mkdir -p "$L"
fresh_copy || { not_ok "a copy of the tracked files"; done_testing; }
check "the copy holds no var/ and no build products" test ! -e "$C/var" -a ! -e "$C/configure" -a ! -e "$C/bench/flows"

in_copy "$C" PAYGW_BENCH_HTTPS_PORT="${PORTS_A[0]}" PAYGW_BENCH_CREDIT_PORT="${PORTS_A[1]}" \
  PAYGW_BENCH_PG_PORT="${PORTS_A[2]}" scripts/bench --quick >"$L/bench.out" 2>&1
rc=$?
is "scripts/bench --quick first in a fresh clone: exit status 0" "$rc" 0
[[ $rc -eq 0 ]] || tail -n 20 "$L/bench.out" | sed 's/^/# /'
completed=$(awk '/^flows:/ {print $2}' "$L/bench.out" | head -1)
check "it measured completed flows ($completed)" test "${completed:-0}" -gt 0
is "every flow completed" "$(awk -F': ' '/^every flow completed:/ {print $2}' "$L/bench.out" | head -1)" yes
check "statements per flow were counted by pg_stat_statements (all >= without BEGIN/COMMIT/ROLLBACK > 0)" \
  awk '/^statements per flow: [0-9]/ { ok = $4 > 0 && $7 >= $4 } END { exit !ok }' "$L/bench.out"
check "the top statements are listed with the gateway's role" \
  grep -Eq '^ +[0-9.]+ +[0-9.]+ +paygw_gateway +[A-Z]' "$L/bench.out"
check "commits and rollbacks per flow were counted" \
  grep -Eq '^database commits per flow: [1-9][0-9.]*, rollbacks per flow [0-9.]+ ' "$L/bench.out"
check "PostgreSQL's CPU per flow and its share of the stack's" \
  awk '/^PostgreSQL CPU ms per flow:/ { ok = $6 > 0 && substr($7, 2) + 0 > 0 } END { exit !ok }' "$L/bench.out"
check "its state is in the copy's var/bench" test -s "$C/var/bench/stack.env"
check "it stopped its stack: nothing listens on its ports" nothing_listens A
done_testing
