# halib.sh — sourced by the tests of tests/ha/ that can make their own
# stack: ha_stack_up uses the --ha stack already running (PAYGW_STACK_ENV
# naming a stack.env with PAYGW_HA='1', as `scripts/check --ha` exports
# it), else starts one fresh in PAYGW_VAR (default var/ha) with the demo
# data; ha_cleanup stops only a stack the test made itself, and not with
# PAYGW_HA_KEEP=1; monitor_q and states read the monitor.  The caller sets
# ROOT and STACK.

ha_stack_up() {
  OWN_STACK=1
  if [[ -r ${PAYGW_STACK_ENV:-} ]] && grep -qx "PAYGW_HA='1'" "$PAYGW_STACK_ENV"; then
    OWN_STACK=0
  else
    export PAYGW_VAR=${PAYGW_VAR:-$ROOT/var/ha}
    export PAYGW_STACK_ENV=$PAYGW_VAR/stack.env
    "$STACK" stop >/dev/null 2>&1
    rm -rf "$PAYGW_VAR"
    mkdir -p "$PAYGW_VAR"
    if ! "$STACK" start --ha >"$PAYGW_VAR/stack-start.out" 2>&1; then
      echo "not ok - scripts/stack start --ha (see $PAYGW_VAR/stack-start.out and $PAYGW_VAR/log/)"
      tail -20 "$PAYGW_VAR/stack-start.out" | sed 's/^/# /'
      exit 1
    fi
    set -a; . "$PAYGW_STACK_ENV"; set +a
    "$PAYGW_ADMIN" demo --out-dir "$PAYGW_VAR/demo" >/dev/null 2>&1 || { echo "not ok - paygw-admin demo"; exit 1; }
    "$ROOT/credit-server/credit-server" --enrol-demo >/dev/null 2>&1 || { echo "not ok - credit-server --enrol-demo"; exit 1; }
  fi
  set -a; . "$PAYGW_STACK_ENV"; set +a
}

ha_cleanup() {
  flow_cleanup
  [[ $OWN_STACK == 0 || ${PAYGW_HA_KEEP:-0} == 1 ]] || "$STACK" stop >/dev/null 2>&1
}

# monitor_q SQL: one query on the formation's monitor
monitor_q() { psql -X -q -tA -v ON_ERROR_STOP=1 "$PAYGW_HA_MONITOR_URI" -c "$1" 2>/dev/null; }
# the nodes' reported/goal states, one word each
states() { monitor_q "SELECT string_agg(nodename || '=' || reportedstate || '/' || goalstate, ' ' ORDER BY nodename) FROM pgautofailover.node"; }
