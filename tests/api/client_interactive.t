#!/usr/bin/env bash
# client_interactive.t — the screens as a person uses them, driven through
# tmux (send-keys / capture-pane): `handset pay` asks for the card (fig 13),
# the user ID and the password (not echoed); `handset watch` shows the
# details (fig 16), takes Agree by key, shows the methods (fig 17), takes a
# number, and shows "Payment has now been completed."; the POS prints the
# receipt with the method picked.
. "$(dirname "$0")/client_lib.sh"
LINK=$CT/link.sock
STORE=$(store_copy 3345678 h3)
TM=(tmux -S "$CT/tmux.sock")
client_cleanup_tmux() { "${TM[@]}" kill-server 2>/dev/null; client_cleanup; }
trap client_cleanup_tmux EXIT
pane() { "${TM[@]}" capture-pane -p -J -S -200 -t "$1" 2>/dev/null; }
wait_pane() {   # wait_pane SESSION REGEX SECONDS
  local i
  for ((i = 0; i < $3 * 10; i++)); do pane "$1" | grep -qE -- "$2" && return 0; sleep 0.1; done
  return 1
}
pane_lacks() { ! pane "$1" | grep -qE -- "$2"; }
wait_pane_count() {   # wait_pane_count SESSION REGEX COUNT SECONDS
  local i
  for ((i = 0; i < $4 * 10; i++)); do [[ $(pane "$1" | grep -cE -- "$2") -ge $3 ]] && return 0; sleep 0.1; done
  return 1
}
keys() { "${TM[@]}" send-keys -t "$1" -l "$2"; "${TM[@]}" send-keys -t "$1" Enter; }

pos_start sale --merchant 4444444444 --shop "Shop D Tenjin" --item "Green tea,3,450,108" --listen "$LINK" --link-timeout 60
wait_for "$CT/sale.out" "proximity link" 10
# a clean environment in the panes: nothing may type the password for us
"${TM[@]}" -f /dev/null new-session -d -s watch -x 160 -y 60 \
  "env -u PAYGW_HANDSET_PASSWORD '$HANDSET' --store '$STORE' watch --once --for 90; echo EXIT=\$?; sleep 60"
"${TM[@]}" new-session -d -s pay -x 160 -y 60 \
  "env -u PAYGW_HANDSET_PASSWORD '$HANDSET' --store '$STORE' pay --link '$LINK'; echo EXIT=\$?; sleep 60"

# --- pay with the keyboard -----------------------------------------------------
check "pay: the card list (fig 13) and its question" wait_pane pay "^Card number: " 10
check "pay: lists Card C masked" wait_pane pay "\[1\] Card C +153996\*{6}4568" 1
keys pay 1
check "pay: asks for the user ID" wait_pane pay "^User ID: " 5
keys pay 00003
check "pay: asks for the password" wait_pane pay "^Password: " 5
keys pay demo-pass-00003
check "pay: authenticated and sent" wait_pane pay "User ID 00003 sent to the POS terminal" 10
check "pay: exit status 0" wait_pane pay "^EXIT=0$" 5
check "pay: the password never appeared on the screen" pane_lacks pay demo-pass-00003
check "pos: received the user ID" wait_for "$CT/sale.out" "User ID 00003 received" 10

# --- watch: Agree and a method by keys -----------------------------------------------
check "watch: the details screen (fig 16) with its question" wait_pane watch "\[A\] Agree +\[N\] Not agree: " 30
check "watch: shows the shop" wait_pane watch "Shop: +Shop D Tenjin" 1
check "watch: shows the total" wait_pane watch "Total: +1,458 JPY" 1
keys watch maybe
check "watch: an unknown answer asks again" wait_pane_count watch "Not agree: " 2 5
keys watch a
check "watch: the methods screen (fig 17)" wait_pane watch "^Choose 1-2: " 10
check "watch: lists revolving as 2" wait_pane watch "\[2\] R +revolving" 1
keys watch 2
check "watch: Payment has now been completed." wait_pane watch "^Payment has now been completed.$" 20
check "watch: exit status 0" wait_pane watch "^EXIT=0$" 5
wait_exit "$POS_PID" 30; is "pos: exit status 0" "$RC" 0
check "pos: the receipt names method R" grep -qE "^Method +R$" "$CT/sale.out"
check "pos: masked card on the receipt" grep -qE "^Card +153996\*{6}4568$" "$CT/sale.out"
is "journal: completed with R" "$(jq -r '[.status, .method] | join(" ")' "$CT/sale.journal")" "completed R"
pane watch >"$CT/watch.screen"; pane pay >"$CT/pay.screen"
check "no card number on either screen" no_pan_in "$CT/watch.screen" "$CT/pay.screen"
done_testing
