#!/usr/bin/env bash
# Refunds (0220/0221 → 0230): a full refund lowers the balance by the whole
# sale; three partial refunds adding up to the sale, then a fourth refused
# 13; a refund above what is left refused 13 (nothing moves); a repeat
# (0221) answered as the first and counted once; the same key with other
# content 94; a purchase's processing code 30.  Figure 24D after each: a
# refund row of type refund with negative sales, the account's net sales,
# and merchant_sales_daily's total the day's net.
. "$(dirname "$0")/credit_refund_lib.sh"

# --- a full refund -------------------------------------------------------------
sale 3456
is "the sale is approved" "$(fld 39)" 00
is "the balance is the sale" "$(balance_id "$ACCOUNT")" 3456
next_stan; t=$(now_time)
refund 0220 "$STAN" "$t" "$SALE_STAN" "$SALE_TIME" 3456
is "full refund: a 0230" "$(fld mti)" 0230
is "full refund: 00" "$(fld 39)" 00
is "full refund: its own STAN echoed" "$(fld 11)" "$STAN"
is "full refund: processing code 200000 echoed" "$(fld 03)" 200000
is "full refund: amount echoed" "$(fld 04)" 000000003456
is "full refund: the balance is back to 0" "$(balance_id "$ACCOUNT")" 0
is "full refund: the original has 3456 refunded and stays approved" "$(original_state "$SALE_STAN" "$SALE_TIME")" \
  "3456 approved"
is "full refund: recorded refunded under its own key" \
  "$(psql_q "SELECT status || ' ' || response_code || ' ' || amount FROM issuer.refunds
             WHERE stan = '$STAN' AND terminal_id = '$TERMINAL' AND transmission_time = '$t'")" "refunded 00 3456"
is "fig 24D: one refund row of -3456" "$(refund_rows)" "1 -3456"
is "fig 24D: the account's net sales are 0" "$(net_sales)" 0
is "fig 24D: the daily view's total is the day's net" "$(daily_consistent)" t
next_stan
refund 0220 "$STAN" "$(now_time)" "$SALE_STAN" "$SALE_TIME" 1
is "one unit more after a full refund: 13" "$(fld 39)" 13
is "... the balance does not move" "$(balance_id "$ACCOUNT")" 0

# --- three partial refunds adding up, a fourth refused ----------------------------
sale 1000
is "a sale of 1000 is approved" "$(fld 39)" 00
i=0
for amount in 200 300 500; do
  i=$((i + 1))
  next_stan
  refund 0220 "$STAN" "$(now_time)" "$SALE_STAN" "$SALE_TIME" "$amount"
  is "partial refund $i of $amount: 00" "$(fld 39)" 00
done
is "three partial refunds: the balance is 0" "$(balance_id "$ACCOUNT")" 0
is "... the original is wholly refunded" "$(original_state "$SALE_STAN" "$SALE_TIME")" "1000 approved"
is "fig 24D: three refund rows of -1000 in all" "$(refund_rows)" "3 -1000"
is "fig 24D: net sales 0" "$(net_sales)" 0
next_stan
refund 0220 "$STAN" "$(now_time)" "$SALE_STAN" "$SALE_TIME" 100
is "a fourth refund: 13" "$(fld 39)" 13
is "... recorded refused" \
  "$(psql_q "SELECT status || ' ' || response_code FROM issuer.refunds WHERE stan = '$STAN' AND terminal_id = '$TERMINAL'")" \
  "refused 13"
is "... the balance does not move" "$(balance_id "$ACCOUNT")" 0
is "fig 24D: still three refund rows" "$(refund_rows)" "3 -1000"
is "fig 24D: the daily view's total is the day's net" "$(daily_consistent)" t

# --- above what is left; a repeat counted once; another refund under a key -------
sale 1000
refund_stan() { next_stan; R_STAN=$STAN; R_TIME=$(now_time); }
refund_stan
refund 0220 "$R_STAN" "$R_TIME" "$SALE_STAN" "$SALE_TIME" 700
is "700 of 1000: 00" "$(fld 39)" 00
is "... balance 300" "$(balance_id "$ACCOUNT")" 300
first=$R_STAN first_t=$R_TIME
refund 0221 "$first" "$first_t" "$SALE_STAN" "$SALE_TIME" 700
is "its repeat (0221): a 0230 with 00 again" "$(fld mti) $(fld 39)" "0230 00"
is "... refunded once: balance still 300" "$(balance_id "$ACCOUNT")" 300
refund 0220 "$first" "$first_t" "$SALE_STAN" "$SALE_TIME" 700
is "sent a third time as 0220: 00, balance still 300" "$(fld 39) $(balance_id "$ACCOUNT")" "00 300"
is "... one row under the key" \
  "$(psql_q "SELECT count(*) FROM issuer.refunds WHERE stan = '$first' AND terminal_id = '$TERMINAL'")" 1
refund 0221 "$first" "$first_t" "$SALE_STAN" "$SALE_TIME" 200
is "the same key with another amount: 94" "$(fld 39)" 94
is "... nothing moves" "$(balance_id "$ACCOUNT") $(original_state "$SALE_STAN" "$SALE_TIME")" "300 700 approved"
refund_stan
refund 0220 "$R_STAN" "$R_TIME" "$SALE_STAN" "$SALE_TIME" 301
is "301 when 300 is left: 13" "$(fld 39)" 13
is "... the balance does not move" "$(balance_id "$ACCOUNT")" 300
refund 0221 "$R_STAN" "$R_TIME" "$SALE_STAN" "$SALE_TIME" 301
is "its repeat: 13 again (the first answer)" "$(fld 39)" 13
refund_stan
refund 0220 "$R_STAN" "$R_TIME" "$SALE_STAN" "$SALE_TIME" 300
is "exactly what is left: 00" "$(fld 39)" 00
is "... balance 0" "$(balance_id "$ACCOUNT")" 0
is "fig 24D: two refund rows, -1000" "$(refund_rows)" "2 -1000"
is "fig 24D: net sales 0" "$(net_sales)" 0
is "fig 24D: the daily view's total is the day's net" "$(daily_consistent)" t

# --- malformed ----------------------------------------------------------------
sale 500
next_stan
send --original "0100,$SALE_STAN,$SALE_TIME" 0220 3=000000 4=100 7="$(now_time)" 11="$STAN" 41="$TERMINAL" \
  42="$MERCHANT_A" 49=392
is "a 0220 with a purchase's processing code: 0230 with 30" "$(fld mti) $(fld 39)" "0230 30"
next_stan
send 0220 3=200000 4=100 7="$(now_time)" 11="$STAN" 41="$TERMINAL" 42="$MERCHANT_A" 49=392
is "a 0220 without field 90: 30" "$(fld 39)" 30
is "... nothing refunded" "$(balance_id "$ACCOUNT")" 500
check "the log names refunds without the card" bash -c "! grep -q '$PAN' '$PAYGW_VAR/log/credit-server.log'"
done_testing
