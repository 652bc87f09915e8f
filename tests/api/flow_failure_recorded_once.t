#!/usr/bin/env bash
# flow_failure_recorded_once.t — gateway.do_fail_authorization (sql/0016),
# the one call that ends a 0100 left without an answer (the worker's
# time-out, a card that did not decrypt, the sweeper's abandoned rows), keeps
# its guards and may be sent again (DB_REPEATABLE): the first call fails the
# transaction, makes the reversal due and tells the handset once; the same
# call sent again (its answer lost) answers was_sent again and changes
# nothing; a call with another reason (another caller) finds it settled;
# and an authorization whose answer was recorded is never touched.
. "$(dirname "$0")/flowlib.sh"
# the test's completions are not signed: taken out of the handset's mailbox
# at the end, so no later poll is handed one.  Until then a poll may hand
# one out, so each is shaped as the gateway's (the check of the answers
# against docs/openapi.yaml reads them): a completion message and a
# signature of a signature's 86 base64url characters that is none.
TEST_SIGNATURE=test-signature$(printf 'A%.0s' {1..72})
unsigned_delivered() {
  psql_q "UPDATE gateway.mailbox SET delivered_at = now() WHERE signature = '$TEST_SIGNATURE' AND delivered_at IS NULL" \
    >/dev/null
}
trap 'unsigned_delivered; flow_cleanup' EXIT
MERCHANT=2222222222 USER_ID=00002   # a shop that takes the card of 00002

# authorizing NUMBER STATUS: the transaction moved to authorizing with an
# authorization in STATUS, as do_begin_authorization leaves it (STAN from
# the sequence; nothing is sent to the credit server)
authorizing() {
  psql_q "UPDATE gateway.transactions SET status = 'authorizing', deadline = NULL WHERE number = '$1'" >/dev/null
  psql_q "INSERT INTO gateway.authorizations (transaction_id, user_id, stan, transmission_time, terminal_code, status)
          SELECT id, user_id, nextval('gateway.stan_seq'), to_char(now() AT TIME ZONE 'UTC', 'MMDDHH24MISS'),
                 'TESTTERM', '$2' FROM gateway.transactions WHERE number = '$1'" >/dev/null
}
id_of() { psql_q "SELECT id FROM gateway.transactions WHERE number = '$1'"; }
# fail NUMBER REASON → "was_sent|txn_status" (no wake-up: the sweeper is told nothing)
fail() {
  local message
  message=$(jq -cn --arg t "$1" --arg u "$USER_ID" --arg r "$2" \
    '{kind: "completion", transaction: $t, user_id: $u, status: "failed", reason: $r, issued_at: (now | todate)}')
  psql_q "SELECT was_sent || '|' || txn_status
            FROM gateway.do_fail_authorization($(id_of "$1"), '$2', '$message', '$TEST_SIGNATURE', NULL)"
}
auth_status() { psql_q "SELECT a.status FROM gateway.authorizations a WHERE a.transaction_id = $(id_of "$1")"; }
row() { psql_q "SELECT status || '|' || coalesce(response_code, '') || '|' || coalesce(outcome_reason, '') || '|' || updated_at
                  FROM gateway.transactions WHERE number = '$1'"; }
completions() { psql_q "SELECT count(*) FROM gateway.mailbox WHERE transaction_id = $(id_of "$1") AND kind = 'completion'"; }

# --- no answer: failed once -----------------------------------------------------
flow_to awaiting_method $MERCHANT $USER_ID 700
is "the flow reached awaiting_method" "$FLOW_ERROR|$(psql_q "SELECT status FROM gateway.transactions WHERE number = '$TXN'")" \
  "|awaiting_method"
authorizing "$TXN" sent
is "the first call: the reversal was ours, the transaction failed" "$(fail "$TXN" "test: no answer")" "true|failed"
# (the sweeper may claim and reverse it meanwhile, at its next pass)
like "... the authorization's reversal is due" "$(auth_status "$TXN")" '^(reversal_pending|reversed)$'
like "... the transaction failed with code 91 and the reason" "$(row "$TXN")" '^failed\|91\|test: no answer\|'
is "... the handset was told once" "$(completions "$TXN")" 1
after=$(row "$TXN")
is "the same call sent again answers the same" "$(fail "$TXN" "test: no answer")" "true|failed"
is "... and changes nothing" "$(row "$TXN")" "$after"
is "... no second completion for the handset" "$(completions "$TXN")" 1
is "another caller's call (another reason) finds it settled, not its to reverse" \
  "$(fail "$TXN" "test: another reason")" "false|failed"
is "... and changes nothing either" "$(row "$TXN")" "$after"
like "... the reversal is still due (or done)" "$(auth_status "$TXN")" '^(reversal_pending|reversed)$'
# the sweeper's reversal done (as the 0410 leaves it)
psql_q "UPDATE gateway.authorizations SET status = 'reversed', next_attempt_at = NULL, reversed_at = now()
         WHERE transaction_id = $(id_of "$TXN") AND status = 'reversal_pending'" >/dev/null
is "sent again after the sweeper reversed it, the call still knows its own failure" \
  "$(fail "$TXN" "test: no answer")" "true|failed"

# --- an answer recorded: untouched ------------------------------------------------
flow_to awaiting_method $MERCHANT $USER_ID 800
is "a second flow reached awaiting_method" "$FLOW_ERROR|$(psql_q "SELECT status FROM gateway.transactions WHERE number = '$TXN'")" \
  "|awaiting_method"
authorizing "$TXN" answered
psql_q "UPDATE gateway.transactions SET status = 'completed', response_code = '00', approval_code = 'TEST01',
          completed_at = now() WHERE number = '$TXN'" >/dev/null
before=$(row "$TXN")
is "an answered authorization is not ours to reverse: the call answers how it ended" \
  "$(fail "$TXN" "test: no answer")" "false|completed"
is "... the authorization stays answered" "$(auth_status "$TXN")" answered
is "... the transaction is unchanged" "$(row "$TXN")" "$before"
is "... and the handset is told nothing" "$(completions "$TXN")" 0
done_testing
