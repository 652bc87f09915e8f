#!/usr/bin/env bash
# 50 authorizations of 100 at once on 50 connections against one account
# with a limit of 1000: exactly 10 approved, 40 declined 51, balance exactly
# 1000 — the account row is locked for each decision, so none overdraws.
. "$(dirname "$0")/credit_lib.sh"

pan=$(new_test_pan)
id=$(enrol_test_account "$pan" 1000)
check "a test account with limit 1000 is enrolled" test -n "$id"
is "its balance starts at 0" "$(balance_id "$id")" 0

t=$(now_time)
dir=$(mktemp -d)
for i in $(seq 50); do
  next_stan
  ( auth "$pan" 3012 100 "$MERCHANT_A" "PML 00" "$STAN" "$t" --timeout 20000; echo "$ANS" >"$dir/$i" ) &
done
wait
is "50 answers" "$(grep -l '^mti=0110$' "$dir"/* | wc -l)" 50
is "exactly 10 approved" "$(grep -l '^39=00$' "$dir"/* | wc -l)" 10
is "exactly 40 over the limit" "$(grep -l '^39=51$' "$dir"/* | wc -l)" 40
is "the balance is exactly the limit" "$(balance_id "$id")" 1000
is "10 approved rows for the account" \
  "$(psql_q "SELECT count(*) FROM issuer.authorizations WHERE account_id = $id AND status = 'approved'")" 10
rm -rf "$dir"
done_testing
