#!/usr/bin/env bash
# fresh_scripts.t — the scripts of scripts/ as the first commands in a
# fresh clone (issue 18; fresh_demo and fresh_bench run those two), one
# after the other in one copy, each finding it as fresh as a clone: deps,
# migrate (no stack: it says what to run instead), stack stop/status and
# demo --stop (nothing to stop) change nothing in the tree; then
# scripts/check, the first command that builds, with a name that selects no
# integration test: it still installs, builds from scratch, runs the static
# and unit tests and starts a stack of its own with the demo data, then
# stops it; then stack start finds that build and starts a healthy stack,
# which migrate, status and stop find without the ports in the environment.
# (scripts/check and stack start each first in a copy of their own was one
# more build from scratch, three minutes of CI; fresh_demo's stack start is
# the one that builds a fresh tree.)
# check: alone — it loads the machine itself (builds, or a benchmark's
# concurrent flows): another lane beside it would slow both past their bounds
. "$(dirname "$0")/fresh_lib.sh"
L=$TEST_ROOT/var/check-logs/fresh_scripts
rm -rf "$L"; mkdir -p "$L"
fresh_copy || { not_ok "a copy of the tracked files"; done_testing; }
check "the copy holds exactly the tracked files" pristine "$C"

in_copy "$C" scripts/deps >"$L/deps.out" 2>&1
is "deps first: exit status 0" "$?" 0
check "deps first: the tree is as fresh as before" pristine "$C"
in_copy "$C" scripts/migrate >"$L/migrate.out" 2>&1
is "migrate first: exit status 2 (nothing to migrate)" "$?" 2
check "migrate first: says to start the stack, which migrates" grep -q "scripts/stack start" "$L/migrate.out"
in_copy "$C" scripts/stack stop >"$L/stop.out" 2>&1
is "stack stop first: exit status 0" "$?" 0
check "stack stop first: nothing to stop" grep -q "nothing to stop" "$L/stop.out"
in_copy "$C" scripts/stack status >"$L/status.out" 2>&1
is "stack status first: exit status 1 (not running)" "$?" 1
in_copy "$C" scripts/demo --stop >"$L/demo-stop.out" 2>&1
is "demo --stop first: exit status 0" "$?" 0
check "none of them changed the tree" pristine "$C"

in_copy "$C" PAYGW_CHECK_HTTPS_PORT="${PORTS_A[0]}" PAYGW_CHECK_CREDIT_PORT="${PORTS_A[1]}" \
  PAYGW_CHECK_PG_PORT="${PORTS_A[2]}" PAYGW_CHECK_TEST_PORT_BASE=$((FRESH_BASE + 18)) \
  scripts/check no_integration_test_has_this_name >"$L/check.out" 2>&1
rc=$?
is "scripts/check first to build: exit status 0" "$rc" 0
last=$(tail -n 1 "$L/check.out")
[[ $rc -eq 0 ]] || grep -E '^not ok|FAILED|error' "$L/check.out" | head -20 | sed 's/^/# /'
check "its summary line counts the static and unit tests ($last)" \
  bash -c '[[ $1 =~ ^([0-9]+)\ passed,\ 0\ failed$ ]] && ((BASH_REMATCH[1] > 100))' _ "$last"
check "it built from scratch (scripts/build)" grep -q "^build: done" "$L/check.out"
check "it started a healthy stack of its own (lane 0's, its output in var/check-logs/stack-lane0.out)" \
  grep -q "stack: healthy: https://127.0.0.1:${PORTS_A[0]}/" "$C/var/check-logs/stack-lane0.out"
check "and said so" grep -q "^lane 0: a stack on https://127.0.0.1:${PORTS_A[0]}, 0 tests" "$L/check.out"
check "and loaded the demo data into it" test -s "$C/var/check/demo/terminals.env"
check "it stopped that stack: nothing listens on its ports" nothing_listens A

# shellcheck disable=SC2046  # the variables are words on purpose
in_copy "$C" $(ports_env A) scripts/stack start >"$L/start.out" 2>&1
rc=$?
is "stack start after check: exit status 0" "$rc" 0
[[ $rc -eq 0 ]] || tail -n 20 "$L/start.out" | sed 's/^/# /'
check "stack start after check: nothing to build again" bash -c '! grep -q "^build: done" "$1"' _ "$L/start.out"
missing=""
for p in cgi/gateway/paygw.fcgi admin/paygw-admin credit-server/credit-server pos-client/pos handset-client/handset bench/flows; do
  [[ -x $C/$p ]] || missing+=" $p"
done
is "stack start: every program is built" "$missing" ""
check "stack start: the gateway answers its health check" \
  curl -fsS -o /dev/null --cacert "$C/var/tls/ca.crt" "https://127.0.0.1:${PORTS_A[0]}/v1/health"
in_copy "$C" scripts/migrate >"$L/migrate2.out" 2>&1
is "migrate with the stack's var/stack.env (nothing in the environment): exit status 0" "$?" 0
check "... the database is up to date" grep -q "0 applied, database up to date" "$L/migrate2.out"
in_copy "$C" scripts/stack status >"$L/status2.out" 2>&1
is "stack status while running (ports not in the environment): exit status 0" "$?" 0
in_copy "$C" scripts/stack stop >"$L/stop2.out" 2>&1
is "stack stop (ports not in the environment): exit status 0" "$?" 0
check "... nothing listens on the stack's ports" nothing_listens A
done_testing
