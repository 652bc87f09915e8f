#!/usr/bin/env bash
# flow_issuer_idle.t — the credit server closes a connection that has sent
# nothing for PAYGW_CREDIT_IDLE_TIMEOUT_S (here 2 s, on a credit server
# restarted for the test): a silent client is cut off, and the gateway
# workers, whose kept links it closed meanwhile, notice before their next
# 0100 and pay on a new connection.
. "$(dirname "$0")/flowlib.sh"
restart_credit() { "$PAYGW_ROOT/scripts/stack" credit-restart >/dev/null; }
trap 'unset PAYGW_CREDIT_IDLE_TIMEOUT_S; restart_credit; flow_cleanup' EXIT
PAYGW_CREDIT_IDLE_TIMEOUT_S=2 restart_credit

host=${PAYGW_CREDIT_ADDR%:*} port=${PAYGW_CREDIT_ADDR##*:}
exec 7<>"/dev/tcp/$host/$port"
start=$(date +%s%N)
if read -r -t 6 -u 7 _; then got=data; else rc=$?; got=$([[ $rc -gt 128 ]] && echo timeout || echo closed); fi
exec 7<&-
is "a silent connection is closed by the server" "$got" closed
ms=$(( ($(date +%s%N) - start) / 1000000 ))
between "... after about 2 s (ms)" "$ms" 1500 4000

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
