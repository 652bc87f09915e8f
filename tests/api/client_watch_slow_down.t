#!/usr/bin/env bash
# client_watch_slow_down.t — watch polls at the interval the gateway answers
# and honours 429 slow_down: two watchers on one device poll too often
# together; the one refused says it will wait and neither is treated as an
# error (both run to their --for limit).
. "$(dirname "$0")/client_lib.sh"
STORE=$(store_copy 3345678 h3)
"$HANDSET" --store "$STORE" watch --once --decline --for 7 --verbose >"$CT/a.out" 2>&1 &
A=$!; CLIENT_PIDS+=("$A")
sleep 0.3
"$HANDSET" --store "$STORE" watch --once --decline --for 7 --verbose >"$CT/b.out" 2>&1 &
B=$!; CLIENT_PIDS+=("$B")
wait_exit "$A" 20; ra=$RC
wait_exit "$B" 20; rb=$RC
is "both watchers ran to --for (exit status 3 each)" "$ra $rb" "3 3"
check "a refused poll is reported as slow_down" grep -qh "The gateway asks to poll less often: next poll in [0-9]* s." "$CT/a.out" "$CT/b.out"
check "a poll says when the next one comes (the gateway's interval)" grep -qh "next poll in 2 s" "$CT/a.out" "$CT/b.out"
polls=$(grep -ch "^Polled the mailbox" "$CT/a.out")
check "the first watcher polled at the interval, not in a loop ($polls polls in 7 s)" test "$polls" -ge 2 -a "$polls" -le 5
check "no error was reported" bash -c "! grep -qh 'refused the mailbox poll' '$CT/a.out' '$CT/b.out'"
done_testing
