#!/usr/bin/env bash
# The credit server's decisions over TCP: an approval raises the balance by
# the amount and carries an approval code; each decline (14 unknown card,
# 54 expired, 51 over the limit, 03 unknown merchant, 57 method not offered)
# leaves every balance as it was; a 0100 missing a mandatory field gets 30
# with its STAN echoed; no answer ever carries the card number.
. "$(dirname "$0")/credit_lib.sh"

t=$(now_time)
before=$(balance_of 152500 5678)

next_stan; stan=$STAN
auth "$CARD_A" 3012 2592 "$MERCHANT_A" "PML 00" "$stan" "$t"
is "approve: the answer is a 0110" "$(fld mti)" 0110
is "approve: response code 00" "$(fld 39)" 00
check "approve: a 6-character approval code" grep -qE '^38=[0-9A-Z]{6}$' <<<"$ANS"
is "approve: the STAN is echoed" "$(fld 11)" "$stan"
is "approve: the amount is echoed" "$(fld 04)" 000000002592
is "approve: no field 2 in the answer" "$(fld 02)" ""
check "approve: the card number appears nowhere in the answer" bash -c '! grep -q 1525000012345678 <<<"$1"' _ "$ANS"
is "approve: the balance rose by the amount" "$(balance_of 152500 5678)" $((before + 2592))
is "approve: the authorization is recorded approved" \
  "$(psql_q "SELECT status || ' ' || response_code || ' ' || amount || ' ' || method FROM issuer.authorizations WHERE stan = '$stan' AND terminal_id = '$TERMINAL'")" \
  "approved 00 2592 L"

next_stan; stan=$STAN
auth "$CARD_A" 3012 3000 "$MERCHANT_A" "PMI 06" "$stan" "$t"
is "installments 6 at a merchant that offers them: 00" "$(fld 39)" 00
before=$(balance_of 152500 5678)

decline() {   # decline DESCRIPTION WANT-CODE auth-arguments...
  local what=$1 want=$2; shift 2
  local b1 b2 b3
  b1=$(balance_of 152500 5678); b2=$(balance_of 152500 6787); b3=$(balance_of 152500 7895)
  next_stan
  auth "${@:1:5}" "$STAN" "${@:7}"
  is "$what: response code $want" "$(fld 39)" "$want"
  is "$what: no approval code" "$(fld 38)" ""
  is "$what: no balance changed" "$(balance_of 152500 5678) $(balance_of 152500 6787) $(balance_of 152500 7895)" "$b1 $b2 $b3"
}
decline "unknown card" 14 "$CARD_UNKNOWN" 3012 100 "$MERCHANT_A" "PML 00" next "$t"
decline "expired at the issuer (demo card 00006)" 54 "$CARD_EXPIRED" 3012 100 "$MERCHANT_A" "PML 00" next "$t"
decline "expiry in the message differs from the issuer's" 54 "$CARD_A" 3011 100 "$MERCHANT_A" "PML 00" next "$t"
decline "over the limit (demo card 00007, limit 1000)" 51 "$CARD_LOW" 3012 1001 "$MERCHANT_A" "PML 00" next "$t"
decline "unknown merchant" 03 "$CARD_A" 3012 100 9999999999 "PML 00" next "$t"
decline "method B not offered by merchant A for issuer A" 57 "$CARD_A" 3012 100 "$MERCHANT_A" "PMB 00" next "$t"
decline "12 installments allowed, 5 are not" 57 "$CARD_A" 3012 100 "$MERCHANT_A" "PMI 05" next "$t"
decline "merchant 4444444444 does not take issuer A's cards" 57 "$CARD_A" 3012 100 4444444444 "PML 00" next "$t"

# exactly what is left of the limit is approved (other tests may use the card)
low_before=$(balance_of 152500 7895)
left=$((1000 - low_before))
next_stan; stan=$STAN
auth "$CARD_LOW" 3012 "$left" "$MERCHANT_A" "PML 00" "$stan" "$t"
is "exactly the remaining limit ($left) is approved" "$(fld 39)" 00
is "the balance is then exactly the limit" "$(balance_of 152500 7895)" 1000
reverse 0400 "$stan" "$t" "$left" "$MERCHANT_A"     # give it back for the next run
is "and its reversal gives it back" "$(balance_of 152500 7895)" "$low_before"

# a 0100 without field 14: 30, STAN echoed, nothing recorded
next_stan; stan=$STAN
send 0100 2="$CARD_A" 3=000000 4=100 7="$t" 11="$stan" 41="$TERMINAL" 42="$MERCHANT_A" 48="PML 00" 49=392
is "missing field 14: a 0110" "$(fld mti)" 0110
is "missing field 14: response code 30" "$(fld 39)" 30
is "missing field 14: the STAN is echoed" "$(fld 11)" "$stan"
is "missing field 14: nothing recorded" \
  "$(psql_q "SELECT count(*) FROM issuer.authorizations WHERE stan = '$stan' AND terminal_id = '$TERMINAL'")" 0
is "missing field 14: the balance is unchanged" "$(balance_of 152500 5678)" "$before"

is "every decline is recorded with its code" \
  "$(psql_q "SELECT string_agg(response_code, ' ' ORDER BY id) FROM issuer.authorizations WHERE terminal_id = '$TERMINAL' AND status = 'declined'")" \
  "14 54 54 51 03 57 57 57"
is "the sales view (fig 24D) lists the approvals with a masked card" \
  "$(psql_q "SELECT count(*) FROM issuer.merchant_sales WHERE stan IN (SELECT stan FROM issuer.authorizations WHERE terminal_id = '$TERMINAL' AND status = 'approved') AND card_masked = '152500******5678'")" 2
done_testing
