#!/usr/bin/env bash
# bench_flows_more_than_workers.t — bench/flows drives 12 concurrent complete
# payments (POS and handset, real signatures, the credit server) through a
# stack with fewer gateway workers, with the stack's normal settings (poll
# interval 2 s, so handsets also meet slow_down).  Every flow must complete,
# no request may wait for a worker that never comes (the 60 s hang nginx's
# FastCGI keep-conn caused, docs/performance.md), and the benchmark's other
# figures must come out.
# check: alone — it loads the machine itself (builds, or a benchmark's
# concurrent flows): another lane beside it would slow both past their bounds
. "$(dirname "$0")/lib.sh"
ROOT=$TEST_ROOT
C=12
DIR=$PAYGW_VAR/bench-users
OUT=$(mktemp)
trap 'rm -f "$OUT" "$OUT.err"' EXIT

check "bench/flows is built" test -x "$ROOT/bench/flows"
check "$C benchmark users enrolled" "$ROOT/bench/enrol-users" "$C" "$DIR"
is "users.txt lists $C users" "$(wc -l <"$DIR/users.txt")" "$C"

workers=$(pgrep -c -P "$(cat "$PAYGW_VAR/run/gateway.pid")")
check "fewer gateway workers ($workers) than concurrent flows ($C)" test "$workers" -lt "$C"

set -a; . "$PAYGW_VAR/demo/terminals.env"; set +a
export PAYGW_BENCH_TERMINAL=$PAYGW_TERMINAL_1111111111
start=$(date +%s)
timeout 120 "$ROOT/bench/flows" -c "$C" -d 4 --users "$DIR/users.txt" --ping-seconds 1 --pgbench-seconds 1 \
  --settle-seconds 0 >"$OUT" 2>"$OUT.err"
rc=$?
took=$(( $(date +%s) - start ))
is "bench/flows exits 0" "$rc" 0
[[ $rc -eq 0 ]] || sed 's/^/# /' "$OUT.err" | head -20
check "it took well under a FastCGI time-out (${took}s)" test "$took" -lt 50
is "every flow completed" "$(awk -F': ' '/^every flow completed:/ {print $2}' "$OUT")" yes
completed=$(awk '/^flows:/ {print $2}' "$OUT")
check "flows completed in the measured phase ($completed)" test "${completed:-0}" -gt 0
is "no flow ended otherwise or with an error" "$(awk '/^flows:/ {print $4 "+" $7}' "$OUT")" "0+0"
max_ms=$(awk '/^flow latency ms:/ {print int($11)}' "$OUT")
check "the slowest flow took under 20 s (${max_ms} ms)" test "${max_ms:-99999}" -lt 20000
check "every completion message reached its handset" \
  awk '/^handset completion messages:/ { exit !($4 >= $6 && $11 == "0,") }' "$OUT"
check "nginx's per-address limit is counted (12 handsets share 127.0.0.1; refused sends are sent again)" \
  grep -Eq '^requests per flow: .*rate_limited answers [0-9]+\)$' "$OUT"
check "ping answered without errors" grep -q '^ping (GET /v1/ping, .*, 0 errors$' "$OUT"
check "pgbench gave a rate" grep -Eq '^pgbench \(one-row INSERT, .*: [0-9.]+ transactions/s$' "$OUT"
check "commits per flow were counted" grep -Eq '^database commits per flow: [0-9.]+' "$OUT"
check "worker and credit-server memory was sampled" \
  awk '/gateway workers \(sum\)/ { w = $5 > 0 } /^  credit-server/ { c = $3 > 0 } END { exit !(w && c) }' "$OUT"
check "no card number in the benchmark's output" bash -c "! grep -Eq '15250500[0-9]{8}' '$OUT' '$OUT.err'"
done_testing
