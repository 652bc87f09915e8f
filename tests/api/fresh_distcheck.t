#!/usr/bin/env bash
# fresh_distcheck.t — `make distcheck` in a fresh clone (docs/install.md):
# the release tarball is made from the tracked files, then unpacked with its
# source tree read-only, built outside it (VPATH), its unit tests run there
# (make check), installed, uninstalled leaving no file behind, and installed
# once more under DESTDIR.  4 to 7 minutes on two shared cores, hence its own
# time-out below.  Skipped by --sanitize (fresh_*: not the sanitized build).
# check: alone — it loads the machine itself (builds, or a benchmark's
# concurrent flows): another lane beside it would slow both past their bounds
# check: timeout 1500
. "$(dirname "$0")/fresh_lib.sh"
L=$TEST_ROOT/var/check-logs/fresh_distcheck
rm -rf "$L"; mkdir -p "$L"
fresh_copy || { not_ok "a copy of the tracked files"; done_testing; }
check "the copy holds exactly the tracked files" pristine "$C"

in_copy "$C" bash -c 'autoreconf -fi && ./configure -q' >"$L/configure.out" 2>&1
is "autoreconf and configure in the copy: exit status 0" "$?" 0
start=$(date +%s)
in_copy "$C" make -j"$(nproc)" distcheck >"$L/distcheck.out" 2>&1
rc=$?
secs=$(($(date +%s) - start))
is "make distcheck: exit status 0 (${secs}s; var/check-logs/fresh_distcheck/distcheck.out)" "$rc" 0
((rc == 0)) || grep -E 'error|Error|FAIL|not ok|ERROR' "$L/distcheck.out" | head -20 | sed 's/^/# /'
check "it says the archive is ready" grep -q 'archives ready for distribution' "$L/distcheck.out"
# the unit tests ran inside it, and all passed
like "make check inside it ran the unit tests" "$(grep -m1 '^# TOTAL:' "$L/distcheck.out")" '^# TOTAL: +[1-9][0-9]*$'
is "... none failed" "$(grep -E '^# (FAIL|ERROR|XPASS):' "$L/distcheck.out" | awk '{s += $3} END {print s + 0}')" 0
tarball=$(ls "$C"/paygw-*.tar.gz 2>/dev/null | head -1)
check "the tarball is there" test -s "$tarball"
# what it holds: the tracked files (but .gitignore) and what autotools made
if [[ -s $tarball ]]; then
  missing=$(comm -23 <(cd "$TEST_ROOT" && git ls-files | grep -vx .gitignore | sort) \
    <(tar -tzf "$tarball" | sed 's|^[^/]*/||' | grep -v '/$' | sort) | head -5 | paste -sd' ')
  is "the tarball holds every tracked file" "$missing" ""
  check "and no npm packages" bash -c '! tar -tzf "$1" | grep -q node_modules/' _ "$tarball"
fi
done_testing
