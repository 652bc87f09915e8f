#!/usr/bin/env bash
# stack_worker_stop_busy.t — the gateway workers are stopped (scripts/stack
# gateway-restart, as a stop does) while one of them is busy with a request
# (a POS long poll): that worker answers the request in hand and then
# stops too.  multiwatch asks its workers to stop with SIGUSR1; a worker
# that got it in the middle of a request used to go back to waiting for the
# next connection — which never comes on the old socket — and was left
# behind, orphaned, when multiwatch was killed after 5 s.
. "$(dirname "$0")/flowlib.sh"
MERCHANT=1111111111 USER=00001

supervisor=$(cat "$PAYGW_VAR/run/gateway.pid")
old_workers=$(pgrep -P "$supervisor" | sort | tr '\n' ' ')
is "the workers run" "$(wc -w <<<"$old_workers")" "$PAYGW_WORKERS"
txn_create $MERCHANT $USER 300
is "a transaction to wait on" "$STATUS" 201
# the long poll holds one worker for 3 s (nothing changes the status)
( pos GET "/v1/transactions/$TXN?wait=3&status=awaiting_device" $MERCHANT
  echo "$STATUS $(jqr .status)" >"$FLOW_TMP/poll" ) &
poller=$!
sleep 0.7
"$PAYGW_ROOT/scripts/stack" gateway-restart >/dev/null
wait "$poller"
is "the request in hand was answered" "$(cat "$FLOW_TMP/poll")" "200 awaiting_device"
left=""
for i in $(seq 30); do
  left=""
  for p in $old_workers; do kill -0 "$p" 2>/dev/null && left="$left $p"; done
  [[ -z $left ]] && break
  sleep 0.1
done
is "no worker of the old set is left running" "$left" ""
api GET /v1/health
is "the new workers answer" "$STATUS" 200
pos POST "/v1/transactions/$TXN/cancel" $MERCHANT   # not left in the handset's mailbox
done_testing
