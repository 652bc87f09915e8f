#!/usr/bin/env bash
# gateway_totals.t — the total of POST /v1/transactions: nothing to pay
# (every price and tax 0) is refused before anything is stored (an issuer
# would answer ISO 8583 code 30, "malformed", after the shopper agreed);
# the smallest amount, 1 minor unit, is taken; a total over the limit is
# refused with the limit readable in the detail.
. "$(dirname "$0")/flowlib.sh"

items_body() { jq -cn --argjson items "$1" '{user_id: "00001", currency: "JPY", items: $items}'; }
post() { pos POST /v1/transactions 1111111111 -H 'Content-Type: application/json' --data "$(items_body "$1")"; }

before=$(table_counts)
post '[{"name":"Free sample","quantity":3,"unit_price":0,"tax":0},{"name":"Bag","quantity":1,"unit_price":0,"tax":0}]'
is "a total of 0: refused" "$STATUS $(jqr .code)" "400 invalid_field"
is "... saying why" "$(jqr .detail)" "items: the total must be more than 0"
is "... nothing stored (transactions, mailbox, authorizations, keys)" "$(table_counts)" "$before"

post '[{"name":"Over","quantity":9999,"unit_price":10000000000,"tax":0}]'
is "a total over the limit: refused" "$STATUS $(jqr .code)" "400 invalid_field"
is "... with the limit readable" "$(jqr .detail)" "items: the total is over the limit (999,999,999,999 minor units)"
is "... nothing stored" "$(table_counts)" "$before"

post '[{"name":"Sweet","quantity":1,"unit_price":0,"tax":1}]'
is "a total of 1 (tax only): taken" "$STATUS $(jqr .total)" "201 1"
TXN=$(jqr .transaction)
pos POST "/v1/transactions/$TXN/cancel" 1111111111
is "(canceled again, so its command does not wait in the mailbox)" "$STATUS" 200
done_testing
