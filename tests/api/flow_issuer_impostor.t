#!/usr/bin/env bash
# flow_issuer_impostor.t — the gateway checks whom it sends a card number
# to.  With the credit server stopped, an impostor listens on its port with
# a certificate of the same CA that is not the credit server's (nginx's:
# made for a server, named localhost and 127.0.0.1, not the credit server's
# name) and asks for client certificates.  The gateway refuses it in the
# handshake (its alert), no byte of a 0100 reaches it, and the payment fails
# as an unanswered one (502 issuer_unavailable).  With the real credit server
# back the workers' links work again, and the failed authorization's
# reversal is acknowledged (the recovery sweep repeats it).
. "$(dirname "$0")/flowlib.sh"
MERCHANT=1111111111 USER_ID=00001
host=${PAYGW_CREDIT_ADDR%:*} port=${PAYGW_CREDIT_ADDR##*:}
impostor=""
cleanup() {
  [[ -n $impostor ]] && kill "$impostor" 2>/dev/null && wait "$impostor" 2>/dev/null
  "$PAYGW_ROOT/scripts/stack" credit-restart >/dev/null
  flow_cleanup
}
trap cleanup EXIT
listening() { (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; }

flow_to chosen $MERCHANT $USER_ID 105
is "before: a payment completes" "$STATUS $(jqr .status)" "200 completed"

"$PAYGW_ROOT/scripts/stack" credit-stop >/dev/null
check "the credit server is stopped (nothing listens on its port)" bash -c "! (exec 3<>/dev/tcp/$host/$port) 2>/dev/null"
openssl s_server -accept "$host:$port" -cert "$PAYGW_VAR/tls/server.crt" -key "$PAYGW_VAR/tls/server.key" \
  -CAfile "$PAYGW_CA" -Verify 1 -quiet >"$FLOW_TMP/impostor.out" 2>"$FLOW_TMP/impostor.err" &
impostor=$!
for _ in $(seq 50); do listening && break; sleep 0.1; done
check "the impostor listens on the credit server's port" listening

flow_to chosen $MERCHANT $USER_ID 106
TXN_IMPOSTOR=$TXN
is "to the impostor: the choice answers 502" "$STATUS" 502
is "... issuer_unavailable" "$(jqr .code)" issuer_unavailable
is "... the transaction failed" "$(txn_status $MERCHANT "$TXN_IMPOSTOR")" failed
kill "$impostor"; wait "$impostor" 2>/dev/null; impostor=""
check "the gateway did reach the impostor (it logged connections)" test -s "$FLOW_TMP/impostor.err"
check "the gateway refused the impostor's certificate in the handshake (bad certificate alert)" \
  grep -q 'alert bad certificate' "$FLOW_TMP/impostor.err"
check "no byte of a message reached the impostor" test ! -s "$FLOW_TMP/impostor.out"
check "the gateway's log says why" grep -q 'credit server refused' "$PAYGW_VAR/log/gateway.log"

"$PAYGW_ROOT/scripts/stack" credit-restart >/dev/null
ok_count=0
for i in 1 2 3 4 5 6; do
  flow_to chosen $MERCHANT $USER_ID 107
  if [[ $STATUS == 200 && $(jqr .status) == completed ]]; then ok_count=$((ok_count + 1)); else echo "# payment $i: $STATUS $BODY $FLOW_ERROR"; fi
done
is "the real credit server back: 6 of 6 payments complete" "$ok_count" 6

reversed=""
for _ in $(seq 60); do
  reversed=$(psql_q "SELECT a.status FROM gateway.authorizations a JOIN gateway.transactions t ON t.id = a.transaction_id
                      WHERE t.number = '$TXN_IMPOSTOR'")
  [[ $reversed == reversed ]] && break
  sleep 1
done
is "the failed authorization's reversal is acknowledged by the real credit server" "$reversed" reversed
done_testing
