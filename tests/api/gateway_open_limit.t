#!/usr/bin/env bash
# gateway_open_limit.t — issue 4: one user ID holds at most
# PAYGW_MAX_OPEN_PER_USER (3) open transactions (awaiting_device,
# awaiting_confirmation, awaiting_method or authorizing, deadline not
# passed), from every terminal and merchant together.  Beyond it
# POST /v1/transactions is 409 too_many_open as problem+json and stores
# nothing: no transaction, no payment command, no Idempotency-Key (the same
# key makes the transaction once one has ended).  The limit holds under
# concurrent requests: of 8 POSTs sent at once for a user with 2 open,
# exactly one gets through.  A transaction past its deadline, or ended, no
# longer counts.  A throwaway shopper (paygw-admin) keeps the demo users out.
. "$(dirname "$0")/flowlib.sh"
M=1111111111 M2=2222222222
S=o$$$RANDOM
U=u$S
LIMIT=${PAYGW_MAX_OPEN_PER_USER:-3}

# open_of USER → the user's open transactions, as docs/api.md defines them
open_of() {
  psql_q "SELECT count(*) FROM gateway.transactions WHERE user_id = '$1' AND (status = 'authorizing'
            OR (status IN ('awaiting_device', 'awaiting_confirmation', 'awaiting_method') AND deadline >= now()))"
}
mailbox_of() { psql_q "SELECT count(*) FROM gateway.mailbox WHERE user_id = '$1'"; }
cancel() { pos POST "/v1/transactions/$2/cancel" "$1"; }

check "a throwaway shopper is enrolled" enrol_shopper "$S"

# --- up to the limit, from two merchants, in two states ----------------------------
NUMBERS=()
for ((i = 1; i < LIMIT; i++)); do
  txn_create "$([[ $i == 2 ]] && echo $M2 || echo $M)" "$U" $((100 + i))
  is "open transaction $i of $LIMIT: 201" "$STATUS" 201
  NUMBERS+=("$TXN")
done
flow_to awaiting_confirmation $M "$U" 50
is "open transaction $LIMIT of $LIMIT, device-authenticated: awaiting_confirmation" \
  "${FLOW_ERROR:-ok} $(txn_status $M "$TXN")" "ok awaiting_confirmation"
NUMBERS+=("$TXN")
is "$LIMIT open for the user" "$(open_of "$U")" "$LIMIT"

# --- one more: refused, nothing stored ---------------------------------------------
COUNTS=$(table_counts) MAILBOX=$(mailbox_of "$U") KEY=open-$S
pos POST /v1/transactions $M -H 'Content-Type: application/json' -H "Idempotency-Key: $KEY" \
  --data "$(txn_body "$U" 777)"
is "one more: 409" "$STATUS" 409
is "one more: too_many_open" "$(jqr .code)" too_many_open
is "one more: application/problem+json" "$CTYPE" application/problem+json
like "one more: the detail says why" "$(jqr .detail)" "has $LIMIT open transactions"
is "one more: no transaction number handed out" "$(jqr '.transaction // empty')" ""
is "one more: nothing stored (transactions, mailbox, authorizations, keys)" "$(table_counts)" "$COUNTS"
is "one more: no payment command for the user" "$(mailbox_of "$U")" "$MAILBOX"
is "one more: still $LIMIT open" "$(open_of "$U")" "$LIMIT"
pos POST /v1/transactions $M2 -H 'Content-Type: application/json' --data "$(txn_body "$U" 778)"
is "from another merchant's terminal, without a key: 409 too_many_open too" "$STATUS $(jqr .code)" "409 too_many_open"
is "... nothing stored" "$(table_counts)" "$COUNTS"

# --- one ends: the same key now makes the transaction ------------------------------
cancel $M "${NUMBERS[0]}"
is "the POS cancels the first" "$STATUS" 200
pos POST /v1/transactions $M -H 'Content-Type: application/json' -H "Idempotency-Key: $KEY" \
  --data "$(txn_body "$U" 777)" -D "$FLOW_TMP/h"
is "the refused request's key and body again, one fewer open: 201 (the key was not used up)" "$STATUS" 201
check "... made now, not a replay" bash -c '! grep -qi "^Idempotency-Replayed" "$1"' _ "$FLOW_TMP/h"
NUMBERS[0]=$(jqr .transaction)
pos POST /v1/transactions $M -H 'Content-Type: application/json' -H "Idempotency-Key: $KEY" \
  --data "$(txn_body "$U" 777)"
is "the same key and body once more: the 201 replayed" "$STATUS $(jqr .transaction)" "201 ${NUMBERS[0]}"

# --- past its deadline: no longer open ---------------------------------------------
psql_q "UPDATE gateway.transactions SET deadline = now() - interval '1 second' WHERE number = '${NUMBERS[1]}'" >/dev/null
txn_create $M "$U" 300
is "one transaction past its deadline (not yet swept) does not count: 201" "$STATUS" 201
NUMBERS[1]=$TXN
txn_create $M "$U" 301
is "... but the new one does: 409 again" "$STATUS" 409

# --- at the limit, 8 requests at once: exactly one more gets through ----------------
cancel $M "${NUMBERS[LIMIT - 1]}"
is "one canceled: $((LIMIT - 1)) open" "$(open_of "$U")" $((LIMIT - 1))
COUNTS=$(table_counts)
: >"$FLOW_TMP/urls"
for ((i = 0; i < 8; i++)); do
  printf 'url = "%s/v1/transactions"\noutput = "%s/b.%d"\n' "$PAYGW_URL" "$FLOW_TMP" "$i" >>"$FLOW_TMP/urls"
done
curl -sS --no-progress-meter --cacert "$PAYGW_CA" --parallel --parallel-immediate --parallel-max 8 -X POST \
  -H "Authorization: Bearer $(terminal_credential $M)" -H 'Content-Type: application/json' \
  --data "$(txn_body "$U" 400)" -w '%{http_code}\n' -K "$FLOW_TMP/urls" >"$FLOW_TMP/codes"
is "8 at once: one 201" "$(grep -c '^201$' "$FLOW_TMP/codes")" 1
is "8 at once: seven 409" "$(grep -c '^409$' "$FLOW_TMP/codes")" 7
is "8 at once: every 409 is too_many_open" \
  "$(cat "$FLOW_TMP"/b.* | jq -rs '[.[] | select(.status == 409) | .code] | unique | join(",")')" too_many_open
is "8 at once: $LIMIT open, no more" "$(open_of "$U")" "$LIMIT"
is "8 at once: one transaction and one payment command stored" "$(table_counts)" \
  "$(awk '{print $1 + 1, $2 + 1, $3, $4}' <<<"$COUNTS")"

# --- leave nothing open for the user ----------------------------------------------------
for n in $(psql_q "SELECT number FROM gateway.transactions WHERE user_id = '$U' AND status LIKE 'awaiting_%'"); do
  cancel "$(psql_q "SELECT m.code FROM gateway.transactions t JOIN gateway.merchants m ON m.id = t.merchant_id WHERE t.number = '$n'")" "$n"
done
is "every transaction of the test ended" "$(open_of "$U")" 0

done_testing
