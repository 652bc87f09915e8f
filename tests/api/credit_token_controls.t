#!/usr/bin/env bash
# credit_token_controls.t — the test controls (PAYGW_CREDIT_TEST_CONTROLS)
# for a token 0100, by the last 4 digits of the card its token opens to
# (known to the credit server only after opening it): `drop` decides and
# never answers, so a POS times out and reverses; `delay` answers late, and
# a reversal arriving meanwhile (on another connection) wins: the late
# 0100 charges nothing.  For the POS's own tests of its time-out path.
. "$(dirname "$0")/credit_token_lib.sh"

if [[ -z ${PAYGW_CREDIT_TEST_CONTROLS:-} ]]; then
  echo "not ok - the credit server runs with test controls (start the stack with PAYGW_CREDIT_TEST_CONTROLS=FILE; scripts/check does)"
  exit 1
fi
controls=$PAYGW_CREDIT_TEST_CONTROLS
trap 'rm -f "$controls"' EXIT
pan=$(new_test_pan)
account=$(enrol_test_account "$pan" 100000)
check "(a test account was enrolled)" test -n "$account"
TOKEN_MERCHANT=$MERCHANT_A TOKEN_AMOUNT=700
t=$(now_time)

# drop: decided, never answered; the POS's reversal undoes it
echo "drop ${pan: -4}" >"$controls"
make_token "$pan" "$MERCHANT_A" 700
deliver
is "(the token's key was delivered: controls apply to token 0100s only)" "$(fld 39)" 00
next_stan; dropped=$STAN
token_auth "$dropped" "$t" --timeout 1000
is "drop: the token 0100 gets no answer" "$ANS" timeout
is "drop: ... but it was decided (charged)" "$(balance_id "$account")" 700
token_reverse 0400 "$dropped" "$t"
is "the POS's reversal after its time-out: 00, the balance restored" "$(fld 39) $(balance_id "$account")" "00 0"

# delay: a reversal arriving during the delay wins
echo "delay ${pan: -4} 2500" >"$controls"
make_token "$pan" "$MERCHANT_A" 700
deliver
next_stan; late=$STAN
( token_auth "$late" "$t" --timeout 500 ) &
sleep 1
token_reverse 0400 "$late" "$t"
is "a reversal during the delay: 25 (the 0100 not decided yet)" "$(fld 39)" 25
wait
sleep 2
is "the late 0100, decided after the delay: refused, nothing charged" \
  "$(psql_q "SELECT response_code || ' ' || status FROM issuer.authorizations WHERE stan = '$late' AND terminal_id = '$TERMINAL'") $(balance_id "$account")" \
  "05 void 0"
rm -f "$controls"
sleep 1.2   # the file's mtime is checked on each look-up
next_stan
token_auth "$STAN" "$t"
is "controls off: the same token under a new STAN is answered at once (approved)" "$(fld 39)" 00
done_testing
