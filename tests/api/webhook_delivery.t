#!/usr/bin/env bash
# webhook_delivery.t — issue 12: the end of each payment reaches the
# merchant's shop as one signed webhook (docs/webhooks.md).  A merchant of
# the test's own registers a URL (paygw-admin merchant webhook set: the
# secret shown once, stored sealed); a payment completed, one declined by
# the issuer (user 00007, over its limit) and one canceled by the terminal
# each give the shop exactly one POST with the Standard Webhooks headers,
# whose signature the openssl command line verifies with the secret; the
# bodies say what the terminal sees and hold no card number; a merchant
# without a URL queues nothing.
. "$(dirname "$0")/webhook_lib.sh"

check "a merchant of the test's own, with a terminal and the issuer's side" wh_merchant
check "the shop's endpoint listens on 127.0.0.1:$WH_PORT" wh_receiver_start

# --- registration -------------------------------------------------------------
out=$("$PAYGW_ADMIN" merchant webhook set --code "$WH_MERCHANT" --url "$WH_URL" 2>"$FLOW_TMP/set.err"); rc=$?
is "webhook set: exit status 0" "$rc" 0
SECRET=$out
like "... prints the new secret as the only line on stdout: whsec_ + base64 of 32 bytes" "$SECRET" \
  '^whsec_[A-Za-z0-9+/]{43}=$'
is "... of 32 random bytes" "$(printf '%s' "${SECRET#whsec_}" | base64 -d | wc -c)" 32
like "... and says on stderr it is shown once" "$(cat "$FLOW_TMP/set.err")" 'shown this once'
SECRET_HEX=$(printf '%s' "${SECRET#whsec_}" | base64 -d | od -An -v -tx1 | tr -d ' \n')
is "the URL is stored" "$(psql_q "SELECT webhook_url FROM gateway.merchants WHERE code = '$WH_MERCHANT'")" "$WH_URL"
is "the secret is stored sealed: 12 + 32 + 16 bytes, none of them the secret's" \
  "$(psql_q "SELECT length(webhook_secret) || ' ' || position(decode('$SECRET_HEX', 'hex') IN webhook_secret)
               FROM gateway.merchants WHERE code = '$WH_MERCHANT'")" "60 0"
dump=$(mktemp)
pg_dump --schema=gateway "$PAYGW_PGURI" >"$dump"
check "a dump of the gateway schema was made" test -s "$dump"
is "... and holds neither the secret's text nor its bytes in hex" \
  "$(grep -cF -e "${SECRET#whsec_}" -e "$SECRET_HEX" "$dump")" 0
rm -f "$dump"
sealed=$(psql_q "SELECT webhook_secret::text || webhook_secret_at FROM gateway.merchants WHERE code = '$WH_MERCHANT'")
out=$("$PAYGW_ADMIN" merchant webhook set --code "$WH_MERCHANT" --url "$WH_URL" 2>/dev/null); rc=$?
is "set again (same URL): exit 0, no new secret on stdout" "$rc:$out" "0:"
is "... the sealed secret unchanged" \
  "$(psql_q "SELECT webhook_secret::text || webhook_secret_at FROM gateway.merchants WHERE code = '$WH_MERCHANT'")" "$sealed"
before=$(psql_q "SELECT webhook_url || webhook_secret::text FROM gateway.merchants WHERE code = '$WH_MERCHANT'")
"$PAYGW_ADMIN" merchant webhook set --code "$WH_MERCHANT" --url "http://shop.example/hook" >/dev/null 2>"$FLOW_TMP/bad.err"; rc=$?
is "an http URL off this machine is refused (exit 2)" "$rc" 2
like "... saying why" "$(cat "$FLOW_TMP/bad.err")" 'https://HOST'
"$PAYGW_ADMIN" merchant webhook set --code 999999999999999 --url "$WH_URL" >/dev/null 2>"$FLOW_TMP/bad.err"; rc=$?
is "an unknown merchant is refused (exit 2)" "$rc:$(grep -c "^paygw-admin: unknown merchant" "$FLOW_TMP/bad.err")" "2:1"
is "... and nothing changed" \
  "$(psql_q "SELECT webhook_url || webhook_secret::text FROM gateway.merchants WHERE code = '$WH_MERCHANT'")" "$before"

# --- three payments, three ends -------------------------------------------------
flow_to chosen "$WH_MERCHANT" 00001 500 L
is "user 00001 pays 500 JPY: completed ($FLOW_ERROR)" "$(jqr .status)" completed
T_DONE=$TXN
flow_to chosen "$WH_MERCHANT" 00007 5000 L
is "user 00007 pays 5000 JPY over its limit: declined ($FLOW_ERROR)" "$(jqr .status)" declined
T_DECLINED=$TXN
flow_to awaiting_device "$WH_MERCHANT" 00001 300
pos POST "/v1/transactions/$TXN/cancel" "$WH_MERCHANT"
is "the terminal cancels a third one ($FLOW_ERROR)" "$STATUS:$(jqr .status)" 200:canceled
T_CANCELED=$TXN
check "the shop received three requests" wh_wait 3
sleep 1   # and no more than one each
is "... and no more" "$(wh_count)" 3

# check_event NUMBER TYPE: one request for the transaction, signed, headers present
check_event() {
  local txn=$1 type=$2 n id ts sig
  n=$(wh_for_txn "$txn")
  is "$type: one request for transaction $txn" "$(wc -w <<<"$n")" 1
  n=${n%% *}
  [[ -n $n ]] || return 0
  id=$(wh_header "$n" webhook-id) ts=$(wh_header "$n" webhook-timestamp) sig=$(wh_header "$n" webhook-signature)
  like "$type: webhook-id header (msg_ + 32 hex digits)" "$id" '^msg_[0-9a-f]{32}$'
  between "$type: webhook-timestamp is now (unix seconds)" "$ts" $(($(date +%s) - 60)) $(($(date +%s) + 5))
  like "$type: webhook-signature is v1,<base64>" "$sig" '^v1,[A-Za-z0-9+/]{43}=$'
  is "$type: the signature verifies with the secret (openssl dgst -hmac over id.timestamp.body)" \
    "$sig" "$(wh_expected_sig "$n" "$SECRET")"
  is "$type: content-type is JSON" "$(wh_header "$n" content-type)" application/json
  is "$type: the shop answered 200" "$(cat "$WH_DIR/$(printf %04d "$n").status")" 200
  is "$type: body type" "$(wh_body "$n" | jq -r .type)" "payment.$type"
  is "$type: body data.status, merchant, currency" "$(wh_body "$n" | jq -r '[.data.status, .data.merchant, .data.currency] | join(" ")')" \
    "$type $WH_MERCHANT JPY"
  like "$type: body completed_at is RFC 3339 UTC" "$(wh_body "$n" | jq -r .data.completed_at)" '^20[0-9-]{8}T[0-9:]{8}Z$'
  is "$type: the event's row says delivered at the first attempt, 200" "$(wh_wait_row "$txn" "delivered 1 200")" \
    "delivered 1 200"
  EVENT_N=$n
}
check_event "$T_DONE" completed
is "completed: total, tax, method and masked card" \
  "$(wh_body "$EVENT_N" | jq -r '[.data.total, .data.tax_total, .data.method, .data.card_masked] | join(" ")')" \
  "500 0 L ${USER_CARD[00001]}"
nonempty "completed: an approval code" "$(wh_body "$EVENT_N" | jq -r ".data.approval_code // empty")"
is "completed: the approval code, as the terminal sees it" "$(wh_body "$EVENT_N" | jq -r .data.approval_code)" \
  "$(pos GET "/v1/transactions/$T_DONE" "$WH_MERCHANT"; jqr .completion.approval_code)"
check_event "$T_DECLINED" declined
is "declined: code 51 and no approval" "$(wh_body "$EVENT_N" | jq -r '[.data.response_code, .data.approval_code] | join(" ")')" "51 "
check_event "$T_CANCELED" canceled
is "canceled: no method, no card" "$(wh_body "$EVENT_N" | jq -c '[.data.method, .data.card_masked]')" "[null,null]"

# no card number in any body, header or the sender's log
pans=$(grep -oE '"[0-9]{12,19}"' "$TEST_ROOT/lib/common/demo_data.h" | tr -d '"' | sort -u)
check "the demo card numbers were read (8 or more)" test "$(wc -w <<<"$pans")" -ge 8
check "the sender's log is there to search" test -s "$WH_LOG"
found=0
for pan in $pans; do
  grep -rqF -- "$pan" "$WH_DIR" "$WH_LOG" && found=$((found + 1))
done
is "no card number in what the shop received or in the sender's log" "$found" 0
check "... which does hold the masked card" grep -rqF -- "${USER_CARD[00001]}" "$WH_DIR"
check "the sender logged each attempt (event, delivered, status 200)" \
  grep -qE "\"msg\":\"webhook attempt\".*\"transaction\":\"$T_DONE\".*\"delivered\":true.*\"http_status\":200" "$WH_LOG"
check "... and never the secret" bash -c '! grep -qF -- "$1" "$2"' _ "${SECRET#whsec_}" "$WH_LOG"

# show: the URL, the secret's date (never the secret), the events
out=$("$PAYGW_ADMIN" merchant webhook show --code "$WH_MERCHANT" 2>&1)
like "webhook show: the URL" "$out" "url +$WH_URL"
like "... the events: 3 delivered" "$out" "0 pending, 3 delivered, 0 failed"
check "... never the secret" bash -c '! grep -qF -- "$1" <<<"$2"' _ "${SECRET#whsec_}" "$out"

# a merchant without a URL: nothing queued, the terminal polls as before
flow_to chosen 1111111111 00001 200 L
is "a payment at the demo merchant (no URL) completes ($FLOW_ERROR)" "$(jqr .status)" completed
is "... and queues no event" "$(psql_q "SELECT count(*) FROM gateway.webhook_events e JOIN gateway.transactions t ON t.id = e.transaction_id WHERE t.number = '$TXN'")" 0
done_testing
