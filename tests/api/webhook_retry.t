#!/usr/bin/env bash
# webhook_retry.t — issue 12: a webhook is sent until the shop answers 2xx
# and survives the sender's restart (docs/webhooks.md).  The shop answering
# 500 gets the same event again (same webhook-id, a signature for the new
# timestamp) after the back-off, and 200 ends it; with the sender stopped a
# payment's end (here an expiry) waits in the queue and is delivered when
# it starts again; rotate-secret signs the next attempt with the new secret
# only; a sender told to give up after 1 s marks the event failed, logs it
# and `merchant webhook show` counts it.
. "$(dirname "$0")/webhook_lib.sh"
STACK=$PAYGW_ROOT/scripts/stack

check "a merchant of the test's own, with a terminal and the issuer's side" wh_merchant
check "the shop's endpoint listens on 127.0.0.1:$WH_PORT" wh_receiver_start
SECRET=$("$PAYGW_ADMIN" merchant webhook set --code "$WH_MERCHANT" --url "$WH_URL" 2>/dev/null)
like "the merchant has a URL and a secret" "$SECRET" '^whsec_'

# --- 500, then 200: the same event again ----------------------------------------
wh_answer 500
flow_to chosen "$WH_MERCHANT" 00001 400 L
is "a payment completes ($FLOW_ERROR)" "$(jqr .status)" completed
T1=$TXN
check "the shop got the event (and answered 500)" wh_wait 1
is "... its row: pending after attempt 1, status 500 recorded" "$(wh_wait_row "$T1" "pending 1 500")" "pending 1 500"
sleep 0.3   # the log line follows the record
check "the sender logged the failure with the back-off" \
  grep -qE "\"transaction\":\"$T1\".*\"attempt\":1,.*\"delivered\":false.*\"http_status\":500.*\"retry_in_ms\":[0-9]+" "$WH_LOG"
wh_answer 200
check "the event comes again after the back-off (PAYGW_WEBHOOK_BACKOFF_MS, 5 s)" wh_wait 2 15
is "... with the same webhook-id" "$(wh_header 2 webhook-id)" "$(wh_header 1 webhook-id)"
is "... and the same body" "$(wh_body 2 | sha256sum)" "$(wh_body 1 | sha256sum)"
is "... signed for its own timestamp" "$(wh_header 2 webhook-signature)" "$(wh_expected_sig 2 "$SECRET")"
between "... sent at least 4 s after the first" \
  $(($(wh_header 2 webhook-timestamp) - $(wh_header 1 webhook-timestamp))) 4 30
is "... and then delivered: attempt 2, 200" "$(wh_wait_row "$T1" "delivered 2 200")" "delivered 2 200"
sleep 1
is "... no third request" "$(wh_count)" 2

# --- the sender stopped: the queue keeps what ends meanwhile ----------------------
"$STACK" webhooks-stop >/dev/null
check "the sender is stopped" bash -c '"$1" status | grep -q "webhooks .*stopped"' _ "$STACK"
flow_to awaiting_device "$WH_MERCHANT" 00001 250
T2=$TXN
psql_q "UPDATE gateway.transactions SET deadline = now() - interval '1 second' WHERE number = '$T2'" >/dev/null
pos GET "/v1/transactions/$T2" "$WH_MERCHANT"
is "a transaction whose time ran out is expired" "$(jqr .status)" expired
is "... its event waits in the queue" "$(wh_event_row "$T2")" "pending 0 -"
sleep 2
is "... and nothing reaches the shop while the sender is stopped" "$(wh_count)" 2
"$STACK" webhooks-start >/dev/null
check "the sender started again delivers it" wh_wait 3
is "... payment.expired, signed" "$(wh_body 3 | jq -r .type):$(wh_header 3 webhook-signature)" \
  "payment.expired:$(wh_expected_sig 3 "$SECRET")"
is "... delivered at the first attempt" "$(wh_wait_row "$T2" "delivered 1 200")" "delivered 1 200"

# --- rotate-secret: the next attempt is signed with the new secret only -----------
NEW=$("$PAYGW_ADMIN" merchant webhook rotate-secret --code "$WH_MERCHANT" 2>"$FLOW_TMP/rot.err"); rc=$?
is "rotate-secret: exit 0" "$rc" 0
like "... prints a new secret" "$NEW" '^whsec_[A-Za-z0-9+/]{43}=$'
check "... not the old one" test "$NEW" != "$SECRET"
like "... says the old one no longer signs" "$(cat "$FLOW_TMP/rot.err")" 'old one no longer signs'
flow_to awaiting_device "$WH_MERCHANT" 00001 260
pos POST "/v1/transactions/$TXN/cancel" "$WH_MERCHANT"
T_ROT=$TXN
check "a canceled payment's event arrives" wh_wait 4
is "... signed with the new secret" "$(wh_header 4 webhook-signature)" "$(wh_expected_sig 4 "$NEW")"
check "... and not with the old one" test "$(wh_header 4 webhook-signature)" != "$(wh_expected_sig 4 "$SECRET")"
is "... delivered" "$(wh_wait_row "$T_ROT" "delivered 1 200")" "delivered 1 200"

# --- giving up: a sender told to try for 1 s only ----------------------------------
"$STACK" webhooks-stop >/dev/null
wh_answer 503
PAYGW_WEBHOOK_RETRY_FOR_S=1 PAYGW_WEBHOOK_BACKOFF_MS=200 "$STACK" webhooks-start >/dev/null
flow_to awaiting_device "$WH_MERCHANT" 00001 270
T3=$TXN
pos POST "/v1/transactions/$T3/cancel" "$WH_MERCHANT"
gave_up=""
for i in $(seq 100); do
  [[ $(wh_event_row "$T3") == failed* ]] && { gave_up=1; break; }
  sleep 0.1
done
check "the event is given up once its time is over (status failed)" test -n "$gave_up"
like "... after an attempt answered 503" "$(wh_event_row "$T3")" '^failed [1-9][0-9]* 503$'
check "... and the log says so at level error" \
  grep -qE "\"level\":\"error\".*\"transaction\":\"$T3\".*\"gave_up\":true" "$WH_LOG"
n=$(wh_count)
sleep 1
is "... nothing is sent for it afterwards" "$(wh_count)" "$n"
out=$("$PAYGW_ADMIN" merchant webhook show --code "$WH_MERCHANT" 2>&1)
like "webhook show counts it failed" "$out" '0 pending, 3 delivered, 1 failed'
like "... and shows the last error" "$out" 'last error .*HTTP status 503'
"$STACK" webhooks-stop >/dev/null
env -u PAYGW_WEBHOOK_RETRY_FOR_S -u PAYGW_WEBHOOK_BACKOFF_MS "$STACK" webhooks-start >/dev/null
check "the stack's own sender runs again" bash -c '"$1" status | grep -q "webhooks .*running"' _ "$STACK"
done_testing
