#!/usr/bin/env bash
# flow_db_lost.t — the gateway loses its database while the 0100 is out:
# the issuer approves (and charges), but the gateway cannot record the
# answer.  It must not guess: a reversal now could undo a payment whose
# answer was in fact recorded.  It answers 503 database_unavailable with
# transaction_status "authorizing", sends nothing more, and once the
# database is back the sweeper (its connection cut too: it uses the same
# role) reconnects, takes its lock again and reverses the authorization that
# has no recorded answer: failed at the POS and in the mailbox, balance restored.
# The gateway's role is locked out (NOLOGIN, backends terminated) rather
# than PostgreSQL stopped, so the credit server keeps its database.
. "$(dirname "$0")/flowlib.sh"

needs_test_controls
unlock() { psql_q "ALTER ROLE paygw_gateway LOGIN" >/dev/null; }
trap 'unlock; restore_controls; flow_cleanup' EXIT
MERCHANT=1111111111 USER_ID=00005 AMOUNT=2345
gw_auth() { psql_q "SELECT a.status FROM gateway.authorizations a JOIN gateway.transactions t ON t.id = a.transaction_id WHERE t.number = '$TXN'"; }
issuer_status() {
  psql_q "SELECT ia.status FROM issuer.authorizations ia JOIN gateway.authorizations ga
            ON ia.stan = lpad(ga.stan::text, 6, '0') AND ia.transmission_time = ga.transmission_time
           JOIN gateway.transactions t ON t.id = ga.transaction_id WHERE t.number = '$TXN'"
}

before=$(issuer_balance $USER_ID)
flow_to awaiting_method $MERCHANT $USER_ID $AMOUNT
is "the flow reached awaiting_method" "$FLOW_ERROR" ""
echo "delay ${USER_CARD[$USER_ID]: -4} 1500" >"$CONTROLS"   # the issuer decides 1.5 s after the 0100
( choose "$TXN" "$SESSION" L; printf '%s\n%s\n' "$STATUS" "$BODY" >"$FLOW_TMP/choice" ) &
chooser=$!
for i in $(seq 50); do [[ $(gw_auth) == sent ]] && break; sleep 0.02; done
is "the authorization was recorded before it was sent" "$(gw_auth)" sent
psql_q "ALTER ROLE paygw_gateway NOLOGIN" >/dev/null
psql_q "SELECT count(pg_terminate_backend(pid)) >= 0 FROM pg_stat_activity WHERE usename = 'paygw_gateway'" >/dev/null
wait $chooser
STATUS=$(sed -n 1p "$FLOW_TMP/choice") BODY=$(sed -n '2,$p' "$FLOW_TMP/choice")
is "the shopper's choice is answered 503" "$STATUS" 503
is "... database_unavailable" "$(jqr .code)" database_unavailable
is "... with the transaction still authorizing" "$(jqr .transaction_status)" authorizing
is "the issuer approved and charged" "$(issuer_status)" approved
sleep 1
is "no reversal went out blind: still charged" "$(issuer_balance $USER_ID)" $((before + AMOUNT))
is "... and the issuer's authorization still approved" "$(issuer_status)" approved

unlock
for i in $(seq 80); do [[ $(gw_auth) == reversed ]] && break; sleep 0.5; done
is "with the database back, the sweeper reversed the unrecorded authorization" "$(gw_auth)" reversed
is "the issuer's authorization is reversed" "$(issuer_status)" reversed
is "the charge is undone" "$(issuer_balance $USER_ID)" "$before"
is "the POS sees failed" "$(txn_status $MERCHANT "$TXN")" failed
mailbox_find "${USER_DEVICE[$USER_ID]}" "$TXN" completion
is "the handset's mailbox says failed" "$(msg_field .status)" failed
done_testing
