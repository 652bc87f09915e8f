# tests/api/client_lib.sh — shared by the client_*.t tests: the two client
# programs, copies of the demo handset stores, background POS runs, waiting
# for a line of output, and the gateway's view of a transaction.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
HANDSET=$TEST_ROOT/handset-client/handset
POS=$TEST_ROOT/pos-client/pos
CT=$(mktemp -d /tmp/paygw-client-XXXXXX)
CLIENT_PIDS=()
CLIENT_STARTED=$(psql_q "SELECT now()" 2>/dev/null)
client_cleanup() {
  local p
  for p in "${CLIENT_PIDS[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${CLIENT_PIDS[@]}"; do wait "$p" 2>/dev/null; done
  cancel_open_since "$CLIENT_STARTED"
  rm -rf "$CT"
}
trap client_cleanup EXIT

# store_copy DEVICE NAME → path of a private copy of the demo store (0600),
# as paygw-admin wrote it: without the auth results and lock-out that a
# handset (scripts/demo, say) may have added since
store_copy() {
  local dst=$CT/$2.json
  (umask 077; jq '.auth_results = [] | del(.lockout)' "$PAYGW_VAR/demo/uim/$1.json" >"$dst")
  echo "$dst"
}

# pos_start NAME ARGS... → starts `pos sale` in the background; output in
# $CT/NAME.out, journal $CT/NAME.journal; sets POS_PID
pos_start() {
  local name=$1; shift
  "$POS" sale --journal "$CT/$name.journal" "$@" >"$CT/$name.out" 2>&1 &
  POS_PID=$!
  CLIENT_PIDS+=("$POS_PID")
}

# wait_for FILE REGEX SECONDS: true once FILE holds a line matching REGEX
wait_for() {
  local i
  for ((i = 0; i < $3 * 10; i++)); do
    grep -qE -- "$2" "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

# wait_exit PID SECONDS → sets RC to the exit status, or 124 when still running
wait_exit() {
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    if ! kill -0 "$1" 2>/dev/null; then wait "$1"; RC=$?; return 0; fi
    sleep 0.1
  done
  RC=124
  return 1
}

# the gateway's status of transaction NUMBER
txn_status() { psql_q "SELECT status FROM gateway.transactions WHERE number = '$1'"; }
# the number the POS printed in $CT/NAME.out
pos_number() { grep -oE 'Transaction number [0-9A-Z]{16}' "$CT/$1.out" | awk '{print $3}'; }
# transactions of a user ID so far
txn_count() { psql_q "SELECT count(*) FROM gateway.transactions WHERE user_id = '$1'"; }

# no demo card number appears in the files named
no_pan_in() {
  local pan found=0
  for pan in $(grep -oE '"[0-9]{12,19}"' "$TEST_ROOT/lib/common/demo_data.h" | tr -d '"' | sort -u); do
    grep -qF -- "$pan" "$@" 2>/dev/null && found=$((found + 1))
  done
  [[ $found -eq 0 ]]
}

# cancel_open NUMBER...: cancels, as merchant 1111111111's terminal, a
# transaction a test left open on purpose (an unknown outcome), so its
# payment command does not wait in the device's mailbox for the next test
cancel_open() {
  local n cred
  cred=$(env_get "$PAYGW_VAR/demo/terminals.env" PAYGW_TERMINAL_1111111111)
  for n in "$@"; do
    [[ -n $n ]] || continue
    curl -s -o /dev/null --max-time 15 --cacert "$PAYGW_CA" -X POST -H "Authorization: Bearer $cred" \
      "$PAYGW_URL/v1/transactions/$n/cancel"
  done
}

# stop_gateway / resume_gateway: make this stack's gateway silent by stopping
# its workers (SIGSTOP, by pid under the pid file scripts/stack wrote), and
# let them go on (SIGCONT).  Tests that stop it resume it in their EXIT trap.
GATEWAY_STOPPED=()
stop_gateway() {
  mapfile -t GATEWAY_STOPPED < <(pgrep -P "$(cat "$PAYGW_VAR/run/gateway.pid")")
  kill -STOP "${GATEWAY_STOPPED[@]}"
}
resume_gateway() {
  local p
  for p in "${GATEWAY_STOPPED[@]}"; do kill -CONT "$p" 2>/dev/null; done
  GATEWAY_STOPPED=()
}
