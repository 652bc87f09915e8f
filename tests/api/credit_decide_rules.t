#!/usr/bin/env bash
# credit_decide_rules.t — the issuer's rules as the database holds them
# (sql/0012), called directly with psql: issuer.decide walks every response
# code in its order of precedence (first match wins: 14, 54, 05, 03, 57, 51,
# 00), the method rules of figure 24A and the limit's edges; issuer.do_authorize
# answers a key already held with the stored answer or 94 and names what
# differs (1 card, 2 amount, 4 merchant, 8 currency; a void row knows no
# card); issuer.do_reverse undoes once; and only the credit server's role
# may call them.  What these rules mean end to end, through the credit
# server, is credit_authorize.t, credit_duplicate*.t and credit_reversal.t.
. "$(dirname "$0")/credit_lib.sh"

NOW="'2026-11-25 12:00:00+00'"
# decide CARD_FOUND CARD_EXPIRY BLOCKED CARD_CURRENCY LIMIT BALANCE M_FOUND M_DISABLED METHODS COUNTS
#        EXPIRY AMOUNT CURRENCY METHOD INSTALLMENTS — a good request unless told otherwise
decide() {
  psql_q "SELECT issuer.decide($1, '$2', $3, '$4', $5, $6, $7, $8, $9, ${10}, '${11}', ${12}, '${13}', '${14}', ${15}, $NOW)"
}
GOOD=(true 3012 false 392 500000 0 true false "'{L,I,R}'" "'{3,6}'::smallint[]" 3012 2592 392 L 0)
with() {  # with INDEX VALUE [INDEX VALUE...]: GOOD with those arguments changed
  local a=("${GOOD[@]}")
  while (($#)); do a[$1]=$2; shift 2; done
  decide "${a[@]}"
}

is "a good request: 00" "$(with)" 00
is "unknown card: 14, before anything else" "$(with 0 false 6 false 2 true)" 14
is "expired at the issuer: 54" "$(with 1 2001 10 2001)" 54
is "field 14 not the issuer's expiry: 54" "$(with 10 3011)" 54
is "expiring this month: still valid" "$(with 1 2611 10 2611)" 00
is "expired last month: 54" "$(with 1 2610 10 2610)" 54
is "blocked account: 05" "$(with 2 true)" 05
is "field 49 not the account's currency: 05" "$(with 12 840)" 05
is "05 comes before 03" "$(with 12 840 6 false)" 05
is "05 comes before 57" "$(with 12 840 8 NULL)" 05
is "unknown merchant: 03" "$(with 6 false 8 NULL 9 NULL)" 03
is "disabled merchant: 03" "$(with 7 true)" 03
is "method not offered: 57" "$(with 13 B)" 57
is "installments not offered in that count: 57" "$(with 13 I 14 12)" 57
is "installments offered in that count: 00" "$(with 13 I 14 6)" 00
is "a lump sum with an installment count: 57" "$(with 14 3)" 57
is "no methods row for the card's issuer: 57" "$(with 8 NULL 9 NULL)" 57
is "exactly the credit left: 00" "$(with 4 1000 5 900 11 100)" 00
is "one over the credit left: 51" "$(with 4 1000 5 900 11 101)" 51
is "a full account: 51" "$(with 4 1000 5 1000 11 1)" 51
is "the largest amount does not overflow: 51" "$(with 11 9223372036854775807)" 51

# --- do_authorize on a key already held (an unknown card: declined 14, no
# balance involved), and do_reverse ----------------------------------------------
HASH_A=$(printf 'a%.0s' $(seq 64)) HASH_B=$(printf 'b%.0s' $(seq 64))
t=$(now_time)
at=$(date -u -d "$(date -u +%Y)-${t:0:2}-${t:2:2} ${t:4:2}:${t:6:2}:${t:8:2}" '+%Y-%m-%d %H:%M:%S+00')
# authorize STAN HASH AMOUNT MERCHANT CURRENCY → "outcome response approval differs charged"
authorize() {
  psql_q "SELECT concat_ws(' ', outcome, response_code, nullif(approval_code, ''), differs, charged)
            FROM issuer.do_authorize('$2', '3012', $3, '$5', '$1', '$TERMINAL', '$t', '$at', '$4', 'L', 0, 'ABC123', now())"
}
reverse() {
  psql_q "SELECT outcome FROM issuer.do_reverse('$1', '$TERMINAL', '$t', '$at', '$MERCHANT_A', '392', $2)"
}
next_stan; s1=$STAN
is "a new key: decided (unknown card: 14, nothing charged)" "$(authorize "$s1" "$HASH_A" 100 "$MERCHANT_A" 392)" "decided 14 0 f"
is "the same request again: replayed, the stored answer" "$(authorize "$s1" "$HASH_A" 100 "$MERCHANT_A" 392)" "replayed 14 0 f"
is "another card under the key: conflict 94, differs 1" "$(authorize "$s1" "$HASH_B" 100 "$MERCHANT_A" 392)" "conflict 94 1 f"
is "another amount: differs 2" "$(authorize "$s1" "$HASH_A" 101 "$MERCHANT_A" 392)" "conflict 94 2 f"
is "another merchant: differs 4" "$(authorize "$s1" "$HASH_A" 100 2222222222 392)" "conflict 94 4 f"
is "another currency: differs 8" "$(authorize "$s1" "$HASH_A" 100 "$MERCHANT_A" 840)" "conflict 94 8 f"
is "all four: differs 15" "$(authorize "$s1" "$HASH_B" 1 2222222222 840)" "conflict 94 15 f"
is "the key holds one row, the first" \
  "$(psql_q "SELECT count(*) || ' ' || max(amount) FROM issuer.authorizations WHERE stan = '$s1' AND terminal_id = '$TERMINAL'")" "1 100"
is "a declined original: its reversal has nothing to undo" "$(reverse "$s1" 100)" already

next_stan; s2=$STAN
is "a reversal of a key never seen: not_found (a void row)" "$(reverse "$s2" 100)" not_found
is "... sent again: not_found again" "$(reverse "$s2" 100)" not_found
is "the late original, any card (a void row knows none): refused 05" "$(authorize "$s2" "$HASH_B" 100 "$MERCHANT_A" 392)" "replayed 05 0 f"
is "the late original with another amount: 94, differs 2" "$(authorize "$s2" "$HASH_A" 99 "$MERCHANT_A" 392)" "conflict 94 2 f"

# --- who may call them ---------------------------------------------------------------
sig_auth="issuer.do_authorize(text, text, bigint, text, text, text, text, timestamptz, text, text, integer, text, timestamptz)"
sig_rev="issuer.do_reverse(text, text, text, timestamptz, text, text, bigint)"
for f in "$sig_auth" "$sig_rev"; do
  is "${f%%(*}: the credit server's role may execute it" "$(psql_q "SELECT has_function_privilege('paygw_issuer', '$f', 'EXECUTE')")" t
  is "${f%%(*}: the gateway's role may not" "$(psql_q "SELECT has_function_privilege('paygw_gateway', '$f', 'EXECUTE')")" f
  is "${f%%(*}: nor PUBLIC" \
    "$(psql_q "SELECT count(*) FROM pg_proc p, aclexplode(p.proacl) a WHERE p.oid = '$f'::regprocedure AND a.grantee = 0")" 0
  check "${f%%(*}: it carries a comment" test -n "$(psql_q "SELECT obj_description('$f'::regprocedure, 'pg_proc')")"
done
done_testing
