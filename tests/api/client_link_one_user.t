#!/usr/bin/env bash
# client_link_one_user.t — the proximity link as the POS serves it: a bad
# line is answered ERR and the POS keeps waiting; the first good line is
# answered OK and is the sale's only user ID; after it nobody is listening.
. "$(dirname "$0")/client_lib.sh"
PORT=${PAYGW_TEST_LINK_PORT3:-$((${PAYGW_TEST_PORT_BASE:-10600} + 9))}
send_line() {   # send_line LINE → LINK_ANSWER (empty when nobody listens)
  LINK_ANSWER=
  exec 3<>"/dev/tcp/127.0.0.1/$PORT" 2>/dev/null || return 1
  printf '%s\n' "$1" >&3
  read -r -t 5 LINK_ANSWER <&3
  exec 3>&-
}
pos_start sale --merchant 1111111111 --item "Tea,1,500,40" --listen "127.0.0.1:$PORT" --link-timeout 20
wait_for "$CT/sale.out" "proximity link" 10
send_line "HELLO"; is "a line that is not the protocol: ERR malformed" "$LINK_ANSWER" "ERR malformed"
send_line "PAYGW-LINK 9 USER 00001"; is "another version: ERR unsupported version" "$LINK_ANSWER" "ERR unsupported version"
send_line "PAYGW-LINK 1 USER 00 01"; is "a malformed user ID: ERR bad user id" "$LINK_ANSWER" "ERR bad user id"
check "after refusals the POS still waits" bash -c "! grep -q 'received from the handset' '$CT/sale.out'"
send_line "PAYGW-LINK 1 USER 00005"; is "a good line: OK" "$LINK_ANSWER" "OK"
check "the POS took user 00005" wait_for "$CT/sale.out" "User ID 00005 received from the handset" 5
if send_line "PAYGW-LINK 1 USER 00004"; then not_ok "a second user ID for the same sale finds nobody listening (got '$LINK_ANSWER')"
else ok "a second user ID for the same sale finds nobody listening"; fi
check "the transaction is for the first user ID" wait_for "$CT/sale.out" "Transaction number" 10
N=$(pos_number sale)
is "gateway: the transaction's user is 00005" "$(psql_q "SELECT user_id FROM gateway.transactions WHERE number = '$N'")" 00005
kill -TERM "$POS_PID"; wait_exit "$POS_PID" 20
is "pos stopped: canceled" "$(txn_status "$N")" canceled
done_testing
