#!/usr/bin/env bash
# gateway_problem_hint.t — issue 19, "bug or bad input": a refusal carries
# the hint of its code (problem+json member `hint`, the text of
# cgi/gateway/problems.c), and the gateway's log tells a client fault from a
# bug: each 4xx has its info line, "kind": "client_fault", with the source
# file and line that refused it and the request's id (one line per
# refusal, no error line).  Also a nested member of a body bound by its
# table (items[1].quantity) is named by its path.  The 500s (bugs) are
# checked in gateway_card_swapped.t.
. "$(dirname "$0")/flowlib.sh"

LOG=$PAYGW_VAR/log/gateway.log
REGISTRY=$TEST_ROOT/cgi/gateway/problems.c
M1=1111111111

# hint_of CODE: the registry's hint for CODE (the .hint line after its .code)
hint_of() { awk -v c=".code = \"$1\"" 'index($0, c) { f = 1 } f && /\.hint = "/ { sub(/.*\.hint = "/, ""); sub(/" },?$/, ""); print; exit }' "$REGISTRY"; }

# faulted WHAT HTTP CODE FILE: the last answer is CODE with its hint, and
# the log has exactly one client_fault line for it, at FILE, and no error
faulted() {
  local what=$1 http=$2 code=$3 file=$4 id lines
  is "$what: $http $code" "$STATUS $(jqr .code)" "$http $code"
  nonempty "$what: the registry has a hint for $code" "$(hint_of "$code")"
  is "$what: the hint is the registry's" "$(jqr .hint)" "$(hint_of "$code")"
  id=$(jqr .request_id)
  sleep 0.2
  lines=$(tail -n +"$((LOG_BEFORE + 1))" "$LOG" | grep -F "(request $id)")
  is "$what: one log line names the request's fault" "$(grep -c . <<<"$lines")" 1
  is "$what: ... at info, as a client fault" "$(jq -r '[.level, .kind] | join(" ")' <<<"$lines")" "info client_fault"
  like "$what: ... with the file and line that refused it" "$(jq -r .at <<<"$lines")" "^$file:[0-9]+$"
  like "$what: ... and the code and detail" "$(jq -r .msg <<<"$lines")" "^$code: "
  LOG_BEFORE=$(wc -l <"$LOG")
}

[[ -r $LOG ]] || { echo "not ok - the gateway's log $LOG"; exit 1; }
check "the hint reader finds a known hint" test "$(hint_of not_found)" = "Check the path against docs/api.md."
LOG_BEFORE=$(wc -l <"$LOG")
BAD_BEFORE=$(grep -c '"level":"error"' "$LOG")

api GET /v1/nothing-here
faulted "unknown path" 404 not_found cgi/gateway/router.c
api GET /v1/transactions/AAAAAAAAAAAAAAAA
faulted "no credential" 401 unauthenticated cgi/gateway/auth_terminal.c
pos POST /v1/transactions "$M1" -H 'Content-Type: text/plain' --data '{}'
faulted "a text body" 415 unsupported_media_type cgi/gateway/validate.c
pos POST /v1/transactions "$M1" -H 'Content-Type: application/json' --data '{"user_id": '
faulted "broken JSON" 400 bad_json cgi/gateway/validate.c
pos POST /v1/transactions "$M1" -H 'Content-Type: application/json' \
  --data '{"user_id": "00001", "currency": "JPY", "items": [{"name": "a", "quantity": 1, "unit_price": 5, "tax": 0}, {"name": "b", "quantity": 0, "unit_price": 5, "tax": 0}]}'
faulted "a nested member out of bounds" 400 invalid_field cgi/gateway/validate.c
is "... named by its path" "$(jqr .detail)" "items[1].quantity must be between 1 and 9999, got 0"
pos POST /v1/transactions "$M1" -H 'Content-Type: application/json' \
  --data '{"user_id": "00001", "currency": "XXX", "items": [{"name": "a", "quantity": 1, "unit_price": 5, "tax": 0}]}'
faulted "a currency not taken" 400 invalid_field cgi/gateway/post_checks.c
pos POST /v1/transactions "$M1" -H 'Content-Type: application/json' --data "$(txn_body nobody-here 100)"
faulted "an unknown user ID" 404 unknown_user cgi/gateway/ep_transactions_post.c
pos GET "/v1/transactions/ZZZZZZZZZZZZZZZZ" "$M1"
faulted "an unknown transaction" 404 unknown_transaction cgi/gateway/ep_transaction_get.c
is "no refusal logged an error" "$(grep -c '"level":"error"' "$LOG")" "$BAD_BEFORE"
done_testing
