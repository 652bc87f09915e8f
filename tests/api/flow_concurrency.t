#!/usr/bin/env bash
# flow_concurrency.t — issue 5: 20 concurrent confirmations (exactly one
# 200, the other 19 409 wrong_state) and then 20 concurrent method choices
# for one transaction move it once: one authorization at the credit server,
# the balance charged once, one completion in the handset's mailbox.
. "$(dirname "$0")/flowlib.sh"

MERCHANT=4444444444 USER=00003 N=20
SINCE=$(db_now)
BALANCE_BEFORE=$(issuer_balance "$USER")
AMOUNT=$((200 + RANDOM % 100))

# race N STEP BODY → $FLOW_TMP/race.STEP.i hold "HTTP-status answer" lines
race() {
  local step=$1 body=$2 i
  for ((i = 0; i < N; i++)); do
    curl -sS --cacert "$PAYGW_CA" -o "$FLOW_TMP/race.$step.$i.body" -w '%{http_code}' -X POST \
      -H "Authorization: Bearer $SESSION" -H 'Content-Type: application/json' --data "$body" \
      "$PAYGW_URL/v1/transactions/$TXN/$step" >"$FLOW_TMP/race.$step.$i.code" 2>/dev/null &
  done
  wait
}
# tally STEP → "N200 N409 Nother" over the answers
tally() {
  local step=$1 i c ok=0 conflict=0 other=0
  for ((i = 0; i < N; i++)); do
    c=$(cat "$FLOW_TMP/race.$step.$i.code")
    case $c in 200) ok=$((ok + 1)) ;; 409) conflict=$((conflict + 1)) ;; *) other=$((other + 1)) ;; esac
  done
  echo "$ok $conflict $other"
}

flow_to awaiting_confirmation "$MERCHANT" "$USER" "$AMOUNT"
is "the flow reached awaiting_confirmation" "$FLOW_ERROR" ""

# --- 20 confirmations at once ---------------------------------------------------
race confirmation '{"agree": true}'
read -r ok conflict other <<<"$(tally confirmation)"
is "confirmations: exactly one answered 200" "$ok" 1
is "confirmations: the other $((N - 1)) answered 409" "$conflict" "$((N - 1))"
is "confirmations: no other answer" "$other" 0
statuses=$(cat "$FLOW_TMP"/race.confirmation.*.body | jq -rs '[.[] | select(.code == null) | .status] | unique | join(",")')
is "confirmations: every 200 says awaiting_method" "$statuses" awaiting_method
codes=$(cat "$FLOW_TMP"/race.confirmation.*.body | jq -rs '[.[] | select(.code != null) | .code] | unique | join(",")')
is "confirmations: the refusals are wrong_state" "$codes" wrong_state
states=$(cat "$FLOW_TMP"/race.confirmation.*.body | jq -rs '[.[] | select(.code != null) | .transaction_status] | unique | join(",")')
is "confirmations: ... naming awaiting_method" "$states" awaiting_method
is "confirmations: the transaction awaits a method" "$(txn_status "$MERCHANT" "$TXN")" awaiting_method

# --- 20 method choices at once --------------------------------------------------
race payment-method '{"method": "L"}'
read -r ok conflict other <<<"$(tally payment-method)"
is "choices: exactly one answered 200" "$ok" 1
is "choices: the other $((N - 1)) answered 409" "$conflict" "$((N - 1))"
codes=$(cat "$FLOW_TMP"/race.payment-method.*.body | jq -rs '[.[] | select(.code != null) | .code] | unique | join(",")')
is "choices: the refusals are wrong_state" "$codes" wrong_state
winner=$(cat "$FLOW_TMP"/race.payment-method.*.body | jq -rs '[.[] | select(.code == null)][0].status')
is "choices: the one 200 is completed" "$winner" completed
approval=$(cat "$FLOW_TMP"/race.payment-method.*.body | jq -rs '[.[] | select(.code == null)][0].approval_code')

pos GET "/v1/transactions/$TXN" "$MERCHANT"
is "POS: completed" "$(jqr .status)" completed
is "POS: with the winner's approval code" "$(jqr .completion.approval_code)" "$approval"
is "gateway: one authorization recorded" \
  "$(psql_q "SELECT count(*) FROM gateway.authorizations ga JOIN gateway.transactions t ON t.id = ga.transaction_id WHERE t.number = '$TXN'")" 1
is "issuer: exactly one authorization for the transaction" "$(issuer_auths_for "$TXN")" 1
is "issuer: exactly one 0100 for the card since the test began" "$(issuer_auths_since "$USER" "$SINCE")" 1
is "issuer: the balance was charged once" "$(issuer_balance "$USER")" "$((BALANCE_BEFORE + AMOUNT))"
is "mailbox: one completion for the transaction" \
  "$(psql_q "SELECT count(*) FROM gateway.mailbox m JOIN gateway.transactions t ON t.id = m.transaction_id
               WHERE t.number = '$TXN' AND m.kind = 'completion'")" 1

done_testing
