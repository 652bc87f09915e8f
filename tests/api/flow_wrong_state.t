#!/usr/bin/env bash
# flow_wrong_state.t — issue 5: the handset's steps out of order are refused
# with 409 wrong_state naming the current state (docs/api.md: "A request made
# in the wrong state answers 409 wrong_state (with the current state in
# transaction_status) and changes nothing"): choosing a method before
# agreeing, asking for the methods before agreeing and after the payment
# ended, and agreeing a second time.  Nothing changes: the transaction's row
# (updated_at included), the row counts, no authorization at either side.
. "$(dirname "$0")/flowlib.sh"

MERCHANT=1111111111 USER=00001

# refused_state NAME STATE: the last answer is 409 wrong_state naming STATE
refused_state() {
  is "$1: 409" "$STATUS" 409
  is "$1: wrong_state" "$(jqr .code)" wrong_state
  is "$1: transaction_status $2" "$(jqr '.transaction_status // empty')" "$2"
  is "$1: application/problem+json" "$CTYPE" application/problem+json
}

# --- choosing a method before agreeing ------------------------------------------
flow_to awaiting_confirmation "$MERCHANT" "$USER" 400
is "method before agreeing: the flow reached awaiting_confirmation" "$FLOW_ERROR" ""
ROW=$(txn_row "$TXN") COUNTS=$(table_counts)
choose "$TXN" "$SESSION" L
refused_state "method before agreeing" awaiting_confirmation
is "method before agreeing: the row is unchanged" "$(txn_row "$TXN")" "$ROW"
is "method before agreeing: the row counts are unchanged" "$(table_counts)" "$COUNTS"
is "method before agreeing: no authorization at the credit server" "$(issuer_auths_for "$TXN")" 0
is "method before agreeing: the terminal still sees awaiting_confirmation" \
  "$(txn_status "$MERCHANT" "$TXN")" awaiting_confirmation

# --- the methods before agreeing --------------------------------------------------
handset GET "$TXN" payment-methods "$SESSION"
refused_state "payment-methods before agreeing" awaiting_confirmation
is "payment-methods before agreeing: no methods listed" "$(jqr '.methods // empty')" ""
is "payment-methods before agreeing: the row is unchanged" "$(txn_row "$TXN")" "$ROW"

# --- agreeing twice ---------------------------------------------------------------
confirm "$TXN" "$SESSION" true
is "agree: 200 awaiting_method" "$STATUS $(jqr .status)" "200 awaiting_method"
handset GET "$TXN" payment-methods "$SESSION"
is "payment-methods after agreeing: 200 (the same session works)" "$STATUS" 200
ROW=$(txn_row "$TXN") COUNTS=$(table_counts)
sleep 0.05    # so that an update would show in updated_at
confirm "$TXN" "$SESSION" true
refused_state "agree twice" awaiting_method
is "agree twice: the row is unchanged, updated_at included" "$(txn_row "$TXN")" "$ROW"
is "agree twice: the row counts are unchanged" "$(table_counts)" "$COUNTS"
confirm "$TXN" "$SESSION" false
refused_state "not agreeing after agreeing" awaiting_method
is "not agreeing after agreeing: still awaiting_method" "$(txn_row "$TXN")" "$ROW"

# --- the methods after the payment ended -----------------------------------------
choose "$TXN" "$SESSION" L
is "the payment completes" "$STATUS $(jqr .status)" "200 completed"
ROW=$(txn_row "$TXN") COUNTS=$(table_counts)
handset GET "$TXN" payment-methods "$SESSION"
refused_state "payment-methods after completion" completed
is "payment-methods after completion: the row is unchanged" "$(txn_row "$TXN")" "$ROW"
choose "$TXN" "$SESSION" L
refused_state "a method again after completion" completed
is "a method again after completion: still one authorization" "$(issuer_auths_for "$TXN")" 1
is "after completion: the row counts are unchanged" "$(table_counts)" "$COUNTS"

# --- the methods after the shopper declined to agree -------------------------------
flow_to awaiting_confirmation "$MERCHANT" "$USER" 400
confirm "$TXN" "$SESSION" false
is "not agree: canceled" "$STATUS $(jqr .status)" "200 canceled"
handset GET "$TXN" payment-methods "$SESSION"
refused_state "payment-methods after not agreeing" canceled

done_testing
