#!/usr/bin/env bash
# client_auth_ttl.t — `handset pay --auth-ttl` is capped at 3600 s, the
# longest auth result the gateway accepts (PAYGW_AUTH_RESULT_MAX, [0074]):
# above it pay refuses at once (exit 2, a message naming the limit, the store
# untouched, nothing sent); at 3600 the result is stored with that span and
# the gateway takes it in a whole purchase.
. "$(dirname "$0")/client_lib.sh"
LINK=$CT/link.sock
STORE=$(store_copy 1234567 ttl)
sum_before=$(sha256sum <"$STORE")

for ttl in 3601 86400; do
  PAYGW_HANDSET_PASSWORD=demo-pass-00001 "$HANDSET" --store "$STORE" pay --user 00001 --auth-ttl "$ttl" \
    --link "$LINK" >"$CT/pay-$ttl.out" 2>&1
  is "--auth-ttl $ttl: exit status 2" "$?" 2
  check "--auth-ttl $ttl: the message names the limit" grep -q "auth-ttl must be at most 3600 s" "$CT/pay-$ttl.out"
  check "--auth-ttl $ttl: no password was checked, nothing sent" bash -c "! grep -qE 'sent to the POS|Authentication failed' '$CT/pay-$ttl.out'"
done
is "refused --auth-ttl: the store is unchanged" "$(sha256sum <"$STORE")" "$sum_before"
check "pay --help gives the range" bash -c "'$HANDSET' pay --help | grep -q -- '--auth-ttl SEC .*1-3600'"

# --- 3600: the longest the gateway takes, in a whole purchase ----------------
pos_start sale --merchant 1111111111 --item "Tea,1,500,40" --listen "$LINK" --link-timeout 20
check "pos waits on the link" wait_for "$CT/sale.out" "proximity link" 10
PAYGW_HANDSET_PASSWORD=demo-pass-00001 "$HANDSET" --store "$STORE" pay --user 00001 --auth-ttl 3600 \
  --link "$LINK" >"$CT/pay.out" 2>&1
is "--auth-ttl 3600: exit status 0" "$?" 0
span=$(jq -r '.auth_results[] | select(.user_id == "00001")
              | (.expires_at | fromdateiso8601) - (.verified_at | fromdateiso8601)' "$STORE")
is "--auth-ttl 3600: the stored result spans 3600 s" "$span" 3600
check "pos: got a transaction number" wait_for "$CT/sale.out" "Transaction number" 10
N=$(pos_number sale)
"$HANDSET" --store "$STORE" watch --once --agree --method L --for 30 >"$CT/watch.out" 2>&1
is "watch with the 3600 s result: exit status 0 (the gateway took it)" "$?" 0
check "watch: Payment has now been completed." grep -q "^Payment has now been completed.$" "$CT/watch.out"
wait_exit "$POS_PID" 30; is "pos: exit status 0" "$RC" 0
is "gateway: the transaction is completed" "$(txn_status "$N")" completed
done_testing
