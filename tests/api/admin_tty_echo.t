#!/usr/bin/env bash
# admin_tty_echo.t — a card number or password typed at a terminal for
# `card add` / `user add` is not echoed: the terminal's echo is off while
# paygw-admin waits at its "card number: " / "password: " question, what was
# typed never appears on the screen, and echo is on again afterwards — also
# after Ctrl-C or SIGTERM at the question.  Driven through tmux; the shell
# in the pane reports `stty -a` after paygw-admin ends.
. "$(dirname "$0")/lib.sh"
ADMIN=$TEST_ROOT/admin/paygw-admin
command -v tmux >/dev/null || { echo "not ok - tmux is installed (scripts/deps)"; exit 1; }
TMP=$(mktemp -d)
TM=(tmux -S "$TMP/tmux.sock")
trap '"${TM[@]}" kill-server 2>/dev/null; rm -rf "$TMP"' EXIT
S=y$$$RANDOM
PAN=$(luhn "97$(date +%s%N | tail -c 14 | head -c 13)")
PASSWORD="hidden-pw-$S"

pane() { "${TM[@]}" capture-pane -p -J -S -200 -t "$1" 2>/dev/null; }
wait_pane() { local i; for ((i = 0; i < $3 * 10; i++)); do pane "$1" | grep -qE -- "$2" && return 0; sleep 0.1; done; return 1; }
# asked NAME QUESTION: the question is on the command's stderr (kept in a file
# with its log lines, so the pane shows only what the terminal echoes)
asked() { local i; for ((i = 0; i < 100; i++)); do grep -qF -- "$2" "$TMP/$1.err" 2>/dev/null && return 0; sleep 0.1; done; return 1; }
pane_lacks() { ! pane "$1" | grep -qF -- "$2"; }
wait_file() { local i; for ((i = 0; i < $2 * 10; i++)); do [[ -s $1 ]] && return 0; sleep 0.1; done; return 1; }
echo_state() { grep -oE '(^| )-?echo( |$)' "$1" | head -1 | tr -d ' '; }
# the echo flag of the pane's terminal right now
pane_echo() { stty -a -F "$("${TM[@]}" display -p -t "$1" '#{pane_tty}')" | grep -oE '(^| )-?echo( |$)' | head -1 | tr -d ' '; }

# session NAME COMMAND: runs COMMAND in a pane whose shell survives a signal,
# then prints EXIT=<status> and writes `stty -a` to $TMP/NAME.stty
session() {
  printf '%s\n' "set -a; . '$PAYGW_STACK_ENV'; set +a" "trap 'echo TRAPPED' INT TERM" \
    "$2 2>'$TMP/$1.err'" 'echo EXIT=$?' "stty -a >'$TMP/$1.stty'" 'sleep 60' >"$TMP/$1.sh"
  "${TM[@]}" -f /dev/null new-session -d -s "$1" -x 160 -y 40 "bash '$TMP/$1.sh'"
}

"$ADMIN" subscriber add --code "$S" --name "Tty test" >/dev/null 2>&1
"$ADMIN" device add --subscriber "$S" --code "d$S" --key-out "$TMP/d.pem" >/dev/null 2>&1

session card "'$ADMIN' card add --subscriber $S --expiry 3012 --label Tty"
check "card add: asks for the card number" asked card "card number: "
is "card add: echo is off while it waits" "$(pane_echo card)" -echo
"${TM[@]}" send-keys -t card -l "$PAN"
"${TM[@]}" send-keys -t card Enter
check "card add: done (exit 0)" wait_pane card "^EXIT=0$" 10
check "card add: prints the masked card" wait_pane card "^card [0-9]+ ${PAN:0:6}\*+${PAN: -4}$" 1
check "card add: the number typed never appeared" pane_lacks card "$PAN"
check "card add: ... not even in part" pane_lacks card "${PAN:0:10}"
check "card add: stty reported" wait_file "$TMP/card.stty" 5
is "card add: echo is on again" "$(echo_state "$TMP/card.stty")" echo
CARD=$(psql_q "SELECT c.id FROM gateway.cards c JOIN gateway.subscribers s ON s.id = c.subscriber_id WHERE s.code = '$S'")

session user "'$ADMIN' user add --user-id u$S --subscriber $S --card $CARD --device d$S"
check "user add: asks for the password" asked user "password: "
is "user add: echo is off while it waits" "$(pane_echo user)" -echo
"${TM[@]}" send-keys -t user -l "$PASSWORD"
"${TM[@]}" send-keys -t user Enter
check "user add: done (exit 0)" wait_pane user "^EXIT=0$" 20
check "user add: the password typed never appeared" pane_lacks user "$PASSWORD"
check "user add: stty reported" wait_file "$TMP/user.stty" 5
is "user add: echo is on again" "$(echo_state "$TMP/user.stty")" echo
is "user add: the user ID exists" "$(psql_q "SELECT count(*) FROM gateway.users WHERE user_id = 'u$S'")" 1

session int "'$ADMIN' card add --subscriber $S --expiry 3012 --label Int"
check "Ctrl-C: at the card number question" asked int "card number: "
"${TM[@]}" send-keys -t int -l "4111"
"${TM[@]}" send-keys -t int C-c
check "Ctrl-C: paygw-admin ended by the signal (exit 130)" wait_pane int "^EXIT=130$" 5
check "Ctrl-C: stty reported" wait_file "$TMP/int.stty" 5
is "Ctrl-C: echo is on again" "$(echo_state "$TMP/int.stty")" echo

session term "'$ADMIN' user add --user-id v$S --subscriber $S --card $CARD --device d$S"
check "SIGTERM: at the password question" asked term "password: "
kill -TERM "$(pgrep -n -f "^$ADMIN user add --user-id v$S")"
check "SIGTERM: paygw-admin ended by the signal (exit 143)" wait_pane term "^EXIT=143$" 5
check "SIGTERM: stty reported" wait_file "$TMP/term.stty" 5
is "SIGTERM: echo is on again" "$(echo_state "$TMP/term.stty")" echo
is "nothing was added by the interrupted commands" \
  "$(psql_q "SELECT count(*) FROM gateway.cards c JOIN gateway.subscribers s ON s.id = c.subscriber_id WHERE s.code = '$S'") $(psql_q "SELECT count(*) FROM gateway.users WHERE user_id = 'v$S'")" "1 0"

# not a terminal: standard input is read as before, with no question
echo "$PASSWORD" | "$ADMIN" user add --user-id "w$S" --subscriber "$S" --card "$CARD" --device "d$S" >"$TMP/out" 2>"$TMP/err"
check "from a pipe: no question asked" bash -c '! grep -q "password: " "$1"' _ "$TMP/err"
"$ADMIN" user disable --user-id "u$S" >/dev/null 2>&1
"$ADMIN" card disable --id "$CARD" >/dev/null 2>&1
done_testing
