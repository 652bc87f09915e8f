#!/usr/bin/env bash
# A worker dies between sending the 0100 and recording the answer: the
# authorization stays "sent" and the credit server has charged the card.
# The sweeper (paygw-sweeper, a process of its own: it wakes when such a row
# outlives the issuer time-out + 5 s, with no request coming in) reverses
# what has no recorded answer: the transaction fails, the charge is undone
# exactly once, the POS and the handset are told.
. "$(dirname "$0")/flowlib.sh"

needs_test_controls
trap 'restore_controls; flow_cleanup' EXIT
USER_ID=00005 MERCHANT=1111111111 AMOUNT=3456
supervisor=$(cat "$PAYGW_VAR/run/gateway.pid")
gw_auth() { psql_q "SELECT a.status FROM gateway.authorizations a JOIN gateway.transactions t ON t.id = a.transaction_id WHERE t.number = '$TXN'"; }
row_status() { psql_q "SELECT status FROM gateway.transactions WHERE number = '$TXN'"; }

before=$(issuer_balance $USER_ID)
echo "drop ${USER_CARD[$USER_ID]: -4}" >"$CONTROLS"     # the credit server charges, never answers
flow_to awaiting_method $MERCHANT $USER_ID $AMOUNT
is "the flow reached awaiting_method" "$FLOW_ERROR" ""
choose "$TXN" "$SESSION" L >/dev/null 2>&1 &
chooser=$!
for i in $(seq 30); do [[ $(gw_auth) == sent ]] && break; sleep 0.1; done
is "the authorization was recorded before it was sent" "$(gw_auth)" sent
for i in $(seq 30); do [[ $(issuer_balance $USER_ID) != "$before" ]] && break; sleep 0.1; done
is "the credit server charged the card" "$(issuer_balance $USER_ID)" $((before + AMOUNT))
pkill -9 -P "$supervisor" paygw.fcgi           # every worker dies mid-request
wait $chooser 2>/dev/null
rm -f "$CONTROLS"
is "after the crash the transaction is left authorizing" "$(row_status)" authorizing
is "... and its authorization is left sent" "$(gw_auth)" sent

# the sweeper takes authorizations older than the issuer time-out + 5 s; no
# request reaches the gateway meanwhile (and the workers do no sweeping)
for i in $(seq 90); do
  [[ $(gw_auth) == reversed ]] && break
  sleep 0.5
done
is "the sweeper reversed the authorization" "$(gw_auth)" reversed
is "the transaction failed" "$(row_status)" failed
is "the charge is undone at the issuer" "$(issuer_balance $USER_ID)" "$before"
is "the issuer's authorization is reversed, once" \
  "$(psql_q "SELECT count(*) FROM issuer.authorizations ia JOIN gateway.authorizations ga ON ia.stan = lpad(ga.stan::text, 6, '0') AND ia.transmission_time = ga.transmission_time JOIN gateway.transactions t ON t.id = ga.transaction_id WHERE t.number = '$TXN' AND ia.status = 'reversed'")" 1
is "the POS sees failed" "$(txn_status $MERCHANT "$TXN")" failed
mailbox_find "${USER_DEVICE[$USER_ID]}" "$TXN" completion
is "the handset's mailbox says failed" "$(msg_field .status)" failed
is "... signed by the gateway" "$MSG_VERIFIED" true
sleep 1
is "a later pass changes nothing more" "$(issuer_balance $USER_ID)" "$before"
done_testing
