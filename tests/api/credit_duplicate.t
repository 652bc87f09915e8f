#!/usr/bin/env bash
# A duplicate 0100 (same STAN, terminal and transmission time) answers the
# first answer again and never charges twice: sent one after the other, and
# sent 10 times at once on 10 connections.
. "$(dirname "$0")/credit_lib.sh"

t=$(now_time)
before=$(balance_of 152500 5678)
next_stan; stan=$STAN
auth "$CARD_A" 3012 1234 "$MERCHANT_A" "PML 00" "$stan" "$t"
first=$(fld 38)
is "the first 0100 is approved" "$(fld 39)" 00
auth "$CARD_A" 3012 1234 "$MERCHANT_A" "PML 00" "$stan" "$t"
is "the duplicate answers 00 again" "$(fld 39)" 00
is "with the same approval code" "$(fld 38)" "$first"
is "charged once" "$(balance_of 152500 5678)" $((before + 1234))

# a declined first answer is answered again too
next_stan; d=$STAN
auth "$CARD_LOW" 3012 99999 "$MERCHANT_A" "PML 00" "$d" "$t"
auth "$CARD_LOW" 3012 99999 "$MERCHANT_A" "PML 00" "$d" "$t"
is "a duplicate of a decline: 51 again" "$(fld 39)" 51

# ten identical 0100s at once
before=$(balance_of 152500 5678)
next_stan; stan=$STAN
dir=$(mktemp -d)
for i in $(seq 10); do
  ( auth "$CARD_A" 3012 777 "$MERCHANT_A" "PML 00" "$stan" "$t"; echo "$ANS" >"$dir/$i" ) &
done
wait
is "10 concurrent duplicates: all answered 00" "$(grep -l '^39=00$' "$dir"/* | wc -l)" 10
is "all with one approval code" "$(grep -h '^38=' "$dir"/* | sort -u | wc -l)" 1
is "charged exactly once" "$(balance_of 152500 5678)" $((before + 777))
is "one authorization row" \
  "$(psql_q "SELECT count(*) FROM issuer.authorizations WHERE stan = '$stan' AND terminal_id = '$TERMINAL'")" 1
rm -rf "$dir"
done_testing
