#!/usr/bin/env bash
# A worker dies between sending the 0100 and recording the answer: the
# authorization stays "sent" and the credit server has charged the card.
# The recovery sweep (at worker start and every PAYGW_SWEEP_EVERY seconds)
# reverses what has no recorded answer: the transaction fails, the charge is
# undone exactly once, the handset is told.
. "$(dirname "$0")/paylib.sh"

if [[ -z ${PAYGW_CREDIT_TEST_CONTROLS:-} ]]; then
  echo "not ok - the stack runs without the credit server's test controls (scripts/check turns them on)"
  exit 1
fi
controls=$PAYGW_CREDIT_TEST_CONTROLS
trap 'rm -f "$controls"' EXIT
USER_ID=00005 DEV=1234567 PAN=${PAN_OF[00005]}
supervisor=$(cat "$PAYGW_VAR/run/gateway.pid")
gw_auth() { psql_q "SELECT a.status FROM gateway.authorizations a JOIN gateway.transactions t ON t.id = a.transaction_id WHERE t.number = '$TXN'"; }

before=$(balance_of "$PAN")
echo "drop ${PAN: -4}" >"$controls"            # the credit server charges, never answers
to_state awaiting_method $USER_ID
curl -sS -o /dev/null --cacert "$PAYGW_CA" -H "Authorization: Bearer $SESSION" -H 'Content-Type: application/json' \
  -d '{"method":"L"}' "$PAYGW_URL/v1/transactions/$TXN/payment-method" &
chooser=$!
for i in $(seq 30); do [[ $(gw_auth) == sent ]] && break; sleep 0.1; done
is "the authorization was recorded before it was sent" "$(gw_auth)" sent
for i in $(seq 30); do [[ $(balance_of "$PAN") != "$before" ]] && break; sleep 0.1; done
is "the credit server charged the card" "$(balance_of "$PAN")" $((before + 3456))
pkill -9 -P "$supervisor" paygw.fcgi           # every worker dies mid-request
wait $chooser 2>/dev/null
rm -f "$controls"
is "after the crash the transaction is left authorizing" "$(txn_status "$TXN")" authorizing
is "... and its authorization is left sent" "$(gw_auth)" sent

# the sweep takes authorizations older than the issuer time-out + 5 s
for i in $(seq 60); do
  api GET /v1/health >/dev/null
  [[ $(gw_auth) == reversed ]] && break
  sleep 0.5
done
is "the sweep reversed the authorization" "$(gw_auth)" reversed
is "the transaction failed" "$(txn_status "$TXN")" failed
is "the charge is undone at the issuer" "$(balance_of "$PAN")" "$before"
is "the issuer's authorization is reversed, once" \
  "$(psql_q "SELECT count(*) FROM issuer.authorizations ia JOIN gateway.authorizations ga ON ia.stan = lpad(ga.stan::text, 6, '0') AND ia.transmission_time = ga.transmission_time JOIN gateway.transactions t ON t.id = ga.transaction_id WHERE t.number = '$TXN' AND ia.status = 'reversed'")" 1
pos_get "$TXN"
is "the POS sees failed" "$(jqr .status)" failed
poll $DEV
msg=$(jq -r --arg n "$TXN" '.messages[] | .message | fromjson | select(.transaction == $n and .kind == "completion") | tojson' <<<"$BODY")
is "the handset's mailbox says failed" "$(jq -r .status <<<"${msg:-{\}}")" failed
sleep 1
is "a later sweep changes nothing more" "$(balance_of "$PAN")" "$before"
done_testing
