#!/usr/bin/env bash
# history_refund.t — refunds in the HTML history (issue 15, docs/history.md
# "Refunds"): a payment of user 00001 refunded in part and then in full
# through the gateway's POST /v1/transactions/{number}/refunds (as its
# terminal), read signed in: the list's badge ("Partly refunded", then
# "Refunded"), the receipt's Refunds section (date, kind, amount, status,
# reason escaped; refunded total and what was paid net), the CSV's
# refunded column; another payment of the same user shows no badge.
. "$(dirname "$0")/flowlib.sh"
. "$(dirname "$0")/history_lib.sh"
trap 'history_cleanup; flow_cleanup' EXIT
M=1111111111 U=00001 TAG=$(unique_tag)
REASON='<b>torn</b> & "wet"'

# refund AMOUNT KEY [REASON] → STATUS, BODY of POST .../refunds; RF its id;
# waits (long poll) while the issuer has not answered
refund() {
  local body; body=$(jq -cn --argjson a "$1" --arg r "${3:-}" '{amount: $a} + (if $r == "" then {} else {reason: $r} end)')
  pos POST "/v1/transactions/$TXN/refunds" $M -H 'Content-Type: application/json' -H "Idempotency-Key: $2" --data "$body"
  RF=$(jqr '.id // empty') RF_KIND=$(jqr '.kind // empty')
  if [[ $STATUS == 201 && $(jqr .status) == pending ]]; then
    pos GET "/v1/transactions/$TXN/refunds/$RF?wait=10&status=pending" $M
  fi
}
# row NUMBER → the list's <tr> of that payment, on one line
row() { tr '\n' ' ' <<<"$BODY" | grep -o "<tr class=\"txn\" data-number=\"$1\".*" | sed 's#</tr>.*##'; }

flow_to chosen $M $U 1000 || not_ok "the payment: $FLOW_ERROR"
is "a payment of 1,000 yen of $U completed" "$(txn_status $M "$TXN")" completed
PAID=$TXN
flow_to chosen $M $U 800 || not_ok "the second payment: $FLOW_ERROR"
OTHER=$TXN TXN=$PAID

refund 300 "hr-$TAG-1" "$REASON"
is "a refund of 300: 201, completed" "$STATUS $(jqr .status)" "201 completed"
FIRST_KIND=$RF_KIND

sign_in $U "demo-web-$U"
is "$U signs in" "$STATUS $LOCATION" "303 /history/transactions"
hist GET /history/transactions
r=$(row "$PAID")
like "the list: the payment partly refunded" "$r" 'class="refund-badge" data-refund="partly_refunded">Partly refunded<'
like "its status stays completed" "$r" 'data-status="completed">Completed'
check "the other payment: no badge" bash -c '! grep -q refund-badge <<<"$1"' _ "$(row "$OTHER")"

hist GET "/history/transactions/$PAID"
is "the receipt: 200" "$STATUS" 200
is "one refund row" "$(grep -c '<tr class="refund"' <<<"$BODY")" 1
line=$(grep '<tr class="refund"' <<<"$BODY")
like "its kind, as the gateway chose it, and status" "$line" \
  "data-kind=\"$FIRST_KIND\" data-status=\"completed\">.*<td class=\"kind\">(Refund|Void)</td>.*300 JPY.*Completed"
like "its date (UTC, to the second)" "$line" '<time>20[0-9]{2}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}</time>'
check "its reason escaped" grep -qF '<td class="reason">&lt;b&gt;torn&lt;/b&gt; &amp; &quot;wet&quot;</td>' <<<"$line"
check "no raw <b> on the page" bash -c '! grep -qF "<b>torn" <<<"$1"' _ "$BODY"
is "refunded 300, paid net 700" "$(text_of refunded) $(text_of net-paid)" "300 700"
like "the receipt's badge" "$BODY" 'id="refund-badge" class="refund-badge" data-refund="partly_refunded">Partly refunded'

refund 700 "hr-$TAG-2"
is "a refund of the 700 left: 201, completed, kind refund (not the first)" "$STATUS $(jqr .status) $RF_KIND" \
  "201 completed refund"
refund 1 "hr-$TAG-3"
is "nothing left: a refund of 1 is refused" "$STATUS $(jqr .code)" "409 refund_exceeds_refundable"

hist GET "/history/transactions/$PAID"
is "two refund rows, oldest first" "$(grep -o '<td class="num amount">[^<]*' <<<"$BODY" | sed 's/.*>//' | paste -sd'|')" \
  "300 JPY|700 JPY"
is "refunded 1,000, paid net 0" "$(text_of refunded) $(text_of net-paid)" "1,000 0"
hist GET /history/transactions
like "the list: refunded" "$(row "$PAID")" 'data-refund="refunded">Refunded<'

hist GET "/history/transactions.csv?from=$(date -u +%F)"
is "the CSV: the refunded column last" "$(head -1 <<<"$BODY" | tr -d '\r' | awk -F, '{print $NF}')" refunded
is "the refunded payment: 1000 refunded" "$(grep "$PAID" <<<"$BODY" | tr -d '\r' | awk -F, '{print $NF}')" 1000
is "the other: 0" "$(grep "$OTHER" <<<"$BODY" | tr -d '\r' | awk -F, '{print $NF}')" 0
is "the database agrees: two completed refunds of $PAID" \
  "$(psql_q "SELECT count(*) || ' ' || sum(r.amount) FROM gateway.refunds r JOIN gateway.transactions t ON t.id = r.transaction_id
             WHERE t.number = '$PAID' AND r.status = 'completed'")" "2 1000"
done_testing
