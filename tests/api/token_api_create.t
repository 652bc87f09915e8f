#!/usr/bin/env bash
# token_api_create.t — POST /v1/tokens (issue 14, docs/api.md "Tokens"): a
# well-formed request is stored awaiting the shopper's reply and its signed
# token_confirmation (shop, items, total, binding code) is in the user's
# mailbox; the answer has the documented shape and no card data; bad input
# (malformed JSON, missing, over-long, wrongly typed and unknown members, no
# Idempotency-Key, a wrong credential) is refused and nothing is stored;
# an unknown or disabled user is 404 with nothing stored; the same key and
# body answers the first answer again, another body (or the key of a
# transaction) is 409; a locked user, a disabled card and an expired card
# are stored rejected, with no message to the handset ([0152], [0157]).
. "$(dirname "$0")/token_lib.sh"

M1=1111111111 M2=2222222222
refused() {
  local got
  got="$STATUS $(jq -r '.code // "-"' <<<"$BODY" 2>/dev/null) $CTYPE"
  is "$1: $2 $3 (problem+json)" "$got" "$2 $3 application/problem+json"
}
counts() { psql_q "SELECT (SELECT count(*) FROM gateway.token_requests) || ' ' || (SELECT count(*) FROM gateway.mailbox WHERE kind = 'token_confirmation') || ' ' || (SELECT count(*) FROM gateway.idempotency_keys)"; }
post_raw() { pos POST /v1/tokens "$1" -H 'Content-Type: application/json' -H "Idempotency-Key: raw-$(unique_tag)" --data-binary "$2"; }

token_user c$(unique_tag)
U=$TU DEV=$TD

# --- a request stored, the shopper asked ------------------------------------------
BODY_IN=$(jq -cn --arg u "$U" '{user_id: $u, currency: "JPY", reference: "sale-42",
  items: [{name: "Green tea", quantity: 2, unit_price: 1600, tax: 256}]}')
before=$(psql_q "SELECT now()")
pos POST /v1/tokens "$M1" -H 'Content-Type: application/json' -H "Idempotency-Key: first-$(unique_tag)" --data "$BODY_IN"
FIRST=$BODY
is "created: 201" "$STATUS" 201
T=$(jqr .id)
like "the ID is tk_ and 22 base64url characters" "$T" '^tk_[A-Za-z0-9_-]{22}$'
is "awaiting the shopper's reply, no reason, no token yet" "$(jq -c '[.status, .reason, .token]' <<<"$BODY")" '["awaiting_reply",null,null]'
is "the sale: user, merchant, shop, terminal, currency, totals, reference" \
  "$(jq -c '[.user_id, .merchant, .shop, .terminal, .currency, .currency_numeric, .total, .tax_total, .reference]' <<<"$BODY")" \
  "[\"$U\",\"$M1\",\"Shop A Ginza\",\"pos-$M1\",\"JPY\",\"392\",3456,256,\"sale-42\"]"
is "iso_terminal_id is the terminal's field 41" "$(jqr .iso_terminal_id)" \
  "$(psql_q "SELECT iso_terminal_id FROM gateway.terminals WHERE code = 'pos-$M1'")"
is "the items as sent" "$(jq -c '.items[0] | [.name, .quantity, .unit_price, .tax]' <<<"$BODY")" '["Green tea",2,1600,256]'
like "a binding code" "$(jqr .binding_code)" '^[A-Z0-9]{4}$'
created=$(date -d "$(jqr .created_at)" +%s) deadline=$(date -d "$(jqr .reply_deadline)" +%s)
# whole seconds from two clocks: the deadline is the worker's (it is in the
# signed confirmation, made before the row is stored), created_at the
# database's a moment later, so a second boundary between them gives 119
check "the reply is due 120 s after creation (PAYGW_TOKEN_REPLY_S): $((deadline - created))" \
  test "$((deadline - created))" -ge 119 -a "$((deadline - created))" -le 120
is "stored awaiting_reply, for the user's card and handset" \
  "$(psql_q "SELECT r.status || ' ' || (r.card_id = u.card_id) || ' ' || (r.device_id = u.device_id) FROM gateway.token_requests r JOIN gateway.users u USING (user_id) WHERE r.token = '$T'")" \
  "awaiting_reply true true"
confirmation_for "$DEV" "$T"
is "the handset gets a token_confirmation for it" "$(jq -r .kind <<<"$MSG")" token_confirmation
is "signed by the gateway's message key" "$MSG_VERIFIED" true
is "it shows shop, items, totals, binding code and the deadline" \
  "$(jq -c '[.user_id, .device_id, .merchant, .shop, .items[0].name, .currency, .total, .tax_total, .binding_code, .reply_deadline]' <<<"$MSG")" \
  "$(jq -c --arg d "$DEV" '[.user_id, $d, .merchant, .shop, .items[0].name, .currency, .total, .tax_total, .binding_code, .reply_deadline]' <<<"$FIRST")"
is "no other handset is asked" "$(psql_q "SELECT count(*) FROM gateway.mailbox m JOIN gateway.token_requests r ON r.id = m.token_request_id WHERE r.token = '$T' AND m.device_id <> r.device_id")" 0
is "no card data in the answer (no masked number, no digits run)" "$(grep -cE '[0-9]{12}|\*{4}' <<<"$FIRST")" 0

# --- idempotency ---------------------------------------------------------------------
KEY=idem-$(unique_tag)
token_create "$M1" "$U" 700 "$KEY"; A1=$BODY T1=$TOKEN
token_create "$M1" "$U" 700 "$KEY"
is "the same key and body: 201 again" "$STATUS" 201
is "... the first answer, byte for byte" "$BODY" "$A1"
is "... and nothing new stored" "$(psql_q "SELECT count(*) FROM gateway.token_requests WHERE idem_key = '$KEY'")" 1
token_create "$M1" "$U" 701 "$KEY"
refused "the same key, another body" 409 idempotency_conflict
TKEY=txn-$(unique_tag)
pos POST /v1/transactions "$M1" -H 'Content-Type: application/json' -H "Idempotency-Key: $TKEY" --data "$(txn_body 00001 100)"
TXN_NUMBER=$(jqr .transaction)
pos POST /v1/tokens "$M1" -H 'Content-Type: application/json' -H "Idempotency-Key: $TKEY" --data "$(txn_body 00001 100)"
refused "the key of a transaction with the same body" 409 idempotency_conflict
pos POST "/v1/transactions/$TXN_NUMBER/cancel" "$M1"

# --- bad input: refused, nothing stored --------------------------------------------
B=$(counts)
pos POST /v1/tokens "$M1" -H 'Content-Type: application/json' --data "$(token_body "$U")"
refused "no Idempotency-Key" 400 invalid_field
pos POST /v1/tokens "$M1" -H 'Content-Type: application/json' -H 'Idempotency-Key: has space' --data "$(token_body "$U")"
refused "a malformed Idempotency-Key" 400 invalid_field
post_raw "$M1" '{"user_id": "'"$U"'", "currency": "JPY", "items": [{"name": "x", '
refused "malformed JSON" 400 bad_json
post_raw "$M1" '[]'
refused "a JSON array" 400 bad_json
post_raw "$M1" "$(jq -c 'del(.user_id)' <<<"$BODY_IN")"
refused "no user_id" 400 invalid_field
post_raw "$M1" "$(jq -c 'del(.items)' <<<"$BODY_IN")"
refused "no items" 400 invalid_field
post_raw "$M1" "$(jq -c '.items[0].quantity = "2"' <<<"$BODY_IN")"
refused "quantity as a string" 400 invalid_field
post_raw "$M1" "$(jq -c '.items[0].unit_price = 12.5' <<<"$BODY_IN")"
refused "a price with a fraction" 400 invalid_field
post_raw "$M1" "$(jq -c '.user_id = 12345' <<<"$BODY_IN")"
refused "user_id as a number" 400 invalid_field
post_raw "$M1" "$(jq -c --arg n "$(printf 'n%.0s' {1..81})" '.items[0].name = $n' <<<"$BODY_IN")"
refused "an item name of 81 characters" 400 invalid_field
post_raw "$M1" "$(jq -c --arg r "$(printf 'r%.0s' {1..65})" '.reference = $r' <<<"$BODY_IN")"
refused "a reference of 65 characters" 400 invalid_field
post_raw "$M1" "$(jq -c '.items = [range(51) | {name: "x", quantity: 1, unit_price: 1, tax: 0}]' <<<"$BODY_IN")"
refused "51 items" 400 invalid_field
post_raw "$M1" "$(jq -c --arg r "$(head -c 17000 /dev/zero | tr '\0' 'x')" '.reference = $r' <<<"$BODY_IN")"
refused "a body over 16 KiB" 413 body_too_large
post_raw "$M1" "$(jq -c '.pan = "4111111111111111"' <<<"$BODY_IN")"
refused "an unknown member" 400 invalid_field
is "... and the refusal does not echo the card number" "$(grep -c 4111111111111111 <<<"$BODY")" 0
post_raw "$M1" "$(jq -c '.currency = "XXX"' <<<"$BODY_IN")"
refused "a currency not taken" 400 invalid_field
post_raw "$M1" "$(jq -c '.items[0].unit_price = 0 | .items[0].tax = 0' <<<"$BODY_IN")"
refused "a total of 0" 400 invalid_field
api POST /v1/tokens -H 'Content-Type: application/json' -H "Idempotency-Key: nocred-$(unique_tag)" --data "$BODY_IN"
refused "no credential" 401 unauthenticated
api POST /v1/tokens -H "Authorization: Bearer pos-$M1.$(openssl rand 32 | basenc --base64url | tr -d '=\n')" \
  -H 'Content-Type: application/json' -H "Idempotency-Key: wrongcred-$(unique_tag)" --data "$BODY_IN"
refused "a wrong credential" 401 unauthenticated
is "nothing stored for any of them (requests, confirmations, keys)" "$(counts)" "$B"

# --- unknown and disabled users: 404, nothing stored, the key not used up ------------
KEY=unknown-$(unique_tag)
token_create "$M1" "nosuchuser$(unique_tag)" 500 "$KEY"
refused "an unknown user ID" 404 unknown_user
is "... nothing stored, the key not kept" "$(counts)" "$B"
token_user d$(unique_tag)
"$PAYGW_ADMIN" user disable --user-id "$TU" >/dev/null 2>&1
token_create "$M1" "$TU" 500
refused "a disabled user ID" 404 unknown_user
is "... nothing stored" "$(counts)" "$B"

# --- rejections: stored, nothing asked of the handset ---------------------------------
rejected_as() { # NAME REASON: the last answer is a stored rejection without a confirmation
  is "$1: 201 rejected/$2" "$STATUS $(jqr .status)/$(jqr .reason)" "201 rejected/$2"
  is "$1: stored so" "$(token_row "$TOKEN")" "rejected|$2"
  is "$1: no confirmation in the mailbox" \
    "$(psql_q "SELECT count(*) FROM gateway.mailbox m JOIN gateway.token_requests r ON r.id = m.token_request_id WHERE r.token = '$TOKEN'")" 0
}
token_user l$(unique_tag)
psql_q "UPDATE gateway.users SET locked_until = now() + interval '10 minutes' WHERE user_id = '$TU'" >/dev/null
token_create "$M1" "$TU" 500
rejected_as "a locked user ID" user_locked
token_user n$(unique_tag)
"$PAYGW_ADMIN" card disable --id "$CARD_ID" >/dev/null 2>&1
token_create "$M1" "$TU" 500
rejected_as "a disabled card" no_card
token_user e$(unique_tag)
# the card ran out last month: its stored YYMM moved, as the history tests move clocks
psql_q "UPDATE gateway.cards SET expiry = to_char(now() - interval '1 month', 'YYMM') WHERE id = $CARD_ID" >/dev/null
token_create "$M1" "$TU" 500
rejected_as "an expired card" card_expired
REJECTED=$TOKEN
psql_q "UPDATE gateway.cards SET expiry = to_char(now(), 'YYMM') WHERE id = $CARD_ID" >/dev/null
token_create "$M1" "$TU" 500
is "a card good through this month is not expired" "$(jqr .status)" awaiting_reply
token_get "$M1" "$REJECTED"
is "a rejection reads the same on GET" "$(jq -c '[.status, .reason, .token]' <<<"$BODY")" '["rejected","card_expired",null]'
# --- the table's rights (sql/0021): the gateway's role only ----------------------------------
is "the gateway's role may read, add and change token requests, not delete them" \
  "$(psql_q "SELECT string_agg(p, ',') FROM unnest(ARRAY['SELECT','INSERT','UPDATE','DELETE']) p WHERE has_table_privilege('paygw_gateway', 'gateway.token_requests', p)")" \
  "SELECT,INSERT,UPDATE"
is "the history's, the issuer's and the shop's roles have no right on them" \
  "$(psql_q "SELECT count(*) FROM unnest(ARRAY['paygw_history','paygw_issuer','paygw_shop']) r, unnest(ARRAY['SELECT','INSERT','UPDATE','DELETE']) p WHERE has_table_privilege(r, 'gateway.token_requests', p)")" 0
done_testing
