# tests/api/credit_lib.sh — shared by the credit_*.t tests: sending ISO 8583
# messages to the credit server with tests/tools/iso-send (mutual TLS, as the
# test acquirer), reading the
# answer's fields, fresh keys and fresh test accounts, balances from psql.
. "$(dirname "$0")/lib.sh"

ISO_SEND=$PAYGW_ROOT/tests/tools/iso-send
CREDIT_SERVER=$PAYGW_ROOT/credit-server/credit-server
[[ -x $ISO_SEND && -x $CREDIT_SERVER ]] || { echo "not ok - credit-server and tests/tools/iso-send are built"; exit 1; }
# The tests are an acquirer of their own on the mutual-TLS link
# (docs/iso8583.md): the stack issued them a client certificate, named
# paygw-test-acquirer, which the credit server of a local stack serves.
[[ -r ${PAYGW_TEST_ACQUIRER_CERT:-} && -r ${PAYGW_TEST_ACQUIRER_KEY:-} ]] \
  || { echo "not ok - the test acquirer's certificate and key (PAYGW_TEST_ACQUIRER_CERT, _KEY in stack.env) are readable"; exit 1; }
export PAYGW_CREDIT_CLIENT_CERT=$PAYGW_TEST_ACQUIRER_CERT PAYGW_CREDIT_CLIENT_KEY=$PAYGW_TEST_ACQUIRER_KEY

# Demo cards (lib/common/demo_data.h).
CARD_A=1525000012345678          # 00001, limit 500000, expiry 3012
CARD_EXPIRED=1525000023456787     # 00006, the issuer holds expiry 2001
CARD_LOW=1525000034567895         # 00007, limit 1000
CARD_UNKNOWN=1525000099999991     # 00008, not held by the issuer
MERCHANT_A=1111111111             # takes L I(3,6,12) R for issuer 2a11111

# A terminal id of our own per test run, so keys never clash between runs.
TERMINAL="t$(printf '%07d' $((RANDOM * 32768 + RANDOM)) | cut -c1-7)"
NEXT_STAN=$((RANDOM % 900000 + 1))
# next_stan sets STAN (no subshell, so the counter moves)
next_stan() { NEXT_STAN=$((NEXT_STAN + 1)); printf -v STAN '%06d' "$NEXT_STAN"; }
now_time() { date -u +%m%d%H%M%S; }

# send MTI FIELDS... → ANS holds the answer lines, SEND_RC the exit status
send() { ANS=$("$ISO_SEND" --addr "$PAYGW_CREDIT_ADDR" "$@"); SEND_RC=$?; }
# fld NN → the answer's field NN ("" when absent)
fld() { sed -n "s/^$1=//p" <<<"$ANS"; }

# auth PAN EXPIRY AMOUNT MERCHANT METHOD48 STAN TIME [iso-send options before the MTI]
auth() {
  local pan=$1 exp=$2 amount=$3 merchant=$4 method=$5 stan=$6 t=$7; shift 7
  send "$@" 0100 2="$pan" 3=000000 4="$amount" 7="$t" 11="$stan" 12="${t:4:6}" 13="${t:0:4}" \
    14="$exp" 22=010 37="${t:4:6}$stan" 41="$TERMINAL" 42="$merchant" 48="$method" 49=392
}
# reverse MTI STAN TIME AMOUNT MERCHANT → the 0400/0401 for that original
# (field 90 built by iso-send from lib/iso8583, as the gateway builds it)
reverse() {
  local mti=$1 stan=$2 t=$3 amount=$4 merchant=$5
  send --original "0100,$stan,$t" "$mti" 3=000000 4="$amount" 7="$(now_time)" 11="$stan" 41="$TERMINAL" \
    42="$merchant" 49=392
}

balance_of() {   # balance_of PAN-FIRST6 LAST4 (demo cards) or balance_id ID
  psql_q "SELECT balance FROM issuer.card_accounts WHERE card_masked = '$1******$2'"
}
balance_id() { psql_q "SELECT balance FROM issuer.card_accounts WHERE id = $1"; }

# A Luhn-valid test card number "135551" + 9 random digits + check digit:
# inside issuer 2a11111's range 13500-13560, and no demo card starts so.
new_test_pan() { luhn "135551$(printf '%09d' $(( (RANDOM * 32768 + RANDOM) % 1000000000 )))"; }
# enrol_test_account PAN LIMIT → prints the account id
enrol_test_account() {
  "$CREDIT_SERVER" --enrol-account --expiry 3012 --limit "$2" --holder "Test Holder" --address "1 Test St" <<<"$1" \
    2>/dev/null | sed -n 's/^account //p'
}
