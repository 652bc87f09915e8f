#!/usr/bin/env bash
# 20 refund advices of 100 at once on an approved 1000 (20 iso-send
# processes in parallel, each its own connection): the credit server decides
# them one by one under a row lock of the original, so exactly 10 are
# answered 00, 10 are refused 13, and the balance moves by exactly 1000 —
# never more (the database's CHECK would refuse a refunded above the
# amount, but the answers must say it first).  Figure 24D: 10 refund rows.
. "$(dirname "$0")/credit_refund_lib.sh"

sale 1000
is "the sale of 1000 is approved" "$(fld 39)" 00
before=$(balance_id "$ACCOUNT")
is "the balance is 1000" "$before" 1000

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
t=$(now_time)
for i in $(seq 1 20); do
  next_stan
  "$ISO_SEND" --addr "$PAYGW_CREDIT_ADDR" --original "0100,$SALE_STAN,$SALE_TIME" 0220 3=200000 4=100 7="$t" \
    11="$STAN" 41="$TERMINAL" 42="$MERCHANT_A" 49=392 >"$out/$i" 2>&1 &
done
wait
answers=$(cat "$out"/* | sed -n 's/^39=//p' | sort | uniq -c | awk '{print $2 ":" $1}' | tr '\n' ' ')
is "20 answers: exactly 10 approved, 10 refused 13" "$answers" "00:10 13:10 "
is "the balance moved by exactly 1000" "$(balance_id "$ACCOUNT")" $((before - 1000))
is "the original has exactly 1000 refunded" "$(original_state "$SALE_STAN" "$SALE_TIME")" "1000 approved"
is "20 refunds recorded: 10 refunded, 10 refused" \
  "$(psql_q "SELECT string_agg(status || ':' || n, ' ' ORDER BY status) FROM (SELECT status, count(*) n FROM issuer.refunds
             WHERE terminal_id = '$TERMINAL' GROUP BY status) s")" "refunded:10 refused:10"
is "fig 24D: ten refund rows of -1000 in all" "$(refund_rows)" "10 -1000"
is "fig 24D: the account's net sales are 0" "$(net_sales)" 0
is "fig 24D: the daily view's total is the day's net" "$(daily_consistent)" t
done_testing
