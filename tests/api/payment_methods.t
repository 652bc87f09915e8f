#!/usr/bin/env bash
# The methods offered are exactly figure 10's row for the merchant and the
# card's issuer (found by the ranges of figure 9); a method not offered is
# refused and changes nothing; a card whose issuer the merchant does not
# take is declined with that reason.
. "$(dirname "$0")/paylib.sh"

# merchant  user(issuer)        methods         installments
rows=(
  "1111111111 00001 L,I,R 3,6,12"
  "1111111111 00005 L,I,R 3,6,12"
  "2222222222 00002 L,I,pB,R 3,6"
  "2222222222 00004 L,B -"
  "3333333333 00002 L,B,pB -"
  "4444444444 00003 L,R -"
)
for row in "${rows[@]}"; do
  read -r merchant user methods counts <<<"$row"
  to_state awaiting_method "$user" "$merchant"
  is "$merchant x $user: methods" "$(jqr '[.methods[].method] | join(",")')" "$methods"
  if [[ $counts != - ]]; then
    is "$merchant x $user: installment counts" "$(jqr '.methods[] | select(.method == "I") | .installments | map(tostring) | join(",")')" "$counts"
  fi
done

# not offered: B at merchant A, or installments with a count not stored
to_state awaiting_method 00001 1111111111
for choice in '{"method":"B"}' '{"method":"pB"}' '{"method":"I","installments":5}' '{"method":"I"}' '{"method":"L","installments":3}'; do
  choose "$TXN" "$choice"
  is "not offered $choice: 422" "$STATUS" 422
  is "not offered $choice: method_not_offered" "$(jqr .code)" method_not_offered
done
choose "$TXN" '{"method":"X"}'
is "an unknown method: 422" "$STATUS" 422
is "after the refusals the transaction still awaits a method" "$(txn_status "$TXN")" awaiting_method
is "... and nothing went to the credit server" "$(psql_q "SELECT count(*) FROM gateway.authorizations a JOIN gateway.transactions t ON t.id = a.transaction_id WHERE t.number = '$TXN'")" 0
choose "$TXN" '{"method":"R"}'
is "an offered method then completes" "$(jqr .status)" completed

# a card whose issuer the merchant does not take: 00001 (issuer 2a11111) at merchant C
to_state awaiting_confirmation 00001 3333333333
confirm "$TXN" true
is "card not taken: 200" "$STATUS" 200
is "card not taken: declined" "$(jqr .status)" declined
is "card not taken: code" "$(jqr .decline.code)" card_not_accepted
check "card not taken: a reason for people" grep -q "does not take" <<<"$(jqr .decline.reason)"
MERCHANT=3333333333 pos_get "$TXN" 3333333333
is "card not taken: the POS sees declined" "$(jqr .status)" declined
is "card not taken: ... and why" "$(jqr .decline.code)" card_not_accepted
api GET "/v1/transactions/$TXN/payment-methods" -H "Authorization: Bearer $SESSION"
is "card not taken: no methods to list (409)" "$STATUS" 409
done_testing
