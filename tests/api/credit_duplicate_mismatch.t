#!/usr/bin/env bash
# credit_duplicate_mismatch.t — a 0100 under the key of an earlier one (same
# STAN, terminal and transmission time) is a duplicate only when it is the
# same request: one whose card (its lookup hash), amount, merchant or
# currency differ is refused with 94 (duplicate transmission,
# docs/iso8583.md), carries no approval code, charges neither card, stores
# nothing, and its log line holds no card number.  The same request sent
# again still answers the first answer.
. "$(dirname "$0")/credit_lib.sh"
LOG_FILE=$PAYGW_VAR/log/credit-server.log

t=$(now_time)
other=$(new_test_pan)
other_id=$(enrol_test_account "$other" 100000)
[[ -n $other_id ]] || { echo "not ok - a second test account is enrolled"; exit 1; }
before=$(balance_of 152500 5678)
next_stan; stan=$STAN
auth "$CARD_A" 3012 1500 "$MERCHANT_A" "PML 00" "$stan" "$t"
first=$(fld 38)
is "the original 0100 is approved" "$(fld 39)" 00
is "it charged 1500" "$(balance_of 152500 5678)" $((before + 1500))
rows() { psql_q "SELECT count(*) FROM issuer.authorizations WHERE stan = '$stan' AND terminal_id = '$TERMINAL'"; }
stored() {
  psql_q "SELECT status || ' ' || amount || ' ' || merchant_code || ' ' || currency || ' ' || response_code
            FROM issuer.authorizations WHERE stan = '$stan' AND terminal_id = '$TERMINAL'"
}
want_row="approved 1500 $MERCHANT_A 392 00"
is "one row, as approved" "$(rows) $(stored)" "1 $want_row"

# refused WHAT: the answer in ANS is the documented refusal and nothing moved
refused() {
  is "$1: 0110 with 94 (duplicate transmission)" "$(fld mti) $(fld 39)" "0110 94"
  is "$1: no approval code (not the stored approval $first)" "$(fld 38)" ""
  is "$1: the STAN is echoed" "$(fld 11)" "$stan"
  is "$1: card A not charged again" "$(balance_of 152500 5678)" $((before + 1500))
  is "$1: the other card not charged" "$(balance_id "$other_id")" 0
  is "$1: nothing stored, the original unchanged" "$(rows) $(stored)" "1 $want_row"
}

# another card under the key
auth "$other" 3012 1500 "$MERCHANT_A" "PML 00" "$stan" "$t"
refused "another card"
# another amount
auth "$CARD_A" 3012 1501 "$MERCHANT_A" "PML 00" "$stan" "$t"
refused "another amount"
# another merchant (2222222222: on its own a 0100 there would be 57, not the stored 00)
auth "$CARD_A" 3012 1500 2222222222 "PML 00" "$stan" "$t"
refused "another merchant"
# another currency (field 49): auth sends 392, so the 0100 is spelled out
send 0100 2="$CARD_A" 3=000000 4=1500 7="$t" 11="$stan" 12="${t:4:6}" 13="${t:0:4}" 14=3012 22=010 \
  37="${t:4:6}$stan" 41="$TERMINAL" 42="$MERCHANT_A" 48="PML 00" 49=840
refused "another currency"

# the same request again is still a plain duplicate: the first answer
auth "$CARD_A" 3012 1500 "$MERCHANT_A" "PML 00" "$stan" "$t"
is "the same 0100 again: 00 with the first approval code" "$(fld 39) $(fld 38)" "00 $first"
is "... and charged nothing more" "$(balance_of 152500 5678)" $((before + 1500))

# the log: a line per refusal, saying what differed, never the card number
sleep 0.2
lines=$(grep -F "\"stan\":\"$stan\"" "$LOG_FILE" | grep -F "\"terminal\":\"$TERMINAL\"" | grep -F '"response_code":"94"')
is "four refusals logged with 94" "$(grep -c . <<<"$lines")" 4
check "the log names what differed (card, amount, merchant, currency)" \
  bash -c 'for w in card amount merchant currency; do grep -q "\"differs\":\"$w\"" <<<"$1" || exit 1; done' _ "$lines"
check "the log file exists and is not empty" test -s "$LOG_FILE"
check "the other card number is nowhere in the credit server's log" bash -c '! grep -qF -- "$1" "$2"' _ "$other" "$LOG_FILE"
check "nor card A's" bash -c '! grep -qF -- "$1" "$2"' _ "$CARD_A" "$LOG_FILE"
done_testing
