#!/usr/bin/env bash
# token_no_clear.t — issue 14: after a whole token sale (pos token-sale,
# handset watch, the gateway's 0600, the POS's own 0100 and a token-void),
# neither the card number nor the token's key is anywhere in clear.  The
# key the gateway made is opened from the issuer's sealed copy
# (tests/tools/token-key-open with the issuer's key file) and searched for
# as tokencrypt's text, as hex and as standard base64, with the card number
# plain, spaced and dashed, in a pg_dump of the whole database (every
# schema), every log of the stack, and all the POS and the handset printed
# or wrote.
. "$(dirname "$0")/client_token_lib.sh"
OPEN=$PAYGW_ROOT/tests/tools/token-key-open
check "the key-opening tool is built" test -x "$OPEN"
STORE=$(store_copy 1234567 nc)
export PAYGW_WEB_PASSWORD=demo-web-00001
unlock_user 00001
J=$CT/sales.journal
export JOURNAL=$J

token_pos sale --item "Kettle,1,5000,500"
token_watch w "$STORE" --agree --method L
send_user 00001 "$STORE"
wait_exit "$WATCH" 60; is "watch: exit status 0" "$RC" 0
wait_exit "$POS_PID" 60; is "pos token-sale: exit status 0" "$RC" 0
T=$(pos_token sale)
read -r K E <<<"$(psql_q "SELECT key_id || ' ' || encrypted_card_number FROM gateway.token_requests WHERE token = '$T'")"
check "the request was issued with a key ID" test -n "$K"
"$POS" token-void --key-id "$K" --journal "$J" >"$CT/void.out" 2>&1
is "pos token-void: exit status 0" "$?" 0

read -r DKEY SEALED <<<"$(psql_q "SELECT key_data_key_id || ' ' || encode(key_sealed, 'hex') FROM issuer.token_keys WHERE key_id = '$K'")"
amount=$(psql_q "SELECT total FROM gateway.token_requests WHERE token = '$T'")
expiry=$(psql_q "SELECT expiry FROM gateway.token_requests WHERE token = '$T'")
opened=$(PAYGW_CARD_KEY_FILE=$PAYGW_ISSUER_CARD_KEY_FILE "$OPEN" "$K" "$DKEY" "$SEALED" 1111111111 "$amount" 392 "$expiry" "$E")
is "the issuer's sealed key opens with the issuer's key file" "$?" 0
KEY=$(sed -n 1p <<<"$opened")
check "... to a key of 43 base64url characters" grep -qE '^[A-Za-z0-9_-]{43}$' <<<"$KEY"
# else the search below would look for the wrong thing
is "... which opens the POS's encrypted number to user 00001's card" "$(sed -n 2p <<<"$opened")" "${CARD_A: -4}"

# the key's other spellings: hex (either case) and standard base64
key_hex=$(printf '%s=' "$KEY" | tr '_-' '/+' | base64 -d 2>/dev/null | od -An -tx1 | tr -d ' \n')
std=$(printf '%s' "$KEY" | tr '_-' '/+')
check "the key's hex form is 64 digits" grep -qE '^[0-9a-f]{64}$' <<<"$key_hex"
spaced=$(sed -E 's/(.{4})/\1 /g; s/ $//' <<<"$CARD_A")
secrets=("$KEY" "$key_hex" "${key_hex^^}" "$std" "$CARD_A" "$spaced" "${spaced// /-}")

dump=$CT/all.sql
pg_dump "$PAYGW_PGURI" >"$dump"
check "pg_dump of the whole database is there" test -s "$dump"
check "... and holds every schema the sale touched" \
  eval "grep -q '^COPY gateway.token_requests' '$dump' && grep -q '^COPY issuer.token_keys' '$dump'"
check "... and the key's sealed form (so the dump is the one to search)" grep -qi "${SEALED:0:32}" "$dump"
where=("$dump" "$PAYGW_VAR/log" "$CT")
for s in "${secrets[@]}"; do
  found=$(grep -rlF -- "$s" "${where[@]}" 2>/dev/null | head -3 | tr '\n' ' ')
  is "no '${s:0:6}…' (${#s} characters) in the dump, the logs or the clients' files" "$found" ""
done
check "the logs are there to search: gateway, sweeper, credit server, nginx" \
  eval "test -s '$PAYGW_VAR/log/gateway.log' -a -s '$PAYGW_VAR/log/sweeper.log' -a -s '$PAYGW_VAR/log/credit-server.log' -a -s '$PAYGW_VAR/log/nginx-access.log'"
check "the clients' files are there to search: the POS's output and journal, the handset's" \
  eval "test -s '$CT/sale.out' -a -s '$J' -a -s '$CT/w.watch'"
check "the journal holds the encrypted number (what the POS keeps instead)" grep -qF -- "$E" "$J"
done_testing
