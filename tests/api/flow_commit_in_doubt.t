#!/usr/bin/env bash
# flow_commit_in_doubt.t — the connection to PostgreSQL breaks while a
# commit is on its way: its answer is lost, and the gateway cannot know from
# the connection whether the work was done (hardening issue, defect 5).  It
# must read what became of the transaction before doing anything again:
# committed → the work stands and the request is answered as if the commit
# had answered; rolled back → the work is done again, once; unknown (the
# database unreachable for longer than PAYGW_DB_IN_DOUBT_MS) → 503
# outcome_unknown with Retry-After, and nothing repeated.
# POST /v1/transactions is one autocommit call (gateway.do_create_transaction,
# which commits at the Sync): its lost answer is read by sending the call
# again, which finds the transaction by its number (DB_REPEATABLE), or by
# running it anew when the commit never happened.
#
# The gateway workers are restarted for the test with their database URI
# pointing at tests/tools/pg-cut-proxy (PAYGW_TEST_PORT_BASE + 11, see
# dbproxy.sh), which cuts both sides of a connection right after (or instead
# of) forwarding the commit of a transaction that ran a given statement, and
# can then refuse new connections for a moment.  The EXIT trap puts the
# stack's own workers back.
. "$(dirname "$0")/flowlib.sh"
. "$(dirname "$0")/dbproxy.sh"

MERCHANT=1111111111 USER=00005
IN_DOUBT_MS=1500          # the workers' PAYGW_DB_IN_DOUBT_MS for this test
slow_commit_off() {
  psql_q "DROP TRIGGER IF EXISTS test_slow_commit ON gateway.transactions" >/dev/null 2>&1
  psql_q "DROP FUNCTION IF EXISTS public.test_slow_commit()" >/dev/null 2>&1
}
trap 'slow_commit_off; dbproxy_stop; flow_cleanup' EXIT
dbproxy_start $IN_DOUBT_MS

# a sale with a reference of its own, so its rows can be counted
sale() { txn_body "$USER" "$2" | jq -c --arg r "$1" '.reference = $r'; }
rows_of() { psql_q "SELECT count(*) FROM gateway.transactions WHERE reference = '$1'"; }
number_of() { psql_q "SELECT string_agg(number, ',') FROM gateway.transactions WHERE reference = '$1'"; }
# end_txn NUMBER...: cancels what a case leaves waiting (a user may have only
# PAYGW_MAX_OPEN_PER_USER, 3, open at once); keeps STATUS and BODY
end_txn() {
  local status=$STATUS body=$BODY n
  for n in "$@"; do pos POST "/v1/transactions/$n/cancel" $MERCHANT; done
  STATUS=$status BODY=$body
}

# --- 1. POST /v1/transactions without Idempotency-Key: the commit landed ----
ref=indoubt-$$-created
cut after txn_create
pos POST /v1/transactions $MERCHANT -H 'Content-Type: application/json' --data "$(sale "$ref" 510)"
is "the proxy cut the connection after the new transaction's COMMIT" "$(cuts after txn_create)" 1
is "exactly one transaction was stored (not run again)" "$(rows_of "$ref")" 1
is "the terminal got 201" "$STATUS" 201
is "... with the number of the stored transaction" "$(jqr .transaction)" "$(number_of "$ref")"
is "exactly one payment command went to the mailbox" \
  "$(psql_q "SELECT count(*) FROM gateway.mailbox m JOIN gateway.transactions t ON t.id = m.transaction_id
              WHERE t.reference = '$ref' AND m.kind = 'payment_command'")" 1
check "the gateway logged the lost answer and sent the call again (it knows its number)" \
  gateway_log_call txn_create resent
end_txn $(number_of "$ref" | tr ',' ' ')

# --- 1b. the same with a slow COMMIT: "in progress" is waited out -----------
# a deferred trigger makes the COMMIT take 0.6 s, so the first looks at the
# transaction find it still in progress
psql_q "CREATE FUNCTION public.test_slow_commit() RETURNS trigger LANGUAGE plpgsql AS
          \$\$ BEGIN PERFORM pg_sleep(0.6); RETURN NULL; END \$\$" >/dev/null
psql_q "CREATE CONSTRAINT TRIGGER test_slow_commit AFTER INSERT ON gateway.transactions
          DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.reference LIKE 'indoubt-slow-%')
          EXECUTE FUNCTION public.test_slow_commit()" >/dev/null
ref=indoubt-slow-$$
cut after txn_create
pos POST /v1/transactions $MERCHANT -H 'Content-Type: application/json' --data "$(sale "$ref" 515)"
slow_commit_off
is "the proxy cut the connection after the slow COMMIT" "$(cuts after txn_create)" 2
is "the terminal got 201" "$STATUS" 201
is "exactly one transaction was stored" "$(rows_of "$ref")" 1
is "... the one answered" "$(jqr .transaction)" "$(number_of "$ref")"
end_txn $(number_of "$ref" | tr ',' ' ')

# --- 2. device-auth: the commit landed, the session works -------------------
flow_to awaiting_device $MERCHANT $USER 520
mailbox_find "$DEVICE" "$TXN" payment_command
CHALLENGE=$(msg_field .challenge)
nonempty "the handset has the payment command's challenge" "$CHALLENGE"
cut after txn_device_auth
device_auth "$(device_auth_body "$TXN" "$USER" "$DEVICE" "$CHALLENGE")"
is "the proxy cut the connection after device-auth's COMMIT" "$(cuts after txn_device_auth)" 1
is "device-auth answered 200 (not a refused challenge)" "$STATUS" 200
nonempty "... with a session" "$SESSION"
confirm "$TXN" "$SESSION" true
is "the session works afterwards: the confirmation answers 200" "$STATUS" 200
is "... awaiting_method" "$(jqr .status)" awaiting_method
end_txn "$TXN"

# --- 3. payment-method: the commit landed, one authorization, completed -----
flow_to awaiting_method $MERCHANT $USER 530
is "the flow reached awaiting_method" "$FLOW_ERROR" ""
before=$(issuer_balance $USER)
cut after txn_begin_auth
choose "$TXN" "$SESSION" L
is "the proxy cut the connection after the authorization's COMMIT" "$(cuts after txn_begin_auth)" 1
is "payment-method answered 200 (no 409)" "$STATUS" 200
is "... completed" "$(jqr .status)" completed
is "exactly one authorization recorded at the gateway" \
  "$(psql_q "SELECT count(*) FROM gateway.authorizations a JOIN gateway.transactions t ON t.id = a.transaction_id
              WHERE t.number = '$TXN'")" 1
is "... and one at the issuer" "$(issuer_auths_for "$TXN")" 1
is "the POS sees completed (not stuck authorizing)" "$(txn_status $MERCHANT "$TXN")" completed
is "the card was charged once" "$(issuer_balance $USER)" $((before + 530))

# --- 4. mailbox pickup: the commit landed, the handset gets its message -----
DEVICE=${USER_DEVICE[$USER]}
for i in 1 2 3 4 5 6; do mailbox_poll "$DEVICE"; [[ ${MAILBOX_LAST_COUNT:-1} == 0 ]] && break; done
txn_create $MERCHANT $USER 540
is "a new transaction for the pickup" "$STATUS" 201
cut after mailbox_poll
mailbox_poll "$DEVICE"
is "the proxy cut the connection after the pickup's commit" "$(cuts after mailbox_poll)" 1
is "the poll answered 200 (not 401 for its own retry)" "$STATUS" 200
check "the handset got the payment command (in that answer or the next)" mailbox_find "$DEVICE" "$TXN" payment_command
is "... signed by the gateway" "$MSG_VERIFIED" true
end_txn "$TXN"

# --- 5. the COMMIT never arrived: done again, once ---------------------------
ref=indoubt-$$-rolledback
cut before txn_create 400
pos POST /v1/transactions $MERCHANT -H 'Content-Type: application/json' --data "$(sale "$ref" 550)"
is "the proxy cut the connection instead of forwarding the COMMIT" "$(cuts before txn_create)" 1
check "... and refused the gateway's new connections for a moment" proxy_refused
is "the terminal got 201" "$STATUS" 201
is "exactly one transaction was stored" "$(rows_of "$ref")" 1
is "... the one answered" "$(jqr .transaction)" "$(number_of "$ref")"
check "the gateway logged the lost answer and sent the call again" \
  gateway_log_call txn_create resent
end_txn $(number_of "$ref" | tr ',' ' ')

# --- 6. the outcome cannot be read: 503 outcome_unknown, nothing repeated ---
ref=indoubt-$$-unknown key=indoubt-$$-key
# The call cut must be the one that stores: a worker that does not yet know
# the user's handset first asks the database (an answer sign_again, which
# stores nothing), so one worker, which learns it from a first sale
dbproxy_workers 1
pos POST /v1/transactions $MERCHANT -H 'Content-Type: application/json' --data "$(sale "$ref-warm" 555)"
is "a first sale teaches the one worker the user's handset" "$STATUS" 201
end_txn "$(jqr .transaction)"
cut after txn_create $((IN_DOUBT_MS + 1500))
started=$(date +%s%3N)
pos POST /v1/transactions $MERCHANT -H 'Content-Type: application/json' -H "Idempotency-Key: $key" \
  -D "$FLOW_TMP/headers" --data "$(sale "$ref" 560)"
took=$(( $(date +%s%3N) - started ))
is "the proxy cut the connection after the COMMIT" "$(cuts after txn_create)" 3
is "the database unreachable: 503" "$STATUS" 503
is "... outcome_unknown" "$(jqr .code)" outcome_unknown
check "... with Retry-After" grep -qi '^Retry-After: [0-9]' "$FLOW_TMP/headers"
between "... after trying to read the outcome for PAYGW_DB_IN_DOUBT_MS" "$took" $((IN_DOUBT_MS - 100)) $((IN_DOUBT_MS + 5000))
check "the gateway logged the unknown outcome" gateway_log_call txn_create unknown
sleep $(( (IN_DOUBT_MS + 1500) / 1000 + 1 ))
is "the COMMIT had landed: one transaction stored, not run again" "$(rows_of "$ref")" 1
pos POST /v1/transactions $MERCHANT -H 'Content-Type: application/json' -H "Idempotency-Key: $key" \
  -D "$FLOW_TMP/headers" --data "$(sale "$ref" 560)"
is "the terminal's retry with its Idempotency-Key gets the first answer" "$STATUS" 201
check "... replayed" grep -qi '^Idempotency-Replayed: true' "$FLOW_TMP/headers"
is "... with the stored number" "$(jqr .transaction)" "$(number_of "$ref")"
is "... and still one transaction" "$(rows_of "$ref")" 1
end_txn $(number_of "$ref" | tr ',' ' ')
done_testing
