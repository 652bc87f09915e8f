#!/usr/bin/env bash
# credit_account_bound.t — the issuer's card accounts are sealed like the
# gateway's cards (sql/0011): `--enrol-account` binds the ciphertext to the
# account's row ID and lookup hash (card_aad 2; tests/tools/card-seal --open
# decrypts it in its own row only), keeps only the mask in clear (the last 4
# only for a 14-digit card), and its log never shows more than the mask.  An
# account sealed before 0011 (format 1) still authorizes — a 0100 finds it by
# lookup hash, nothing decrypts it — and enrolling it again seals it bound,
# keeping its ID and balance.
. "$(dirname "$0")/credit_lib.sh"
SEAL=$PAYGW_ROOT/tests/tools/card-seal
[[ -x $SEAL ]] || { echo "not ok - tests/tools/card-seal is built"; exit 1; }
export PAYGW_CARD_KEY_FILE=$PAYGW_ISSUER_CARD_KEY_FILE     # card-seal: the issuer's keys
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
PAN=$(new_test_pan)
account_row() {   # the stored parts of account $1: aad key lookup ciphertext-hex mask balance limit
  psql_q "SELECT card_aad || ' ' || card_key_id || ' ' || card_lookup_hash || ' ' || encode(card_ciphertext, 'hex')
                 || ' ' || card_masked || ' ' || balance || ' ' || credit_limit FROM issuer.card_accounts WHERE id = $1"
}
opens() {   # opens ID FORMAT KEY LOOKUP HEX → prints what card-seal --open says
  "$SEAL" --open --row "$1" --format "$2" --key "$3" --lookup "$4" --blob "$5" 2>&1
}

id=$(enrol_test_account "$PAN" 50000)
check "enrol-account prints the account id" test -n "$id"
read -r aad key lookup hex mask balance limit <<<"$(account_row "${id:-0}")"
is "the account is sealed with AAD format 2" "$aad" 2
is "the account keeps the mask, no other clear digit" "$mask" "${PAN:0:6}******${PAN: -4}"
is "its ciphertext decrypts in its own row" "$(opens "$id" 2 "$key" "$lookup" "$hex")" "$mask"
is "... not in another row" "$(opens "$((id + 1))" 2 "$key" "$lookup" "$hex")" refused
is "... nor next to another lookup hash" "$(opens "$id" 2 "$key" "$(printf '%064d' 0)" "$hex")" refused
is "... nor read as format 1" "$(opens "$id" 1 "$key" "$lookup" "$hex")" refused

# --- an account as enrolled before 0011 -----------------------------------
sealed=$("$SEAL" --format 1 <<<"$PAN")
psql_q "UPDATE issuer.card_accounts SET card_ciphertext = decode('${sealed#* }', 'hex'), card_key_id = ${sealed%% *},
          card_aad = 1 WHERE id = $id" >/dev/null
is "made format 1" "$(account_row "$id" | cut -d' ' -f1)" 1
next_stan; auth "$PAN" 3012 700 "$MERCHANT_A" "PML 00" "$STAN" "$(now_time)"
is "a format-1 account still authorizes (00)" "$(fld 39)" 00
is "... and is charged" "$(balance_id "$id")" 700
id2=$(enrol_test_account "$PAN" 60000)
is "enrolled again: the same account" "$id2" "$id"
read -r aad key lookup hex mask balance limit <<<"$(account_row "$id")"
is "enrolled again: sealed as format 2, balance kept, limit changed" "$aad $balance $limit" "2 700 60000"
is "enrolled again: it decrypts in its own row" "$(opens "$id" 2 "$key" "$lookup" "$hex")" "$mask"

# --- a 14-digit card: the last 4 only -------------------------------------
PAN14=$(luhn "13555$(printf '%08d' $(( (RANDOM * 32768 + RANDOM) % 100000000 )))")
id14=$(enrol_test_account "$PAN14" 50000)
is "a 14-digit account keeps its last 4 only" "$(account_row "${id14:-0}" | cut -d' ' -f5)" "**********${PAN14: -4}"
OUT14=$(luhn "99995$(printf '%08d' $(( (RANDOM * 32768 + RANDOM) % 100000000 )))")   # no range holds it
"$CREDIT_SERVER" --enrol-account --expiry 3012 --limit 100 --holder "No Range" --address "1 Test St" \
  <<<"$OUT14" >"$TMP/out" 2>"$TMP/err"
is "a card no range holds is refused (exit 1)" "$?" 1
check "... the log names it by its last 4 only" grep -qF "no issuer range holds the card **********${OUT14: -4}" "$TMP/err"
check "... never by its first 6" bash -c '! grep -qF -e "$1" -e "$2" "$3"' _ "${OUT14:0:6}" "$OUT14" "$TMP/err"
done_testing
