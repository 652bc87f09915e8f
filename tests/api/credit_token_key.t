#!/usr/bin/env bash
# credit_token_key.t — the 0600 (token key delivery, docs/iso8583.md "Token
# sales"): the credit server opens the encrypted number with the delivered
# key at once, finds the card, and stores the key sealed under its own data
# key — never in clear (not in a pg_dump of the issuer's schema, not in its
# log); the same 0600 again answers as the first; other content under the
# key ID is 94; a merchant's POS sending a 0600 is 58, nothing stored; a
# number that does not open, an unknown card or merchant, a malformed field.
. "$(dirname "$0")/credit_token_lib.sh"

pan=$(new_test_pan)
account=$(enrol_test_account "$pan" 100000)
check "(a test account was enrolled)" test -n "$account"
offset=$(log_offset)
TOKEN_MERCHANT=$MERCHANT_A TOKEN_AMOUNT=4321
make_token "$pan" "$TOKEN_MERCHANT" "$TOKEN_AMOUNT"
check "(token-make made a key ID, a key and an encrypted number)" test -n "$KID" -a -n "$KEY" -a -n "$ECN"

deliver
is "0600 from an acquirer: 0610 00" "$(fld mti) $(fld 39)" "0610 00"
is "0610 echoes fields 7, 11, 41, 42 and 60" "$(fld 11) $(fld 41) $(fld 42 | tr -d ' ') $(fld 60)" \
  "$STAN $(printf '%-8s' "$TERMINAL" | tr -d ' ') $MERCHANT_A $KID"
is "0610 carries no field 61, 62 or 63" "$(fld 61)$(fld 62)$(fld 63)" ""
is "the key is stored once, for the account the number opened to" \
  "$(psql_q "SELECT count(*) || ' ' || max(card_account_id) || ' ' || max(amount) || ' ' || max(merchant_code) || ' ' || max(currency) FROM issuer.token_keys WHERE key_id = '$KID'")" \
  "1 $account 4321 $MERCHANT_A 392"
is "... with the encrypted number and the token's expiry" \
  "$(psql_q "SELECT ecn = '$ECN' AND to_char(expiry AT TIME ZONE 'UTC', 'YYYYMMDDHH24MISS') = '$EXP' FROM issuer.token_keys WHERE key_id = '$KID'")" t
is "... sealed (60 bytes: nonce, key, tag) under a data key of the issuer's key file" \
  "$(psql_q "SELECT length(key_sealed) || ' ' || (key_data_key_id > 0) || ' ' || (used_at IS NULL) FROM issuer.token_keys WHERE key_id = '$KID'")" "60 true true"

# the key in clear nowhere: its text (base64url), its bytes as hex and as
# standard base64 are not in a dump of the issuer's schema
key_hex=$(printf '%s' "$KEY" | tr '_-' '/+' | sed 's/$/=/' | base64 -d 2>/dev/null | od -An -tx1 | tr -d ' \n')
key_b64=$(printf '%s' "$KEY" | tr '_-' '/+')
check "(the key's bytes were read back: 32)" test "${#key_hex}" -eq 64
dump=$(pg_dump --no-owner --schema=issuer "$PAYGW_PGURI" 2>/dev/null)
check "(pg_dump of the issuer's schema holds the token_keys rows)" grep -qF -- "$KID" <<<"$dump"
check "pg_dump of the issuer's schema: not the key's text" bash -c '! grep -qF -- "$1" <<<"$2"' _ "$KEY" "$dump"
check "... nor its bytes in hex (bytea's dump form)" bash -c '! grep -qiF -- "$1" <<<"$2"' _ "$key_hex" "$dump"
check "... nor in standard base64" bash -c '! grep -qF -- "${1:0:40}" <<<"$2"' _ "$key_b64" "$dump"
check "... nor the card number" bash -c '! grep -qF -- "$1" <<<"$2"' _ "$pan" "$dump"

# the same 0600 again (its answer lost): the first answer, one row
send "${ACQ[@]}" 0600 4=4321 7="$(now_time)" 11="$STAN" 41="$TERMINAL" 42="$MERCHANT_A" 49=392 \
  60="$KID" 61="$ECN" 62="$EXP" 63="$KEY"
is "the same 0600 again: 00 again" "$(fld 39)" 00
is "... still one row" "$(key_rows)" 1

# other content under the same key ID: 94, the row untouched
first=("$KID" "$KEY" "$ECN" "$EXP")
# the same key ID and key, another amount: the number opens (bound to 4322)
ECN=$(PAYGW_TOKEN_KEY=$KEY "$TOKEN_MAKE" --key-id "$KID" --merchant "$MERCHANT_A" --amount 4322 --expiry "$EXP" \
  <<<"$pan" | sed -n 's/^ecn=//p')
TOKEN_AMOUNT=4322 deliver
is "the same key ID and key, another amount (a number that opens): 94" "$(fld 39)" 94
# another key under the same key ID
make_token "$pan" "$MERCHANT_A" 4321
other_key=$KEY
KID=${first[0]}
ECN=$(PAYGW_TOKEN_KEY=$other_key "$TOKEN_MAKE" --key-id "$KID" --merchant "$MERCHANT_A" --amount 4321 --expiry "$EXP" \
  <<<"$pan" | sed -n 's/^ecn=//p')
KEY=$other_key EXP=${first[3]}
ECN=$(PAYGW_TOKEN_KEY=$other_key "$TOKEN_MAKE" --key-id "$KID" --merchant "$MERCHANT_A" --amount 4321 --expiry "$EXP" \
  <<<"$pan" | sed -n 's/^ecn=//p')
deliver
is "another key (and its number) under a stored key ID: 94" "$(fld 39)" 94
KID=${first[0]} KEY=$other_key ECN=${first[2]} EXP=${first[3]}
deliver
is "the stored number with another key: it does not open: 14" "$(fld 39)" 14
is "the stored row is untouched (amount, number, one row)" \
  "$(psql_q "SELECT count(*) || ' ' || max(amount) || ' ' || bool_and(ecn = '${first[2]}') FROM issuer.token_keys WHERE key_id = '${first[0]}'")" "1 4321 true"
KID=${first[0]} KEY=${first[1]} ECN=${first[2]} EXP=${first[3]}
deliver
is "... and the first 0600 again still answers 00" "$(fld 39)" 00

# a merchant's POS may not deliver keys: 58, nothing stored
make_token "$pan" "$MERCHANT_A" 500
deliver --as POS_A[@]
is "0600 from merchant 1111111111's POS: 58" "$(fld mti) $(fld 39)" "0610 58"
is "... nothing stored" "$(key_rows)" 0

# refusals, nothing stored
tamper() { local c=${1:20:1}; printf '%s%s%s' "${1:0:20}" "$([[ $c == A ]] && echo B || echo A)" "${1:21}"; }
TOKEN_AMOUNT=500
deliver 61="$(tamper "$ECN")"
is "a tampered encrypted number: 14" "$(fld 39) $(key_rows)" "14 0"
deliver 42=2222222222
is "another merchant than the number is bound to: it does not open: 14" "$(fld 39) $(key_rows)" "14 0"
deliver 62=20991231235959
is "another expiry than the number is bound to: 14" "$(fld 39) $(key_rows)" "14 0"
make_token "$CARD_UNKNOWN" "$MERCHANT_A" 500
deliver
is "a number that opens to a card the issuer does not hold: 14" "$(fld 39) $(key_rows)" "14 0"
make_token "$pan" 9999999999 500
TOKEN_MERCHANT=9999999999 deliver
is "a merchant the issuer does not take: 03" "$(fld 39) $(key_rows)" "03 0"
make_token "$pan" "$MERCHANT_A" 500
deliver 60=short
is "a malformed key ID: 30" "$(fld 39) $(key_rows)" "30 0"
deliver 63=notakey
is "a malformed key: 30" "$(fld 39) $(key_rows)" "30 0"
deliver 62=20261399000000
is "an expiry that is no date: 30" "$(fld 39) $(key_rows)" "30 0"
deliver 2="$pan"
is "a 0600 carrying a card number: 30" "$(fld 39) $(key_rows)" "30 0"
send "${ACQ[@]}" 0600 4=500 7="$(now_time)" 11="$STAN" 41="$TERMINAL" 42="$MERCHANT_A" 49=392 60="$KID" 62="$EXP" 63="$KEY"
is "a 0600 without field 61: 30" "$(fld 39) $(key_rows)" "30 0"
deliver
is "(the same token, well formed, is then stored: 00)" "$(fld 39) $(key_rows)" "00 1"

no_secret_in_log "$offset" "the credit server's log holds no card number, key or encrypted number" \
  "$pan" "${first[1]}" "$other_key" "$KEY" "${first[2]}" "$ECN"
done_testing
