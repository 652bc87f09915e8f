# tests/api/paylib.sh — the first embodiment's payment flow driven the way
# the POS and the handset drive it: curl through nginx + TLS, device
# signatures made with the openssl command line (docs/api.md).  Sourced by
# the payment_*.t tests after lib.sh.
. "$(dirname "$0")/lib.sh"

DEMO=$PAYGW_VAR/demo
# the demo's users (lib/common/demo_data.h): user → device
declare -A DEVICE_OF=([00001]=1234567 [00004]=1234567 [00005]=1234567 [00002]=2234567
                      [00003]=3345678 [00006]=4456789 [00007]=4456789 [00008]=4456789)
declare -A PAN_OF=([00001]=1525000012345678 [00004]=1360000123456784 [00005]=1355500123456780
                   [00002]=1452590000123456 [00003]=1539960101234568 [00006]=1525000023456787
                   [00007]=1525000034567895 [00008]=1525000099999991)

terminal_cred() { grep -h "^PAYGW_TERMINAL_$1=" "$DEMO/terminals.env" | cut -d= -f2-; }
MERCHANT=${MERCHANT:-1111111111}

# sign DEVICE TEXT → base64url Ed25519 signature by the device's key
sign() {
  local f; f=$(mktemp)
  printf '%s' "$2" >"$f"
  openssl pkeyutl -sign -inkey "$DEMO/devices/$1.pem" -rawin -in "$f" | basenc --base64url | tr -d '=\n'
  rm -f "$f"
}
# verify_message TEXT SIGNATURE → true when the gateway's message key signed TEXT
verify_message() {
  local m s; m=$(mktemp); s=$(mktemp)
  printf '%s' "$1" >"$m"
  local pad=$(( (4 - ${#2} % 4) % 4 )) sig=$2
  sig+=$(printf '%*s' "$pad" '' | tr ' ' '=')
  basenc --base64url -d <<<"$sig" >"$s" 2>/dev/null
  openssl pkeyutl -verify -pubin -inkey "$PAYGW_MESSAGE_PUBKEY_FILE" -rawin -in "$m" -sigfile "$s" >/dev/null 2>&1
  local rc=$?; rm -f "$m" "$s"; return $rc
}

# new_txn USER [MERCHANT] [ITEMS-JSON] → TXN, BINDING (STATUS/BODY of the POST)
new_txn() {
  local user=$1 merchant=${2:-$MERCHANT}
  local items=${3:-'[{"name":"Coffee beans","quantity":2,"unit_price":1200,"tax":192},{"name":"Mug","quantity":1,"unit_price":800,"tax":64}]'}
  api POST /v1/transactions -H "Authorization: Bearer $(terminal_cred "$merchant")" \
    -H 'Content-Type: application/json' -d "{\"user_id\":\"$user\",\"currency\":\"JPY\",\"items\":$items}"
  TXN=$(jqr '.transaction // empty'); BINDING=$(jqr '.binding_code // empty')
}

# poll DEVICE → BODY of a served mailbox pickup (waits out slow_down)
poll() {
  local i ts
  for i in $(seq 40); do
    ts=$(date +%s%3N)
    api GET /v1/mailbox -H "X-Paygw-Device: $1" -H "X-Paygw-Timestamp: $ts" \
      -H "X-Paygw-Signature: $(sign "$1" "mailbox:$1:$ts")"
    [[ $STATUS == 429 ]] || return 0
    sleep 0.3
  done
}
# command_for DEVICE TXN → CHALLENGE (and COMMAND, SIGNATURE) of TXN's payment command
command_for() {
  poll "$1"
  COMMAND=$(jq -r --arg n "$2" '.messages[] | select((.message | fromjson | .transaction) == $n and (.message | fromjson | .kind) == "payment_command") | .message' <<<"$BODY" | head -1)
  SIGNATURE=$(jq -r --arg m "$COMMAND" '.messages[] | select(.message == $m) | .signature' <<<"$BODY" | head -1)
  CHALLENGE=$(jq -r '.challenge // empty' <<<"${COMMAND:-{\}}")
}

AUTH_VERIFIED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
AUTH_EXPIRES=$(date -u -d '+1 hour' +%Y-%m-%dT%H:%M:%SZ)
# device_auth USER DEVICE TXN CHALLENGE [EXPIRES] [SIGNING-DEVICE] → SESSION
device_auth() {
  local user=$1 dev=$2 txn=$3 ch=$4 exp=${5:-$AUTH_EXPIRES} signer=${6:-$2}
  local verified=$AUTH_VERIFIED
  [[ $exp < $AUTH_VERIFIED ]] && verified=$(date -u -d '-2 hours' +%Y-%m-%dT%H:%M:%SZ)
  local sig; sig=$(sign "$signer" "device-auth:$txn:$user:$ch:$exp")
  api POST /v1/device-auth -H 'Content-Type: application/json' -d "{\"transaction\":\"$txn\",\"user_id\":\"$user\",\"device_id\":\"$dev\",\"auth_result\":{\"verified_at\":\"$verified\",\"expires_at\":\"$exp\"},\"challenge\":\"$ch\",\"signature\":\"$sig\"}"
  SESSION=$(jqr '.session // empty')
}
confirm() { api POST "/v1/transactions/$1/confirmation" -H "Authorization: Bearer $SESSION" -H 'Content-Type: application/json' -d "{\"agree\":$2}"; }
choose() { api POST "/v1/transactions/$1/payment-method" -H "Authorization: Bearer $SESSION" -H 'Content-Type: application/json' -d "$2"; }
pos_get() { api GET "/v1/transactions/$1${3:-}" -H "Authorization: Bearer $(terminal_cred "${2:-$MERCHANT}")"; }

# to_state STATE USER [MERCHANT] → a fresh transaction TXN of USER in STATE
# (awaiting_device, awaiting_confirmation, awaiting_method), SESSION set
to_state() {
  local want=$1 user=$2 merchant=${3:-$MERCHANT} dev=${DEVICE_OF[$2]}
  new_txn "$user" "$merchant"
  [[ $want == awaiting_device ]] && return 0
  command_for "$dev" "$TXN"
  device_auth "$user" "$dev" "$TXN" "$CHALLENGE"
  [[ $want == awaiting_confirmation ]] && return 0
  confirm "$TXN" true
}

txn_status() { psql_q "SELECT status FROM gateway.transactions WHERE number = '$1'"; }
# issuer_auths TXN → how many authorizations the credit server holds for it
issuer_auths() {
  psql_q "SELECT count(*) FROM issuer.authorizations ia JOIN gateway.authorizations ga
            ON ia.stan = lpad(ga.stan::text, 6, '0') AND ia.transmission_time = ga.transmission_time
           AND ia.terminal_id = rtrim(ga.terminal_code)
          JOIN gateway.transactions t ON t.id = ga.transaction_id
         WHERE t.number = '$1' AND ia.status = 'approved'"
}
balance_of() { psql_q "SELECT balance FROM issuer.card_accounts WHERE last4 = '${1: -4}' AND first6 = '${1:0:6}'"; }
