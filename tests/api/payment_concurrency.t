#!/usr/bin/env bash
# 20 concurrent confirmations and 20 concurrent method choices on one
# transaction: the guarded state changes let exactly one through, and the
# credit server holds exactly one authorization.
. "$(dirname "$0")/paylib.sh"

to_state awaiting_confirmation 00001
out=$(mktemp -d)
for i in $(seq 20); do
  curl -sS -o "$out/c$i" -w '%{http_code}' --cacert "$PAYGW_CA" -H "Authorization: Bearer $SESSION" \
    -H 'Content-Type: application/json' -d '{"agree":true}' "$PAYGW_URL/v1/transactions/$TXN/confirmation" >"$out/c$i.status" &
done
wait
is "20 confirmations: exactly one 200" "$(cat "$out"/c*.status | grep -o 200 | wc -l)" 1
is "20 confirmations: 19 answered 409" "$(cat "$out"/c*.status | grep -o 409 | wc -l)" 19
is "the transaction awaits a method" "$(txn_status "$TXN")" awaiting_method

for i in $(seq 20); do
  curl -sS -o "$out/m$i" -w '%{http_code}' --cacert "$PAYGW_CA" -H "Authorization: Bearer $SESSION" \
    -H 'Content-Type: application/json' -d '{"method":"L"}' "$PAYGW_URL/v1/transactions/$TXN/payment-method" >"$out/m$i.status" &
done
wait
is "20 method choices: exactly one 200" "$(cat "$out"/m*.status | grep -o 200 | wc -l)" 1
is "20 method choices: 19 answered 409" "$(cat "$out"/m*.status | grep -o 409 | wc -l)" 19
is "completed" "$(txn_status "$TXN")" completed
is "the gateway recorded one authorization" "$(psql_q "SELECT count(*) FROM gateway.authorizations a JOIN gateway.transactions t ON t.id = a.transaction_id WHERE t.number = '$TXN'")" 1
is "the credit server holds exactly one authorization" "$(issuer_auths "$TXN")" 1
rm -rf "$out"
done_testing
