#!/usr/bin/env bash
# admin_reencrypt_live.t — `cards reencrypt` does not stop payments: while a
# batch transaction is open (held at its admin_log INSERT by a table lock
# this test takes), POST /v1/transactions for a card of that batch answers
# at once — the batch locks its rows FOR NO KEY UPDATE, which the foreign-key
# check's FOR KEY SHARE does not wait for (FOR UPDATE over the whole table in
# one transaction blocked it until the end).  Then: --batch N makes one
# transaction (and one admin_log row) per N rows and prints progress, and a
# row another transaction holds is skipped and taken once it is free.
# Works on a copy of the stack's key file and puts every card back under
# the original key at the end (the running workers only have that one).
. "$(dirname "$0")/flowlib.sh"
ADMIN=$TEST_ROOT/admin/paygw-admin
TMP=$(mktemp -d)
K=$TMP/card.keys
ORIG_ID=$(grep '^data-key ' "$PAYGW_CARD_KEY_FILE" | tail -1 | awk '{print $2}')
MERCHANT=1111111111 USER=00001
HOLDER_PID=""

# a psql session that keeps a transaction open until we say COMMIT
hold() {   # hold SQL... → runs in a session left open
  mkfifo "$TMP/hold.in"
  psql -X -q -v ON_ERROR_STOP=1 "$PAYGW_PGURI" <"$TMP/hold.in" >"$TMP/hold.out" 2>&1 &
  HOLDER_PID=$!
  exec 7>"$TMP/hold.in"
  printf 'BEGIN;\n%s\nSELECT 1;\n' "$1" >&7
}
release() {
  [[ -n $HOLDER_PID ]] || return 0
  printf 'COMMIT;\n\\q\n' >&7; exec 7>&-
  wait "$HOLDER_PID" 2>/dev/null; HOLDER_PID=""; rm -f "$TMP/hold.in"
}
# wait_for SQL-CONDITION [tenths]: polls until the condition is true
wait_for() {
  local i
  for ((i = 0; i < ${2:-100}; i++)); do
    [[ $(psql_q "SELECT ($1)") == t ]] && return 0
    sleep 0.1
  done
  return 1
}
back_to_original() {
  [[ $(psql_q "SELECT count(*) FROM gateway.cards WHERE key_id <> $ORIG_ID") == 0 ]] && return 0
  { grep -v "^data-key $ORIG_ID " "$K"; grep "^data-key $ORIG_ID " "$K"; } >"$TMP/back.keys"
  chmod 600 "$TMP/back.keys"
  PAYGW_CARD_KEY_FILE=$TMP/back.keys "$ADMIN" cards reencrypt >"$TMP/back.out" 2>&1
}
cleanup() { release; [[ -f $K ]] && back_to_original; rm -rf "$TMP"; flow_cleanup; }
trap cleanup EXIT

"$ADMIN" demo --out-dir "$PAYGW_VAR/demo" >/dev/null 2>&1
n=$(psql_q 'SELECT count(*) FROM gateway.cards')
CARD_ID=$(psql_q "SELECT card_id FROM gateway.users WHERE user_id = '$USER'")
cp "$PAYGW_CARD_KEY_FILE" "$K" && chmod 600 "$K"
PAYGW_CARD_KEY_FILE=$K "$ADMIN" keys rotate >/dev/null 2>&1
NEW_ID=$((ORIG_ID + 1))
is "every card starts under key $ORIG_ID" "$(psql_q "SELECT count(*) FROM gateway.cards WHERE key_id = $ORIG_ID")" "$n"

# --- a payment while a batch is open -----------------------------------------
hold 'LOCK TABLE gateway.admin_log IN EXCLUSIVE MODE;'
wait_for "EXISTS (SELECT 1 FROM pg_locks WHERE relation = 'gateway.admin_log'::regclass AND mode = 'ExclusiveLock' AND granted)" \
  || not_ok "the test session holds the admin_log lock"
PAYGW_CARD_KEY_FILE=$K "$ADMIN" cards reencrypt >"$TMP/live.out" 2>&1 &
admin_pid=$!
check "reencrypt's batch is open, waiting at its admin_log row" \
  wait_for "EXISTS (SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO gateway.admin_log%')"
check "... holding a lock on the card of user $USER" \
  wait_for "EXISTS (SELECT 1 FROM gateway.cards WHERE id = $CARD_ID AND key_id = $ORIG_ID) AND NOT EXISTS (SELECT 1 FROM gateway.cards WHERE id = $CARD_ID FOR NO KEY UPDATE SKIP LOCKED)" 1
start=$(now_ms)
TXN=""
pos POST /v1/transactions "$MERCHANT" -H 'Content-Type: application/json' --data "$(txn_body "$USER" 500)" --max-time 8
[[ $STATUS == 201 ]] && TXN=$(jqr .transaction)
took=$(( $(now_ms) - start ))
is "POST /v1/transactions for that card: 201 while the batch is open" "$STATUS" 201
between "... answered at once (ms)" "$took" 0 4000
check "... and reencrypt is still waiting" kill -0 "$admin_pid"
release
wait "$admin_pid"; rc=$?
is "reencrypt finishes once the lock is gone: exit 0" "$rc" 0
check "... saying how many" grep -q "re-encrypted $n cards under key $NEW_ID" "$TMP/live.out"
is "... every card under key $NEW_ID" "$(psql_q "SELECT count(*) FROM gateway.cards WHERE key_id = $NEW_ID")" "$n"
[[ -n $TXN ]] && pos POST "/v1/transactions/$TXN/cancel" "$MERCHANT" >/dev/null

# --- batches, progress, and a row someone else holds -------------------------
back_to_original
is "back under key $ORIG_ID" "$(psql_q "SELECT count(*) FROM gateway.cards WHERE key_id = $ORIG_ID")" "$n"
logs_before=$(psql_q "SELECT count(*) FROM gateway.admin_log WHERE action = 'cards reencrypt'")
PAYGW_CARD_KEY_FILE=$K "$ADMIN" cards reencrypt --batch 3 >"$TMP/batch.out" 2>&1; rc=$?
is "--batch 3: exit 0" "$rc" 0
is "--batch 3: one admin_log row per batch" \
  "$(psql_q "SELECT count(*) FROM gateway.admin_log WHERE action = 'cards reencrypt'")" $((logs_before + (n + 2) / 3))
check "--batch 3: prints progress" grep -q "re-encrypted 3 of $n cards, $((n - 3)) left" "$TMP/batch.out"
is "--batch 3: every card moved" "$(psql_q "SELECT count(*) FROM gateway.cards WHERE key_id = $NEW_ID")" "$n"
for bad in 0 -1 x 10001; do
  PAYGW_CARD_KEY_FILE=$K "$ADMIN" cards reencrypt --batch "$bad" >/dev/null 2>"$TMP/err"; rc=$?
  is "--batch $bad refused (exit 2)" "$rc" 2
done

back_to_original
hold "SELECT id FROM gateway.cards WHERE id = $CARD_ID FOR NO KEY UPDATE;"
wait_for "NOT EXISTS (SELECT 1 FROM gateway.cards WHERE id = $CARD_ID FOR NO KEY UPDATE SKIP LOCKED)" \
  || not_ok "the test session holds card $CARD_ID"
PAYGW_CARD_KEY_FILE=$K "$ADMIN" cards reencrypt >"$TMP/skip.out" 2>&1 &
admin_pid=$!
check "the other rows move while card $CARD_ID is held" \
  wait_for "(SELECT count(*) FROM gateway.cards WHERE key_id = $NEW_ID) = $n - 1"
check "... and reencrypt waits for it" kill -0 "$admin_pid"
release
wait "$admin_pid"; rc=$?
is "... then takes it: exit 0" "$rc" 0
is "... every card under key $NEW_ID" "$(psql_q "SELECT count(*) FROM gateway.cards WHERE key_id = $NEW_ID")" "$n"

back_to_original
is "every card is back under key $ORIG_ID" "$(psql_q "SELECT count(*) FROM gateway.cards WHERE key_id = $ORIG_ID")" "$n"
done_testing
