# tests/api/client_token_lib.sh — shared by the client_token_*.t tests: the
# second embodiment with the two real programs.  `pos token-sale` listens on
# the proximity link, talks to the gateway through nginx and to the credit
# server straight (its merchant certificate from var/stack.env); `handset
# watch` answers the token confirmation with the demo user's web password;
# `handset pay` sends the user ID.  Sources client_lib.sh.
. "$(dirname "${BASH_SOURCE[0]}")/client_lib.sh"
TOKEN_STARTED=$(psql_q "SELECT now()" 2>/dev/null)
# cancel_open_tokens: the token requests this test left waiting for a reply
# are canceled (as merchant 1111111111's terminal), so their confirmations
# are no longer open when a later test's handset meets them
cancel_open_tokens() {
  local id cred
  cred=$(env_get "$PAYGW_VAR/demo/terminals.env" PAYGW_TERMINAL_1111111111)
  for id in $(psql_q "SELECT token FROM gateway.token_requests WHERE created_at >= '$TOKEN_STARTED'
                        AND status = 'awaiting_reply'" 2>/dev/null); do
    curl -s -o /dev/null --max-time 15 --cacert "$PAYGW_CA" -X POST -H "Authorization: Bearer $cred" \
      "$PAYGW_URL/v1/tokens/$id/cancel"
  done
}
token_cleanup() { cancel_open_tokens; client_cleanup; }
trap token_cleanup EXIT
PORT=${PAYGW_TEST_LINK_PORT:-$((${PAYGW_TEST_PORT_BASE:-10600} + 1))}
CARD_A=1525000012345678 # user 00001's card (demo_data.h): the POS must never hold it

# token_pos NAME ARGS... → `pos token-sale` for merchant 1111111111 in the
# background; output $CT/NAME.out, journal $JOURNAL (default
# $CT/NAME.journal); sets POS_PID
token_pos() {
  local name=$1; shift
  "$POS" token-sale --journal "${JOURNAL:-$CT/$name.journal}" --merchant 1111111111 --reference "t-$name-$$" \
    --listen "127.0.0.1:$PORT" --link-timeout 30 "$@" >"$CT/$name.out" 2>&1 &
  POS_PID=$!
  CLIENT_PIDS+=("$POS_PID")
  wait_for "$CT/$name.out" "proximity link 127.0.0.1:$PORT" 10
}

# token_watch NAME STORE ARGS... → `handset watch --once` in the background
# (output $CT/NAME.watch); sets WATCH
token_watch() {
  local name=$1 store=$2; shift 2
  "$HANDSET" --store "$store" watch --once --for 60 "$@" >"$CT/$name.watch" 2>&1 &
  WATCH=$!
  CLIENT_PIDS+=("$WATCH")
}

# send_user USER STORE: authenticates USER on the handset and sends it to the POS
send_user() {
  PAYGW_HANDSET_PASSWORD=demo-pass-$1 "$HANDSET" --store "$2" pay --user "$1" --link "127.0.0.1:$PORT" \
    >>"$CT/pay.out" 2>&1
}
# send_raw_user USER: a user ID over the link as any handset would send it
send_raw_user() {
  exec 3<>"/dev/tcp/127.0.0.1/$PORT" 2>/dev/null || return 1
  printf 'PAYGW-LINK 1 USER %s\n' "$1" >&3
  read -r -t 5 _ <&3
  exec 3>&-
}

# the token request's id the POS printed in $CT/NAME.out
pos_token() { grep -oE 'Token request tk_[A-Za-z0-9_-]{22}' "$CT/$1.out" | head -1 | awk '{print $3}'; }
# "status|reason" of a token request at the gateway
token_row() { psql_q "SELECT status || '|' || coalesce(reason, '') FROM gateway.token_requests WHERE token = '$1'"; }
# the issuer's balance of card A
balance_a() { psql_q "SELECT balance FROM issuer.card_accounts WHERE card_masked = '152500******5678'"; }
# counts at the issuer: "token_keys authorizations"
issuer_counts() {
  psql_q "SELECT (SELECT count(*) FROM issuer.token_keys) || ' ' || (SELECT count(*) FROM issuer.authorizations)"
}
# jline FILE N FILTER: jq FILTER on line N of a journal
jline() { sed -n "$2p" "$1" | jq -r "$3"; }

# no_card_in PAN FILES...: no run of 12 or more digits in the files is PAN
# (nor any demo card: no_pan_in), checked byte by byte (grep -a)
no_card_in() {
  local pan=$1; shift
  ! grep -aohE '[0-9]{12,}' "$@" 2>/dev/null | grep -qF -- "$pan" && no_pan_in "$@"
}

# unlock_user USER: clears the web-password counter a wrong-password case left
unlock_user() { "$PAYGW_ADMIN" user unlock --user-id "$1" >/dev/null 2>&1; }
