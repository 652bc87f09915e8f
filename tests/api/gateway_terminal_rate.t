#!/usr/bin/env bash
# gateway_terminal_rate.t — issue 4: each terminal may ask for
# PAYGW_TERMINAL_RATE new transactions per second (10) with bursts of
# PAYGW_TERMINAL_BURST (20) more.  Two throwaway terminals of one merchant:
# 60 POST /v1/transactions at once from the first meet the limit — 429
# rate_limited as problem+json with Retry-After, the same code nginx
# answers, nothing stored — while the second terminal's request goes
# through at once.  After Retry-After the first is let in again.  The
# limit counts authenticated terminals (the gateway's own counter in the
# database, shared by every worker), so nobody can use up a terminal's
# allowance without its credential.
. "$(dirname "$0")/flowlib.sh"
M=1111111111
S=r$$$RANDOM
RATE=${PAYGW_TERMINAL_RATE:-10} BURST=${PAYGW_TERMINAL_BURST:-20}
N=60

check "a throwaway terminal A" enrol_terminal $M "A$S"
check "a throwaway terminal B of the same merchant" enrol_terminal $M "B$S"
check "a throwaway shopper" enrol_shopper "$S"

# burst TERMINAL N BODY → N POSTs at once: "status content-type retry-after
# strict-transport-security" per answer in $FLOW_TMP/codes, the bodies in
# $FLOW_TMP/b.*, every header in $FLOW_TMP/headers; ELAPSED_MS the time
# they took
burst() {
  local i
  rm -f "$FLOW_TMP"/b.* "$FLOW_TMP/headers"
  : >"$FLOW_TMP/urls"
  for ((i = 0; i < $2; i++)); do
    printf 'url = "%s/v1/transactions"\noutput = "%s/b.%d"\n' "$PAYGW_URL" "$FLOW_TMP" "$i" >>"$FLOW_TMP/urls"
  done
  local start; start=$(now_ms)
  curl -sS --no-progress-meter --cacert "$PAYGW_CA" --parallel --parallel-immediate --parallel-max "$2" -X POST \
    -H "Authorization: Bearer $(terminal_credential "$1")" -H 'Content-Type: application/json' \
    --data "$3" -D "$FLOW_TMP/headers" -K "$FLOW_TMP/urls" \
    -w '%{http_code} %{content_type} %header{retry-after} %header{strict-transport-security}\n' >"$FLOW_TMP/codes"
  ELAPSED_MS=$(( $(now_ms) - start ))
}
count() { grep -c "^$1 " "$FLOW_TMP/codes" || true; }

# --- a burst from terminal A, for a user ID that does not exist (nothing to store) ---
COUNTS=$(table_counts)
burst "A$S" $N "$(txn_body "nobody$S" 100)"
limited=$(count 429) through=$(count 404)
most=$(( BURST + 1 + (RATE * ELAPSED_MS + 999) / 1000 ))
check "$N at once from terminal A: some refused by the limit ($limited)" test "$limited" -gt 0
check "... at least the burst reached the handler, 404 unknown_user ($through ≥ $BURST)" test "$through" -ge "$BURST"
check "... at most the burst + 1 + the rate over ${ELAPSED_MS} ms ($through ≤ $most)" test "$through" -le "$most"
is "... every answer is 404 unknown_user or 429" "$((limited + through))" $N
is "... nothing stored" "$(table_counts)" "$COUNTS"

read -r _ L_CTYPE RETRY L_STS < <(grep '^429 ' "$FLOW_TMP/codes" | head -1)
b=$(grep -l '"status":429' "$FLOW_TMP"/b.* | head -1)
if [[ -n $b ]]; then
  BODY=$(cat "$b")
  is "429: code rate_limited (as nginx's limits answer)" "$(jqr .code)" rate_limited
  is "429: status" "$(jqr .status)" 429
  is "429: application/problem+json" "$L_CTYPE" application/problem+json
  like "429: the detail names the terminal's limit" "$(jqr .detail)" "terminal A$S .*$RATE new transactions per second"
  like "429: Retry-After in whole seconds, 1 or more" "${RETRY:-none}" '^[1-9][0-9]*$'
  like "429: keeps Strict-Transport-Security" "${L_STS:-none}" '^max-age='
  check "429: no terminal secret in the answers (headers, bodies)" \
    bash -c '! grep -qF -- "${1#*.}" "$2" "${@:3}"' _ "$(terminal_credential "A$S")" "$FLOW_TMP/headers" "$FLOW_TMP"/b.*
else
  not_ok "a 429 answer to look at"
fi
[[ ${RETRY:-} =~ ^[0-9]+$ && $RETRY -le 60 ]] || RETRY=2

# --- meanwhile terminal B is not held back --------------------------------------------
txn_create "B$S" "u$S" 100
is "terminal B of the same merchant, right after: 201" "$STATUS" 201
[[ $STATUS == 201 ]] && pos POST "/v1/transactions/$TXN/cancel" "B$S" >/dev/null
pos POST /v1/transactions $M -H 'Content-Type: application/json' --data "$(txn_body "nobody$S" 100)"
is "the demo terminal of the same merchant, right after: not limited (404 unknown_user)" "$STATUS $(jqr .code)" \
  "404 unknown_user"

# --- after Retry-After, terminal A again -------------------------------------------------
sleep "$RETRY"
pos POST /v1/transactions "A$S" -H 'Content-Type: application/json' --data "$(txn_body "nobody$S" 100)"
is "terminal A after Retry-After: let in (404 unknown_user)" "$STATUS $(jqr .code)" "404 unknown_user"

# --- a malformed request is not counted: a burst of them is 400 throughout --------------
sleep $(( (BURST + RATE - 1) / RATE + 1 ))
burst "A$S" 40 '{"user_id": "x"}'
is "40 malformed requests at once from terminal A: every one 400 (they cost nothing to store)" "$(count 400)" 40
pos POST /v1/transactions "A$S" -H 'Content-Type: application/json' --data "$(txn_body "nobody$S" 100)"
is "... and A's allowance is untouched: 404 unknown_user" "$STATUS $(jqr .code)" "404 unknown_user"

done_testing
