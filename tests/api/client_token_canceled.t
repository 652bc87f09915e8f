#!/usr/bin/env bash
# client_token_canceled.t — token sales that end without a token, as the POS
# and the handset show them: the shopper answers Not agree (canceled,
# not_agreed), types a wrong web password (canceled, wrong_password; the
# handset exits 4), does not answer at all (the reply window runs out:
# expired, no_reply), or the clerk stops the POS (canceled_by_pos).  Each time the POS prints why, a SALE NOT PAID slip,
# journals token_canceled / token_expired and exits 1, and nothing reaches
# the credit server: no key delivered, no authorization, balance unchanged.
. "$(dirname "$0")/client_token_lib.sh"
STORE=$(store_copy 1234567 h1)
unlock_user 00001
trap 'unlock_user 00001; token_cleanup' EXIT
before=$(balance_a)
counts=$(issuer_counts)

# --- Not agree
token_pos no --item "Coffee beans,2,1200,192"
token_watch wno "$STORE" --not-agree
send_user 00001 "$STORE"
wait_exit "$WATCH" 60; is "not agree: watch exit status 1" "$RC" 1
check "not agree: the handset says so" grep -q "^You did not agree: the shop's request was canceled.$" "$CT/wno.watch"
wait_exit "$POS_PID" 60; is "not agree: pos exit status 1" "$RC" 1
T=$(pos_token no)
is "not agree: canceled at the gateway" "$(token_row "$T")" "canceled|not_agreed"
check "not agree: the POS prints why" grep -q "^No payment: the token request was canceled (not_agreed).$" "$CT/no.out"
check "not agree: the slip" grep -q "^SALE NOT PAID - CANCELED$" "$CT/no.out"
is "not agree: journal" "$(jq -r '[.status, .token, .reason] | join(" ")' "$CT/no.journal")" "token_canceled $T not_agreed"

# --- a wrong web password
token_pos wrong --item "Coffee beans,2,1200,192"
PAYGW_WEB_PASSWORD="not the web password" token_watch wwrong "$STORE" --agree --method L
send_user 00001 "$STORE"
wait_exit "$WATCH" 60; is "wrong password: watch exit status 4" "$RC" 4
check "wrong password: the handset says so" grep -q "^Wrong web password: the shop's request was canceled.$" "$CT/wwrong.watch"
wait_exit "$POS_PID" 60; is "wrong password: pos exit status 1" "$RC" 1
T=$(pos_token wrong)
is "wrong password: canceled at the gateway" "$(token_row "$T")" "canceled|wrong_password"
check "wrong password: the POS prints why" grep -q "^No payment: the token request was canceled (wrong_password).$" "$CT/wrong.out"
is "wrong password: journal" "$(jq -r '.status + " " + .reason' "$CT/wrong.journal")" "token_canceled wrong_password"
is "wrong password: counted against the user ID" "$(psql_q "SELECT failed_attempts FROM gateway.users WHERE user_id = '00001'")" 1

# --- no reply at all
token_pos silent --item "Coffee beans,2,1200,192"
send_user 00001 "$STORE"
wait_for "$CT/silent.out" "Token request tk_" 20
T=$(pos_token silent)
check "no reply: the POS waits" grep -q "\[awaiting_reply\]" "$CT/silent.out"
# the reply window (120 s) shortened for this one request
psql_q "UPDATE gateway.token_requests SET reply_deadline = now() - interval '1 second' WHERE token = '$T'" >/dev/null
wait_exit "$POS_PID" 60; is "no reply: pos exit status 1" "$RC" 1
is "no reply: expired at the gateway" "$(token_row "$T")" "expired|no_reply"
check "no reply: the POS prints why" grep -q "^No payment: the token request was expired (no_reply).$" "$CT/silent.out"
check "no reply: the slip" grep -q "^SALE NOT PAID - EXPIRED$" "$CT/silent.out"
is "no reply: journal" "$(jq -r '.status + " " + .reason' "$CT/silent.journal")" "token_expired no_reply"
# the handset that answers late is told the request has ended
PAYGW_WEB_PASSWORD=demo-web-00001 token_watch wlate "$STORE" --agree --method L --for 8
wait_exit "$WATCH" 20
check "late handset: ignores the old confirmation or is told it ended" \
  grep -qE "reply deadline has passed|no longer open" "$CT/wlate.watch"

# --- the clerk gives up (Ctrl-C) while the shopper has not answered
token_pos stopped --item "Coffee beans,2,1200,192"
send_user 00001 "$STORE"
wait_for "$CT/stopped.out" "\[awaiting_reply\]" 20
T=$(pos_token stopped)
kill -INT "$POS_PID"
wait_exit "$POS_PID" 40; is "stopped at the POS: pos exit status 1" "$RC" 1
is "stopped at the POS: canceled at the gateway" "$(token_row "$T")" "canceled|canceled_by_pos"
check "stopped at the POS: said" grep -q "^The sale was canceled at the POS.$" "$CT/stopped.out"
is "stopped at the POS: journal" "$(jq -r '.status + " " + .reason' "$CT/stopped.journal")" "token_canceled canceled_by_pos"

is "nothing reached the credit server: no key, no authorization" "$(issuer_counts)" "$counts"
is "balance unchanged" "$(balance_a)" "$before"
check "no card number anywhere the POS wrote" no_card_in "$CARD_A" "$CT"/*.out "$CT"/*.journal
done_testing
