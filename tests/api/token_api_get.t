#!/usr/bin/env bash
# token_api_get.t — GET /v1/tokens/{id} and POST /v1/tokens/{id}/cancel
# (issue 14, docs/api.md "Tokens"): the terminal that made a request reads
# it (another terminal, even of the same merchant, gets 404 unknown_token,
# as does an unknown or malformed ID); ?wait=N holds the answer until the
# status changes (a cancel ends it early) or N runs out; a request not
# answered by its reply_deadline reads as expired/no_reply — expired
# lazily by the read and by the sweeper with no read at all; the POS
# cancels only a request awaiting the reply (canceled/canceled_by_pos; again:
# the same answer; otherwise 409 wrong_state; a confirmation not yet picked
# up is dropped from the mailbox), and a canceled request takes no reply.
. "$(dirname "$0")/token_lib.sh"

M1=1111111111 M2=2222222222
refused() {
  local got
  got="$STATUS $(jq -r '.code // "-"' <<<"$BODY" 2>/dev/null) $CTYPE"
  is "$1: $2 $3 (problem+json)" "$got" "$2 $3 application/problem+json"
}
OTHER=p$(unique_tag)
enrol_terminal "$M1" "$OTHER" || echo "not ok - a second terminal of $M1"

token_user g$(unique_tag)
token_create "$M1" "$TU" 800; T=$TOKEN CREATED=$BODY

# --- reading -------------------------------------------------------------------------
token_get "$M1" "$T"
is "the terminal that made it: 200" "$STATUS" 200
is "... the same view as the creation's answer" "$BODY" "$CREATED"
token_get "$OTHER" "$T"
refused "another terminal of the same merchant" 404 unknown_token
token_get "$M2" "$T"
refused "another merchant's terminal" 404 unknown_token
token_get "$M1" "tk_$(openssl rand 16 | basenc --base64url | tr -d '=\n')"
refused "an unknown ID" 404 unknown_token
token_get "$M1" "tk_short"
refused "a malformed ID" 404 unknown_token
token_get "$M1" "tk_%FF%FEAAAAAAAAAAAAAAAAAAAA"
refused "an ID with bytes that are not UTF-8" 404 unknown_token
api GET "/v1/tokens/$T"
refused "no credential" 401 unauthenticated
api DELETE "/v1/tokens/$T" -H "Authorization: Bearer $(terminal_credential "$M1")"
refused "DELETE" 405 method_not_allowed
token_get "$M1" "$T" "wait=abc"
refused "wait not a number" 400 invalid_field
token_get "$M1" "$T" "wait=-1"
refused "a negative wait" 400 invalid_field

# --- ?wait= ----------------------------------------------------------------------------
start=$(date +%s%N)
token_get "$M1" "$T" "wait=2"
took=$(( ($(date +%s%N) - start) / 1000000 ))
is "wait=2 with no change: 200 awaiting_reply" "$STATUS $(jqr .status)" "200 awaiting_reply"
between "... after about 2 s (ms)" "$took" 1900 4000
( sleep 1; pos POST "/v1/tokens/$T/cancel" "$M1" ) &
start=$(date +%s%N)
token_get "$M1" "$T" "wait=20&status=awaiting_reply"
took=$(( ($(date +%s%N) - start) / 1000000 ))
wait
is "wait=20 while the POS cancels: the new status" "$STATUS $(jqr .status) $(jqr .reason)" "200 canceled canceled_by_pos"
between "... as soon as it changed (ms)" "$took" 800 4000
start=$(date +%s%N)
token_get "$M1" "$T" "wait=5"
took=$(( ($(date +%s%N) - start) / 1000000 ))
between "a final status is answered at once, wait or not (ms)" "$took" 0 1000

# --- cancel ----------------------------------------------------------------------------
token_create "$M1" "$TU" 801; T2=$TOKEN
pos POST "/v1/tokens/$T2/cancel" "$OTHER"
refused "cancel by another terminal" 404 unknown_token
is "... which changes nothing" "$(token_row "$T2")" "awaiting_reply|"
pos POST "/v1/tokens/$T2/cancel" "$M1" -H 'Content-Type: application/json' --data '{"reason": '
refused "cancel with malformed JSON" 400 bad_json
pos POST "/v1/tokens/$T2/cancel" "$M1" -H 'Content-Type: application/json' --data '{"why": "x"}'
refused "cancel with an unknown member" 400 invalid_field
is "... which change nothing" "$(token_row "$T2")" "awaiting_reply|"
pos POST "/v1/tokens/$T2/cancel" "$M1"
is "cancel: 200 canceled/canceled_by_pos" "$STATUS $(jqr .status) $(jqr .reason)" "200 canceled canceled_by_pos"
FIRST=$BODY
pos POST "/v1/tokens/$T2/cancel" "$M1"
is "cancel again: the same answer" "$STATUS $BODY" "200 $FIRST"
is "stored canceled/canceled_by_pos" "$(token_row "$T2")" "canceled|canceled_by_pos"
is "its confirmation, not picked up, is dropped from the mailbox" \
  "$(psql_q "SELECT (m.dropped_at IS NOT NULL) || ' ' || (m.delivered_at IS NULL) FROM gateway.mailbox m JOIN gateway.token_requests r ON r.id = m.token_request_id WHERE r.token = '$T2'")" "true true"
agree "$T2" "$TD" "$TPW"
refused "a reply to a canceled request" 409 wrong_state
is "... says the state" "$(jqr .token_status)" canceled
is "... and counts no password" "$(user_lock "$TU")" "0|false"
pos POST "/v1/tokens/tk_$(openssl rand 16 | basenc --base64url | tr -d '=\n')/cancel" "$M1"
refused "cancel an unknown ID" 404 unknown_token

# --- no reply by the deadline: expired, lazily by a read ---------------------------------
# The sweeper expires overdue requests too, on its next pass: to show the
# read doing it, the sweeper is held (SIGSTOP) between two passes — when its
# session is idle, so it holds no lock — and let go after the read.
SWEEPER=$(pgrep -P "$(cat "$PAYGW_VAR/run/sweeper.pid")" | head -1)
sweeper_hold() {
  local i
  for i in $(seq 100); do
    kill -STOP "$SWEEPER" || return 1
    [[ $(psql_q "SELECT string_agg(state, ',') FROM pg_stat_activity WHERE application_name = 'paygw-sweeper'") == idle ]] && return 0
    kill -CONT "$SWEEPER"; sleep 0.05
  done
  return 1
}
trap 'kill -CONT "$SWEEPER" 2>/dev/null; flow_cleanup' EXIT
check "(the sweeper held between two passes)" sweeper_hold
token_create "$M1" "$TU" 802; T3=$TOKEN
# the reply window moved into the past, as the history tests move clocks
psql_q "UPDATE gateway.token_requests SET reply_deadline = now() - interval '1 second' WHERE token = '$T3'" >/dev/null
is "overdue: still stored awaiting_reply before any read" "$(token_row "$T3")" "awaiting_reply|"
token_get "$M1" "$T3"
kill -CONT "$SWEEPER"
is "GET: expired/no_reply" "$(jqr .status) $(jqr .reason)" "expired no_reply"
is "... and so stored" "$(token_row "$T3")" "expired|no_reply"
pos POST "/v1/tokens/$T3/cancel" "$M1"
refused "cancel an expired request" 409 wrong_state
is "... says the state" "$(jqr .token_status)" expired
not_agree "$T3" "$TD"
refused "a reply after the deadline" 409 wrong_state

token_create "$M1" "$TU" 803; T4=$TOKEN
psql_q "UPDATE gateway.token_requests SET reply_deadline = now() - interval '1 second' WHERE token = '$T4'" >/dev/null
agree "$T4" "$TD" "$TPW"
refused "a reply after the deadline, before any read" 409 wrong_state
is "... says expired" "$(jqr .token_status)" expired
is "... and takes no password" "$(user_lock "$TU")" "0|false"

# --- ... and by the sweeper, with no read at all -------------------------------------------
token_create "$M1" "$TU" 804; T5=$TOKEN
psql_q "UPDATE gateway.token_requests SET reply_deadline = now() - interval '1 second' WHERE token = '$T5'" >/dev/null
for i in $(seq 30); do [[ $(token_row "$T5") == "expired|no_reply" ]] && break; sleep 1; done
is "the sweeper expires it (within PAYGW_SWEEP_EVERY, 10 s)" "$(token_row "$T5")" "expired|no_reply"
# a request a dead worker left delivering is failed by the sweeper
token_create "$M1" "$TU" 805; T6=$TOKEN
psql_q "UPDATE gateway.token_requests SET status = 'delivering', updated_at = now() - interval '1 hour' WHERE token = '$T6'" >/dev/null
for i in $(seq 30); do [[ $(token_row "$T6") == "failed|issuer_unavailable" ]] && break; sleep 1; done
is "one left delivering by a dead worker: failed/issuer_unavailable" "$(token_row "$T6")" "failed|issuer_unavailable"
token_get "$M1" "$T6"
is "... with no token for the POS" "$(jq -c '[.status, .token]' <<<"$BODY")" '["failed",null]'
done_testing
