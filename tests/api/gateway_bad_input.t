#!/usr/bin/env bash
# gateway_bad_input.t — issue 5: every endpoint of docs/api.md refuses bad
# input with the documented 4xx as application/problem+json — malformed JSON,
# a JSON array, missing, over-long, wrongly typed and unknown members, a wrong
# content type, a too large body, an unknown transaction, a missing or wrong
# terminal credential, another merchant's terminal, a wrong session, bad
# device signatures — and nothing changes (row counts and the transactions'
# rows before and after).  Idempotency-Key: same key and body → the first
# answer again with Idempotency-Replayed; same key, other body → 409.
. "$(dirname "$0")/flowlib.sh"

M1=1111111111 M2=2222222222 M4=4444444444

# refused NAME HTTP CODE: the last answer is that problem, well formed
refused() {
  local got
  got="$STATUS $(jq -r '.code // "-"' <<<"$BODY" 2>/dev/null) $CTYPE $(jq -r '.status // "-"' <<<"$BODY" 2>/dev/null)"
  is "$1: $2 $3 (problem+json)" "$got" "$2 $3 application/problem+json $2"
}
json_post() { local path=$1 body=$2; shift 2; api POST "$path" -H 'Content-Type: application/json' --data-binary "$body" "$@"; }
big_body() { printf '{"reason": "%s"}' "$(head -c 17000 /dev/zero | tr '\0' 'x')"; }
rand_token() { openssl rand 32 | basenc --base64url | tr -d '=\n'; }

# --- transactions in each waiting state, to aim the bad requests at -------------
flow_to awaiting_device "$M1" 00001;        T_DEV=$TXN
mailbox_find 1234567 "$T_DEV" payment_command; CH=$(msg_field .challenge)
flow_to awaiting_confirmation "$M2" 00002;  T_CONF=$TXN S_CONF=$SESSION
flow_to awaiting_method "$M4" 00003;        T_METH=$TXN S_METH=$SESSION
is "setup: three transactions waiting" "$(txn_status "$M1" "$T_DEV") $(txn_status "$M2" "$T_CONF") $(txn_status "$M4" "$T_METH")" \
  "awaiting_device awaiting_confirmation awaiting_method"
snapshot() {
  echo "$(table_counts) | $(txn_row "$T_DEV") | $(txn_row "$T_CONF") | $(txn_row "$T_METH") |" \
       "$(psql_q "SELECT string_agg(code || ':' || last_poll_ms || ':' || (SELECT count(*) FROM gateway.mailbox m
                   WHERE m.device_id = d.id AND delivered_at IS NULL), ',' ORDER BY code) FROM gateway.devices d")"
}
BEFORE=$(snapshot)

# --- routing ----------------------------------------------------------------------
api GET /v1/nothing-here;                      refused "unknown path" 404 not_found
api DELETE "/v1/transactions/$T_DEV";          refused "DELETE on a transaction" 405 method_not_allowed
api GET /v1/device-auth;                       refused "GET on device-auth" 405 method_not_allowed

# --- terminal credential: every terminal endpoint ----------------------------------
for ep in "POST /v1/transactions" "GET /v1/transactions/$T_DEV" "POST /v1/transactions/$T_DEV/cancel"; do
  read -r method path <<<"$ep"
  api "$method" "$path" -H 'Content-Type: application/json' --data "$(txn_body 00001 100)"
  refused "$method ${path%%/$T_DEV*}…: no credential" 401 unauthenticated
  api "$method" "$path" -H "Authorization: Bearer $(rand_token)" -H 'Content-Type: application/json' --data "$(txn_body 00001 100)"
  refused "$method ${path%%/$T_DEV*}…: a wrong credential" 401 unauthenticated
  api "$method" "$path" -H "Authorization: Basic $(terminal_credential "$M1")" -H 'Content-Type: application/json' --data "$(txn_body 00001 100)"
  refused "$method ${path%%/$T_DEV*}…: the credential in the wrong scheme" 401 unauthenticated
done
pos GET "/v1/transactions/$T_DEV" "$M2";       refused "GET another merchant's transaction" 404 unknown_transaction
pos POST "/v1/transactions/$T_DEV/cancel" "$M2"; refused "cancel another merchant's transaction" 404 unknown_transaction
pos GET /v1/transactions/ZZZZZZZZZZZZZZZZ "$M1"; refused "GET an unknown transaction" 404 unknown_transaction
pos GET /v1/transactions/not-a-number "$M1";   refused "GET a malformed number" 404 unknown_transaction
# bytes that are not UTF-8 (nginx decodes %FF): refused as unknown, never a
# false 503 from PostgreSQL, and the problem body is whole JSON
pos GET /v1/transactions/%FF%FEAAAAAAAAAAAAAA "$M1"; refused "GET a number with non-UTF-8 bytes" 404 unknown_transaction
handset POST %FFAAAAAAAAAAAAAAA confirmation "$(rand_token)" -H 'Content-Type: application/json' --data '{"agree": true}'
refused "confirmation on a number with non-UTF-8 bytes" 404 unknown_transaction
api GET /v1/%FF%C3;                            refused "an unknown path with non-UTF-8 bytes" 404 not_found
is "... its detail quotes the path with the bytes replaced" "$(jqr .detail)" "no resource at /v1/??"
check "... and the gateway logged the request with the path scrubbed" \
  grep -qF "\"path\":\"/v1/??\",\"status\":404" "$PAYGW_VAR/log/gateway.log"
pos POST /v1/transactions/ZZZZZZZZZZZZZZZZ/cancel "$M1"; refused "cancel an unknown transaction" 404 unknown_transaction
for w in abc -1 1.5 3601 99999; do
  pos GET "/v1/transactions/$T_DEV?wait=$w" "$M1"; refused "GET ?wait=$w" 400 invalid_field
done

# --- POST /v1/transactions: the body --------------------------------------------
T=/v1/transactions
AUTH1=(-H "Authorization: Bearer $(terminal_credential "$M1")")
good=$(txn_body 00001 100)
item='{"name": "x", "quantity": 1, "unit_price": 100, "tax": 0}'
with() { jq -c "$1" <<<"$good"; }
bad_txn() { json_post "$T" "$2" "${AUTH1[@]}"; refused "transactions: $1" "${3:-400}" "${4:-invalid_field}"; }
bad_txn "malformed JSON" '{"user_id": "00001", ' 400 bad_json
bad_txn "a JSON array" "[$good]" 400 bad_json
bad_txn "a JSON string" '"00001"' 400 bad_json
bad_txn "an empty body" '' 400 bad_json
bad_txn "duplicate members" '{"user_id": "00001", "user_id": "00002", "currency": "JPY", "items": ['"$item"']}' 400 bad_json
bad_txn "missing user_id" "$(with 'del(.user_id)')"
bad_txn "missing currency" "$(with 'del(.currency)')"
bad_txn "missing items" "$(with 'del(.items)')"
bad_txn "an item without tax" "$(with 'del(.items[0].tax)')"
bad_txn "no items" "$(with '.items = []')"
bad_txn "51 items" "$(with '.items = [range(51) as $i | .items[0]]')"
bad_txn "user_id over 32 characters" "$(with '.user_id = "'"$(printf '0%.0s' {1..33})"'"')"
bad_txn "user_id with other characters" "$(with '.user_id = "00 01"')"
bad_txn "item name over 80 characters" "$(with '.items[0].name = "'"$(printf 'n%.0s' {1..81})"'"')"
bad_txn "reference over 64 characters" "$(with '.reference = "'"$(printf 'r%.0s' {1..65})"'"')"
bad_txn "user_id a number" "$(with '.user_id = 1')"
bad_txn "quantity a string" "$(with '.items[0].quantity = "1"')"
bad_txn "unit_price a float" "$(with '.items[0].unit_price = 1.5')"
bad_txn "unit_price negative" "$(with '.items[0].unit_price = -1')"
bad_txn "unit_price over 10^10" "$(with '.items[0].unit_price = 10000000001')"
bad_txn "quantity 0" "$(with '.items[0].quantity = 0')"
bad_txn "quantity over 9999" "$(with '.items[0].quantity = 10000')"
bad_txn "items an object" "$(with '.items = .items[0]')"
bad_txn "currency not taken" "$(with '.currency = "XYZ"')"
bad_txn "currency lower case" "$(with '.currency = "jpy"')"
bad_txn "an unknown member" "$(with '.amount = 100')"
bad_txn "an unknown item member" "$(with '.items[0].discount = 5')"
bad_txn "a total over the limit" "$(with '.items = [range(50) as $i | {name: "x", quantity: 9999, unit_price: 10000000000, tax: 0}]')"
bad_txn "an unknown user ID" "$(with '.user_id = "99999"')" 404 unknown_user
json_post "$T" "$(big_body)" "${AUTH1[@]}";     refused "transactions: a body over 16 KiB" 413 body_too_large
api POST "$T" "${AUTH1[@]}" -H 'Content-Type: text/plain' --data "$good";  refused "transactions: text/plain" 415 unsupported_media_type
api POST "$T" "${AUTH1[@]}" --data "$good";     refused "transactions: a form content type" 415 unsupported_media_type

# --- POST cancel: the body ----------------------------------------------------------
C=/v1/transactions/$T_DEV/cancel
json_post "$C" '{"reason": ' "${AUTH1[@]}";     refused "cancel: malformed JSON" 400 bad_json
json_post "$C" '[]' "${AUTH1[@]}";               refused "cancel: a JSON array" 400 bad_json
json_post "$C" '{"reason": 5}' "${AUTH1[@]}";    refused "cancel: reason a number" 400 invalid_field
json_post "$C" "{\"reason\": \"$(printf 'r%.0s' {1..121})\"}" "${AUTH1[@]}"; refused "cancel: reason over 120 characters" 400 invalid_field
json_post "$C" '{"why": "x"}' "${AUTH1[@]}";     refused "cancel: an unknown member" 400 invalid_field
json_post "$C" "$(big_body)" "${AUTH1[@]}";      refused "cancel: a body over 16 KiB" 413 body_too_large
api POST "$C" "${AUTH1[@]}" -H 'Content-Type: text/plain' --data '{}'; refused "cancel: text/plain" 415 unsupported_media_type

# --- GET /v1/mailbox: device signature headers ----------------------------------------
DEV=1234567 KEY=$(device_key 1234567)
mb() { api GET /v1/mailbox -H "X-Paygw-Device: $1" -H "X-Paygw-Timestamp: $2" -H "X-Paygw-Signature: $3" "${@:4}"; }
ts=$(now_ms)
api GET /v1/mailbox;                                       refused "mailbox: no signature headers" 401 unauthenticated
api GET /v1/mailbox -H "X-Paygw-Device: $DEV" -H "X-Paygw-Timestamp: $ts"; refused "mailbox: no signature" 401 unauthenticated
mb "$DEV" "$ts" "$(sign_text "$(device_key 2234567)" "mailbox:$DEV:$ts")"; refused "mailbox: signed by another device's key" 401 unauthenticated
mb "$DEV" "$ts" "$(sign_text "$KEY" "mailbox:$DEV:$((ts + 1))")";         refused "mailbox: signature over another timestamp" 401 unauthenticated
mb 9999999 "$ts" "$(sign_text "$KEY" "mailbox:9999999:$ts")";             refused "mailbox: an unknown device" 401 unauthenticated
old=$((ts - 120000))
mb "$DEV" "$old" "$(sign_text "$KEY" "mailbox:$DEV:$old")";                refused "mailbox: a timestamp 2 minutes old" 401 unauthenticated
future=$((ts + 120000))
mb "$DEV" "$future" "$(sign_text "$KEY" "mailbox:$DEV:$future")";          refused "mailbox: a timestamp 2 minutes ahead" 401 unauthenticated
mb "$DEV" "soon" "$(sign_text "$KEY" "mailbox:$DEV:soon")";                refused "mailbox: a timestamp not a number" 401 unauthenticated
mb "$DEV" "$ts" "not-base64url!";                                           refused "mailbox: a malformed signature" 401 unauthenticated
# oversized headers: refused as malformed, before any lookup or buffer use
last_poll() { psql_q "SELECT last_poll_ms FROM gateway.devices WHERE code = '$1'"; }
LAST=$(last_poll "$DEV")
long_dev=$(printf '1%.0s' {1..1000})
mb "$long_dev" "$ts" "$(sign_text "$KEY" "mailbox:$long_dev:$ts")";         refused "mailbox: a 1000-character X-Paygw-Device" 401 unauthenticated
long_ts=$(printf '9%.0s' {1..30})
mb "$DEV" "$long_ts" "$(sign_text "$KEY" "mailbox:$DEV:$long_ts")";         refused "mailbox: a 30-digit timestamp" 401 unauthenticated
# 10240 base64url characters.  Over HTTP/2 what counts for nginx is the
# header's HPACK (Huffman) size: "A" takes 6 bits (7.5 KiB in all), "Z" and
# "x" 7 (8.75 KiB): both must be refused by the gateway like any bad signature
sig_a=$(printf 'A%.0s' {1..10240}) sig_zx=$(printf 'Zx%.0s' {1..5120})
mb "$DEV" "$ts" "$sig_a";                  refused "mailbox: a 10 KB signature (HTTP/2, 7.5 KiB encoded)" 401 unauthenticated
mb "$DEV" "$ts" "$sig_zx";                 refused "mailbox: a 10 KB signature (HTTP/2, 8.75 KiB encoded)" 401 unauthenticated
mb "$DEV" "$ts" "$sig_a" --http1.1;        refused "mailbox: a 10 KB signature (HTTP/1.1)" 401 unauthenticated
is "mailbox: the oversized headers left last_poll_ms alone" "$(last_poll "$DEV")" "$LAST"

# --- POST /v1/device-auth ---------------------------------------------------------------
dgood=$(device_auth_body "$T_DEV" 00001 1234567 "$CH")
dwith() { jq -c "$1" <<<"$dgood"; }
bad_da() { json_post /v1/device-auth "$2"; refused "device-auth: $1" "${3:-400}" "${4:-invalid_field}"; }
bad_da "malformed JSON" '{"transaction": ' 400 bad_json
bad_da "a JSON array" "[$dgood]" 400 bad_json
bad_da "missing transaction" "$(dwith 'del(.transaction)')"
bad_da "missing user_id" "$(dwith 'del(.user_id)')"
bad_da "missing device_id" "$(dwith 'del(.device_id)')"
bad_da "missing signature" "$(dwith 'del(.signature)')"
bad_da "missing challenge" "$(dwith 'del(.challenge)')"
bad_da "missing auth_result" "$(dwith 'del(.auth_result)')"
bad_da "missing auth_result.expires_at" "$(dwith 'del(.auth_result.expires_at)')"
bad_da "missing auth_result.verified_at" "$(dwith 'del(.auth_result.verified_at)')"
bad_da "user_id over 32 characters" "$(dwith '.user_id = "'"$(printf '0%.0s' {1..33})"'"')"
bad_da "device_id over 32 characters" "$(dwith '.device_id = "'"$(printf '1%.0s' {1..33})"'"')"
bad_da "transaction over 32 characters" "$(dwith '.transaction = "'"$(printf 'T%.0s' {1..33})"'"')"
bad_da "a challenge of the wrong length" "$(dwith '.challenge = .challenge + "A"')"
bad_da "a signature of the wrong length" "$(dwith '.signature = .signature[0:80]')"
bad_da "auth_result a string" "$(dwith '.auth_result = "yes"')"
bad_da "device_id a number" "$(dwith '.device_id = 1234567')"
bad_da "verified_at not a time" "$(dwith '.auth_result.verified_at = "yesterday"')"
bad_da "an auth result spanning over an hour" \
  "$(device_auth_body "$T_DEV" 00001 1234567 "$CH" "" $(( $(date +%s) + 3000 )) $(( $(date +%s) - 1000 )))"
bad_da "an unknown member" "$(dwith '.pin = "1234"')"
bad_da "an unknown auth_result member" "$(dwith '.auth_result.level = 2')"
bad_da "an unknown transaction" "$(device_auth_body ZZZZZZZZZZZZZZZZ 00001 1234567 "$CH")" 404 unknown_transaction
bad_da "an unknown user ID" "$(device_auth_body "$T_DEV" 99999 1234567 "$CH")" 403 device_refused
json_post /v1/device-auth "$(big_body)";                        refused "device-auth: a body over 16 KiB" 413 body_too_large
api POST /v1/device-auth -H 'Content-Type: text/plain' --data "$dgood"; refused "device-auth: text/plain" 415 unsupported_media_type

# --- the session endpoints ------------------------------------------------------------
CF=/v1/transactions/$T_CONF/confirmation
SC=(-H "Authorization: Bearer $S_CONF")
json_post "$CF" '{"agree": true}';                       refused "confirmation: no session" 401 unauthenticated
json_post "$CF" '{"agree": true}' -H "Authorization: Bearer $(rand_token)"; refused "confirmation: a made-up session" 401 unauthenticated
json_post "$CF" '{"agree": true}' -H "Authorization: Bearer $S_METH"; refused "confirmation: another transaction's session" 401 unauthenticated
json_post "$CF" '{"agree": true}' -H "Authorization: Bearer short"; refused "confirmation: a malformed session" 401 unauthenticated
json_post /v1/transactions/ZZZZZZZZZZZZZZZZ/confirmation '{"agree": true}' "${SC[@]}"; refused "confirmation: an unknown transaction" 404 unknown_transaction
json_post "$CF" '{"agree": ' "${SC[@]}";                 refused "confirmation: malformed JSON" 400 bad_json
json_post "$CF" '[true]' "${SC[@]}";                     refused "confirmation: a JSON array" 400 bad_json
json_post "$CF" '{}' "${SC[@]}";                         refused "confirmation: missing agree" 400 invalid_field
json_post "$CF" '{"agree": "yes"}' "${SC[@]}";           refused "confirmation: agree a string" 400 invalid_field
json_post "$CF" '{"agree": 1}' "${SC[@]}";               refused "confirmation: agree a number" 400 invalid_field
json_post "$CF" '{"agree": true, "method": "L"}' "${SC[@]}"; refused "confirmation: an unknown member" 400 invalid_field
json_post "$CF" '{"agree": true, "agree": false}' "${SC[@]}"; refused "confirmation: duplicate members" 400 bad_json
json_post "$CF" "$(big_body)" "${SC[@]}";                refused "confirmation: a body over 16 KiB" 413 body_too_large
api POST "$CF" "${SC[@]}" -H 'Content-Type: text/plain' --data '{"agree": true}'; refused "confirmation: text/plain" 415 unsupported_media_type

PM=/v1/transactions/$T_METH/payment-method
SM=(-H "Authorization: Bearer $S_METH")
json_post "$PM" '{"method": "L"}';                       refused "payment-method: no session" 401 unauthenticated
json_post "$PM" '{"method": "L"}' "${SC[@]}";            refused "payment-method: another transaction's session" 401 unauthenticated
json_post /v1/transactions/ZZZZZZZZZZZZZZZZ/payment-method '{"method": "L"}' "${SM[@]}"; refused "payment-method: an unknown transaction" 404 unknown_transaction
json_post "$PM" '{"method": ' "${SM[@]}";                refused "payment-method: malformed JSON" 400 bad_json
json_post "$PM" '["L"]' "${SM[@]}";                      refused "payment-method: a JSON array" 400 bad_json
json_post "$PM" '{}' "${SM[@]}";                         refused "payment-method: missing method" 400 invalid_field
json_post "$PM" '{"method": "LLL"}' "${SM[@]}";          refused "payment-method: method over 2 characters" 400 invalid_field
json_post "$PM" '{"method": 1}' "${SM[@]}";              refused "payment-method: method a number" 400 invalid_field
json_post "$PM" '{"method": "I", "installments": "3"}' "${SM[@]}"; refused "payment-method: installments a string" 400 invalid_field
json_post "$PM" '{"method": "I", "installments": 100}' "${SM[@]}"; refused "payment-method: installments over 99" 400 invalid_field
json_post "$PM" '{"method": "L", "amount": 1}' "${SM[@]}"; refused "payment-method: an unknown member" 400 invalid_field
json_post "$PM" "$(big_body)" "${SM[@]}";                refused "payment-method: a body over 16 KiB" 413 body_too_large
api POST "$PM" "${SM[@]}" -H 'Content-Type: text/plain' --data '{"method": "L"}'; refused "payment-method: text/plain" 415 unsupported_media_type

api GET "/v1/transactions/$T_METH/payment-methods";      refused "payment-methods: no session" 401 unauthenticated
api GET "/v1/transactions/$T_METH/payment-methods" "${SC[@]}"; refused "payment-methods: another transaction's session" 401 unauthenticated
api GET /v1/transactions/ZZZZZZZZZZZZZZZZ/payment-methods "${SM[@]}"; refused "payment-methods: an unknown transaction" 404 unknown_transaction

# --- nothing changed ------------------------------------------------------------------
is "no refusal changed anything (row counts, the three transactions, devices' polls and mailboxes)" "$(snapshot)" "$BEFORE"
is "the transactions are still where they were" "$(txn_status "$M1" "$T_DEV") $(txn_status "$M2" "$T_CONF") $(txn_status "$M4" "$T_METH")" \
  "awaiting_device awaiting_confirmation awaiting_method"
handset GET "$T_METH" payment-methods "$S_METH"
is "the sessions still work after the refusals" "$STATUS" 200

# --- a signed poll replayed ---------------------------------------------------------
# accepted once; sent again unchanged after more than half the poll interval
# (so it is not merely too soon: that would be 429 slow_down) it is refused
sleep 1.1
ts=$(now_ms) sig=$(sign_text "$KEY" "mailbox:$DEV:$ts")
mb "$DEV" "$ts" "$sig"
is "replay: the signed poll is accepted once" "$STATUS" 200
is "replay: ... and recorded as the device's last" "$(last_poll "$DEV")" "$ts"
sleep 1.1
mb "$DEV" "$ts" "$sig"
refused "replay: the same signed poll again 1.1 s later" 401 unauthenticated
like "replay: ... says it was already used" "$(jqr .detail)" "already used"
is "replay: ... last_poll_ms unchanged" "$(last_poll "$DEV")" "$ts"
ts2=$(now_ms)
mb "$DEV" "$ts2" "$(sign_text "$KEY" "mailbox:$DEV:$ts2")"
is "replay: a new signed poll right after is accepted" "$STATUS" 200

# --- Idempotency-Key ----------------------------------------------------------------
KEY_=flowtests-$(date +%s%N)
H=$FLOW_TMP/headers
COUNTS0=$(table_counts)
body1=$(txn_body 00001 250)
body1_again=$(jq '{reference, items, currency, user_id}' <<<"$body1")      # other order and spacing
pos POST "$T" "$M1" -H 'Content-Type: application/json' -H "Idempotency-Key: $KEY_" --data "$body1" -D "$H"
is "idempotency: the first request: 201" "$STATUS" 201
FIRST=$BODY
check "idempotency: the first answer is not marked replayed" bash -c "! grep -qi '^Idempotency-Replayed' '$H'"
pos POST "$T" "$M1" -H 'Content-Type: application/json' -H "Idempotency-Key: $KEY_" --data "$body1_again" -D "$H"
is "idempotency: the same key and body (reordered, respaced): 201 again" "$STATUS" 201
is "idempotency: ... the very same answer" "$BODY" "$FIRST"
check "idempotency: ... with Idempotency-Replayed: true" grep -qi '^Idempotency-Replayed: true' "$H"
pos POST "$T" "$M1" -H 'Content-Type: application/json' -H "Idempotency-Key: $KEY_" --data "$(txn_body 00001 251)"
refused "idempotency: the same key with another body" 409 idempotency_conflict
is "idempotency: one transaction and one payment command, one key" "$(table_counts)" \
  "$(awk '{print $1 + 1, $2 + 1, $3, $4 + 1}' <<<"$COUNTS0")"
pos POST "$T" "$M2" -H 'Content-Type: application/json' -H "Idempotency-Key: $KEY_" --data "$body1"
is "idempotency: the same key from another merchant's terminal is its own: 201" "$STATUS" 201
check "idempotency: ... a new transaction" test "$(jqr .transaction)" != "$(jq -r .transaction <<<"$FIRST")"
pos POST "$T" "$M1" -H 'Content-Type: application/json' -H "Idempotency-Key: bad key!" --data "$body1"
refused "idempotency: a malformed key" 400 invalid_field
pos POST "$T" "$M1" -H 'Content-Type: application/json' -H "Idempotency-Key: $(printf 'k%.0s' {1..65})" --data "$body1"
refused "idempotency: a key over 64 characters" 400 invalid_field
KEY2=$KEY_-u
pos POST "$T" "$M1" -H 'Content-Type: application/json' -H "Idempotency-Key: $KEY2" --data "$(txn_body 99999 100)"
refused "idempotency: an unknown user with a key" 404 unknown_user
# (for user 00004: 00001 has its three open transactions, PAYGW_MAX_OPEN_PER_USER)
pos POST "$T" "$M1" -H 'Content-Type: application/json' -H "Idempotency-Key: $KEY2" --data "$(txn_body 00004 100)"
is "idempotency: a refused request does not keep its key (201 with another body)" "$STATUS" 201
pos POST "$T" "$M1" -H 'Content-Type: application/json' -H "Idempotency-Key: $KEY_" --data "$(txn_body 00001 100)"
refused "idempotency: the key still conflicts for other bodies" 409 idempotency_conflict
is "idempotency: in all three transactions, three payment commands, three keys" "$(table_counts)" \
  "$(awk '{print $1 + 3, $2 + 3, $3, $4 + 3}' <<<"$COUNTS0")"

# --- polling too fast: 429 slow_down, and nothing is lost -----------------------------
sleep 1.1
mailbox_get 3345678
is "slow_down: a poll after a pause: 200" "$STATUS" 200
pos POST "$T" "$M4" -H 'Content-Type: application/json' --data "$(txn_body 00003 100)"
T_SLOW=$(jqr .transaction)
mailbox_get 3345678 "$(now_ms)" -D "$H"
refused "slow_down: polling again at once" 429 slow_down
is "slow_down: ... says the interval" "$(jqr .interval)" "${PAYGW_POLL_INTERVAL:-2}"
check "slow_down: ... with Retry-After" grep -qi '^Retry-After: [0-9]' "$H"
sleep 1.1
mailbox_get 3345678
is "slow_down: the message held back then is delivered by the next poll" \
  "$(jq -r --arg t "$T_SLOW" '[.messages[].message | fromjson | select(.transaction == $t)] | length' <<<"$BODY")" 1

done_testing
