#!/usr/bin/env bash
# stack_pidfiles.t — scripts/stack recognises its processes by a part of the
# command line naming this stack (folder or port) and by the start time it
# recorded, so a pid file that now points at another program (a reused pid,
# or a process whose command line merely mentions "credit-server") is not
# taken for the service: status says stopped and nothing is signalled.
. "$(dirname "$0")/lib.sh"
run=$PAYGW_VAR/run
saved=$(cat "$run/credit-server.pid")
restore() { echo "$saved" >"$run/credit-server.pid"; kill "$decoy" 2>/dev/null; }
trap restore EXIT

# a decoy whose command line names the credit server's log
tail -f "$PAYGW_VAR/log/credit-server.log" >/dev/null 2>&1 &
decoy=$!
is "status sees the real credit server" \
  "$("$PAYGW_ROOT/scripts/stack" status | grep -c "credit-server  running (pid $saved)")" 1
echo "$decoy" >"$run/credit-server.pid"
is "with the decoy's pid in the pid file, status says stopped" \
  "$("$PAYGW_ROOT/scripts/stack" status | grep -c 'credit-server  stopped')" 1
check "the decoy was not signalled" kill -0 "$decoy"
restore
is "with the pid file restored, running again" \
  "$("$PAYGW_ROOT/scripts/stack" status | grep -c "credit-server  running (pid $saved)")" 1
check "the real credit server still answers" bash -c "exec 3<>/dev/tcp/${PAYGW_CREDIT_ADDR%:*}/${PAYGW_CREDIT_ADDR##*:}"
done_testing
