#!/usr/bin/env bash
# handset_shop_decline.t — the user says Not agree on the handset for an
# online shop's order (figure 16, [0087]): `handset shop --decline` shows the
# details, says the payment was canceled and exits 1; the gateway cancels the
# order's transaction and nothing reaches the credit server.  The same with
# everything typed on a terminal (card, user ID, password, N), through tmux
# as client_interactive.t does.
. "$(dirname "$0")/handset_shop_lib.sh"
STORE=$(store_copy 1234567 h1)
check "the fake shop listens" shop_start
before=$(psql_q "SELECT count(*) FROM gateway.authorizations")

C=$(order_code); shop_order "$C"
PAYGW_HANDSET_PASSWORD=demo-pass-00001 "$HANDSET" --store "$STORE" shop --user 00001 --decline \
  "$SHOP_URL/pay/$C" >"$CT/decline.out" 2>&1
is "--decline: exit status 1" "$?" 1
N=$(order_txn "$C")
check "--decline: the shop got a transaction" test -n "$N"
check "--decline: the details were shown first" grep -q "Total:         3,456 JPY" "$CT/decline.out"
check "--decline: answered Not agree" grep -q "^Answer: Not agree$" "$CT/decline.out"
check "--decline: says the payment was canceled" grep -q "^You did not agree: the payment was canceled.$" "$CT/decline.out"
check "--decline: no method screen" bash -c '! grep -q "Select the payment method" "$1"' _ "$CT/decline.out"
is "gateway: the order's transaction is canceled" "$(txn_status "$N")" canceled
is "no authorization was sent" "$(psql_q "SELECT count(*) FROM gateway.authorizations")" "$before"

# the same typed on a terminal (tmux, as client_interactive.t): the card, the
# user ID, the password (not echoed) and N at the question
TM=(tmux -S "$CT/tmux.sock")
cleanup_tmux() { "${TM[@]}" kill-server 2>/dev/null; client_cleanup; }
trap cleanup_tmux EXIT
pane() { "${TM[@]}" capture-pane -p -J -S -200 -t shop 2>/dev/null; }
wait_pane() { local i; for ((i = 0; i < $2 * 10; i++)); do pane | grep -qE -- "$1" && return 0; sleep 0.1; done; return 1; }
keys() { "${TM[@]}" send-keys -t shop -l "$1"; "${TM[@]}" send-keys -t shop Enter; }
C=$(order_code); shop_order "$C"
"${TM[@]}" -f /dev/null new-session -d -s shop -x 160 -y 60 \
  "env -u PAYGW_HANDSET_PASSWORD '$HANDSET' --store '$STORE' shop '$SHOP_URL/pay/$C'; echo EXIT=\$?; sleep 60"
check "on a terminal: the card list and its question" wait_pane "^Card number: " 10
keys 1
check "on a terminal: asks for the user ID" wait_pane "^User ID: " 5
keys 00001
check "on a terminal: asks for the password" wait_pane "^Password: " 5
keys demo-pass-00001
check "on a terminal: shows the shop's binding code" wait_pane "^Binding code: [A-Z0-9]{4} " 20
check "on a terminal: asks Agree / Not agree" wait_pane "\[A\] Agree +\[N\] Not agree: " 30
keys n
check "on a terminal: says the payment was canceled" wait_pane "^You did not agree: the payment was canceled.$" 20
check "on a terminal: exit status 1" wait_pane "^EXIT=1$" 5
check "on a terminal: the password never appeared" bash -c '! grep -q demo-pass-00001 <<<"$1"' _ "$(pane)"
is "on a terminal: the gateway canceled it" "$(txn_status "$(order_txn "$C")")" canceled
done_testing
