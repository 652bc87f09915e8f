#!/usr/bin/env bash
# The credit server answers late (or never): the gateway waits
# PAYGW_ISSUER_TIMEOUT_MS (5 s), reverses the authorization (0400), and the
# transaction fails at the POS and the handset; the card's balance at the
# issuer is unchanged — charged once or not at all.
. "$(dirname "$0")/paylib.sh"

if [[ -z ${PAYGW_CREDIT_TEST_CONTROLS:-} ]]; then
  echo "not ok - the stack runs without the credit server's test controls (scripts/check turns them on)"
  exit 1
fi
controls=$PAYGW_CREDIT_TEST_CONTROLS
trap 'rm -f "$controls"' EXIT
USER_ID=00005 DEV=1234567 PAN=${PAN_OF[00005]}

for rule in "delay ${PAN: -4} 7000" "drop ${PAN: -4}"; do
  kind=${rule%% *}
  before=$(balance_of "$PAN")
  echo "$rule" >"$controls"
  to_state awaiting_method $USER_ID
  start=$(date +%s%N)
  choose "$TXN" '{"method":"L"}'
  took=$(( ($(date +%s%N) - start) / 1000000 ))
  is "$kind: the choice answers 502" "$STATUS" 502
  is "$kind: issuer_unavailable" "$(jqr .code)" issuer_unavailable
  is "$kind: the transaction failed" "$(jqr .transaction_status)" failed
  check "$kind: the gateway waited its time-out (took ${took} ms)" test "$took" -ge 4900 -a "$took" -lt 9000
  pos_get "$TXN"
  is "$kind: the POS sees failed" "$(jqr .status)" failed
  check "$kind: the POS is told why" grep -q "did not answer" <<<"$(jqr .failure.reason)"
  poll $DEV
  msg=$(jq -r --arg n "$TXN" '.messages[] | .message | fromjson | select(.transaction == $n and .kind == "completion") | tojson' <<<"$BODY")
  is "$kind: the handset's mailbox says failed" "$(jq -r .status <<<"${msg:-{\}}")" failed
  is "$kind: the gateway's authorization was reversed" \
    "$(psql_q "SELECT a.status FROM gateway.authorizations a JOIN gateway.transactions t ON t.id = a.transaction_id WHERE t.number = '$TXN'")" reversed
  rm -f "$controls"
  [[ $kind == delay ]] && sleep 2.5      # let the late 0100 be processed (and refused)
  is "$kind: the balance at the issuer is unchanged" "$(balance_of "$PAN")" "$before"
  is "$kind: no approved authorization stands at the issuer" "$(issuer_auths "$TXN")" 0
done

to_state awaiting_method $USER_ID
choose "$TXN" '{"method":"L"}'
is "with the controls removed the same card completes" "$(jqr .status)" completed
done_testing
