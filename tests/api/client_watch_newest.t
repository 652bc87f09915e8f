#!/usr/bin/env bash
# client_watch_newest.t — issue 4, as the shopper sees it: an older payment
# command for the same user (another sale, left waiting) is still in the
# mailbox when the shopper pays at this counter.  The gateway answers the
# newest live command first and `handset watch --once` acts on the first
# one it can, so the handset pays the sale in front of the shopper — the
# POS's transaction completes and the older one is left waiting (then
# canceled by its terminal).
. "$(dirname "$0")/client_lib.sh"
LINK=$CT/link.sock
STORE=$(store_copy 2234567 h2)
M=2222222222
CRED=$(env_get "$PAYGW_VAR/demo/terminals.env" "PAYGW_TERMINAL_$M")

# the older sale, made straight through the API by the same shop's terminal
BODY=$(curl -sS --cacert "$PAYGW_CA" -X POST -H "Authorization: Bearer $CRED" -H 'Content-Type: application/json' \
  --data '{"user_id": "00002", "currency": "JPY", "items": [{"name": "Older sale", "quantity": 1, "unit_price": 300, "tax": 0}]}' \
  "$PAYGW_URL/v1/transactions")
OLD=$(jq -r '.transaction // empty' <<<"$BODY")
check "an older transaction for user 00002 waits for the handset" test -n "$OLD"

pos_start sale --merchant $M --item "Tea,1,500,40" --listen "$LINK" --link-timeout 20
wait_for "$CT/sale.out" "proximity link" 10
PAYGW_HANDSET_PASSWORD=demo-pass-00002 "$HANDSET" --store "$STORE" pay --user 00002 --link "$LINK" >"$CT/pay.out" 2>&1
is "pay: exit status 0" "$?" 0
check "the POS has its transaction number" wait_for "$CT/sale.out" "Transaction number [0-9A-Z]{16}" 20
NEW=$(pos_number sale)
check "... a newer one than the waiting sale" test -n "$NEW" -a "$NEW" != "$OLD"

# both commands are in the mailbox now: one poll brings both
"$HANDSET" --store "$STORE" watch --once --agree --method L --for 60 >"$CT/watch.out" 2>&1 &
WATCH=$!; CLIENT_PIDS+=("$WATCH")
wait_exit "$WATCH" 60; is "watch: exit status 0" "$RC" 0
check "watch: the payment application ran for the POS's transaction" \
  grep -q "^Payment command for user ID 00002: transaction $NEW," "$CT/watch.out"
check "watch: not for the older one" bash -c '! grep -q "transaction $1, binding" "$2"' _ "$OLD" "$CT/watch.out"
check "watch: Payment has now been completed." grep -q "Payment has now been completed" "$CT/watch.out"
wait_exit "$POS_PID" 30; is "pos: exit status 0" "$RC" 0
is "gateway: the POS's transaction completed" "$(txn_status "$NEW")" completed
is "gateway: the older one still waits for a handset" "$(txn_status "$OLD")" awaiting_device
done_testing
