#!/usr/bin/env bash
# openapi_answers.t — every answer the gateway gave during the integration
# tests, every mailbox message in them and every webhook body it sent,
# checked against docs/openapi.yaml (tests/openapi/openapi_answers.js, ajv).
# scripts/check runs it after the integration tests, with
# PAYGW_ANSWER_LOGS naming the lanes' logs (each stack's
# $PAYGW_VAR/log/answers.jsonl, written by paygw.fcgi and paygw-webhooks
# when PAYGW_ANSWER_LOG names it: cgi/gateway/answer_log.c); by hand:
#   PAYGW_ANSWER_LOGS="var/check/log/answers.jsonl var/check-lane1/log/answers.jsonl" tests/openapi/openapi_answers.t
# or give the files as arguments.  docs/openapi.md says more.
. "$(dirname "$0")/../static/lib.sh"

logs=("$@")
((${#logs[@]})) || read -ra logs <<<"${PAYGW_ANSWER_LOGS:-}"
if ((${#logs[@]} == 0)); then
  not_ok "answer logs to check (PAYGW_ANSWER_LOGS or arguments)"
  done_testing
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_UPDATE_NOTIFIER=1

if ! tests/browser/install >"$tmp/install.out" 2>&1; then
  not_ok "tests/browser/install installs ajv and @redocly/cli ($(tail -3 "$tmp/install.out" | tr '\n' ' '))"
  done_testing
fi
# the document as JSON, its references kept (ajv resolves them)
(cd tests/browser && npx --no-install redocly bundle "$TEST_ROOT/docs/openapi.yaml" --ext json \
  -o "$tmp/openapi.json") >"$tmp/bundle.out" 2>&1
if ! jq -e '.openapi == "3.1.0"' "$tmp/openapi.json" >/dev/null 2>&1; then
  not_ok "docs/openapi.yaml bundles to JSON ($(tail -3 "$tmp/bundle.out" | tr '\n' ' '))"
  done_testing
fi
abs=()
for f in "${logs[@]}"; do abs+=("$(realpath -m "$f")"); done
# the tests that forge mailbox messages on purpose (openapi_answers.js)
PAYGW_FORGING_TESTS=$(grep -lx '# check: forges mailbox messages' tests/api/*.t | xargs -r -n1 basename | sed 's/\.t$//' | paste -sd' ')
export PAYGW_FORGING_TESTS
node tests/openapi/openapi_answers.js "$tmp/openapi.json" "${abs[@]}"
[[ $? -eq 0 ]] || TESTS_FAILED=$((TESTS_FAILED + 1))

# The check can fail: a health answer from these logs (every stack's start
# asks for one), once as it was and once with a value the document does
# not allow, must give one match and one mismatch; an empty log, a failure.
health=$(cat "${abs[@]}" 2>/dev/null | jq -c 'select(.route == "/v1/health" and .status == 200)' 2>/dev/null | head -1)
if [[ -z $health ]]; then
  not_ok "the logs hold a GET /v1/health 200 answer to plant a fault in"
else
  { echo "$health"; jq -c '.body.database = "elsewhere"' <<<"$health"; } >"$tmp/planted.jsonl"
  node tests/openapi/openapi_answers.js "$tmp/openapi.json" "$tmp/planted.jsonl" >"$tmp/planted.out" 2>&1
  check "a planted fault (a health answer's database 'elsewhere') is reported, its unchanged copy is not" \
    grep -qx 'not ok - GET /v1/health 200: 1 of 2 answers match docs/openapi.yaml' "$tmp/planted.out"
  check "... with the member and the rule it breaks" \
    grep -q '^not ok - GET /v1/health 200: /database must be equal to one of the allowed values' "$tmp/planted.out"
fi
: >"$tmp/empty.jsonl"
node tests/openapi/openapi_answers.js "$tmp/openapi.json" "$tmp/empty.jsonl" >"$tmp/empty.out" 2>&1
check "an empty log is a failure" grep -qx 'not ok - the answer logs hold lines to check: 0 in 1 file(s)' "$tmp/empty.out"
done_testing
