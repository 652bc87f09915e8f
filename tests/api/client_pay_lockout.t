#!/usr/bin/env bash
# client_pay_lockout.t — after the limit of failed attempts (5 by default)
# the store records a lock for 30 minutes; while it lasts even the right
# password is refused and nothing is sent; when it has lapsed the right
# password works again.  The limit and the lock time come from the store
# only: no option, environment variable or clock offset changes them.
. "$(dirname "$0")/client_lib.sh"
LINK=$CT/link.sock
STORE=$(store_copy 1234567 h1)

pos_start sale --merchant 1111111111 --item "Tea,1,500,40" --listen "$LINK" --link-timeout 60
wait_for "$CT/sale.out" "proximity link" 10
pay() { PAYGW_HANDSET_PASSWORD=$1 "$HANDSET" --store "$STORE" pay --user 00001 --link "$LINK" "${@:2}" >"$CT/pay.out" 2>&1; }
codes=""
for i in 1 2 3 4; do pay wrong; codes+="$? "; done
is "four wrong passwords: exit status 4 each" "$codes" "4 4 4 4 "
start=$(date +%s)
pay wrong; is "the fifth: exit status 5 (locked)" "$?" 5
check "the fifth: says the handset is locked" grep -q "Too many failed attempts: this handset is locked until" "$CT/pay.out"
until=$(jq -r .lockout.locked_until "$STORE")
lock_end=$(date -d "$until" +%s)
check "the lock lasts 30 minutes" test $((lock_end - start)) -ge 1799 -a $((lock_end - start)) -le 1802
pay demo-pass-00001; is "right password while locked: exit status 5" "$?" 5
check "right password while locked: refused with the time" grep -q "locked after too many failed attempts; try again after $until" "$CT/pay.out"
is "while locked: no auth result stored" "$(jq -r '.auth_results | length' "$STORE")" 0
check "while locked: nothing reached the POS" bash -c "! grep -q 'received from the handset' '$CT/sale.out'"

# the lock lapses (moved into the past in the store, as time would)
jq '.lockout.locked_until = "2000-01-01T00:00:00Z"' "$STORE" >"$CT/s.tmp" && cat "$CT/s.tmp" >"$STORE"
pay demo-pass-00001; is "after the lock: the right password works" "$?" 0
check "after the lock: the POS received the user ID" wait_for "$CT/sale.out" "User ID 00001 received" 5
wait_for "$CT/sale.out" "Transaction number" 10
is "after the lock: no lock in the store" "$(jq -r '.lockout.locked_until // "none"' "$STORE")" none
kill -TERM "$POS_PID"; wait_exit "$POS_PID" 20

# a lower limit: it comes from the store (paygw-admin writes it), nothing else
STORE2=$(store_copy 1234567 h2)
is "the store from paygw-admin carries the limit and the lock time" \
  "$(jq -r '[.lockout_max_attempts, .lockout_seconds] | join(" ")' "$STORE2")" "5 1800"
jq '.lockout_max_attempts = 2 | .lockout_seconds = 60' "$STORE2" >"$CT/s.tmp" && cat "$CT/s.tmp" >"$STORE2"
PAYGW_HANDSET_PASSWORD=wrong "$HANDSET" --store "$STORE2" pay --user 00001 --link "$LINK" >/dev/null 2>&1
is "store limit 2: the first failure is 4" "$?" 4
PAYGW_HANDSET_PASSWORD=wrong "$HANDSET" --store "$STORE2" pay --user 00001 --link "$LINK" >/dev/null 2>&1
is "store limit 2: the second locks" "$?" 5
lock_end=$(date -d "$(jq -r .lockout.locked_until "$STORE2")" +%s)
left=$((lock_end - $(date +%s)))      # no locked_until: date fails, lock_end is empty, left < 0
check "store lock time 60: locked for about a minute (55..61 s, got $left)" test "$left" -ge 55 -a "$left" -le 61

# the caller cannot raise the limit or shorten the lock
STORE4=$(store_copy 1234567 h4)
PAYGW_HANDSET_PASSWORD=wrong "$HANDSET" --store "$STORE4" pay --user 00001 --link "$LINK" --max-attempts 100 >"$CT/p4.out" 2>&1
is "--max-attempts is no option (exit 2)" "$?" 2
PAYGW_HANDSET_PASSWORD=wrong "$HANDSET" --store "$STORE4" pay --user 00001 --link "$LINK" --lock-time 1 >/dev/null 2>&1
is "--lock-time is no option (exit 2)" "$?" 2
is "... and nothing was counted" "$(jq -r '.lockout.failed_attempts // 0' "$STORE4")" 0
codes=""
for i in 1 2 3 4 5; do
  PAYGW_HANDSET_MAX_ATTEMPTS=100 PAYGW_HANDSET_LOCK_TIME=1 PAYGW_HANDSET_PASSWORD=wrong \
    "$HANDSET" --store "$STORE4" pay --user 00001 --link "$LINK" >/dev/null 2>&1
  codes+="$? "
done
is "PAYGW_HANDSET_MAX_ATTEMPTS / _LOCK_TIME are ignored: locked at the fifth" "$codes" "4 4 4 4 5 "
until4=$(jq -r .lockout.locked_until "$STORE4")
check "... for the store's 30 minutes" test $(($(date -d "$until4" +%s) - $(date +%s))) -ge 1790
# a handset clock set a day ahead (PAYGW_HANDSET_CLOCK_OFFSET) neither lifts
# the lock nor erases it
PAYGW_HANDSET_CLOCK_OFFSET=86400 PAYGW_HANDSET_PASSWORD=demo-pass-00001 "$HANDSET" --store "$STORE4" pay --user 00001 \
  --link "$LINK" >"$CT/p4.out" 2>&1
is "clock offset a day ahead: still locked (exit 5)" "$?" 5
PAYGW_HANDSET_CLOCK_OFFSET=86400 PAYGW_HANDSET_PASSWORD=wrong "$HANDSET" --store "$STORE4" pay --user 00001 \
  --link "$LINK" >/dev/null 2>&1
is "clock offset a day ahead, wrong password: still locked (exit 5)" "$?" 5
is "... and the lock in the store is unchanged" "$(jq -r .lockout.locked_until "$STORE4")" "$until4"

# one `pay` at a time per store: a second run while one holds the store is
# refused before it reads anything, so parallel runs cannot share a count
STORE3=$(store_copy 1234567 h3)
flock -n "$STORE3.lock" sleep 3 &
holder=$!
sleep 0.3
PAYGW_HANDSET_PASSWORD=wrong "$HANDSET" --store "$STORE3" pay --user 00001 --link "$LINK" >"$CT/pay3.out" 2>&1
is "a pay while another holds the store: exit status 2" "$?" 2
check "... says another pay is using the store" grep -q "another \`handset pay\` or \`handset shop\` is using the store" "$CT/pay3.out"
is "... and counted no failed attempt" "$(jq -r '.lockout.failed_attempts // 0' "$STORE3")" 0
wait "$holder"
PAYGW_HANDSET_PASSWORD=wrong "$HANDSET" --store "$STORE3" pay --user 00001 --link "$LINK" >/dev/null 2>&1
is "once it is free, pay runs (a wrong password: 4)" "$?" 4
done_testing
