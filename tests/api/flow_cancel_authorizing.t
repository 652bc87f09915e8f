#!/usr/bin/env bash
# flow_cancel_authorizing.t — issue 5: the POS cannot cancel while the
# authorization is out (docs/api.md: cancel "before authorizing: 200;
# afterwards 409 wrong_state").  The credit server answers late (a delay rule
# in its test controls, shorter than the gateway's time-out); meanwhile the
# terminal's cancel is 409 wrong_state naming authorizing, and afterwards
# the payment completes and the handset's mailbox holds no canceled
# completion for it.  Uses the credit server's test controls
# (docs/credit-server.md), which scripts/check turns on.
# check: alone — its cancel must land within the issuer's 2.5 s delay; with
# another lane loading the machine it once came after the answer
. "$(dirname "$0")/flowlib.sh"

needs_test_controls
trap 'restore_controls; flow_cleanup' EXIT

MERCHANT=1111111111 USER=00005
TIMEOUT_MS=${PAYGW_ISSUER_TIMEOUT_MS:-5000}
DELAY_MS=$((TIMEOUT_MS / 2))          # late, but within the gateway's time-out
LAST4=${USER_CARD[$USER]: -4}
completions() {
  psql_q "SELECT coalesce(string_agg(m.message::json->>'status', ',' ORDER BY m.id), '') FROM gateway.mailbox m
            JOIN gateway.transactions t ON t.id = m.transaction_id WHERE t.number = '$1' AND m.kind = 'completion'"
}

flow_to awaiting_method "$MERCHANT" "$USER" 600
is "the flow reached awaiting_method" "$FLOW_ERROR" ""
echo "delay $LAST4 $DELAY_MS" >"$CONTROLS"

# the choice waits for the late issuer in the background ...
( choose "$TXN" "$SESSION" L; echo "$STATUS" >"$FLOW_TMP/choice.status"; echo "$BODY" >"$FLOW_TMP/choice.body" ) &
chooser=$!
# ... until the gateway has recorded the authorization (step 1 committed)
for ((i = 0; i < 50; i++)); do
  [[ $(psql_q "SELECT status FROM gateway.transactions WHERE number = '$TXN'") == authorizing ]] && break
  sleep 0.05
done
is "the transaction is authorizing while the issuer is late" \
  "$(psql_q "SELECT status FROM gateway.transactions WHERE number = '$TXN'")" authorizing
ROW=$(txn_row "$TXN")

pos POST "/v1/transactions/$TXN/cancel" "$MERCHANT"
is "cancel while authorizing: 409" "$STATUS" 409
is "cancel while authorizing: wrong_state" "$(jqr .code)" wrong_state
is "cancel while authorizing: transaction_status authorizing" "$(jqr '.transaction_status // empty')" authorizing
is "cancel while authorizing: application/problem+json" "$CTYPE" application/problem+json
is "cancel while authorizing: the row is unchanged" "$(txn_row "$TXN")" "$ROW"
check "cancel while authorizing: the choice is still waiting for the issuer" kill -0 "$chooser"

wait "$chooser"
restore_controls
is "afterwards the choice answers 200" "$(cat "$FLOW_TMP/choice.status")" 200
is "... completed" "$(jq -r .status "$FLOW_TMP/choice.body")" completed
is "the POS sees completed" "$(txn_status "$MERCHANT" "$TXN")" completed
is "one authorization at the credit server" "$(issuer_auths_for "$TXN")" 1
is "the mailbox holds one completion for it, completed (none canceled)" "$(completions "$TXN")" completed
mailbox_find "$DEVICE" "$TXN" completion
is "the handset picks up a signed completed completion" "$MSG_VERIFIED $(msg_field .status)" "true completed"

done_testing
