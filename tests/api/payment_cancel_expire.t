#!/usr/bin/env bash
# Not agreeing cancels ([0087]); the POS may cancel before authorization but
# not after; a transaction whose waiting time runs out is expired ([0099]).
# No authorization reaches the credit server in any of these.
. "$(dirname "$0")/paylib.sh"

# --- the shopper does not agree
to_state awaiting_confirmation 00002 2222222222
confirm "$TXN" false
is "not agree: 200" "$STATUS" 200
is "not agree: canceled" "$(jqr .status)" canceled
MERCHANT=2222222222 pos_get "$TXN" 2222222222
is "not agree: the POS sees canceled" "$(jqr .status)" canceled
is "not agree: no authorization at the gateway" "$(psql_q "SELECT count(*) FROM gateway.authorizations a JOIN gateway.transactions t ON t.id = a.transaction_id WHERE t.number = '$TXN'")" 0
choose "$TXN" '{"method":"L"}'
is "not agree: a method choice afterwards is 409" "$STATUS" 409
confirm "$TXN" true
is "not agree: agreeing afterwards is 409" "$STATUS" 409
is "not agree: ... with the state" "$(jqr .transaction_status)" canceled

# --- the POS cancels, before and after authorization
to_state awaiting_confirmation 00001
api POST "/v1/transactions/$TXN/cancel" -H "Authorization: Bearer $(terminal_cred 1111111111)"
is "POS cancel while awaiting confirmation: 200" "$STATUS" 200
is "POS cancel: canceled" "$(jqr .status)" canceled
confirm "$TXN" true
is "POS cancel: the handset's agreement is then 409" "$STATUS" 409
api POST "/v1/transactions/$TXN/cancel" -H "Authorization: Bearer $(terminal_cred 1111111111)"
is "POS cancel again: 409" "$STATUS" 409
is "POS cancel again: wrong_state" "$(jqr .code)" wrong_state

to_state awaiting_method 00001
choose "$TXN" '{"method":"L"}'
is "completed first" "$(jqr .status)" completed
api POST "/v1/transactions/$TXN/cancel" -H "Authorization: Bearer $(terminal_cred 1111111111)" -H 'Content-Type: application/json' -d '{"reason":"changed mind"}'
is "POS cancel after authorization: 409" "$STATUS" 409
is "... the transaction stays completed" "$(txn_status "$TXN")" completed

new_txn 00001
api POST "/v1/transactions/$TXN/cancel" -H "Authorization: Bearer $(terminal_cred 2222222222)"
is "another merchant cannot cancel it: 404" "$STATUS" 404
is "... it is still awaiting the device" "$(txn_status "$TXN")" awaiting_device

# --- no confirmation in time: the window is moved into the past as time
# would (the windows themselves are configuration, docs/config.md)
to_state awaiting_confirmation 00003 4444444444
psql_q "UPDATE gateway.transactions SET deadline = now() - interval '1 second' WHERE number = '$TXN'" >/dev/null
confirm "$TXN" true
is "late agreement: 409" "$STATUS" 409
is "late agreement: the transaction expired" "$(jqr .transaction_status)" expired
is "late agreement: the expiry is stored, not only answered" "$(txn_status "$TXN")" expired
MERCHANT=4444444444 pos_get "$TXN" 4444444444
is "late agreement: the POS sees expired" "$(jqr .status)" expired
is "late agreement: nothing sent to the credit server" "$(psql_q "SELECT count(*) FROM gateway.authorizations a JOIN gateway.transactions t ON t.id = a.transaction_id WHERE t.number = '$TXN'")" 0

# expiry also happens without anyone touching the transaction (the sweep)
new_txn 00001
psql_q "UPDATE gateway.transactions SET deadline = now() - interval '1 second' WHERE number = '$TXN'" >/dev/null
pos_get "$TXN"
is "a POS reading an overdue transaction sees expired" "$(jqr .status)" expired
new_txn 00001
psql_q "UPDATE gateway.transactions SET deadline = now() - interval '1 second' WHERE number = '$TXN'" >/dev/null
# a method window that ran out
to_state awaiting_method 00001
psql_q "UPDATE gateway.transactions SET deadline = now() - interval '1 second' WHERE number = '$TXN'" >/dev/null
choose "$TXN" '{"method":"L"}'
is "a choice after the method window: 409" "$STATUS" 409
is "... expired" "$(jqr .transaction_status)" expired
is "... and stored as expired" "$(txn_status "$TXN")" expired
is "... no authorization" "$(issuer_auths "$TXN")" 0
done_testing
