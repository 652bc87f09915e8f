#!/usr/bin/env bash
# flow_cancel_expire.t — issue 5: not agreeing cancels with no authorization;
# the POS cancels before the authorization (200) but not after (409); a
# transaction not confirmed within its window expires, and a late step is
# refused.
#
# Windows: the gateway reads PAYGW_CONFIRM_WINDOW etc. once at start, for the
# whole stack, so a test cannot shorten them for itself.  The test checks that
# the deadline given is the configured window, then moves that deadline into
# the past in the database — exactly what waiting out the window does — and
# checks what the gateway makes of it.
. "$(dirname "$0")/flowlib.sh"

MERCHANT=1111111111 USER=00001
CONFIRM_WINDOW=${PAYGW_CONFIRM_WINDOW:-120}
DEVICE_WINDOW=${PAYGW_DEVICE_WINDOW:-180}
# overdue NUMBER: the transaction's waiting window has run out
overdue() { psql_q "UPDATE gateway.transactions SET deadline = now() - interval '1 second' WHERE number = '$1'" >/dev/null; }
gw_auths() { psql_q "SELECT count(*) FROM gateway.authorizations ga JOIN gateway.transactions t ON t.id = ga.transaction_id WHERE t.number = '$1'"; }
# mailbox_rows NUMBER → "payment commands, completions" the mailbox holds for it
mailbox_rows() {
  psql_q "SELECT count(*) FILTER (WHERE kind = 'payment_command') || ' commands, ' || count(*) FILTER (WHERE kind = 'completion')
            || ' completions' FROM gateway.mailbox m JOIN gateway.transactions t ON t.id = m.transaction_id WHERE t.number = '$1'"
}
# a refusal in the wrong state changes nothing: take a snapshot of the
# transaction's row, the row counts and its mailbox rows before it (before
# NUMBER), compare after it (unchanged NAME NUMBER)
snapshot() { echo "row $(txn_row "$1"); counts $(table_counts); mailbox $(mailbox_rows "$1")"; }
before() { SNAPSHOT=$(snapshot "$1"); sleep 0.02; }    # so that an update would show in updated_at
unchanged() { is "$1: nothing changed (row, row counts, mailbox)" "$(snapshot "$2")" "$SNAPSHOT"; }

# --- agree=false ([0087]) ----------------------------------------------------
flow_to awaiting_confirmation "$MERCHANT" "$USER"
is "not agree: the flow reached awaiting_confirmation" "$FLOW_ERROR" ""
confirm "$TXN" "$SESSION" false
is "not agree: 200" "$STATUS" 200
is "not agree: canceled" "$(jqr .status)" canceled
pos GET "/v1/transactions/$TXN" "$MERCHANT"
is "not agree: the POS sees canceled" "$(jqr .status)" canceled
nonempty "not agree: the POS sees why" "$(jqr '.ended.reason // empty')"
is "not agree: no authorization recorded at the gateway" "$(gw_auths "$TXN")" 0
is "not agree: no authorization at the credit server" "$(issuer_auths_for "$TXN")" 0
# the handset said no itself: docs/api.md sends completions for what ends
# elsewhere (completed, declined, failed, canceled by the terminal)
is "not agree: the mailbox holds the payment command and no completion" "$(mailbox_rows "$TXN")" "1 commands, 0 completions"
before "$TXN"
confirm "$TXN" "$SESSION" true
is "not agree: agreeing afterwards is 409" "$STATUS" 409
is "not agree: ... wrong_state" "$(jqr .code)" wrong_state
is "not agree: ... naming canceled" "$(problem_state)" canceled
unchanged "not agree: agreeing afterwards" "$TXN"
before "$TXN"
choose "$TXN" "$SESSION" L
is "not agree: choosing a method afterwards is 409" "$STATUS" 409
unchanged "not agree: choosing a method afterwards" "$TXN"
is "not agree: still canceled" "$(txn_status "$MERCHANT" "$TXN")" canceled

# --- the POS cancels before the handset answers ------------------------------
txn_create "$MERCHANT" "$USER"
pos POST "/v1/transactions/$TXN/cancel" "$MERCHANT"
is "POS cancel (awaiting_device): 200" "$STATUS" 200
is "POS cancel (awaiting_device): canceled" "$(jqr .status)" canceled
is "POS cancel (awaiting_device): GET shows canceled" "$(txn_status "$MERCHANT" "$TXN")" canceled
mailbox_find "${USER_DEVICE[$USER]}" "$TXN" payment_command
CHALLENGE=$(msg_field .challenge)
before "$TXN"
device_auth "$(device_auth_body "$TXN" "$USER" "${USER_DEVICE[$USER]}" "$CHALLENGE")"
is "POS cancel (awaiting_device): device-auth afterwards is 409 wrong_state" "$STATUS $(jqr .code)" "409 wrong_state"
is "POS cancel (awaiting_device): ... naming canceled" "$(problem_state)" canceled
is "POS cancel (awaiting_device): ... no session handed out" "$(jqr '.session // empty')" ""
unchanged "POS cancel (awaiting_device): device-auth afterwards" "$TXN"
mailbox_find "${USER_DEVICE[$USER]}" "$TXN" completion
is "POS cancel (awaiting_device): the handset's mailbox gets a signed canceled completion" \
  "$MSG_VERIFIED $(msg_field .status)" "true canceled"
before "$TXN"
pos POST "/v1/transactions/$TXN/cancel" "$MERCHANT" -H 'Content-Type: application/json' --data '{}'
is "POS cancel twice: 409 wrong_state" "$STATUS $(jqr .code)" "409 wrong_state"
is "POS cancel twice: ... naming canceled" "$(problem_state)" canceled
unchanged "POS cancel twice" "$TXN"
is "POS cancel twice: still one completion in the mailbox" "$(mailbox_rows "$TXN")" "1 commands, 1 completions"

# --- the POS cancels while the shopper chooses a method -----------------------
flow_to awaiting_method "$MERCHANT" "$USER"
is "POS cancel (awaiting_method): the flow reached awaiting_method" "$FLOW_ERROR" ""
pos POST "/v1/transactions/$TXN/cancel" "$MERCHANT" -H 'Content-Type: application/json' \
  --data '{"reason": "the shopper left"}'
is "POS cancel (awaiting_method): 200 canceled" "$STATUS $(jqr .status)" "200 canceled"
before "$TXN"
choose "$TXN" "$SESSION" L
is "POS cancel (awaiting_method): the method afterwards is 409 wrong_state" "$STATUS $(jqr .code)" "409 wrong_state"
unchanged "POS cancel (awaiting_method): the method afterwards" "$TXN"
is "POS cancel (awaiting_method): no authorization at the gateway" "$(gw_auths "$TXN")" 0
is "POS cancel (awaiting_method): none at the credit server" "$(issuer_auths_for "$TXN")" 0
pos GET "/v1/transactions/$TXN" "$MERCHANT"
is "POS cancel (awaiting_method): the POS's reason is kept" "$(jqr .ended.reason)" "the shopper left"

# --- the POS cannot cancel after the authorization ----------------------------
flow_to chosen "$MERCHANT" "$USER" 300 L
is "POS cancel (completed): the payment completed" "$STATUS $(jqr .status)" "200 completed"
before "$TXN"
pos POST "/v1/transactions/$TXN/cancel" "$MERCHANT"
is "POS cancel (completed): 409" "$STATUS" 409
is "POS cancel (completed): wrong_state" "$(jqr .code)" wrong_state
is "POS cancel (completed): the problem says the state" "$(problem_state)" completed
is "POS cancel (completed): application/problem+json" "$CTYPE" application/problem+json
is "POS cancel (completed): still completed" "$(txn_status "$MERCHANT" "$TXN")" completed
is "POS cancel (completed): the authorization stays, once" "$(issuer_auths_for "$TXN")" 1
unchanged "POS cancel (completed)" "$TXN"
is "POS cancel (completed): one completion in the mailbox, no second one" "$(mailbox_rows "$TXN")" "1 commands, 1 completions"

# --- no confirmation in time ([0099]) -----------------------------------------
flow_to awaiting_confirmation "$MERCHANT" "$USER"
confirm_by=$(date -d "$(jqr .confirm_by)" +%s)
between "expiry: confirm_by is PAYGW_CONFIRM_WINDOW ($CONFIRM_WINDOW s) away" \
  "$((confirm_by - $(date +%s)))" "$((CONFIRM_WINDOW - 5))" "$((CONFIRM_WINDOW + 2))"
overdue "$TXN"
confirm "$TXN" "$SESSION" true
is "expiry: agreeing after the window is 409" "$STATUS" 409
is "expiry: ... wrong_state" "$(jqr .code)" wrong_state
is "expiry: ... with status expired" "$(problem_state)" expired
is "expiry: the row itself is expired (applied when touched)" "$(psql_q "SELECT status FROM gateway.transactions WHERE number = '$TXN'")" expired
pos GET "/v1/transactions/$TXN" "$MERCHANT"
is "expiry: the POS sees expired" "$(jqr .status)" expired
nonempty "expiry: the POS sees why" "$(jqr '.ended.reason // empty')"
confirm "$TXN" "$SESSION" false
is "expiry: not agreeing after the window is 409 wrong_state too" "$STATUS $(jqr .code)" "409 wrong_state"
is "expiry: ... with status expired" "$(problem_state)" expired
pos POST "/v1/transactions/$TXN/cancel" "$MERCHANT"
is "expiry: the POS cannot cancel an expired transaction" "$STATUS $(jqr .code)" "409 wrong_state"
is "expiry: no authorization" "$(gw_auths "$TXN")" 0

# --- no device authentication in time ----------------------------------------
txn_create "$MERCHANT" "$USER"
expires=$(date -d "$(jqr .expires_at)" +%s)
between "expiry: a new transaction waits PAYGW_DEVICE_WINDOW ($DEVICE_WINDOW s) for the device" \
  "$((expires - $(date +%s)))" "$((DEVICE_WINDOW - 5))" "$((DEVICE_WINDOW + 2))"
mailbox_find "${USER_DEVICE[$USER]}" "$TXN" payment_command
CHALLENGE=$(msg_field .challenge)
overdue "$TXN"
device_auth "$(device_auth_body "$TXN" "$USER" "${USER_DEVICE[$USER]}" "$CHALLENGE")"
is "expiry: device-auth after the device window is 409 wrong_state" "$STATUS $(jqr .code)" "409 wrong_state"
is "expiry: ... with status expired" "$(problem_state)" expired
is "expiry: ... and the POS sees expired" "$(txn_status "$MERCHANT" "$TXN")" expired

# --- no method chosen in time -------------------------------------------------
flow_to awaiting_method "$MERCHANT" "$USER"
overdue "$TXN"
choose "$TXN" "$SESSION" L
is "expiry: a method after the method window is 409 wrong_state" "$STATUS $(jqr .code)" "409 wrong_state"
is "expiry: ... with status expired" "$(problem_state)" expired
is "expiry: ... no authorization sent" "$(issuer_auths_for "$TXN")" 0
is "expiry: ... the POS sees expired" "$(txn_status "$MERCHANT" "$TXN")" expired

done_testing
