#!/usr/bin/env bash
# shop_webhook_resilience.t — issue 12: the completion reaches the demo shop
# through what goes wrong between the two (docs/webhooks.md, docs/shop.md).
# A shop that is down when its order is paid gets the event once it is back
# (the sender keeps trying with back-off); events queued while the sender is
# stopped survive a restart of the whole gateway (workers, sender and
# PostgreSQL) and are delivered after it; and an event sent again with the
# same webhook-id (an answer the sender never saw) changes nothing at the
# shop: each event is handled once in effect.
. "$(dirname "$0")/shop_lib.sh"
STACK=$PAYGW_ROOT/scripts/stack
WH_LOG=$PAYGW_VAR/log/webhooks.log
# the sender again with the stack's own settings, and the shop up, whatever happened
restore() {
  "$STACK" shop-restart >/dev/null 2>&1
  "$STACK" webhooks-stop >/dev/null 2>&1
  env -u PAYGW_WEBHOOK_BACKOFF_MS "$STACK" webhooks-start >/dev/null 2>&1
}
trap 'restore; shop_cleanup' EXIT
# a short back-off, so a retry comes within the test's patience
"$STACK" webhooks-stop >/dev/null
PAYGW_WEBHOOK_BACKOFF_MS=300 PAYGW_WEBHOOK_BACKOFF_MAX_MS=2000 "$STACK" webhooks-start >/dev/null

# typed_order USER GOOD:QTY → a new order with the user ID typed into its
# page: ORDER and TXN (the gateway's transaction)
typed_order() {
  new_browser
  buy "$2"
  form "/shop/orders/$ORDER/user" "csrf=$TOKEN" "user_id=$1"
  TXN=$(shop_txn "$ORDER")
}
# state CODE → the order's state in the shop's table (each order here has
# its own browser: the status URL answers only the last one's)
state() { psql_q "SELECT state FROM shop.orders WHERE code = '$1'"; }
# wait_state CODE STATE [SECONDS] → true once the order is in STATE
wait_state() {
  local i
  for ((i = 0; i < ${3:-10} * 4; i++)); do
    [[ $(state "$1") == "$2" ]] && return 0
    sleep 0.25
  done
  return 1
}
# event_row TXN → status attempts of its webhook event at the gateway
event_row() {
  psql_q "SELECT e.status || ' ' || e.attempts FROM gateway.webhook_events e JOIN gateway.transactions t ON t.id = e.transaction_id
           WHERE t.number = '$1'"
}
event_id() {
  psql_q "SELECT e.event_id FROM gateway.webhook_events e JOIN gateway.transactions t ON t.id = e.transaction_id WHERE t.number = '$1'"
}
# wait_event TXN STATUS [SECONDS] → true once the event's status is STATUS
wait_event() {
  local i
  for ((i = 0; i < ${3:-30} * 4; i++)); do
    [[ $(event_row "$1") == "$2 "* ]] && return 0
    sleep 0.25
  done
  return 1
}
# attempts_failed_at_least TXN N → true once N attempts failed (the shop down)
attempts_failed_at_least() {
  local i row
  for ((i = 0; i < 120; i++)); do
    row=$(event_row "$1")
    [[ $row == pending\ * && ${row#pending } -ge $2 ]] && return 0
    sleep 0.25
  done
  return 1
}

# --- the shop down when the payment ends ---------------------------------------------
typed_order 00001 2:1
nonempty "shop down: the order has its transaction" "$TXN"
"$STACK" shop-stop >/dev/null
check "shop down: its workers are gone (nginx answers 503)" \
  bash -c '[[ $(curl -s -o /dev/null -w "%{http_code}" --cacert "$1" "$2/shop/") == 503 ]]' _ "$PAYGW_CA" "$PAYGW_URL"
handset_pays 00001 "$TXN"
is "shop down: the payment completes at the gateway ($FLOW_ERROR)" "$STATUS $(jqr .status)" "200 completed"
check "shop down: the sender tries twice and fails (the event stays pending)" attempts_failed_at_least "$TXN" 2
check "shop down: the failures are logged with the status nginx gave" \
  grep -qE "\"transaction\":\"$TXN\".*\"delivered\":false.*\"http_status\":503" "$WH_LOG"
"$STACK" shop-restart >/dev/null
check "shop back: the event is delivered" wait_event "$TXN" delivered 30
check "shop back: the order is paid, its page says so" wait_order "$ORDER" paid 10
is "shop back: the shop recorded the event's id once" \
  "$(psql_q "SELECT count(*) FROM shop.webhook_ids WHERE id = '$(event_id "$TXN")'")" 1
FIRST_ORDER=$ORDER FIRST_TXN=$TXN

# --- events queued while the gateway restarts ----------------------------------------
"$STACK" webhooks-stop >/dev/null
typed_order 00001 4:2
T_PAID=$TXN O_PAID=$ORDER
handset_pays 00001 "$T_PAID"
is "queued: a payment completes with the sender stopped ($FLOW_ERROR)" "$STATUS $(jqr .status)" "200 completed"
typed_order 00007 10:1
T_DECL=$TXN O_DECL=$ORDER
handset_pays 00007 "$T_DECL"
is "queued: user 00007's payment is declined" "$(jqr .status)" declined
is "queued: both events wait in the queue, unattempted" "$(event_row "$T_PAID"), $(event_row "$T_DECL")" "pending 0, pending 0"
is "queued: the shop still shows both orders unpaid" "$(state "$O_PAID") $(state "$O_DECL")" \
  "awaiting_payment awaiting_payment"
"$STACK" db-stop >/dev/null
"$STACK" db-start >/dev/null
"$STACK" gateway-restart >/dev/null
is "after PostgreSQL and the workers restarted, both events are still queued" \
  "$(event_row "$T_PAID"), $(event_row "$T_DECL")" "pending 0, pending 0"
PAYGW_WEBHOOK_BACKOFF_MS=300 PAYGW_WEBHOOK_BACKOFF_MAX_MS=2000 "$STACK" webhooks-start >/dev/null
check "sender back: the completed payment's event is delivered" wait_event "$T_PAID" delivered 30
check "sender back: the declined payment's event is delivered" wait_event "$T_DECL" delivered 30
check "sender back: the first order is paid" wait_state "$O_PAID" paid
check "sender back: the second order is declined" wait_state "$O_DECL" declined

# --- the same event again: handled once in effect ------------------------------------
before=$(psql_q "SELECT concat_ws('|', state, updated_at, approval_code) FROM shop.orders WHERE code = '$FIRST_ORDER'")
# as if the shop's 200 had been lost: the sender sends the event again
psql_q "UPDATE gateway.webhook_events e SET status = 'pending', next_attempt_at = now(), ended_at = NULL
          FROM gateway.transactions t WHERE t.id = e.transaction_id AND t.number = '$FIRST_TXN'" >/dev/null
psql_q "NOTIFY paygw_webhooks" >/dev/null
check "again: the event is delivered a second time (the shop answered 2xx)" wait_event "$FIRST_TXN" delivered 15
sleep 0.3   # the log line follows the record
is "again: the sender logged two deliveries of the one webhook-id" \
  "$(grep -F "\"event\":\"$(event_id "$FIRST_TXN")\"" "$WH_LOG" | grep -c '"delivered":true')" 2
is "again: the order did not change" \
  "$(psql_q "SELECT concat_ws('|', state, updated_at, approval_code) FROM shop.orders WHERE code = '$FIRST_ORDER'")" "$before"
is "again: the shop holds the id once" \
  "$(psql_q "SELECT count(*) FROM shop.webhook_ids WHERE id = '$(event_id "$FIRST_TXN")'")" 1
check "no card number in the shop's or the sender's log" no_pan "$PAYGW_VAR/log/shop.log" "$WH_LOG"
done_testing
