#!/usr/bin/env bash
# gateway_one_call.t — each request of the payment flow costs the database
# one statement (one round trip, one commit, no BEGIN/COMMIT around it):
# a gateway.do_* function through its typed operation in cgi/gateway/db/.
# The method choice is the exception the exactly-once rule asks for: the
# authorization is recorded before the 0100 goes out, and the answer after.
# The look-ups that fill a worker's caches (terminal, handset key, user,
# issuer ranges) are not counted: they happen once per worker, not per
# request.  Counted with log_statement = 'all' (turned on for this test and
# off again): every statement a worker executes is one log line "execute
# <name>", <name> being the DB_STATEMENT of its operation; the sweeper's
# and the webhook sender's connections are left out.
. "$(dirname "$0")/flowlib.sh"
PG_LOG=$PAYGW_VAR/log/postgresql.log
[[ -r $PG_LOG ]] || { echo "not ok - the stack's PostgreSQL log $PG_LOG is readable"; exit 1; }
set_logging() { psql_q "ALTER SYSTEM SET log_statement = '$1'" >/dev/null; psql_q "SELECT pg_reload_conf()" >/dev/null; }
trap 'set_logging none; psql_q "ALTER SYSTEM RESET log_statement" >/dev/null; psql_q "SELECT pg_reload_conf()" >/dev/null; flow_cleanup' EXIT
set_logging all
sleep 1   # every backend has read the new setting (SIGHUP)

SWEEPER_PIDS=$(psql_q "SELECT coalesce(string_agg(pid::text, '|'), '0') FROM pg_stat_activity
                        WHERE application_name IN ('paygw-sweeper', 'paygw-webhooks')")
CACHE_FILLS='user_key|device_key|terminal_by_code|issuer_ranges'

# executed OFFSET → the statements the gateway's workers ran since byte
# OFFSET of the log, in order, space-separated: a prepared statement by its
# name, any other by its first word (BEGIN, COMMIT, ...); LISTEN (a new
# connection's) and the caches' fills left out
executed() {
  sleep 0.3   # a backend writes its log line before it answers; give the file a moment
  tail -c +$(($1 + 1)) "$PG_LOG" | grep -E ' paygw_gateway@[^ ]* LOG:  (execute|statement)' \
    | grep -Ev "\[($SWEEPER_PIDS)\] " \
    | sed -E 's/.* LOG:  execute ([A-Za-z0-9_]+).*/\1/; s/.* LOG:  statement: ([A-Za-z]+).*/\1/' \
    | grep -Evx "LISTEN|$CACHE_FILLS" | tr '\n' ' ' | sed 's/ $//'
}
log_size() { stat -c %s "$PG_LOG"; }

MERCHANT=1111111111 USER_ID=00001
DEVICE=${USER_DEVICE[$USER_ID]}
# a first flow warms the worker connections up (statements prepared, caches filled)
flow_to chosen "$MERCHANT" "$USER_ID" 100
is "a warm-up flow completes ($FLOW_ERROR)" "$(jqr .status)" completed

at=$(log_size)
txn_create "$MERCHANT" "$USER_ID" 100
is "POST /v1/transactions answers 201" "$STATUS" 201
like "... one call of do_create_transaction (two when the worker did not know the user's handset yet)" \
  "$(executed "$at")" '^txn_create( txn_create)?$'

at=$(log_size)
mailbox_find "$DEVICE" "$TXN" payment_command
is "the handset picks up the payment command" "$(msg_field .transaction)" "$TXN"
like "... each poll one call of do_mailbox_poll" "$(executed "$at")" '^mailbox_poll( mailbox_poll)*$'
CHALLENGE=$(msg_field .challenge)

at=$(log_size)
device_auth "$(device_auth_body "$TXN" "$USER_ID" "$DEVICE" "$CHALLENGE")"
is "POST /v1/device-auth answers 200" "$STATUS" 200
is "... one call of do_device_auth" "$(executed "$at")" txn_device_auth

at=$(log_size)
confirm "$TXN" "$SESSION" true
is "POST .../confirmation answers 200" "$STATUS" 200
is "... one call of do_confirm: the card and issuer device-auth kept, no read of the card" \
  "$(executed "$at")" txn_confirm

at=$(log_size)
handset GET "$TXN" payment-methods "$SESSION"
is "GET .../payment-methods answers 200" "$STATUS" 200
is "... one call of do_payment_methods" "$(executed "$at")" txn_methods

at=$(log_size)
choose "$TXN" "$SESSION" L
is "POST .../payment-method completes the payment" "$(jqr .status)" completed
is "... two calls: the authorization recorded before sending, the answer after" \
  "$(executed "$at")" "txn_begin_auth auth_answer"

at=$(log_size)
pos GET "/v1/transactions/$TXN" "$MERCHANT"
is "GET /v1/transactions/{number} shows it completed" "$(jqr .status)" completed
is "... one read" "$(executed "$at")" txn_view

# a confirmation that must decline still works: it reads the card, prepares
# the signed ending and calls again (the rare path, covered by flow_declines)
done_testing
