#!/usr/bin/env bash
# log_reopen.t — issue 16: with PAYGW_LOG_FILE set, the programs append to
# that file, and after logrotate renamed it the signal of the unit's
# ExecReload= (SIGUSR2 to multiwatch, which forwards it to every FastCGI
# worker; SIGHUP to the sweeper and the others) makes the next line land in
# a new file of that name.  No signal ends a worker: the same workers answer
# afterwards.  And SIGHUP sent to every process of the service (what
# `systemctl kill -s HUP --kill-whom=all` does) leaves the workers running.
# Runs its own gateway workers (spawn-fcgi + multiwatch, as the stack does)
# and its own sweeper against the stack's database, so the stack is untouched.
. "$(dirname "$0")/lib.sh"

command -v cgi-fcgi >/dev/null || { not_ok "cgi-fcgi is installed (libfcgi-bin, scripts/deps)"; done_testing; }
T=$(mktemp -d)
chmod 755 "$T"
GW_PID="" SW_PID=""
cleanup() {
  [[ -n $GW_PID ]] && kill -TERM "$GW_PID" 2>/dev/null
  [[ -n $SW_PID ]] && kill -TERM "$SW_PID" 2>/dev/null
  sleep 0.5
  rm -rf "$T"
}
trap cleanup EXIT
LOG=$T/gateway.log SWLOG=$T/sweeper.log SOCK=$T/gateway.sock
GW=$TEST_ROOT/cgi/gateway/paygw.fcgi

health() { REQUEST_METHOD=GET DOCUMENT_URI=/v1/health REQUEST_URI=/v1/health cgi-fcgi -bind -connect "$SOCK" 2>/dev/null; }
workers() { pgrep -P "$GW_PID" -x paygw.fcgi | sort | paste -sd' '; }
# wait_for FILE REGEX: up to 5 s for a line matching REGEX in FILE
wait_for() { local i; for i in $(seq 50); do grep -qE "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done; return 1; }

# the gateway: two workers, only the variables a worker needs, its log in $LOG
(exec env -i PATH="$PATH" PAYGW_DB_URI="$PAYGW_DB_URI" PAYGW_LOG_FILE="$LOG" \
  spawn-fcgi -n -s "$SOCK" -M 0600 -- /usr/bin/multiwatch -f 2 -- "$GW" </dev/null >"$T/multiwatch.out" 2>&1) &
GW_PID=$!
check "two gateway workers start and log to PAYGW_LOG_FILE" wait_for "$LOG" 'worker [0-9]+ ready.*|ready'
for i in $(seq 50); do [[ $(workers | wc -w) -eq 2 ]] && break; sleep 0.1; done
BEFORE=$(workers)
is "two workers under multiwatch" "$(wc -w <<<"$BEFORE")" 2
like "a worker answers /v1/health" "$(health)" 'Status: 200'
check "its request line is in the log file" wait_for "$LOG" '"path":"/v1/health"'

# logrotate renames the file; the next lines still go to the renamed one
mv "$LOG" "$LOG.1"
health >/dev/null
check "before the signal, the workers still write to the renamed file" wait_for "$LOG.1" '"path":"/v1/health".*'
lines_before=$(grep -c '/v1/health' "$LOG.1")

# the unit's ExecReload: SIGUSR2 to multiwatch, forwarded to each worker
kill -USR2 "$GW_PID"
sleep 0.3
for _ in 1 2 3 4; do health >/dev/null; done   # both workers serve at least one (they share the socket)
check "after SIGUSR2 the next request line lands in a new gateway.log" wait_for "$LOG" '"path":"/v1/health"'
is "the renamed file got no line after the signal" "$(grep -c '/v1/health' "$LOG.1")" "$lines_before"
is "the same two workers, none restarted" "$(workers)" "$BEFORE"
check "multiwatch still runs" kill -0 "$GW_PID"

# SIGHUP straight to every worker (and not to multiwatch, which would shut down)
mv "$LOG" "$LOG.2"
for p in $BEFORE; do kill -HUP "$p"; done
sleep 0.3
like "after SIGHUP the workers answer" "$(health)" 'Status: 200'
check "and the line lands in a new gateway.log" wait_for "$LOG" '"path":"/v1/health"'
is "SIGHUP killed no worker" "$(workers)" "$BEFORE"
check "no line about a worker dying in multiwatch's output" bash -c '! grep -qi "died\|signal" "$1"' _ "$T/multiwatch.out"
for f in "$LOG" "$LOG.1" "$LOG.2"; do
  mode=$(stat -c %a "$f")
  check "$(basename "$f") is not world-readable ($mode)" test $((8#$mode & 8#007)) -eq 0
done

# the sweeper, a plain service: the unit's ExecReload is SIGHUP to it
(exec env -i PATH="$PATH" PAYGW_DB_URI="$PAYGW_DB_URI" PAYGW_LOG_FILE="$SWLOG" PAYGW_SWEEP_EVERY=1 \
  "$TEST_ROOT/cgi/gateway/paygw-sweeper" </dev/null >"$T/sweeper.out" 2>&1) &
SW_PID=$!
check "the sweeper logs to its PAYGW_LOG_FILE" wait_for "$SWLOG" '"program":"sweeper"'
mv "$SWLOG" "$SWLOG.1"
kill -HUP "$SW_PID"
sleep 0.3
kill -TERM "$SW_PID"
wait "$SW_PID"; rc=$?
SW_PID=""
is "SIGHUP did not end the sweeper: SIGTERM did, exit 0" "$rc" 0
check "its next lines went to a new sweeper.log" wait_for "$SWLOG" '"program":"sweeper"'
check "the old file has no line written after the signal" bash -c '! grep -q "stopping\|stopped" "$1"' _ "$SWLOG.1"

# the stack's own programs (logging to stderr, no PAYGW_LOG_FILE: the reopen
# does nothing) take SIGHUP and go on: the credit server with its threads,
# the webhook sender, the shop's and the history's workers
sighup_survivors=()
credit=$(cat "$PAYGW_VAR/run/credit-server.pid")
webhooks=$(pgrep -P "$(cat "$PAYGW_VAR/run/webhooks.pid")" -x paygw-webhooks)
shop=$(pgrep -P "$(cat "$PAYGW_VAR/run/shop.pid")" -x shop.fcgi | paste -sd' ')
history=$(pgrep -P "$(cat "$PAYGW_VAR/run/history.pid")" -x history.fcgi | paste -sd' ')
for p in $credit $webhooks $shop $history; do kill -HUP "$p"; done
sleep 0.5
for p in $credit $webhooks $shop $history; do kill -0 "$p" 2>/dev/null && sighup_survivors+=("$p"); done
is "credit server, webhook sender, shop and history workers all outlive SIGHUP" \
  "${sighup_survivors[*]}" "$(echo $credit $webhooks $shop $history)"
like "the shop still answers through nginx" "$(curl -s -o /dev/null -w '%{http_code}' --cacert "$PAYGW_CA" "$PAYGW_SHOP_URL")" '^(200|302|303)$'
done_testing
