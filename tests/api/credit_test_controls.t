#!/usr/bin/env bash
# The credit server's test controls (PAYGW_CREDIT_TEST_CONTROLS): `delay`
# answers late (sleeping first, so a reversal arriving meanwhile wins and
# the late 0100 charges nothing), `drop` decides but never answers; other
# cards are not affected, and removing the file switches the rules off.
. "$(dirname "$0")/credit_lib.sh"

if [[ -z ${PAYGW_CREDIT_TEST_CONTROLS:-} ]]; then
  echo "not ok - the credit server runs with test controls (start the stack with PAYGW_CREDIT_TEST_CONTROLS=FILE; scripts/check does)"
  exit 1
fi
controls=$PAYGW_CREDIT_TEST_CONTROLS
trap 'rm -f "$controls"' EXIT
check "the credit server warned at start that test controls are on" \
  grep -q 'TEST CONTROLS ENABLED' "$PAYGW_VAR/log/credit-server.log"

pan=$(new_test_pan)
last4=${pan: -4}
id=$(enrol_test_account "$pan" 100000)
check "a test account is enrolled" test -n "$id"
t=$(now_time)
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

# delay: the client gives up first; the decision still happens afterwards
echo "delay $last4 1500" >"$controls"
next_stan
auth "$pan" 3012 100 "$MERCHANT_A" "PML 00" "$STAN" "$t" --timeout 500
is "delay 1500 ms: no answer within 500 ms" "$ANS" timeout
is "delay: not charged before the delay is over" "$(balance_id "$id")" 0
sleep 1.5
is "delay: charged once the delay is over" "$(balance_id "$id")" 100

# a card without a rule is answered at once
start=$(date +%s%N)
next_stan
auth "$CARD_UNKNOWN" 3012 100 "$MERCHANT_A" "PML 00" "$STAN" "$t"
is "another card is answered" "$(fld 39)" 14
check "at once" test "$(ms_since "$start")" -lt 1000

# delay with a patient client: answered late
echo "delay $last4 1000" >"$controls"
start=$(date +%s%N)
next_stan
auth "$pan" 3012 100 "$MERCHANT_A" "PML 00" "$STAN" "$t" --timeout 5000
is "delay 1000 ms, waiting 5 s: approved" "$(fld 39)" 00
check "answered after the delay" test "$(ms_since "$start")" -ge 1000
is "charged" "$(balance_id "$id")" 200

# the gateway's case: time-out, reversal during the delay, late original
echo "delay $last4 2000" >"$controls"
next_stan; late=$STAN
auth "$pan" 3012 5000 "$MERCHANT_A" "PML 00" "$late" "$t" --timeout 300
is "the original times out" "$ANS" timeout
reverse 0400 "$late" "$t" 5000 "$MERCHANT_A"
is "the reversal during the delay: 25 (not seen yet)" "$(fld 39)" 25
sleep 2.3
is "the late original charged nothing" "$(balance_id "$id")" 200
is "and is recorded void" \
  "$(psql_q "SELECT status FROM issuer.authorizations WHERE stan = '$late' AND terminal_id = '$TERMINAL'")" void

# drop: decided, never answered
echo "drop $last4" >"$controls"
next_stan
auth "$pan" 3012 300 "$MERCHANT_A" "PML 00" "$STAN" "$t" --timeout 1500
is "drop: no answer" "$ANS" timeout
is "drop: decided and charged all the same" "$(balance_id "$id")" 500
check "drop: logged as dropped" grep -q "\"stan\":\"$STAN\".*\"dropped\":true" "$PAYGW_VAR/log/credit-server.log"

# no file, no rules
rm -f "$controls"
next_stan
auth "$pan" 3012 100 "$MERCHANT_A" "PML 00" "$STAN" "$t" --timeout 2000
is "without the file: answered at once" "$(fld 39)" 00
done_testing
