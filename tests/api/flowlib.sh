# tests/api/flowlib.sh — shared by the flow_*.t and gateway_*.t tests: the
# payment flow of docs/api.md driven as a POS terminal and as a handset would,
# with curl and the openssl command line only (device signatures made with
# `openssl pkeyutl -sign -rawin`, gateway message signatures checked with
# `openssl pkeyutl -verify -rawin`).  Sources lib.sh; `flow_to STATE ...`
# runs a new transaction up to a state.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DEMO_DIR=${PAYGW_DEMO_DIR:-$PAYGW_VAR/demo}
[[ -r $DEMO_DIR/terminals.env ]] || { echo "not ok - demo data in $DEMO_DIR (paygw-admin demo --out-dir $DEMO_DIR)"; exit 1; }
# shellcheck disable=SC1091
. "$DEMO_DIR/terminals.env"
FLOW_TMP=$(mktemp -d)
FLOW_STARTED=$(psql_q "SELECT now()" 2>/dev/null)
# on exit: what the test left waiting is canceled (lib.sh, cancel_open_since)
flow_cleanup() { cancel_open_since "$FLOW_STARTED"; rm -rf "$FLOW_TMP"; }
trap flow_cleanup EXIT

# needs_test_controls: the test drives the credit server's test controls
# (delay and drop rules, docs/credit-server.md), which scripts/check turns
# on; without them it is a failure, not a skip.  Sets CONTROLS (the rules
# file) and keeps its content for restore_controls, which the test's EXIT
# trap calls.
needs_test_controls() {
  if [[ -z ${PAYGW_CREDIT_TEST_CONTROLS:-} ]]; then
    echo "not ok - the credit server runs with test controls (start the stack with PAYGW_CREDIT_TEST_CONTROLS=FILE; scripts/check does)"
    exit 1
  fi
  CONTROLS=$PAYGW_CREDIT_TEST_CONTROLS CONTROLS_SAVED=$FLOW_TMP/controls.saved
  if [[ -f $CONTROLS ]]; then cp "$CONTROLS" "$CONTROLS_SAVED"; fi
}
restore_controls() { if [[ -f $CONTROLS_SAVED ]]; then cat "$CONTROLS_SAVED" >"$CONTROLS"; else rm -f "$CONTROLS"; fi; }

# The demo handsets of lib/common/demo_data.h: user ID → device ID.
declare -A USER_DEVICE=([00001]=1234567 [00004]=1234567 [00005]=1234567 [00002]=2234567
                        [00003]=3345678 [00006]=4456789 [00007]=4456789 [00008]=4456789)
# ... and the masked form of each user's card (16 digits: first 6, last 4), never the number
declare -A USER_CARD=([00001]=152500******5678 [00004]=136000******6784 [00005]=135550******6780
                      [00002]=145259******3456 [00003]=153996******4568 [00006]=152500******6787
                      [00007]=152500******7895 [00008]=152500******9991)

# like DESCRIPTION GOT REGEX: ok when GOT matches the (bash) regular expression
# between DESCRIPTION GOT LOW HIGH: ok when LOW <= GOT < HIGH (integers)
between() {
  if [[ $2 =~ ^-?[0-9]+$ ]] && (( $2 >= $3 && $2 < $4 )); then ok "$1"; else not_ok "$1 (got '$2', want $3..$4)"; fi
}
# problem_state → the transaction's state a problem answer carries (wrong_state,
# issuer_unavailable): "transaction_status", or "status" when that is a string
# (problem+json's own "status" is the HTTP status number)
problem_state() { jq -r '.transaction_status // (.status | strings) // empty' <<<"$BODY"; }
nonempty() { if [[ -n $2 ]]; then ok "$1"; else not_ok "$1 (empty)"; fi; }

now_ms() { date +%s%3N; }
rfc3339_at() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }     # rfc3339_at EPOCH-SECONDS

# --- the terminal (POS) -----------------------------------------------------

terminal_credential() { local v="PAYGW_TERMINAL_$1"; echo "${!v}"; }

# pos METHOD PATH MERCHANT [curl args...] → STATUS, BODY, CTYPE as api does
pos() {
  local method=$1 path=$2 merchant=$3; shift 3
  api "$method" "$path" -H "Authorization: Bearer $(terminal_credential "$merchant")" "$@"
}

# txn_body USER AMOUNT [TAX] → a one-item JSON body in yen
txn_body() {
  jq -cn --arg u "$1" --argjson p "$2" --argjson t "${3:-0}" \
    '{user_id: $u, currency: "JPY", items: [{name: "Test item", quantity: 1, unit_price: $p, tax: $t}],
      reference: "flowtest"}'
}

# txn_create MERCHANT USER [AMOUNT] → TXN, BINDING (and STATUS, BODY)
txn_create() {
  TXN="" BINDING=""
  pos POST /v1/transactions "$1" -H 'Content-Type: application/json' --data "$(txn_body "$2" "${3:-500}")"
  if [[ $STATUS == 201 ]]; then TXN=$(jqr .transaction); BINDING=$(jqr .binding_code); fi
}

# txn_status MERCHANT NUMBER → prints the status the terminal sees
txn_status() { pos GET "/v1/transactions/$2" "$1"; jqr .status; }

# --- the handset: signatures ----------------------------------------------

# device_key DEVICE → prints the path of the device's private key (PEM)
device_key() {
  local pem=$DEMO_DIR/devices/$1.pem
  if [[ ! -r $pem ]]; then
    pem=$FLOW_TMP/$1.pem
    [[ -s $pem ]] || jq -r .device_private_key "$DEMO_DIR/uim/$1.json" >"$pem"
  fi
  echo "$pem"
}

# sign_text KEYFILE TEXT → base64url Ed25519 signature, no padding
sign_text() {
  printf '%s' "$2" >"$FLOW_TMP/to-sign"
  openssl pkeyutl -sign -inkey "$1" -rawin -in "$FLOW_TMP/to-sign" | basenc --base64url | tr -d '=\n'
}

# verify_gateway_signature TEXT B64URL-SIGNATURE → true when the gateway's
# message key signed exactly these bytes
verify_gateway_signature() {
  local sig=$2
  printf '%s' "$1" >"$FLOW_TMP/signed"
  while (( ${#sig} % 4 )); do sig="$sig="; done
  basenc --base64url -d <<<"$sig" >"$FLOW_TMP/sig" 2>/dev/null || return 1
  openssl pkeyutl -verify -pubin -inkey "$PAYGW_MESSAGE_PUBKEY_FILE" -rawin \
    -in "$FLOW_TMP/signed" -sigfile "$FLOW_TMP/sig" >/dev/null 2>&1
}

# --- the handset: mailbox -------------------------------------------------

# mailbox_get DEVICE [TIMESTAMP-MS [curl args...]] → one signed poll; STATUS, BODY
mailbox_get() {
  local dev=$1 ts=${2:-$(now_ms)}; shift; shift || true
  local sig; sig=$(sign_text "$(device_key "$dev")" "mailbox:$dev:$ts")
  api GET /v1/mailbox -H "X-Paygw-Device: $dev" -H "X-Paygw-Timestamp: $ts" -H "X-Paygw-Signature: $sig" "$@"
  MAILBOX_LAST_TS=$ts
}

# mailbox_poll DEVICE → polls (waiting out a 429 slow_down); every message
# picked up goes to $FLOW_TMP/mbox.DEVICE as one line
# {"verified": bool, "message": <parsed>}; MAILBOX_VERIFY_FAILED counts bad ones
MAILBOX_VERIFY_FAILED=0
mailbox_poll() {
  local dev=$1 try n i raw sig verified
  for try in 1 2 3 4; do
    mailbox_get "$dev"
    [[ $STATUS == 429 ]] || break
    sleep 1.05      # half the poll interval (2 s) must pass
  done
  [[ $STATUS == 200 ]] || return 1
  n=$(jq '.messages | length' <<<"$BODY")
  for ((i = 0; i < n; i++)); do
    raw=$(jq -r ".messages[$i].message" <<<"$BODY")
    sig=$(jq -r ".messages[$i].signature" <<<"$BODY")
    verified=false
    if verify_gateway_signature "$raw" "$sig"; then verified=true; else MAILBOX_VERIFY_FAILED=$((MAILBOX_VERIFY_FAILED + 1)); fi
    jq -c --argjson v "$verified" '{verified: $v, message: .}' <<<"$raw" >>"$FLOW_TMP/mbox.$dev"
  done
  MAILBOX_LAST_COUNT=$n
}

# mailbox_find DEVICE NUMBER KIND → MSG (the parsed message) and MSG_VERIFIED;
# polls until it comes (older messages of the device are picked up first,
# 20 per poll). Returns 1 when it does not come.
mailbox_find() {
  local dev=$1 number=$2 kind=$3 polls
  for polls in 0 1 2 3 4 5 6 7 8; do
    if [[ -s $FLOW_TMP/mbox.$dev ]]; then
      local line
      line=$(jq -c --arg t "$number" --arg k "$kind" \
        'select(.message.transaction == $t and .message.kind == $k)' "$FLOW_TMP/mbox.$dev" | head -1)
      if [[ -n $line ]]; then
        MSG=$(jq -c .message <<<"$line"); MSG_VERIFIED=$(jq -r .verified <<<"$line")
        return 0
      fi
    fi
    [[ $polls -gt 0 && ${MAILBOX_LAST_COUNT:-0} -eq 0 ]] && break   # an empty poll: it is not there
    mailbox_poll "$dev" || return 1
  done
  MSG="" MSG_VERIFIED=false
  return 1
}
msg_field() { jq -r "$1 // empty" <<<"$MSG"; }

# --- the handset: device-auth and the session steps -------------------------

# device_auth_body NUMBER USER DEVICE CHALLENGE [SIGNING-KEY] [EXPIRES-EPOCH] [VERIFIED-EPOCH]
# → prints the JSON body with a signature over the documented text
device_auth_body() {
  local number=$1 user=$2 dev=$3 challenge=$4 key=${5:-} now; now=$(date +%s)
  local expires; expires=$(rfc3339_at "${6:-$((now + 1800))}")
  local verified; verified=$(rfc3339_at "${7:-$((now - 60))}")
  [[ -n $key ]] || key=$(device_key "$dev")
  local sig; sig=$(sign_text "$key" "device-auth:$number:$user:$challenge:$expires")
  jq -cn --arg t "$number" --arg u "$user" --arg d "$dev" --arg c "$challenge" --arg s "$sig" \
    --arg v "$verified" --arg e "$expires" \
    '{transaction: $t, user_id: $u, device_id: $d, auth_result: {verified_at: $v, expires_at: $e},
      challenge: $c, signature: $s}'
}

# device_auth BODY → STATUS, BODY; SESSION when 200
device_auth() {
  SESSION=""
  api POST /v1/device-auth -H 'Content-Type: application/json' --data "$1"
  [[ $STATUS == 200 ]] && SESSION=$(jqr .session)
  return 0
}

# handset METHOD NUMBER STEP SESSION [curl args...] → /v1/transactions/NUMBER/STEP
handset() {
  local method=$1 number=$2 step=$3 session=$4; shift 4
  api "$method" "/v1/transactions/$number/$step" -H "Authorization: Bearer $session" "$@"
}
confirm() { handset POST "$1" confirmation "$2" -H 'Content-Type: application/json' --data "{\"agree\": $3}"; }
# choose NUMBER SESSION METHOD [INSTALLMENTS]
choose() {
  local body; body=$(jq -cn --arg m "$3" --arg n "${4:-}" '{method: $m} + (if $n == "" then {} else {installments: ($n | tonumber)} end)')
  handset POST "$1" payment-method "$2" -H 'Content-Type: application/json' --data "$body"
}

# --- the whole flow -----------------------------------------------------------

# flow_to STATE MERCHANT USER [AMOUNT] [METHOD] [INSTALLMENTS]: a new
# transaction run up to STATE (awaiting_device, awaiting_confirmation,
# awaiting_method, or "chosen": the method answer is in STATUS/BODY).
# Sets TXN, BINDING, DEVICE, CHALLENGE, COMMAND (the payment command), SESSION,
# FLOW_ERROR (empty when every step answered as documented).
flow_to() {
  local target=$1 merchant=$2 user=$3 amount=${4:-500} method=${5:-L} inst=${6:-}
  DEVICE=${USER_DEVICE[$user]} CHALLENGE="" COMMAND="" SESSION="" FLOW_ERROR=""
  txn_create "$merchant" "$user" "$amount"
  [[ $STATUS == 201 ]] || { FLOW_ERROR="create answered $STATUS: $BODY"; return 1; }
  [[ $target == awaiting_device ]] && return 0
  mailbox_find "$DEVICE" "$TXN" payment_command || { FLOW_ERROR="no payment command for $TXN in the mailbox of $DEVICE"; return 1; }
  COMMAND=$MSG CHALLENGE=$(msg_field .challenge)
  device_auth "$(device_auth_body "$TXN" "$user" "$DEVICE" "$CHALLENGE")"
  [[ $STATUS == 200 ]] || { FLOW_ERROR="device-auth answered $STATUS: $BODY"; return 1; }
  [[ $target == awaiting_confirmation ]] && return 0
  confirm "$TXN" "$SESSION" true
  [[ $STATUS == 200 ]] || { FLOW_ERROR="confirmation answered $STATUS: $BODY"; return 1; }
  [[ $target == awaiting_method ]] && return 0
  choose "$TXN" "$SESSION" "$method" $inst
}

# --- throwaway enrolments (paygw-admin), for tests that fill or disable them ----

# enrol_shopper NAME [PAN]: subscriber sNAME, handset hNAME (its key where
# device_key finds it), a card (PAN, else a number in no issuer's range) and
# the user ID uNAME, all active; USER_DEVICE and USER_CARD learn them and
# CARD_ID is the card's row.  Returns 1 when paygw-admin refused a step.
enrol_shopper() {
  local name=$1 pan=${2:-} out
  [[ -n $pan ]] || pan=$(luhn "99$(date +%s%N | tail -c 14 | head -c 13)")
  {
    "$PAYGW_ADMIN" subscriber add --code "s$name" --name "Test shopper $name" &&
    "$PAYGW_ADMIN" device add --subscriber "s$name" --code "h$name" --key-out "$FLOW_TMP/h$name.pem" &&
    out=$(echo "$pan" | "$PAYGW_ADMIN" card add --subscriber "s$name" --expiry 3012 --label "Card $name") &&
    echo "a long password $name" | "$PAYGW_ADMIN" user add --user-id "u$name" --subscriber "s$name" \
      --card "$(cut -d' ' -f2 <<<"$out")" --device "h$name"
  } >/dev/null 2>>"$FLOW_TMP/enrol.err" || return 1
  CARD_ID=$(cut -d' ' -f2 <<<"$out")
  USER_DEVICE[u$name]=h$name
  USER_CARD[u$name]=$(cut -d' ' -f3 <<<"$out")
}

# issuer_enrol_card PAN: the credit server's account for the card (limit
# 1,000,000 yen), so an authorization of it is approved
issuer_enrol_card() {
  echo "$1" | "$TEST_ROOT/credit-server/credit-server" --enrol-account --expiry 3012 --limit 1000000 \
    --holder "Test holder" --address "-" >/dev/null 2>>"$FLOW_TMP/enrol.err"
}

# enrol_terminal MERCHANT CODE: a new terminal of the merchant; its
# credential goes to PAYGW_TERMINAL_CODE, so `pos METHOD PATH CODE` uses it
enrol_terminal() {
  local cred
  cred=$("$PAYGW_ADMIN" terminal add --merchant "$1" --code "$2" 2>>"$FLOW_TMP/enrol.err") || return 1
  printf -v "PAYGW_TERMINAL_$2" '%s' "$cred"
}

# --- the database, read as the operator would -------------------------------

# table_counts → "transactions mailbox authorizations idempotency_keys" row counts
table_counts() {
  psql_q "SELECT (SELECT count(*) FROM gateway.transactions) || ' ' || (SELECT count(*) FROM gateway.mailbox)
          || ' ' || (SELECT count(*) FROM gateway.authorizations) || ' ' || (SELECT count(*) FROM gateway.idempotency_keys)"
}
# txn_row NUMBER → "status|updated_at|challenge_used|session set" of the row
txn_row() {
  psql_q "SELECT status || '|' || updated_at || '|' || challenge_used || '|' || (session_hash IS NOT NULL)
            FROM gateway.transactions WHERE number = '$1'"
}
# issuer_auths_for NUMBER → authorizations the credit server holds for this
# transaction (matched on STAN + terminal + transmission time, the ISO key)
issuer_auths_for() {
  psql_q "SELECT count(*) FROM issuer.authorizations ia
            JOIN gateway.authorizations ga ON ia.stan = lpad(ga.stan::text, 6, '0')
             AND ia.transmission_time = ga.transmission_time AND ia.terminal_id = ga.terminal_code
            JOIN gateway.transactions t ON t.id = ga.transaction_id
           WHERE t.number = '$1'"
}
# issuer_auths_since USER SINCE → every 0100 the issuer recorded for that
# user's demo card since SINCE (a timestamptz), whatever it was matched to
issuer_auths_since() {
  local m=${USER_CARD[$1]}
  psql_q "SELECT count(*) FROM issuer.authorizations a JOIN issuer.card_accounts c ON c.id = a.account_id
           WHERE c.card_masked = '$m' AND a.created_at >= '$2'"
}
# issuer_balance USER → the balance the issuer holds on that user's card
issuer_balance() {
  local m=${USER_CARD[$1]}
  psql_q "SELECT balance FROM issuer.card_accounts WHERE card_masked = '$m'"
}
db_now() { psql_q "SELECT now()"; }
