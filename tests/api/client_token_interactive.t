#!/usr/bin/env bash
# client_token_interactive.t — the token confirmation as a person answers
# it, driven through tmux (send-keys / capture-pane): `handset watch` on a
# terminal shows the shop's request, takes Agree by key, asks for the web
# password with echo off, and says the shop got the encrypted number; the
# password never appears on the screen, and the POS prints its receipt.
. "$(dirname "$0")/client_token_lib.sh"
STORE=$(store_copy 1234567 h1)
unlock_user 00001
TM=(tmux -S "$CT/tmux.sock")
client_cleanup_tmux() { "${TM[@]}" kill-server 2>/dev/null; token_cleanup; }
trap client_cleanup_tmux EXIT
pane() { "${TM[@]}" capture-pane -p -J -S -200 -t "$1" 2>/dev/null; }
wait_pane() { # wait_pane SESSION REGEX SECONDS
  local i
  for ((i = 0; i < $3 * 10; i++)); do pane "$1" | grep -qE -- "$2" && return 0; sleep 0.1; done
  return 1
}
pane_lacks() { ! pane "$1" | grep -qF -- "$2"; }
keys() { "${TM[@]}" send-keys -t "$1" -l "$2"; "${TM[@]}" send-keys -t "$1" Enter; }

# older confirmations other tests left in the device's mailbox are answered
# first (they are no longer open), so the screen below is this sale's
env -u PAYGW_WEB_PASSWORD "$HANDSET" --store "$STORE" watch --decline --for 3 >"$CT/drain.out" 2>&1
token_pos tty --item "Green tea,3,450,108"
# a clean environment in the pane: nothing may type the password for us
"${TM[@]}" -f /dev/null new-session -d -s watch -x 160 -y 60 \
  "env -u PAYGW_WEB_PASSWORD '$HANDSET' --store '$STORE' watch --once --for 90; echo EXIT=\$?; sleep 60"
send_user 00001 "$STORE"; is "pay: exit status 0" "$?" 0

check "watch: the request with its question" wait_pane watch "\[A\] Agree +\[N\] Not agree: " 30
check "watch: shows the shop" wait_pane watch "Shop: +Shop A Ginza \(merchant 1111111111\)" 1
check "watch: shows the total" wait_pane watch "Total: +1,458 JPY" 1
keys watch a
check "watch: asks for the web password" wait_pane watch "^Web password \(the one for your transaction history\): " 10
keys watch demo-web-00001
check "watch: confirmed" wait_pane watch "^Confirmed: the shop received the encrypted card number" 30
check "watch: exit status 0" wait_pane watch "^EXIT=0$" 5
check "watch: the web password never appeared on the screen" pane_lacks watch demo-web-00001
wait_exit "$POS_PID" 60; is "pos: exit status 0" "$RC" 0
check "pos: the receipt" grep -q "^RECEIPT$" "$CT/tty.out"
is "journal: completed" "$(jq -r .status "$CT/tty.journal" | tail -1)" token_completed
done_testing
