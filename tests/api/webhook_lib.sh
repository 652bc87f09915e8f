# tests/api/webhook_lib.sh — shared by the webhook_*.t tests (issue 12,
# docs/webhooks.md): a merchant of the test's own with a terminal, the
# methods and the issuer's side (so its payments complete), a shop's
# endpoint on PAYGW_TEST_PORT_BASE + 12 (webhook_receiver.py), and the
# checks of what it received.  Sources flowlib.sh.
. "$(dirname "${BASH_SOURCE[0]}")/flowlib.sh"

WH_PORT=$((${PAYGW_TEST_PORT_BASE:-10600} + 12))
WH_DIR=$FLOW_TMP/received
WH_URL="http://127.0.0.1:$WH_PORT/paygw/webhook"
WH_LOG=$PAYGW_VAR/log/webhooks.log
WH_RECEIVER_PID=""
mkdir -p "$WH_DIR"

wh_cleanup() {
  [[ -n $WH_RECEIVER_PID ]] && kill "$WH_RECEIVER_PID" 2>/dev/null
  # a sender the test restarted with other settings: the stack's own again
  if ! "$PAYGW_ROOT/scripts/stack" status 2>/dev/null | grep -q 'webhooks .*running'; then
    env -u PAYGW_WEBHOOK_RETRY_FOR_S -u PAYGW_WEBHOOK_BACKOFF_MS "$PAYGW_ROOT/scripts/stack" webhooks-start >/dev/null
  fi
  flow_cleanup
}
trap wh_cleanup EXIT

# wh_merchant: merchant WH_MERCHANT (fresh digits) taking lump sums of the
# demo cards' issuer 2a11111 (users 00001 and 00007), known to the credit
# server, with a terminal whose credential `pos ... $WH_MERCHANT` uses.
wh_merchant() {
  local tag; tag=$(unique_tag)
  WH_MERCHANT=7$(date +%s%N | tail -c 10)
  WH_TERMINAL=w$tag
  "$PAYGW_ADMIN" merchant add --code "$WH_MERCHANT" --name "Webhook test" --shop "Webhook shop" >/dev/null 2>&1 &&
    "$PAYGW_ADMIN" method set --merchant "$WH_MERCHANT" --issuer 2a11111 --methods L >/dev/null 2>&1 &&
    "$TEST_ROOT/credit-server/credit-server" --enrol-merchant --merchant "$WH_MERCHANT" --name "Webhook test" \
      --issuer 2a11111 --methods L >/dev/null 2>&1 &&
    enrol_terminal "$WH_MERCHANT" "$WH_TERMINAL" || return 1
  printf -v "PAYGW_TERMINAL_$WH_MERCHANT" '%s' "$(terminal_credential "$WH_TERMINAL")"
}

# wh_receiver_start: the shop's endpoint, answering 200 until told otherwise
wh_receiver_start() {
  /usr/bin/python3 "$TEST_ROOT/tests/api/webhook_receiver.py" "$WH_PORT" "$WH_DIR" &
  WH_RECEIVER_PID=$!
  local i
  for i in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/"$WH_PORT") 2>/dev/null && return 0; sleep 0.1; done
  return 1
}
wh_answer() { echo "$1" >"$WH_DIR/answer"; }   # wh_answer STATUS: what the shop answers from now on
wh_count() { find "$WH_DIR" -name '*.body' | wc -l; }
# wh_wait N [SECONDS]: until the shop has received N requests (default 20 s)
wh_wait() {
  local i
  for i in $(seq $((${2:-20} * 10))); do (($(wh_count) >= $1)) && return 0; sleep 0.1; done
  return 1
}
# wh_header N NAME → header NAME of request N (1-based)
wh_header() { sed -n "s/^$2: //p" "$WH_DIR/$(printf %04d "$1").headers" | tr -d '\r'; }
wh_body() { cat "$WH_DIR/$(printf %04d "$1").body"; }
# wh_for_txn NUMBER → the numbers of the requests whose body names the transaction
wh_for_txn() {
  local f
  for f in "$WH_DIR"/*.body; do
    [[ -e $f ]] || continue
    [[ $(jq -r .data.number "$f" 2>/dev/null) == "$1" ]] && basename "$f" .body | sed 's/^0*//'
  done
}
# wh_expected_sig N SECRET → "v1,<base64>" of request N with the whsec_ secret,
# computed with the openssl command line as a shop's shell script would
wh_expected_sig() {
  local key
  key=$(printf '%s' "${2#whsec_}" | base64 -d | od -An -v -tx1 | tr -d ' \n')
  printf 'v1,%s' "$({ printf '%s.%s.' "$(wh_header "$1" webhook-id)" "$(wh_header "$1" webhook-timestamp)"
                      wh_body "$1"; } | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$key" -binary | base64)"
}
# wh_event_row NUMBER → "status attempts last_http_status" of the transaction's event
wh_event_row() {
  psql_q "SELECT e.status || ' ' || e.attempts || ' ' || coalesce(e.last_http_status::text, '-')
            FROM gateway.webhook_events e JOIN gateway.transactions t ON t.id = e.transaction_id
           WHERE t.number = '$1'"
}
# wh_wait_row NUMBER WANT [SECONDS]: until the event's row is WANT (the
# sender records an attempt just after the shop's answer); prints the row
wh_wait_row() {
  local i row
  for i in $(seq $((${3:-10} * 10))); do
    row=$(wh_event_row "$1")
    [[ $row == "$2" ]] && break
    sleep 0.1
  done
  echo "$row"
}
