#!/usr/bin/env bash
# flow_issuer_restart.t — the credit server restarts between payments: every
# worker's kept ISO 8583 connection is then closed at the far end.  The next
# payment on each worker must notice before sending (issuer_link.c) and
# complete on a new connection — never fail with issuer_unavailable.
. "$(dirname "$0")/flowlib.sh"
MERCHANT=1111111111 USER_ID=00001

payments() {  # payments N LABEL
  local ok_count=0 i
  for i in $(seq "$1"); do
    flow_to chosen $MERCHANT $USER_ID 110
    if [[ $STATUS == 200 && $(jqr .status) == completed ]]; then ok_count=$((ok_count + 1)); else echo "# $2 $i: $STATUS $BODY $FLOW_ERROR"; fi
  done
  is "$2: $1 of $1 payments completed" "$ok_count" "$1"
}

payments 6 "before the restart (links opened on the workers)"
old_pid=$(cat "$PAYGW_VAR/run/credit-server.pid")
"$PAYGW_ROOT/scripts/stack" credit-restart >/dev/null
check "the credit server is a new process" test "$(cat "$PAYGW_VAR/run/credit-server.pid")" != "$old_pid"
payments 6 "right after the restart"
done_testing
