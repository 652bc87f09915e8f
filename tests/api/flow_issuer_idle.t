#!/usr/bin/env bash
# flow_issuer_idle.t — the credit server closes a connection that has sent
# nothing for PAYGW_CREDIT_IDLE_TIMEOUT_S (here 2 s, on a credit server
# restarted for the test): a silent client (its TLS handshake done) is cut
# off, and the gateway workers, whose kept links it closed meanwhile (with a
# close_notify), notice before their next 0100 and pay on a new connection.
. "$(dirname "$0")/flowlib.sh"
restart_credit() { "$PAYGW_ROOT/scripts/stack" credit-restart >/dev/null; }
trap 'unset PAYGW_CREDIT_IDLE_TIMEOUT_S; restart_credit; flow_cleanup' EXIT
PAYGW_CREDIT_IDLE_TIMEOUT_S=2 restart_credit

# a silent acquirer: the test's own, over the link's mutual TLS; s_client
# keeps the connection while its input stays open (8 s) and ends when the
# server closes it
start=$(date +%s%N)
got=$(timeout 10 openssl s_client -connect "$PAYGW_CREDIT_ADDR" -CAfile "$PAYGW_CREDIT_CA" \
        -cert "$PAYGW_TEST_ACQUIRER_CERT" -key "$PAYGW_TEST_ACQUIRER_KEY" -verify_hostname "$PAYGW_CREDIT_SERVER_NAME" \
        < <(sleep 8) 2>&1)
ms=$(( ($(date +%s%N) - start) / 1000000 ))
check "a silent acquirer's TLS link came up" grep -q 'Verify return code: 0 (ok)' <<<"$got"
between "... and is closed by the server after about 2 s, not when its input ends at 8 s (ms)" "$ms" 1500 4000

pay() {
  flow_to chosen 1111111111 00001 130
  [[ $STATUS == 200 && $(jqr .status) == completed ]] && echo completed || echo "$STATUS $(jqr .code) $FLOW_ERROR"
}
is "a payment opens the workers' links" "$(pay)" completed
sleep 3                                  # the server closes them as idle
for i in 1 2 3 4; do
  is "payment $i after the links went idle completes" "$(pay)" completed
done
done_testing
