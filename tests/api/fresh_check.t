#!/usr/bin/env bash
# fresh_check.t — scripts/check as the first command in a fresh clone
# (issue 18), with a name that selects no integration test: it still
# installs, builds from scratch, runs the static and unit tests and starts
# a stack of its own with the demo data, then stops it; the summary line
# counts the tests that ran and none failed.
# check: alone — it loads the machine itself (builds, or a benchmark's
# concurrent flows): another lane beside it would slow both past their bounds
. "$(dirname "$0")/fresh_lib.sh"
L=$TEST_ROOT/var/check-logs/fresh_check
rm -rf "$L"; mkdir -p "$L"
fresh_copy || { not_ok "a copy of the tracked files"; done_testing; }
check "the copy holds no var/ and no build products" test ! -e "$C/var" -a ! -e "$C/configure"

in_copy "$C" PAYGW_CHECK_HTTPS_PORT="${PORTS_A[0]}" PAYGW_CHECK_CREDIT_PORT="${PORTS_A[1]}" \
  PAYGW_CHECK_PG_PORT="${PORTS_A[2]}" PAYGW_CHECK_TEST_PORT_BASE=$((FRESH_BASE + 18)) \
  scripts/check no_integration_test_has_this_name >"$L/check.out" 2>&1
rc=$?
is "scripts/check first in a fresh clone: exit status 0" "$rc" 0
last=$(tail -n 1 "$L/check.out")
[[ $rc -eq 0 ]] || grep -E '^not ok|FAILED|error' "$L/check.out" | head -20 | sed 's/^/# /'
check "its summary line counts the static and unit tests ($last)" \
  bash -c '[[ $1 =~ ^([0-9]+)\ passed,\ 0\ failed$ ]] && ((BASH_REMATCH[1] > 100))' _ "$last"
check "it started a healthy stack of its own (lane 0's, its output in var/check-logs/stack-lane0.out)" \
  grep -q "stack: healthy: https://127.0.0.1:${PORTS_A[0]}/" "$C/var/check-logs/stack-lane0.out"
check "and said so" grep -q "^lane 0: a stack on https://127.0.0.1:${PORTS_A[0]}, 0 tests" "$L/check.out"
check "and loaded the demo data into it" test -s "$C/var/check/demo/terminals.env"
check "it stopped that stack: nothing listens on its ports" nothing_listens A
done_testing
