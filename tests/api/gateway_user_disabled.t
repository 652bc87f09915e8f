#!/usr/bin/env bash
# gateway_user_disabled.t — docs/api.md: "An unknown or disabled user ID is
# 404 unknown_user".  A throwaway user enrolled with paygw-admin (as
# admin_enrol_flow.t does) gets a transaction while active; once disabled
# (`paygw-admin user disable`) POST /v1/transactions is 404 unknown_user as
# problem+json and stores nothing: no transaction, no payment command, no
# idempotency key (the same key works again for another request).
. "$(dirname "$0")/flowlib.sh"
ADMIN=$TEST_ROOT/admin/paygw-admin
S=d$$$RANDOM
PAN=$(luhn "99$(date +%s%N | tail -c 14 | head -c 13)")
M=1111111111

# mailbox_for USER → the mailbox rows (payment commands, completions) for the user ID
mailbox_for() { psql_q "SELECT count(*) FROM gateway.mailbox WHERE user_id = '$1'"; }

enrol() {
  {
  "$ADMIN" subscriber add --code "s$S" --name "Disabled-user test $S" &&
  "$ADMIN" device add --subscriber "s$S" --code "h$S" --key-out "$FLOW_TMP/h.pem" &&
  echo "$PAN" | "$ADMIN" card add --subscriber "s$S" --expiry 3012 --label "Card $S" >"$FLOW_TMP/card" &&
  echo "a long password $S" | "$ADMIN" user add --user-id "u$S" --subscriber "s$S" \
    --card "$(cut -d' ' -f2 "$FLOW_TMP/card")" --device "h$S"
  } >/dev/null 2>"$FLOW_TMP/enrol.err"
}
check "a throwaway user is enrolled" enrol

# while active: a transaction is made (so the 404 below is the disabling's)
pos POST /v1/transactions "$M" -H 'Content-Type: application/json' --data "$(txn_body "u$S" 100)"
is "active user: 201" "$STATUS" 201
ACTIVE_TXN=$(jqr .transaction)
is "active user: one payment command in the mailbox" "$(mailbox_for "u$S")" 1
pos POST "/v1/transactions/$ACTIVE_TXN/cancel" "$M" >/dev/null

disable() { "$ADMIN" user disable --user-id "u$S" >/dev/null 2>&1; }
check "paygw-admin user disable" disable
is "the user row is disabled" "$(psql_q "SELECT status FROM gateway.users WHERE user_id = 'u$S'")" disabled

COUNTS=$(table_counts) MAILBOX=$(mailbox_for "u$S")
KEY=disabled-$S
pos POST /v1/transactions "$M" -H 'Content-Type: application/json' -H "Idempotency-Key: $KEY" --data "$(txn_body "u$S" 100)"
is "disabled user: 404" "$STATUS" 404
is "disabled user: unknown_user" "$(jqr .code)" unknown_user
is "disabled user: application/problem+json" "$CTYPE" application/problem+json
is "disabled user: no transaction number handed out" "$(jqr '.transaction // empty')" ""
is "disabled user: nothing stored (row counts)" "$(table_counts)" "$COUNTS"
is "disabled user: no payment command for the user" "$(mailbox_for "u$S")" "$MAILBOX"
pos POST /v1/transactions "$M" -H 'Content-Type: application/json' --data "$(txn_body "u$S" 100)"
is "disabled user, without a key: 404 unknown_user too" "$STATUS $(jqr .code)" "404 unknown_user"
is "... nothing stored" "$(table_counts)" "$COUNTS"
# the refused request kept no key: the same key now makes a demo user's transaction
pos POST /v1/transactions "$M" -H 'Content-Type: application/json' -H "Idempotency-Key: $KEY" --data "$(txn_body 00001 100)"
is "the key of the refused request is free: 201" "$STATUS" 201
[[ $STATUS == 201 ]] && pos POST "/v1/transactions/$(jqr .transaction)/cancel" "$M" >/dev/null

done_testing
