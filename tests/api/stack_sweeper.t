#!/usr/bin/env bash
# stack_sweeper.t — the gateway's background work runs in one process,
# paygw-sweeper, that scripts/stack starts and supervises like the other
# services: status lists it, it runs as the stack's user without the card
# key or the superuser's URI, it holds the PostgreSQL advisory lock that
# makes it the only working sweeper, and after kill -9 its multiwatch starts
# a new one, which takes the lock again.
. "$(dirname "$0")/lib.sh"

LOCK_KEY=482671683447           # "paygw" in ASCII (cgi/gateway/sweep.h)
LOG=$PAYGW_VAR/log/sweeper.log
supervisor=$(cat "$PAYGW_VAR/run/sweeper.pid" 2>/dev/null)
sweeper() { pgrep -P "$supervisor" -f paygw-sweeper; }
lock_holders() {
  psql_q "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
           WHERE l.locktype = 'advisory' AND l.granted AND a.usename = 'paygw_gateway'
             AND (l.classid::bigint << 32 | l.objid::bigint) = $LOCK_KEY"
}

is "status lists the sweeper as running" \
  "$("$PAYGW_ROOT/scripts/stack" status | grep -c "sweeper        running (pid $supervisor)")" 1
child=$(sweeper)
check "multiwatch runs one sweeper" test "$(wc -w <<<"$child")" -eq 1
if [[ $(id -u) -eq 0 ]]; then
  is "it runs as the stack's user" "$(ps -o user= -p "$child" | tr -d ' ')" paygw
fi
environ=$(tr '\0' '\n' <"/proc/$child/environ" | cut -d= -f1)
has() { grep -qx "$1" <<<"$environ"; }
lacks() { ! has "$1"; }
check "it has the gateway's database URI" has PAYGW_DB_URI
check "... and the message key (for the handset's failed completion)" has PAYGW_MESSAGE_KEY_FILE
for v in PAYGW_CARD_KEY_FILE PAYGW_PGURI PGPASSFILE PAYGW_ISSUER_DB_URI PAYGW_ISSUER_CARD_KEY_FILE; do
  check "it does not get $v" lacks "$v"
done
is "one session holds the sweeper's advisory lock" "$(lock_holders)" 1
check "the sweeper logged that it holds the lock" grep -q "\"sweeper $child holds the lock\"" "$LOG"

# kill -9: the supervisor starts another, which takes the lock (at once, or
# within PAYGW_SWEEP_EVERY when the killed one's session lingered)
offset=$(stat -c %s "$LOG")
kill -9 "$child"
for i in $(seq 50); do
  new=$(sweeper)
  [[ -n $new && $new != "$child" ]] && break
  sleep 0.1
done
check "multiwatch started a new sweeper within 5 s" test -n "$new" -a "$new" != "$child"
for i in $(seq 150); do
  tail -c +$((offset + 1)) "$LOG" | grep -q "\"sweeper $new holds the lock\"" && break
  sleep 0.1
done
check "the new sweeper holds the lock within 15 s" bash -c "tail -c +$((offset + 1)) '$LOG' | grep -q '\"sweeper $new holds the lock\"'"
is "still one session holds it" "$(lock_holders)" 1
is "the supervisor itself was not restarted" "$(cat "$PAYGW_VAR/run/sweeper.pid")" "$supervisor"
done_testing
