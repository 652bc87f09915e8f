#!/usr/bin/env bash
# client_prompt_signal.t — Ctrl-C (or SIGTERM) at the handset's Password:
# prompt ends `handset pay` and leaves the terminal with echo on, as it was;
# Ctrl-Z stops it with echo on too, and after `fg` the password is hidden
# again.  Driven through tmux; the shell in the pane reports `stty -a`.
. "$(dirname "$0")/client_lib.sh"
STORE=$(store_copy 1234567 h1)
TM=(tmux -S "$CT/tmux.sock")
trap '"${TM[@]}" kill-server 2>/dev/null; client_cleanup' EXIT
pane() { "${TM[@]}" capture-pane -p -J -S -200 -t "$1" 2>/dev/null; }
wait_pane() { local i; for ((i = 0; i < $3 * 10; i++)); do pane "$1" | grep -qE -- "$2" && return 0; sleep 0.1; done; return 1; }
echo_state() { grep -oE '(^| )-?echo( |$)' "$1" | head -1 | tr -d ' '; }

# pay_session NAME: handset pay waiting at Password:, in a bash that survives
# the signal (its trap) and then writes `stty -a` to $CT/NAME.stty
pay_session() {
  "${TM[@]}" -f /dev/null new-session -d -s "$1" -x 160 -y 40 \
    "bash -c 'trap \"echo TRAPPED\" INT TERM; env -u PAYGW_HANDSET_PASSWORD \"$HANDSET\" --store \"$STORE\" pay --user 00001 --link $CT/none.sock; echo EXIT=\$?; stty -a >\"$CT/$1.stty\"; sleep 60'"
  wait_pane "$1" "^Password: " 10
}

check "Ctrl-C: at the Password: prompt" pay_session int
"${TM[@]}" send-keys -t int C-c
check "Ctrl-C: handset ended by the signal (exit 130)" wait_pane int "^EXIT=130$" 5
check "Ctrl-C: stty reported" wait_for "$CT/int.stty" "speed" 5
is "Ctrl-C: echo is on again" "$(echo_state "$CT/int.stty")" echo

check "SIGTERM: at the Password: prompt" pay_session term
kill -TERM "$(pgrep -f -n "^$HANDSET --store $STORE pay")"
check "SIGTERM: handset ended by the signal (exit 143)" wait_pane term "^EXIT=143$" 5
check "SIGTERM: stty reported" wait_for "$CT/term.stty" "speed" 5
is "SIGTERM: echo is on again" "$(echo_state "$CT/term.stty")" echo

# Ctrl-Z in an interactive shell: stopped with echo on; after fg it reads
# the password hidden again
"${TM[@]}" -f /dev/null new-session -d -s tstp -x 160 -y 40 "bash --norc --noprofile -i"
sleep 0.5
"${TM[@]}" send-keys -t tstp -l "env -u PAYGW_HANDSET_PASSWORD '$HANDSET' --store '$STORE' pay --user 00001 --link $CT/none.sock; echo EXIT=\$?"
"${TM[@]}" send-keys -t tstp Enter
check "Ctrl-Z: at the Password: prompt" wait_pane tstp "^Password: " 10
"${TM[@]}" send-keys -t tstp C-z
check "Ctrl-Z: stopped" wait_pane tstp "Stopped" 5
"${TM[@]}" send-keys -t tstp -l "stty -a >'$CT/tstp.stty'; fg"
"${TM[@]}" send-keys -t tstp Enter
check "Ctrl-Z: stty reported while stopped" wait_for "$CT/tstp.stty" "speed" 5
is "Ctrl-Z: echo is on while stopped" "$(echo_state "$CT/tstp.stty")" echo
sleep 0.5
"${TM[@]}" send-keys -t tstp -l "secret-typed-after-fg"
"${TM[@]}" send-keys -t tstp Enter
check "after fg: the password is read (a wrong one)" wait_pane tstp "^Authentication failed. Nothing was sent.$" 10
pane_lacks() { ! pane "$1" | grep -q -- "$2"; }
check "after fg: what was typed stayed hidden" pane_lacks tstp secret-typed-after-fg
done_testing
