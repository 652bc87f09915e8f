#!/usr/bin/env bash
# admin_reencrypt_old_rows.t — the upgrade of sql/0011: card rows sealed
# before the binding (AAD format 1, the key ID only; made here with
# tests/tools/card-seal) still pay, but only in a row whose lookup hash is
# their own number's; `paygw-admin cards reencrypt` seals them again bound
# to their row (format 2, current key), refusing a row whose ciphertext is
# not its own; afterwards a swap of two ciphertexts no longer pays.
. "$(dirname "$0")/flowlib.sh"
ADMIN=$TEST_ROOT/admin/paygw-admin
SEAL=$TEST_ROOT/tests/tools/card-seal
MERCHANT=1111111111 DEV=1234567
S=r$$$RANDOM
[[ -x $SEAL ]] || { echo "not ok - tests/tools/card-seal is built"; exit 1; }
new_pan() { luhn "1525005$(printf '%08d' $(( (RANDOM * 32768 + RANDOM) % 100000000 )))"; }
PAN_A=$(new_pan) PAN_B=$(new_pan)
[[ $PAN_A != "$PAN_B" ]] || PAN_B=$(new_pan)
enrol() {   # enrol PAN USER → CARD (a card and user ID on the demo device, held by the issuer)
  CARD=$("$ADMIN" card add --subscriber S1 --expiry 3012 --label "Old $2" <<<"$1" 2>/dev/null | awk '{print $2}')
  printf 'old row password %s\n' "$S" | "$ADMIN" user add --user-id "$2" --subscriber S1 --card "$CARD" --device "$DEV" >/dev/null 2>&1
  "$TEST_ROOT/credit-server/credit-server" --enrol-account --expiry 3012 --limit 100000 --holder "Old $S" \
    --address "1 Old St" <<<"$1" >/dev/null 2>&1
  USER_DEVICE[$2]=$DEV
}
enrol "$PAN_A" "a$S"; CARD_A=$CARD
enrol "$PAN_B" "b$S"; CARD_B=$CARD
check "both cards enrolled, sealed as format 2" test "$(psql_q "SELECT count(*) FROM gateway.cards WHERE id IN (${CARD_A:-0}, ${CARD_B:-0}) AND pan_aad = 2")" = 2

# as_format1 CARD PAN [OTHER-PAN]: the row as it was before 0011 (OTHER-PAN's
# ciphertext in it, when given)
as_format1() {
  local sealed; sealed=$("$SEAL" --format 1 <<<"${3:-$2}") || return 1
  psql_q "UPDATE gateway.cards SET pan_ciphertext = decode('${sealed#* }', 'hex'), key_id = ${sealed%% *}, pan_aad = 1
           WHERE id = $1" >/dev/null
}
pays() { flow_to chosen "$MERCHANT" "$1" 600 L; [[ $STATUS == 200 && $(jqr .status) == completed ]]; }
refused() {
  flow_to awaiting_confirmation "$MERCHANT" "$1" 600
  confirm "$TXN" "$SESSION" true
  [[ $STATUS == 500 && $(jqr .code) == card_unreadable ]]
}

as_format1 "$CARD_A" "$PAN_A"; as_format1 "$CARD_B" "$PAN_B"
is "both rows are format 1 now" "$(psql_q "SELECT count(*) FROM gateway.cards WHERE id IN ($CARD_A, $CARD_B) AND pan_aad = 1")" 2
check "a format-1 row still pays" pays "a$S"
as_format1 "$CARD_B" "$PAN_B" "$PAN_A"
check "a format-1 row holding another card's ciphertext does not pay (card_unreadable)" refused "b$S"

"$ADMIN" cards reencrypt >"$FLOW_TMP/refused.out" 2>"$FLOW_TMP/refused.err"
is "cards reencrypt refuses a row whose ciphertext is not its own (exit 1)" "$?" 1
check "... and names the row" grep -q "card $CARD_B: cannot decrypt" "$FLOW_TMP/refused.err"
is "... which stays format 1" "$(psql_q "SELECT pan_aad FROM gateway.cards WHERE id = $CARD_B")" 1

as_format1 "$CARD_B" "$PAN_B"
old_a=$(psql_q "SELECT encode(pan_ciphertext, 'hex') FROM gateway.cards WHERE id = $CARD_A")
"$ADMIN" cards reencrypt >"$FLOW_TMP/ok.out" 2>"$FLOW_TMP/ok.err"
is "cards reencrypt: exit status 0" "$?" 0
check "cards reencrypt: says how many rows it sealed again" grep -qE "^re-encrypted [0-9]+ cards? under key [0-9]+$" "$FLOW_TMP/ok.out"
is "no card row is left in format 1" "$(psql_q "SELECT count(*) FROM gateway.cards WHERE pan_aad <> 2")" 0
current=$(grep '^data-key ' "$PAYGW_CARD_KEY_FILE" | tail -1 | awk '{print $2}')
is "both rows: format 2 under the current key, a new ciphertext" \
  "$(psql_q "SELECT string_agg(pan_aad || ' ' || key_id, ',' ORDER BY id) || ' ' || (SELECT encode(pan_ciphertext, 'hex') <> '$old_a' FROM gateway.cards WHERE id = $CARD_A) FROM gateway.cards WHERE id IN ($CARD_A, $CARD_B)")" \
  "2 $current,2 $current true"
check "an admin_log row records it" test "$(psql_q "SELECT count(*) FROM gateway.admin_log WHERE action = 'cards reencrypt' AND at > now() - interval '1 minute'")" -ge 1
check "re-sealed, card A pays" pays "a$S"
check "re-sealed, card B pays" pays "b$S"

psql_q "UPDATE gateway.cards SET pan_ciphertext = o.pan_ciphertext, key_id = o.key_id
          FROM gateway.cards o WHERE (cards.id, o.id) IN (($CARD_A, $CARD_B), ($CARD_B, $CARD_A))" >/dev/null
check "re-sealed, a swap of the two ciphertexts no longer pays (card A)" refused "a$S"
check "the output holds no card number" bash -c '! grep -qF -e "$1" -e "$2" "${@:3}"' _ "$PAN_A" "$PAN_B" "$FLOW_TMP"/*.out "$FLOW_TMP"/*.err
"$ADMIN" card disable --id "$CARD_A" >/dev/null 2>&1; "$ADMIN" card disable --id "$CARD_B" >/dev/null 2>&1
done_testing
