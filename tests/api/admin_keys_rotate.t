#!/usr/bin/env bash
# admin_keys_rotate.t — card key rotation on a copy of the stack's key file:
# `keys rotate` appends a data key, `cards reencrypt` moves every card row to
# it (new ciphertext and key ID, same lookup hash) in batches, a key
# file lacking a row's key is refused up front (exit 1, nothing changed),
# and re-encrypting back under the original key restores what the running
# gateway workers can read.  The stack's own key file is never modified.
. "$(dirname "$0")/lib.sh"
ADMIN=$TEST_ROOT/admin/paygw-admin
TMP=$(mktemp -d)
K=$TMP/card.keys
ORIG_ID=$(grep '^data-key ' "$PAYGW_CARD_KEY_FILE" | tail -1 | awk '{print $2}')
ORIG_SUM=$(sha256sum <"$PAYGW_CARD_KEY_FILE")

# back under the original key whatever happens, so the workers can decrypt
restore() {
  if [[ -f $K ]] && [[ $(psql_q "SELECT count(*) FROM gateway.cards WHERE key_id <> $ORIG_ID") != 0 ]]; then
    { grep -v "^data-key $ORIG_ID " "$K"; grep "^data-key $ORIG_ID " "$K"; } >"$TMP/back.keys"
    chmod 600 "$TMP/back.keys"
    PAYGW_CARD_KEY_FILE=$TMP/back.keys "$ADMIN" cards reencrypt >"$TMP/back.out" 2>&1
  fi
}
trap 'restore; rm -rf "$TMP"' EXIT

cards_state() { psql_q "SELECT md5(string_agg(id || ':' || key_id || ':' || encode(pan_ciphertext, 'hex') || ':' || pan_lookup, ',' ORDER BY id)) FROM gateway.cards"; }
lookups() { psql_q "SELECT md5(string_agg(id || ':' || pan_lookup, ',' ORDER BY id)) FROM gateway.cards"; }

"$ADMIN" demo --out-dir "$PAYGW_VAR/demo" >/dev/null 2>&1
check "there are cards to re-encrypt" test "$(psql_q 'SELECT count(*) FROM gateway.cards')" -gt 0
is "every card starts under the current key $ORIG_ID" "$(psql_q "SELECT count(*) FROM gateway.cards WHERE key_id <> $ORIG_ID")" 0
cp "$PAYGW_CARD_KEY_FILE" "$K" && chmod 600 "$K"
before_state=$(cards_state); before_lookups=$(lookups); n=$(psql_q 'SELECT count(*) FROM gateway.cards')

PAYGW_CARD_KEY_FILE=$K "$ADMIN" keys rotate >"$TMP/out" 2>&1; rc=$?
NEW_ID=$((ORIG_ID + 1))
is "keys rotate: exit status 0" "$rc" 0
check "keys rotate: names the new key" grep -q "data key $NEW_ID added" "$TMP/out"
is "keys rotate: the copy has one more data key" "$(grep -c '^data-key ' "$K")" "$(( $(grep -c '^data-key ' "$PAYGW_CARD_KEY_FILE") + 1 ))"
is "keys rotate: the copy stays mode 600" "$(stat -c %a "$K")" 600
check "keys rotate: no key material on the output" bash -c '! grep -qE "[0-9a-f]{64}" "$1"' _ "$TMP/out"

PAYGW_CARD_KEY_FILE=$K "$ADMIN" cards reencrypt >"$TMP/out" 2>&1; rc=$?
is "cards reencrypt: exit status 0" "$rc" 0
check "cards reencrypt: counts the cards" grep -q "re-encrypted $n cards under key $NEW_ID" "$TMP/out"
is "every card is now under the new key" "$(psql_q "SELECT count(*) FROM gateway.cards WHERE key_id = $NEW_ID")" "$n"
check "the ciphertexts changed" test "$(cards_state)" != "$before_state"
is "the lookup hashes did not change" "$(lookups)" "$before_lookups"
PAYGW_CARD_KEY_FILE=$K "$ADMIN" cards reencrypt >"$TMP/out" 2>&1
check "a second run has nothing to do" grep -q "re-encrypted 0 cards" "$TMP/out"
printf '%s\n' 1525000012345678 | PAYGW_CARD_KEY_FILE=$K "$ADMIN" card add --subscriber S1 --expiry 3012 --label X >/dev/null 2>"$TMP/err"; rc=$?
is "a duplicate is still found after rotation (exit 2)" "$rc" 2
check "a duplicate is still found after rotation: says so" grep -q "already enrolled" "$TMP/err"

# a key file without the rows' key: refused before anything changes
mid_state=$(cards_state)
PAYGW_CARD_KEY_FILE=$PAYGW_CARD_KEY_FILE "$ADMIN" cards reencrypt >"$TMP/out" 2>"$TMP/err"; rc=$?
is "reencrypt without the rows' key: exit status 1" "$rc" 1
check "reencrypt without the rows' key: says which" grep -q "cannot decrypt with key $NEW_ID" "$TMP/err"
is "reencrypt without the rows' key: nothing changed" "$(cards_state)" "$mid_state"

restore
check "re-encrypting back under key $ORIG_ID succeeds" grep -q "re-encrypted $n cards under key $ORIG_ID" "$TMP/back.out"
is "every card is back under key $ORIG_ID" "$(psql_q "SELECT count(*) FROM gateway.cards WHERE key_id = $ORIG_ID")" "$n"
is "the lookup hashes are unchanged" "$(lookups)" "$before_lookups"
is "the stack's key file was never modified" "$(sha256sum <"$PAYGW_CARD_KEY_FILE")" "$ORIG_SUM"
is "admin_log records the re-encryptions" "$(psql_q "SELECT count(*) >= 2 FROM gateway.admin_log WHERE action = 'cards reencrypt'")" t
done_testing
