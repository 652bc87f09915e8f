#!/usr/bin/env bash
# stack_rate_limits.t — nginx's per-address limits on the device endpoints
# (PAYGW_DEVICE_RATE, burst 20 for /v1/device-auth), on the history's
# sign-in POSTs (PAYGW_LOGIN_RATE, burst 10) and on the history's pages
# (50 r/s, burst 100): a burst well over the limit from one address
# gets 429 rate_limited as problem+json with Retry-After: 1 and the usual
# security headers; what the limit lets through reaches the gateway; after
# the Retry-After the address is let in again.
. "$(dirname "$0")/lib.sh"
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

# burst N PATH → N requests in parallel: one line per answer in
# $OUT/answers (status, body file, then the headers the limit must keep),
# the statuses alone in $OUT/codes.  (curl's dump-header is one file for a
# whole config, not one per URL, so the headers are taken with -w.)
burst() {
  local n=$1 path=$2 i
  rm -f "$OUT"/b.*
  : >"$OUT/urls"
  for ((i = 0; i < n; i++)); do
    printf 'url = "%s%s"\noutput = "%s/b.%d"\n' "$PAYGW_URL" "$path" "$OUT" "$i" >>"$OUT/urls"
  done
  curl -sS --no-progress-meter --cacert "$PAYGW_CA" --parallel --parallel-max 60 -X POST \
    -H 'Content-Type: application/json' --data '{}' -K "$OUT/urls" \
    -w '%{http_code}\t%{filename_effective}\t%{content_type}\t%header{retry-after}\t%header{strict-transport-security}\t%header{x-content-type-options}\t%header{content-security-policy}\n' \
    >"$OUT/answers"
  cut -f1 "$OUT/answers" >"$OUT/codes"
}
count() { grep -c "^$1\$" "$OUT/codes" || true; }

# --- /v1/device-auth: 200 r/s, burst 20 ------------------------------------
burst 120 /v1/device-auth
limited=$(count 429)
passed=$(count 400)
check "a burst of 120 device-auth requests: some refused by the limit ($limited)" test "$limited" -gt 0
check "and at least the burst reached the gateway, which refused the empty body ($passed)" test "$passed" -ge 20
is "every answer is the gateway's 400 or the limit's 429" "$((limited + passed))" 120

# the limit's own answer: its body and headers, from one transfer
line=$(grep -m1 '^429'$'\t' "$OUT/answers" || true)
if [[ -n $line ]]; then
  IFS=$'\t' read -r _ body ctype retry hsts nosniff csp <<<"$line"
  BODY=$(cat "$body")
  is "429 body code" "$(jqr .code)" rate_limited
  is "429 body status" "$(jqr .status)" 429
  check "429 has a request id" test -n "$(jqr .request_id)"
  like "429 is problem+json" "$ctype" '^application/problem\+json'
  is "429 says Retry-After: 1" "$retry" 1
  like "429 keeps Strict-Transport-Security" "$hsts" '^max-age'
  is "429 keeps X-Content-Type-Options" "$nosniff" nosniff
  like "429 keeps Content-Security-Policy" "$csp" "^default-src 'self'"
else
  not_ok "a limited answer's headers were kept"
fi

sleep 1
api POST /v1/device-auth -H 'Content-Type: application/json' --data '{}'
is "after Retry-After the address gets through to the gateway" "$STATUS" 400
check "and gets the gateway's own answer ($(jqr .code))" test "$(jqr .code)" != rate_limited

# an answer that is not limited keeps its headers too (the include at the server level)
curl -s --cacert "$PAYGW_CA" -D "$OUT/h" -o /dev/null "$PAYGW_URL/v1/health"
check "a normal answer has Strict-Transport-Security" grep -qi '^strict-transport-security: max-age' "$OUT/h"
check "and no Retry-After" bash -c "! grep -qi '^retry-after' '$OUT/h'"

# --- POST /history/sign-in: 10 r/s, burst 10 -----------------------------------
# (history.fcgi refuses the JSON body: 415)
burst 40 /history/sign-in
limited=$(count 429)
check "a burst of 40 sign-in POSTs: some refused by the limit ($limited)" test "$limited" -gt 0
check "the rest reached history.fcgi ($(count 415) ≥ 10)" test "$(count 415)" -ge 10
is "every answer is history.fcgi's 415 or the limit's 429" "$((limited + $(count 415)))" 40
sleep 2
api POST /history/sign-in -H 'Content-Type: application/json' --data '{}'
is "after the wait the sign-in is not limited" "$STATUS" 415
# showing the sign-in form is not a sign-in: 40 GETs at once pass
for ((i = 0; i < 40; i++)); do printf 'url = "%s/history/sign-in"\noutput = "/dev/null"\n' "$PAYGW_URL"; done >"$OUT/urls"
curl -sS --no-progress-meter --cacert "$PAYGW_CA" --parallel --parallel-max 60 -w '%{http_code}\n' -K "$OUT/urls" >"$OUT/codes"
is "40 GETs of the sign-in form at once: none limited" "$(count 429)" 0

# --- the history's other pages: 50 r/s, burst 100 -------------------------------
sleep 2   # the 40 GETs above counted in this zone too
burst 300 /history/transactions
limited=$(count 429)
check "a burst of 300 page requests: some refused by the limit ($limited)" test "$limited" -gt 0
check "at least the burst reached history.fcgi ($(count 405) ≥ 100)" test "$(count 405)" -ge 100
sleep 3

# --- the POS endpoints have no per-address limit (one shop's terminals share an address);
# each authenticated terminal has its own in the gateway (gateway_terminal_rate.t)
burst 60 /v1/transactions
is "60 parallel POS requests: none limited" "$(count 429)" 0
sleep 1
done_testing
