#!/usr/bin/env bash
# credit_duplicate_year_old.t — field 7 (MMDDhhmmss) has no year, so the
# credit server keys an authorization on the full transmission time it
# rebuilds from field 7 and its own clock (docs/credit-server.md): a 0100
# whose STAN, terminal and field 7 equal those of an authorization a year
# old is a new request (decided and charged), never that old answer.  A
# reversal naming that field 7 undoes the new authorization, not the old
# one; and the original after its reversal is still refused.
. "$(dirname "$0")/credit_lib.sh"

t=$(now_time)
before=$(balance_of 152500 5678)
next_stan; stan=$STAN
auth "$CARD_A" 3012 2100 "$MERCHANT_A" "PML 00" "$stan" "$t"
old_code=$(fld 38)
is "last year's 0100 is approved" "$(fld 39)" 00
key="stan = '$stan' AND terminal_id = '$TERMINAL'"
is "the row holds the full transmission time: field 7 in UTC, this year" \
  "$(psql_q "SELECT to_char(transmitted_at AT TIME ZONE 'UTC', 'MMDDHH24MISS') || ' '
                    || (abs(extract(epoch FROM transmitted_at - now())) < 600) FROM issuer.authorizations WHERE $key")" \
  "$t true"
# make it a year old: what it would be had it come on this day last year
psql_q "UPDATE issuer.authorizations SET created_at = created_at - interval '1 year',
          transmitted_at = transmitted_at - interval '1 year' WHERE $key" >/dev/null
is "the row is a year old now" \
  "$(psql_q "SELECT count(*) FROM issuer.authorizations WHERE $key AND transmitted_at < now() - interval '360 days'")" 1
mid=$(balance_of 152500 5678)

auth "$CARD_A" 3012 2100 "$MERCHANT_A" "PML 00" "$stan" "$t"
is "the same STAN, terminal and field 7 a year later: approved" "$(fld 39)" 00
check "with an approval code of its own (not last year's)" test -n "$(fld 38)" -a "$(fld 38)" != "$old_code"
is "it is charged" "$(balance_of 152500 5678)" $((mid + 2100))
is "two rows under STAN and terminal, a year apart" \
  "$(psql_q "SELECT count(*) || ' ' || count(DISTINCT transmitted_at) || ' ' || count(DISTINCT transmission_time) FROM issuer.authorizations WHERE $key")" \
  "2 2 1"
new_code=$(fld 38)
auth "$CARD_A" 3012 2100 "$MERCHANT_A" "PML 00" "$stan" "$t"
is "sent again now: a duplicate of this year's (its approval code)" "$(fld 39) $(fld 38)" "00 $new_code"
is "... charged once" "$(balance_of 152500 5678)" $((mid + 2100))

reverse 0400 "$stan" "$t" 2100 "$MERCHANT_A"
is "the reversal naming field 7 is answered 00" "$(fld 39)" 00
is "it undid this year's authorization" "$(balance_of 152500 5678)" "$mid"
is "this year's is reversed, last year's still approved" \
  "$(psql_q "SELECT string_agg(status, ' ' ORDER BY transmitted_at) FROM issuer.authorizations WHERE $key")" \
  "approved reversed"
auth "$CARD_A" 3012 2100 "$MERCHANT_A" "PML 00" "$stan" "$t"
is "the original after its reversal: refused (05), nothing charged" \
  "$(fld 39) $(fld 38) $(balance_of 152500 5678)" "05  $mid"

# a reversal that comes first, then its original: still voided under the new key
next_stan; lost=$STAN
reverse 0400 "$lost" "$t" 900 "$MERCHANT_A"
is "a reversal of an unseen original: 25" "$(fld 39)" 25
auth "$CARD_A" 3012 900 "$MERCHANT_A" "PML 00" "$lost" "$t"
is "its original, late: refused 05, not charged" "$(fld 39) $(balance_of 152500 5678)" "05 $mid"
psql_q "UPDATE issuer.authorizations SET created_at = created_at - interval '1 year',
          transmitted_at = transmitted_at - interval '1 year' WHERE stan = '$lost' AND terminal_id = '$TERMINAL'" >/dev/null
auth "$CARD_A" 3012 900 "$MERCHANT_A" "PML 00" "$lost" "$t"
is "a void row a year old no longer blocks a new 0100 under that field 7" "$(fld 39)" 00
is "which is charged" "$(balance_of 152500 5678)" $((mid + 900))

# a field 7 that is no date (13th month) cannot be placed in time: 30
next_stan
auth "$CARD_A" 3012 100 "$MERCHANT_A" "PML 00" "$STAN" "1301120000"
is "field 7 with month 13: 30, nothing recorded" \
  "$(fld 39) $(psql_q "SELECT count(*) FROM issuer.authorizations WHERE stan = '$STAN' AND terminal_id = '$TERMINAL'")" "30 0"
done_testing
