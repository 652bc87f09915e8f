#!/usr/bin/env bash
# stack_migration_live.t — a migration that changes columns' types while
# the gateway runs (text to varchar, integer to bigint, boolean and bigint
# to a domain over them, as a real migration might): the workers' prepared
# statements no longer match (PostgreSQL: "cached plan must not change
# result type").  The workers prepare them again and retry, so payments go
# on without a restart; the credit server's call of issuer.do_authorize is
# not affected at all.  The payment steps are gateway.do_* functions whose
# RETURN QUERY hands out table columns: each must cast them to the type its
# RETURNS TABLE declares, else PL/pgSQL refuses the changed column
# ("structure of query does not match function result type").  So at least
# one column of every table a do_* function returns from changes, and every
# do_* function, and the paths of each that answer a column (a replayed
# creation, a cancel by the shopper and by the terminal, a decline by the
# issuer, a party disabled, steps in the wrong state), runs after it.
. "$(dirname "$0")/flowlib.sh"
M=1111111111 DEMO_ISSUER=2a11111 R=$$$RANDOM

# TABLE COLUMN NEW-TYPE: what the migration changes.  Not the handsets'
# code, public_key or status: a trigger's UPDATE OF list names them, and
# PostgreSQL does not change the type of such a column.  Not a foreign key.
V=character\ varying   # as format_type names it
MIGRATION=(
  "gateway.transactions reference $V(64)" "gateway.transactions status $V(24)"
  "gateway.transactions currency $V(3)" "gateway.transactions binding_code $V(4)"
  "gateway.transactions card_masked $V(19)" "gateway.transactions method $V(2)"
  "gateway.transactions approval_code $V" "gateway.transactions response_code $V"
  "gateway.transactions outcome_reason $V"
  "gateway.transactions total gateway.migr_amount" "gateway.transactions tax_total gateway.migr_amount"
  "gateway.merchants code $V(15)" "gateway.merchants name $V(80)" "gateway.merchants shop_name $V(80)"
  "gateway.merchants status $V(16)"
  "gateway.merchant_methods lump_sum gateway.migr_flag" "gateway.merchant_methods installments gateway.migr_flag"
  "gateway.merchant_methods bonus gateway.migr_flag" "gateway.merchant_methods partial_bonus gateway.migr_flag"
  "gateway.merchant_methods revolving gateway.migr_flag"
  "gateway.cards label $V(40)" "gateway.cards pan_masked $V(19)" "gateway.cards status $V(16)"
  "gateway.cards pan_lookup $V(64)"
  # the statements that still read a table's columns directly are the
  # look-ups that fill the workers' caches (db_user_key reads the card's expiry)
  "gateway.cards expiry $V(4)"
  "gateway.mailbox message $V" "gateway.mailbox signature $V"
  "gateway.authorizations stan bigint" "gateway.authorizations transmission_time $V(10)"
  "gateway.authorizations terminal_code $V(8)"
  "gateway.idempotency_keys response_status bigint" "gateway.idempotency_keys response_body $V"
  "gateway.users status $V(16)" "gateway.subscribers status $V(16)" "gateway.issuers status $V(16)"
  "gateway.terminals status $V(16)"
  "issuer.card_accounts currency $V(3)"
)
# each column's type before the migration, as "TABLE COLUMN TYPE" lines
column_type() {
  psql_q "SELECT format_type(atttypid, atttypmod) FROM pg_attribute
           WHERE attrelid = '$1'::regclass AND attname = '$2' AND NOT attisdropped"
}
ORIGINAL=()
for change in "${MIGRATION[@]}"; do
  read -r table column _ <<<"$change"
  ORIGINAL+=("$table $column $(column_type "$table" "$column")")
done
migrate() {   # migrate LINES...: each column to its type
  local line table column type
  for line in "$@"; do
    read -r table column type <<<"$line"
    psql_q "ALTER TABLE $table ALTER COLUMN $column TYPE $type" >/dev/null ||
      echo "# could not change $table.$column to $type"
  done
}
RESTORED=0
restore() {   # every column back to its type (once: the EXIT trap calls it too)
  [[ $RESTORED == 1 ]] && return
  RESTORED=1
  migrate "${ORIGINAL[@]}"
  psql_q "SET client_min_messages = warning;
          DROP DOMAIN IF EXISTS gateway.migr_flag; DROP DOMAIN IF EXISTS gateway.migr_amount" >/dev/null
}
trap 'restore; flow_cleanup' EXIT
replans() { grep -c 'preparing them again' "$PAYGW_VAR/log/gateway.log" || true; }
issuer_replans() { grep -c 'preparing them again' "$PAYGW_VAR/log/credit-server.log" || true; }

pay() {  # pay N LABEL [UNTIL]: N whole payments of user 00001, each must complete
  local n=$1 label=$2 until=${3:-} i done_ok=0
  for i in $(seq "$n"); do
    # the workers drop their caches, as after an enrolment change: the
    # device-auth fills the user's copy again, preparing db_user_key's
    # statement in whichever worker takes it
    psql_q "NOTIFY paygw_enrolment" >/dev/null
    flow_to chosen $M 00001 150
    [[ $STATUS == 200 && $(jqr .status) == completed ]] && done_ok=$((done_ok + 1)) ||
      echo "# $label $i: $FLOW_ERROR $STATUS $BODY"
    [[ $(txn_status $M "$TXN") == completed ]] || echo "# $label $i: the POS does not see completed"
    [[ -n $until ]] && $until && { n=$i; break; }
  done
  is "$label: $n of $n payments completed" "$done_ok" "$n"
}

# a throwaway shopper (card in the demo issuer's range, known to the credit
# server), enrolled before the migration, whose card is disabled after it
pan=$(luhn "152505$(date +%s%N | tail -c 10 | head -c 9)")
check "a throwaway shopper, its card known to the credit server" \
  eval 'enrol_shopper "k$R" "$pan" && issuer_enrol_card "$pan"'

pay 8 "before the migration (every step's statements prepared)"
before=$(replans) issuer_before=$(issuer_replans)
psql_q "CREATE DOMAIN gateway.migr_flag AS boolean; CREATE DOMAIN gateway.migr_amount AS bigint" >/dev/null
migrate "${MIGRATION[@]}"
changed=0
for change in "${MIGRATION[@]}"; do
  read -r table column type <<<"$change"
  [[ $(column_type "$table" "$column") == "$type" ]] && changed=$((changed + 1))
done
is "the migration changed every column's type" "$changed" "${#MIGRATION[@]}"
replanned() { [[ $(replans) -gt $before ]]; }
# a worker that had prepared db_user_key's statement finds it out of date at
# its next device-auth: 8 workers, so a few payments reach one
pay 12 "right after the migration, without a restart" replanned
check "the workers said they prepared their statements again" test "$(replans)" -gt "$before"

# --- every do_* function, every path that answers a column --------------------
# do_device_auth, do_confirm, do_payment_methods, do_begin_authorization and
# do_transaction_view as the handset and the terminal see them
flow_to awaiting_confirmation $M 00001 170
is "device-auth: ${FLOW_ERROR:-ok}" "${FLOW_ERROR:-ok}" ok
is "device-auth: the handset is shown the sale, the merchant and the card" \
  "$(jqr '[.status, .merchant.code, (.merchant.name | length > 0), (.shop | length > 0), .total, .tax_total, .currency,
            .binding_code, (.card.label | length > 0), .card.masked] | map(tostring) | join(" ")')" \
  "awaiting_confirmation $M true true 170 0 JPY $BINDING true ${USER_CARD[00001]}"
confirm "$TXN" "$SESSION" true
is "agreeing: 200 awaiting_method with the merchant's methods" "$STATUS $(jqr .status) $(jqr '.methods | length > 0')" \
  "200 awaiting_method true"
handset GET "$TXN" payment-methods "$SESSION"
is "payment-methods: 200 with the merchant's methods" "$STATUS $(jqr '.methods | length > 0')" "200 true"
# a method the merchant does not take for this issuer: refused, nothing changed
other=$(jq -r '[.methods[].method] as $m | ["L", "B", "pB", "R"] - $m | .[0] // empty' <<<"$BODY")
if [[ -n $other ]]; then
  choose "$TXN" "$SESSION" "$other"
  is "a method not offered ($other): 422 method_not_offered" "$STATUS $(jqr .code)" "422 method_not_offered"
fi
choose "$TXN" "$SESSION" L
is "the payment completes" "$STATUS $(jqr .status)" "200 completed"
pos GET "/v1/transactions/$TXN" $M
is "the POS reads it whole" \
  "$STATUS $(jqr '[.status, .binding_code, .total, .tax_total, .currency, .reference, .completion.method,
                   .completion.installments, .completion.card, (.completion.approval_code | length > 0)]
                  | map(tostring) | join(" ")')" \
  "200 completed $BINDING 170 0 JPY flowtest L 0 ${USER_CARD[00001]} true"
choose "$TXN" "$SESSION" L
is "choosing again: 409 wrong_state naming completed" "$STATUS $(jqr .code) $(problem_state)" \
  "409 wrong_state completed"
handset GET "$TXN" payment-methods "$SESSION"
is "payment-methods after it: 409 wrong_state naming completed" "$STATUS $(jqr .code) $(problem_state)" \
  "409 wrong_state completed"
confirm "$TXN" "$SESSION" true
is "agreeing after it: 409 wrong_state naming completed" "$STATUS $(jqr .code) $(problem_state)" \
  "409 wrong_state completed"
device_auth "$(device_auth_body "$TXN" 00001 "${USER_DEVICE[00001]}" "$CHALLENGE")"
is "device-auth again: 409 challenge_refused" "$STATUS $(jqr .code)" "409 challenge_refused"
pos POST "/v1/transactions/$TXN/cancel" $M
is "the POS cancels it after it: 409 wrong_state" "$STATUS $(jqr .code)" "409 wrong_state"

# do_create_transaction: a creation with an Idempotency-Key, sent again
key=migr-$R
pos POST /v1/transactions $M -H 'Content-Type: application/json' -H "Idempotency-Key: $key" \
  --data "$(txn_body 00001 180)"
first="$STATUS $(jqr .transaction)"
pos POST /v1/transactions $M -H 'Content-Type: application/json' -H "Idempotency-Key: $key" \
  -D "$FLOW_TMP/headers" --data "$(txn_body 00001 180)"
is "a creation sent again with its Idempotency-Key: the first answer" "$STATUS $(jqr .transaction)" "$first"
check "... replayed" grep -qi '^Idempotency-Replayed: true' "$FLOW_TMP/headers"
# do_cancel: the terminal cancels it; the handset's mailbox (do_mailbox_poll) gets the completion
TXN=$(jqr .transaction)
pos POST "/v1/transactions/$TXN/cancel" $M
is "the POS cancels it: 200 canceled" "$STATUS $(jqr .status)" "200 canceled"
is "... and reads canceled" "$(txn_status $M "$TXN")" canceled
check "the handset is told canceled" mailbox_find "${USER_DEVICE[00001]}" "$TXN" completion
is "... in a completion saying canceled" "$(msg_field .status)" canceled

# do_confirm: the shopper does not agree
flow_to awaiting_confirmation $M 00001 190
confirm "$TXN" "$SESSION" false
is "the shopper does not agree: 200 canceled" "$STATUS $(jqr .status)" "200 canceled"
is "... and the POS reads canceled" "$(txn_status $M "$TXN")" canceled

# the issuer declines (user 00008's card is unknown to it: 14)
flow_to chosen $M 00008 200
is "the issuer declines: 200 declined 14" "$STATUS $(jqr .status) $(jqr .decline.code)" "200 declined 14"
pos GET "/v1/transactions/$TXN" $M
is "... and the POS reads declined 14" "$STATUS $(jqr .status) $(jqr .decline.code)" "200 declined 14"

# a party disabled before the method (do_begin_authorization's party_disabled,
# then do_end_waiting)
flow_to awaiting_method $M "uk$R" 210
is "the throwaway shopper agrees: ${FLOW_ERROR:-ok}" "${FLOW_ERROR:-ok}" ok
check "its card disabled" quietly "$PAYGW_ADMIN" card disable --id "$CARD_ID"
choose "$TXN" "$SESSION" L
is "the method then: 200 declined enrolment_disabled" "$STATUS $(jqr .status) $(jqr .decline.code)" \
  "200 declined enrolment_disabled"
is "... and the POS reads it" "$(txn_status $M "$TXN")" declined

# the credit server's one statement per 0100 calls issuer.do_authorize, whose
# result type the function declares: the column's new type reaches only the
# function's own queries, which PL/pgSQL plans again by itself
check "the credit server had nothing to prepare again (and its payments went through, above)" \
  test "$(issuer_replans)" -eq "$issuer_before"
restore
restored=0
for line in "${ORIGINAL[@]}"; do
  read -r table column type <<<"$line"
  [[ $(column_type "$table" "$column") == "$type" ]] && restored=$((restored + 1))
done
is "every column has its type back" "$restored" "${#ORIGINAL[@]}"
cancel_open_since "$FLOW_STARTED"   # what a failure above left open would stop user 00001's payments
pay 2 "after the types are back"
done_testing
