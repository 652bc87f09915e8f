#!/usr/bin/env bash
# fresh_scripts.t — the other scripts of scripts/ as the first command in a
# fresh clone (issue 18; fresh_demo, fresh_bench and fresh_check run those
# three), one after the other in one copy, each finding it as fresh as a
# clone: deps, migrate (no stack: it says what to run instead), stack
# stop/status and demo --stop (nothing to stop) change nothing in the tree;
# then stack start, which builds what is missing (scripts/deps and
# scripts/build, first run in the fresh tree) and starts a healthy stack,
# which migrate, status and stop then find without the ports in the
# environment.
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

# shellcheck disable=SC2046  # the variables are words on purpose
in_copy "$C" $(ports_env A) scripts/stack start >"$L/start.out" 2>&1
rc=$?
is "stack start first: exit status 0" "$rc" 0
[[ $rc -eq 0 ]] || tail -n 20 "$L/start.out" | sed 's/^/# /'
check "stack start first: it built what was missing (scripts/build)" grep -q "^build: done" "$L/start.out"
missing=""
for p in cgi/gateway/paygw.fcgi admin/paygw-admin credit-server/credit-server pos-client/pos handset-client/handset bench/flows; do
  [[ -x $C/$p ]] || missing+=" $p"
done
is "stack start first: every program is built" "$missing" ""
check "stack start first: the gateway answers its health check" \
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
