#!/usr/bin/env bash
# flow_issuer_late.t — issue 5: the credit server answers late (delay) or
# never (drop; it decides and charges but sends nothing).  The gateway waits
# PAYGW_ISSUER_TIMEOUT_MS and answers 502 issuer_unavailable; the transaction
# is `failed` at the POS and in the handset's mailbox; the sweeper, woken by
# the worker, sends the 0400 at once (the worker itself sends none) and the
# gateway records it acknowledged; the balance at the issuer ends unchanged:
# the late original is voided, the dropped one reversed.  Another card keeps
# completing meanwhile.
# Uses the credit server's test controls (docs/credit-server.md), which
# scripts/check turns on.
. "$(dirname "$0")/flowlib.sh"

needs_test_controls
trap 'restore_controls; flow_cleanup' EXIT

MERCHANT=1111111111 USER=00005 OTHER_USER=00001
TIMEOUT_MS=${PAYGW_ISSUER_TIMEOUT_MS:-5000}
LAST4=${USER_CARD[$USER]: -4}
DELAY_MS=$((TIMEOUT_MS + 2000))

# issuer_row NUMBER → "status response_code" of the issuer's row for the
# transaction (empty until the credit server has decided it)
issuer_row() {
  psql_q "SELECT ia.status || ' ' || ia.response_code FROM issuer.authorizations ia
            JOIN gateway.authorizations ga ON ia.stan = lpad(ga.stan::text, 6, '0')
             AND ia.transmission_time = ga.transmission_time AND ia.terminal_id = ga.terminal_code
            JOIN gateway.transactions t ON t.id = ga.transaction_id WHERE t.number = '$1'"
}
gw_auth_attempts() {
  psql_q "SELECT ga.reversal_attempts FROM gateway.authorizations ga
            JOIN gateway.transactions t ON t.id = ga.transaction_id WHERE t.number = '$1'"
}
gw_auth_row() {
  psql_q "SELECT ga.status || ' ' || (ga.reversed_at IS NOT NULL) FROM gateway.authorizations ga
            JOIN gateway.transactions t ON t.id = ga.transaction_id WHERE t.number = '$1'"
}

late_case() {
  local kind=$1 rule=$2 want_issuer=$3 before took start other_txn
  before=$(issuer_balance "$USER")
  flow_to awaiting_method "$MERCHANT" "$USER" 700
  is "$kind: the flow reached awaiting_method" "$FLOW_ERROR" ""
  echo "$rule" >"$CONTROLS"
  local txn=$TXN session=$SESSION device=$DEVICE

  # the choice waits for the issuer in the background ...
  ( s=$(date +%s%N); choose "$txn" "$session" L
    printf '%s\n%s\n' "$(( ($(date +%s%N) - s) / 1000000 ))" "$BODY" >"$FLOW_TMP/late.out"
    echo "$STATUS" >"$FLOW_TMP/late.status" ) &
  local chooser=$!
  sleep 0.5
  # ... while another shopper's payment goes through at once
  start=$(date +%s%N)
  flow_to chosen "$MERCHANT" "$OTHER_USER" 100 L
  took=$(( ($(date +%s%N) - start) / 1000000 ))
  is "$kind: meanwhile another card completes" "$STATUS $(jqr .status)" "200 completed"
  between "$kind: ... without waiting for the late one (ms)" "$took" 0 "$TIMEOUT_MS"
  wait "$chooser"

  took=$(head -1 "$FLOW_TMP/late.out"); BODY=$(tail -n +2 "$FLOW_TMP/late.out")
  is "$kind: the choice answers 502" "$(cat "$FLOW_TMP/late.status")" 502
  is "$kind: issuer_unavailable" "$(jqr .code)" issuer_unavailable
  is "$kind: the answer says failed" "$(problem_state)" failed
  between "$kind: the gateway waited its time-out of $TIMEOUT_MS ms (ms)" "$took" "$((TIMEOUT_MS - 100))" "$((TIMEOUT_MS + 3000))"
  pos GET "/v1/transactions/$txn" "$MERCHANT"
  is "$kind: the POS sees failed" "$(jqr .status)" failed
  nonempty "$kind: the POS is told why" "$(jqr '.failure.reason // empty')"
  is "$kind: the POS sees no approval" "$(jqr '.completion // empty')" ""
  mailbox_find "$device" "$txn" completion
  is "$kind: the handset's mailbox gets a signed failed completion" "$MSG_VERIFIED $(msg_field .status)" "true failed"
  # the sweeper sends the 0400 as soon as the worker's failure commits: well
  # within the reversal's own time-out (1 s) and its first back-off (1 s)
  local i
  for ((i = 0; i < 50; i++)); do [[ $(gw_auth_row "$txn") == "reversed true" ]] && break; sleep 0.1; done
  is "$kind: the gateway recorded the reversal" "$(gw_auth_row "$txn")" "reversed true"
  is "$kind: ... acknowledged on the first attempt, a 0400" "$(gw_auth_attempts "$txn")" 1

  restore_controls
  # the credit server must have decided the original (a delayed one arrives
  # late): wait for its row, at most the delay
  for ((i = 0; i < 40; i++)); do [[ $(issuer_row "$txn") == "$want_issuer"* ]] && break; sleep 0.2; done
  like "$kind: the issuer's record ends $want_issuer" "$(issuer_row "$txn")" "^$want_issuer"
  is "$kind: the balance at the issuer is unchanged" "$(issuer_balance "$USER")" "$before"
  is "$kind: the transaction stays failed" "$(txn_status "$MERCHANT" "$txn")" failed
}

# delayed: the reversal reaches the issuer first, so the late 0100 is voided
late_case delay "delay $LAST4 $DELAY_MS" void
# dropped: decided and charged but never answered: the reversal undoes it
late_case drop "drop $LAST4" reversed

flow_to chosen "$MERCHANT" "$USER" 100 L
is "with the controls gone the same card completes" "$STATUS $(jqr .status)" "200 completed"

done_testing
