#!/usr/bin/env bash
# Reversals: a 0400 undoes an approved authorization and restores the
# balance; the repeat (0401) answers 00 again without a second undo; the
# original sent again afterwards is refused (05); a
# reversal of an authorization the issuer never saw answers 25, and the
# original, arriving late, is then refused and charges nothing; a reversal of
# a declined authorization changes nothing.
. "$(dirname "$0")/credit_lib.sh"

t=$(now_time)
before=$(balance_of 152500 5678)
next_stan; stan=$STAN
auth "$CARD_A" 3012 7000 "$MERCHANT_A" "PMR 00" "$stan" "$t"
is "the original is approved" "$(fld 39)" 00
is "the balance rose by 7000" "$(balance_of 152500 5678)" $((before + 7000))

reverse 0400 "$stan" "$t" 7000 "$MERCHANT_A"
is "0400: answered with a 0410" "$(fld mti)" 0410
is "0400: response code 00" "$(fld 39)" 00
is "0400: the STAN is echoed" "$(fld 11)" "$stan"
is "0400: the balance is restored" "$(balance_of 152500 5678)" "$before"
is "0400: the authorization is marked reversed" \
  "$(psql_q "SELECT status FROM issuer.authorizations WHERE stan = '$stan' AND terminal_id = '$TERMINAL'")" reversed

reverse 0401 "$stan" "$t" 7000 "$MERCHANT_A"
is "0401 repeat: response code 00 again" "$(fld 39)" 00
is "0401 repeat: the balance is not restored twice" "$(balance_of 152500 5678)" "$before"
reverse 0400 "$stan" "$t" 7000 "$MERCHANT_A"
is "a third reversal: 00, balance still the same" "$(fld 39) $(balance_of 152500 5678)" "00 $before"

auth "$CARD_A" 3012 7000 "$MERCHANT_A" "PMR 00" "$stan" "$t"
is "the original sent again after its reversal: refused (05), not a new charge" \
  "$(fld 39) $(balance_of 152500 5678)" "05 $before"
is "... and no approval code: the approval is no longer held" "$(fld 38)" ""

# a reversal that comes before its original
next_stan; lost=$STAN
reverse 0400 "$lost" "$t" 5000 "$MERCHANT_A"
is "reversal of an unknown original: 25" "$(fld 39)" 25
reverse 0401 "$lost" "$t" 5000 "$MERCHANT_A"
is "its repeat: 25 again" "$(fld 39)" 25
auth "$CARD_A" 3012 5000 "$MERCHANT_A" "PML 00" "$lost" "$t"
is "the late original is refused" "$(fld 39)" 05
is "the late original has no approval code" "$(fld 38)" ""
is "the late original charged nothing" "$(balance_of 152500 5678)" "$before"
is "it is recorded void" \
  "$(psql_q "SELECT status || ' ' || (account_id IS NULL) FROM issuer.authorizations WHERE stan = '$lost' AND terminal_id = '$TERMINAL'")" "void true"

# a reversal of a declined authorization
next_stan; declined=$STAN
auth "$CARD_LOW" 3012 5000 "$MERCHANT_A" "PML 00" "$declined" "$t"
is "an over-limit 0100 is declined" "$(fld 39)" 51
low=$(balance_of 152500 7895)
reverse 0400 "$declined" "$t" 5000 "$MERCHANT_A"
is "its reversal: 00, nothing to undo" "$(fld 39)" 00
is "the declined card's balance is unchanged" "$(balance_of 152500 7895)" "$low"
is "the declined authorization stays declined" \
  "$(psql_q "SELECT status FROM issuer.authorizations WHERE stan = '$declined' AND terminal_id = '$TERMINAL'")" declined

# a reversal without field 90: 30
send 0400 3=000000 4=100 7="$(now_time)" 11="$stan" 41="$TERMINAL" 42="$MERCHANT_A" 49=392
is "a 0400 without field 90: 0410 with 30" "$(fld mti) $(fld 39)" "0410 30"
done_testing
