#!/usr/bin/env bash
# credit_token_reversal.t — a POS reverses its own token sale (0400, then
# 0401 repeats; field 90 names its 0100): 00 and the balance restored once,
# the token stays spent; 25 for a 0100 the issuer never saw (and that 0100,
# arriving late, is refused); another merchant's POS, or an acquirer, naming
# the same STAN cannot touch it (the key is the POS's own).
. "$(dirname "$0")/credit_token_lib.sh"

pan=$(new_test_pan)
account=$(enrol_test_account "$pan" 100000)
check "(a test account was enrolled)" test -n "$account"
TOKEN_MERCHANT=$MERCHANT_A TOKEN_AMOUNT=6400
make_token "$pan" "$MERCHANT_A" 6400
deliver
is "(the token's key was delivered)" "$(fld 39)" 00
t=$(now_time); next_stan; sale=$STAN
token_auth "$sale" "$t"
is "(the token sale is approved)" "$(fld 39)" 00
is "(the balance moved)" "$(balance_id "$account")" 6400

# others naming the sale cannot undo it
pos_of 2222222222
TOKEN_MERCHANT=2222222222 token_reverse 0400 "$sale" "$t" --as POS[@]
is "another merchant's POS reversing the same STAN, terminal and time: 25 (not its sale)" "$(fld 39)" 25
reverse 0400 "$sale" "$t" 6400 "$MERCHANT_A"
is "an acquirer reversing the same STAN, terminal and time: 25 (not its sale)" "$(fld 39)" 25
token_reverse 0400 "$sale" "$t" 42=2222222222
is "the POS's 0400 with another merchant in field 42: 58" "$(fld 39)" 58
is "... the balance still charged" "$(balance_id "$account")" 6400

token_reverse 0400 "$sale" "$t"
is "the POS's 0400 of its token sale: 0410 00" "$(fld mti) $(fld 39)" "0410 00"
is "... the balance restored" "$(balance_id "$account")" 0
is "... the authorization reversed, the token still spent" \
  "$(psql_q "SELECT a.status || ' ' || (t.used_at IS NOT NULL)::text FROM issuer.authorizations a JOIN issuer.token_keys t ON t.key_id = a.token_key_id WHERE t.key_id = '$KID'")" \
  "reversed true"
token_reverse 0401 "$sale" "$t"
is "its 0401 repeat: 00 again" "$(fld 39)" 00
is "... the balance not restored twice" "$(balance_id "$account")" 0
next_stan
token_auth "$STAN" "$t"
is "the token in a new 0100 after the reversal: 63 (it stays spent)" "$(fld 39)" 63
token_auth "$sale" "$t"
is "the reversed 0100 sent again: 05, nothing charged" "$(fld 39) $(balance_id "$account")" "05 0"

# a reversal of a 0100 the issuer never saw (the POS crashed before sending it)
make_token "$pan" "$MERCHANT_A" 6400
deliver
next_stan; lost=$STAN
token_reverse 0400 "$lost" "$t"
is "the POS's 0400 of a 0100 never seen: 25" "$(fld 39)" 25
token_reverse 0401 "$lost" "$t"
is "its 0401: 25 again" "$(fld 39)" 25
token_auth "$lost" "$t"
is "that 0100 arriving late: refused 05, nothing charged" "$(fld 39) $(balance_id "$account")" "05 0"
is "... the token not spent by it" "$(psql_q "SELECT (used_at IS NULL)::text FROM issuer.token_keys WHERE key_id = '$KID'")" true
next_stan
token_auth "$STAN" "$t"
is "the same token under a new STAN: approved" "$(fld 39) $(balance_id "$account")" "00 6400"
done_testing
