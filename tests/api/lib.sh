# tests/api/lib.sh — shared by the integration tests: the stack's
# environment, TAP-style result lines, and curl through nginx + TLS.
# A test sources it, makes checks, and ends with `done_testing`.
set -u
TEST_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PAYGW_STACK_ENV=${PAYGW_STACK_ENV:-$TEST_ROOT/var/stack.env}
[[ -r $PAYGW_STACK_ENV ]] || { echo "not ok - stack environment $PAYGW_STACK_ENV is readable (start the stack)"; exit 1; }
set -a; . "$PAYGW_STACK_ENV"; set +a
# scripts/stack's subcommands (db-stop, db-start, credit-restart) take the
# ports from the environment: unless given, this stack's, read from its
# addresses — not the defaults, which would start a second PostgreSQL
[[ ${PAYGW_URL:-} =~ :([0-9]+)$ ]] && : "${PAYGW_HTTPS_PORT:=${BASH_REMATCH[1]}}"
[[ ${PAYGW_CREDIT_ADDR:-} =~ :([0-9]+)$ ]] && : "${PAYGW_CREDIT_PORT:=${BASH_REMATCH[1]}}"
# pg_port_of URI → the port of its first host (a formation's URI lists
# its nodes, node a first: postgresql://postgres@127.0.0.1:P,127.0.0.1:P+1/...)
pg_port_of() { [[ $1 =~ @[^/:,]+:([0-9]+)[,/] ]] && echo "${BASH_REMATCH[1]}"; }
: "${PAYGW_PG_PORT:=$(pg_port_of "${PAYGW_PGURI:-}")}"
export PAYGW_HTTPS_PORT PAYGW_CREDIT_PORT PAYGW_PG_PORT
TESTS_FAILED=0

ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; TESTS_FAILED=$((TESTS_FAILED + 1)); }
# check DESCRIPTION COMMAND...: ok when the command succeeds
check() { local d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d"; fi; }
# quietly COMMAND...: the command with its output discarded, for `check`
# (redirecting `check ... >/dev/null` would discard the ok/not ok line too)
quietly() { "$@" >/dev/null 2>&1; }
no_stdout() { "$@" >/dev/null; }
# is DESCRIPTION GOT WANT
is() { if [[ "$2" == "$3" ]]; then ok "$1"; else not_ok "$1 (got '$2', want '$3')"; fi; }
# like DESCRIPTION GOT REGEX
like() { if [[ $2 =~ $3 ]]; then ok "$1"; else not_ok "$1 (got '$2', want /$3/)"; fi; }
done_testing() { [[ $TESTS_FAILED -eq 0 ]]; exit $?; }

# luhn BODY → BODY with its Luhn check digit appended (test card numbers)
luhn() {
  local body=$1 sum=0 i d n=${#1}
  for ((i = 0; i < n; i++)); do
    d=${body:n-1-i:1}
    if ((i % 2 == 0)); then d=$((d * 2)); ((d > 9)) && d=$((d - 9)); fi
    sum=$((sum + d))
  done
  echo "$body$(((10 - sum % 10) % 10))"
}

# unique_tag → 7 characters (0-9 a-z) that no earlier call on this machine
# gave in the last 2.5 years: the time in milliseconds in base 36, after a
# 2 ms pause.  For terminal codes, which must differ in their first 8
# characters (field 41 of ISO 8583, docs/admin.md), across runs on one stack.
unique_tag() {
  local chars=0123456789abcdefghijklmnopqrstuvwxyz out="" i n
  sleep 0.002
  n=$(( $(date +%s%3N) % 78364164096 ))
  for i in 1 2 3 4 5 6 7; do out=${chars:n % 36:1}$out; n=$((n / 36)); done
  echo "$out"
}

psql_q() { psql -X -q -tA -v ON_ERROR_STOP=1 "$PAYGW_PGURI" -c "$1"; }
# env_get FILE NAME → the value of NAME=... in an environment file
env_get() { sed -n "s/^\(export \)\?$2=['\"]\?\([^'\"]*\)['\"]\?$/\2/p" "$1" | head -1; }

# cancel_open_since TIME: cancels, each as its merchant's demo terminal,
# every transaction made since TIME (a timestamptz) that still waits.  A
# user ID holds at most 3 open transactions (PAYGW_MAX_OPEN_PER_USER), and
# the demo users are shared by the tests: flowlib.sh and client_lib.sh call
# this on exit so no test's leftovers count against the next one's.  Quiet.
cancel_open_since() {
  local envf=${PAYGW_DEMO_DIR:-$PAYGW_VAR/demo}/terminals.env n m cred
  [[ -n ${1:-} && -r $envf ]] || return 0
  while read -r n m; do
    cred=$(env_get "$envf" "PAYGW_TERMINAL_$m")
    [[ -n $cred ]] && curl -s -o /dev/null --max-time 15 --cacert "$PAYGW_CA" -X POST \
      -H "Authorization: Bearer $cred" "$PAYGW_URL/v1/transactions/$n/cancel"
  done < <(psql_q "SELECT t.number || ' ' || m.code FROM gateway.transactions t
                     JOIN gateway.merchants m ON m.id = t.merchant_id
                    WHERE t.created_at >= '$1' AND t.status LIKE 'awaiting_%' AND t.deadline >= now()" 2>/dev/null)
  return 0
}

# api METHOD PATH [curl args...] → sets STATUS, BODY, CTYPE
api() {
  local method=$1 path=$2; shift 2
  local out; out=$(mktemp)
  local meta
  meta=$(curl -sS -o "$out" -w '%{http_code} %{content_type}' --cacert "$PAYGW_CA" -X "$method" "$@" "$PAYGW_URL$path") || meta="000 none"
  STATUS=${meta%% *}; CTYPE=${meta#* }; BODY=$(cat "$out"); rm -f "$out"
}
jqr() { jq -r "$1" <<<"$BODY"; }
