# tests/api/token_lib.sh — shared by the token_api_*.t tests: the second
# embodiment's gateway side (docs/api.md "Tokens") driven as a POS and a
# handset would, with curl and the openssl command line.  The handset
# stand-in signs its reply as flowlib.sh signs device requests: Ed25519 by
# the device key (openssl pkeyutl -rawin) over
#   token-reply:<id>:<device>:<timestamp ms>:<SHA-256 hex of the body bytes>
# Test user IDs are the test's own (paygw-admin, flowlib.sh's
# enrol_shopper), so no test locks or spends a demo user.  Sources flowlib.sh.
. "$(dirname "${BASH_SOURCE[0]}")/flowlib.sh"

# token_user NAME [WEB-PASSWORD]: a user ID uNAME of the test's own with
# handset hNAME and a card (PAN, else one in no issuer's range: TOKEN_PAN
# picks it), with that web password (default "web password NAME ok"); sets
# TU (the user ID), TD (its handset), TPW (the password), CARD_ID.
token_user() {
  local name=$1 pw=${2:-web password $1 ok}
  enrol_shopper "$name" ${TOKEN_PAN:-} || { echo "not ok - enrol user u$name"; return 1; }
  TU=u$name TD=h$name TPW=$pw
  if [[ $pw != - ]]; then
    printf '%s\n' "$pw" | "$PAYGW_ADMIN" user set-web-password --user-id "$TU" >/dev/null 2>>"$FLOW_TMP/enrol.err" \
      || { echo "not ok - set the web password of $TU"; return 1; }
  fi
}

# token_body USER [AMOUNT] [TAX] → POST /v1/tokens's body (POST /v1/transactions's)
token_body() { txn_body "$1" "${2:-500}" "${3:-0}"; }

# token_create MERCHANT USER [AMOUNT] [IDEMPOTENCY-KEY] → TOKEN (when 201),
# IDEM (the key used), STATUS, BODY
token_create() {
  IDEM=${4:-tk-$(unique_tag)-$RANDOM} TOKEN=""
  pos POST /v1/tokens "$1" -H 'Content-Type: application/json' -H "Idempotency-Key: $IDEM" \
    --data "$(token_body "$2" "${3:-500}")"
  if [[ $STATUS == 201 ]]; then TOKEN=$(jqr .id); fi
  return 0
}

# token_get MERCHANT ID [QUERY] → STATUS, BODY
token_get() { pos GET "/v1/tokens/$2${3:+?$3}" "$1"; }

# reply_body AGREE DEVICE [PASSWORD] → the reply's JSON
reply_body() {
  if [[ $1 == true ]]; then
    jq -cn --arg d "$2" --arg p "$3" '{agree: true, password: $p, device_id: $d}'
  else
    jq -cn --arg d "$2" '{agree: false, device_id: $d}'
  fi
}

# token_reply ID DEVICE BODY [KEYFILE] [TIMESTAMP-MS] [SIGNED-BODY] → STATUS, BODY:
# the handset's signed reply (X-Paygw-Device DEVICE, signed with KEYFILE,
# default the device's key, over SIGNED-BODY, default BODY)
token_reply() {
  local id=$1 dev=$2 body=$3 key=${4:-} ts=${5:-$(now_ms)} signed=${6-$3}
  [[ -n $key ]] || key=$(device_key "$dev")
  local sha; sha=$(printf '%s' "$signed" | sha256sum | cut -d' ' -f1)
  local sig; sig=$(sign_text "$key" "token-reply:$id:$dev:$ts:$sha")
  api POST "/v1/tokens/$id/reply" -H 'Content-Type: application/json' -H "X-Paygw-Device: $dev" \
    -H "X-Paygw-Timestamp: $ts" -H "X-Paygw-Signature: $sig" --data-binary "$body"
}
# agree ID DEVICE PASSWORD / not_agree ID DEVICE: the usual replies
agree() { token_reply "$1" "$2" "$(reply_body true "$2" "$3")"; }
not_agree() { token_reply "$1" "$2" "$(reply_body false "$2")"; }

# token_row ID → "status|reason" as stored
token_row() { psql_q "SELECT status || '|' || coalesce(reason, '') FROM gateway.token_requests WHERE token = '$1'"; }
# user_lock USER → "failed_attempts|locked" of the user ID (the history's counters)
user_lock() {
  psql_q "SELECT failed_attempts || '|' || coalesce(locked_until > now(), false) FROM gateway.users WHERE user_id = '$1'"
}
# confirmation_for DEVICE ID → MSG: the token_confirmation for ID in the
# handset's mailbox (MSG_VERIFIED: its gateway signature verified)
confirmation_for() {
  local polls line
  for polls in 1 2 3 4 5 6; do
    if [[ -s $FLOW_TMP/mbox.$1 ]]; then
      line=$(jq -c --arg t "$2" 'select(.message.kind == "token_confirmation" and .message.token == $t)' \
        "$FLOW_TMP/mbox.$1" | head -1)
      if [[ -n $line ]]; then
        MSG=$(jq -c .message <<<"$line") MSG_VERIFIED=$(jq -r .verified <<<"$line")
        return 0
      fi
    fi
    mailbox_poll "$1" || return 1
  done
  MSG="" MSG_VERIFIED=false
  return 1
}
# gateway_log_since LINE → the gateway's log from line LINE on
gateway_log_lines() { wc -l <"$PAYGW_VAR/log/gateway.log"; }
gateway_log_since() { tail -n +"$(($1 + 1))" "$PAYGW_VAR/log/gateway.log"; }
