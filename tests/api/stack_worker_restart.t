#!/usr/bin/env bash
# kill -9 of a gateway worker: requests keep succeeding and multiwatch brings
# the worker count back within a few seconds.
. "$(dirname "$0")/lib.sh"

supervisor=$(cat "$PAYGW_VAR/run/gateway.pid")
workers() { pgrep -P "$supervisor" | sort; }
before=$(workers | wc -l)
is "all workers run before the kill" "$before" "$PAYGW_WORKERS"

victim=$(workers | head -1)
kill -9 "$victim"
failures=0
for i in $(seq 20); do
  api GET /v1/health
  [[ $STATUS == 200 ]] || failures=$((failures + 1))
done
is "20 requests right after the kill all succeed" "$failures" 0

back=0
for i in $(seq 50); do
  if [[ $(workers | wc -l) -eq $PAYGW_WORKERS ]] && ! workers | grep -qx "$victim"; then back=1; break; fi
  sleep 0.1
done
is "the worker count is back within 5 s, with a new process" "$back" 1
is "the supervisor itself was not restarted" "$(cat "$PAYGW_VAR/run/gateway.pid")" "$supervisor"
done_testing
