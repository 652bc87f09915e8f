#!/usr/bin/env bash
# token_api_issue.t — the end of a token request (issue 14, [0145]-[0148],
# [0159]-[0161], [0167]): the right web password makes a fresh key, the card
# number is encrypted under it and the key delivered to the credit server
# (0600), which stores it (issuer.token_keys) and answers 00; the request is
# issued and the POS gets key ID, encrypted number, expiry (issue time + 15
# min) and the last four digits — nothing else of the card — while the
# handset gets the status only.  Two requests for the same card give
# different keys and encrypted numbers.  No card number and no key in any
# answer, the gateway's table or its log.  A request that ends otherwise
# (rejected, Not agree, wrong password) sends nothing to the credit server;
# with the credit server down the request fails as issuer_unavailable.
. "$(dirname "$0")/token_lib.sh"

M1=1111111111
# a card in a demo issuer range, so the credit server holds an account for it
PAN=$(luhn "152505$(date +%s%N | tail -c 10 | head -c 9)")
issuer_enrol_card "$PAN" || echo "not ok - the issuer's account for the test card"
TOKEN_PAN=$PAN token_user i$(unique_tag); U=$TU D=$TD PW=$TPW
LOGLINE=$(gateway_log_lines)
issuer_keys() { psql_q "SELECT count(*) FROM issuer.token_keys"; }
ANSWERS=$FLOW_TMP/answers   # every byte the POS and the handset were answered
keep() { printf '%s\n' "$BODY" >>"$ANSWERS"; }

# --- issued ---------------------------------------------------------------------------------
token_create "$M1" "$U" 3456; T=$TOKEN; keep
confirmation_for "$D" "$T"
is "the shopper is asked" "$(jq -r .kind <<<"$MSG") $MSG_VERIFIED" "token_confirmation true"
agree "$T" "$D" "$PW"; keep
is "the right password: 200 issued" "$STATUS $(jqr .status)" "200 issued"
is "... the handset gets the status only" "$(jq -c 'keys' <<<"$BODY")" '["id","reason","status"]'
token_get "$M1" "$T"; keep
TK=$(jq -c .token <<<"$BODY")
is "the POS: issued, no reason" "$(jqr .status) $(jqr .reason)" "issued null"
is "the token holds exactly key ID, encrypted number, expiry and last four digits" \
  "$(jq -c 'keys' <<<"$TK")" '["card_last4","encrypted_card_number","expires_at","expiry","key_id"]'
KID=$(jq -r .key_id <<<"$TK") ECN=$(jq -r .encrypted_card_number <<<"$TK") EXP=$(jq -r .expiry <<<"$TK")
like "key ID: 22 base64url characters" "$KID" '^[A-Za-z0-9_-]{22}$'
like "encrypted number: 55-63 base64url characters" "$ECN" '^[A-Za-z0-9_-]{55,63}$'
is "card_last4: the card's" "$(jq -r .card_last4 <<<"$TK")" "${PAN: -4}"
is "expires_at is the expiry" "$(date -u -d "$(jq -r .expires_at <<<"$TK")" +%Y%m%d%H%M%S)" "$EXP"
between "... 15 minutes from now (PAYGW_TOKEN_TTL_S, s)" "$(( $(date -u -d "$(jq -r .expires_at <<<"$TK")" +%s) - $(date +%s) ))" 880 901
is "stored issued, with what the POS got" \
  "$(psql_q "SELECT status || '|' || key_id || '|' || encrypted_card_number || '|' || expiry || '|' || response_code FROM gateway.token_requests WHERE token = '$T'")" \
  "issued|$KID|$ECN|$EXP|00"
is "the credit server holds the key for that key ID and encrypted number" \
  "$(psql_q "SELECT count(*) FROM issuer.token_keys WHERE key_id = '$KID' AND ecn = '$ECN'")" 1
is "the gateway's table has no column for a key (key_id and idem_key only)" \
  "$(psql_q "SELECT string_agg(column_name, ',' ORDER BY column_name) FROM information_schema.columns WHERE table_schema = 'gateway' AND table_name = 'token_requests' AND column_name LIKE '%key%'")" \
  "idem_key,key_id"
agree "$T" "$D" "$PW"; keep
is "a second reply: 409, the token stays" "$STATUS $(token_row "$T")" "409 issued|"

# --- a second request for the same card: another key, another number ([0167]) ------------------
token_create "$M1" "$U" 3456; T2=$TOKEN; keep
agree "$T2" "$D" "$PW"; keep
token_get "$M1" "$T2"; keep
is "the second request is issued too" "$(jqr .status)" issued
check "... with another key ID" test "$(jqr .token.key_id)" != "$KID"
check "... and another encrypted number for the same card and amount" test "$(jqr .token.encrypted_card_number)" != "$ECN"

# --- ended otherwise: nothing to the credit server ------------------------------------------------
K0=$(issuer_keys)
token_create "$M1" "$U" 500; keep; not_agree "$TOKEN" "$D"; keep
token_create "$M1" "$U" 501; keep; agree "$TOKEN" "$D" "not the password"; keep
token_create "$M1" "$U" 502; keep; pos POST "/v1/tokens/$TOKEN/cancel" "$M1"; keep
is "Not agree, a wrong password, a cancel: no key at the credit server" "$(issuer_keys)" "$K0"
is "... and none at the gateway" "$(psql_q "SELECT count(*) FROM gateway.token_requests WHERE user_id = '$U' AND key_id IS NOT NULL")" 2

# --- the credit server down: failed/issuer_unavailable, no token ---------------------------------
"$PAYGW_ROOT/scripts/stack" credit-stop >/dev/null 2>&1
token_create "$M1" "$U" 503; T3=$TOKEN; keep
agree "$T3" "$D" "$PW"; keep
"$PAYGW_ROOT/scripts/stack" credit-restart >/dev/null 2>&1
is "the credit server down: 200 failed/issuer_unavailable" "$STATUS $(jqr .status)/$(jqr .reason)" "200 failed/issuer_unavailable"
token_get "$M1" "$T3"; keep
is "... and the POS gets no token" "$(jq -c '[.status, .reason, .token]' <<<"$BODY")" '["failed","issuer_unavailable",null]'
token_create "$M1" "$U" 504; T4=$TOKEN; keep
agree "$T4" "$D" "$PW"; keep
is "back up: the next request is issued" "$(jqr .status)" issued

# --- no card number, no key ------------------------------------------------------------------------------
is "no answer held the card number" "$(grep -c "$PAN" "$ANSWERS")" 0
is "... nor its first 6 and last 4 together (a masked number)" "$(grep -cE "${PAN:0:6}|\*{6}" "$ANSWERS")" 0
is "the gateway's log has no card number" "$(gateway_log_since "$LOGLINE" | grep -c "$PAN")" 0
# a key is 43 base64url characters, an encrypted number 55-63: neither is logged
is "... and no key or encrypted number" "$(gateway_log_since "$LOGLINE" | grep -cE '[A-Za-z0-9_-]{40}')" 0
check "... though it logged the deliveries" grep -q '"token key delivery"' <(gateway_log_since "$LOGLINE")
done_testing
