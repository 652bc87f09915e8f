#!/usr/bin/env bash
# flow_declines.t — issue 5: the credit server's declines (unknown card 14,
# expired card 54, over the limit 51) reach the POS with the code and reason,
# and the handset's mailbox gets a signed completion with the reason; no
# balance moves at the issuer.
. "$(dirname "$0")/flowlib.sh"

MERCHANT=1111111111
SINCE=$(db_now)

# decline_case USER AMOUNT CODE REASON-WORDS
decline_case() {
  local user=$1 amount=$2 code=$3 words=$4 balance_before=""
  [[ $user != 00008 ]] && balance_before=$(issuer_balance "$user")
  flow_to chosen "$MERCHANT" "$user" "$amount" L
  is "$user: every step before the authorization answered as documented" "$FLOW_ERROR" ""
  is "$user: the payment-method answer is 200" "$STATUS" 200
  is "$user: the handset is told declined" "$(jqr .status)" declined
  is "$user: the handset is told code $code" "$(jqr .decline.code)" "$code"
  like "$user: the handset is told why ($words)" "$(jqr .decline.reason)" "$words"

  pos GET "/v1/transactions/$TXN" "$MERCHANT"
  is "$user: POS sees declined" "$(jqr .status)" declined
  is "$user: POS sees code $code" "$(jqr .decline.code)" "$code"
  like "$user: POS sees the reason ($words)" "$(jqr .decline.reason)" "$words"
  is "$user: POS sees no approval" "$(jqr '.completion // empty')" ""

  mailbox_find "$DEVICE" "$TXN" completion
  nonempty "$user: the mailbox holds a completion" "$MSG"
  is "$user: the completion's signature verifies" "$MSG_VERIFIED" true
  is "$user: the completion says declined" "$(msg_field .status)" declined
  like "$user: the completion carries the reason ($words)" "$(msg_field .reason)" "$words"
  is "$user: the completion carries no approval code" "$(msg_field .approval_code)" ""

  is "$user: the issuer decided exactly once for the transaction" "$(issuer_auths_for "$TXN")" 1
  is "$user: ... and declined it with $code" \
    "$(psql_q "SELECT ia.status || ' ' || ia.response_code FROM issuer.authorizations ia
                 JOIN gateway.authorizations ga ON ia.stan = lpad(ga.stan::text, 6, '0')
                  AND ia.transmission_time = ga.transmission_time AND ia.terminal_id = ga.terminal_code
                 JOIN gateway.transactions t ON t.id = ga.transaction_id WHERE t.number = '$TXN'")" \
    "declined $code"
  [[ -n $balance_before ]] && is "$user: the balance at the issuer is unchanged" "$(issuer_balance "$user")" "$balance_before"
}

decline_case 00008 500 14 'not known'
decline_case 00006 500 54 'expired'
decline_case 00007 5000 51 'credit limit'

is "no card of these users was charged since the test began" \
  "$(psql_q "SELECT count(*) FROM issuer.authorizations a JOIN issuer.card_accounts c ON c.id = a.account_id
               WHERE c.card_masked IN ('152500******6787', '152500******7895') AND a.status = 'approved' AND a.created_at >= '$SINCE'")" 0

done_testing
