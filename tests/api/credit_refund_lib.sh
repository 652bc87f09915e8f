# tests/api/credit_refund_lib.sh — shared by the credit_refund_*.t tests:
# refund advices (0220/0221) to the credit server as the test acquirer,
# an approved sale on an account of the test's own, and figure 24D read
# back in SQL (docs/iso8583.md "Refunds", sql/0024_issuer_refunds.sql).
. "$(dirname "$0")/credit_lib.sh"

# refund MTI STAN TIME ORIG_STAN ORIG_TIME AMOUNT [iso-send options] → the
# 0220/0221 refunding AMOUNT of the 0100 (ORIG_STAN, ORIG_TIME) of $TERMINAL
refund() {
  local mti=$1 stan=$2 t=$3 ostan=$4 ot=$5 amount=$6; shift 6
  send "$@" --original "0100,$ostan,$ot" "$mti" 3=200000 4="$amount" 7="$t" 11="$stan" 41="$TERMINAL" \
    42="$MERCHANT_A" 49=392
}

# sale AMOUNT → a fresh account (ACCOUNT, PAN) with an approved 0100 of
# AMOUNT on it: SALE_STAN, SALE_TIME its key
sale() {
  PAN=$(new_test_pan)
  ACCOUNT=$(enrol_test_account "$PAN" 500000)
  SALE_TIME=$(now_time)
  next_stan; SALE_STAN=$STAN
  auth "$PAN" 3012 "$1" "$MERCHANT_A" "PML 00" "$SALE_STAN" "$SALE_TIME"
}

# figure 24D for the test's account: the net of its sale and refund rows
net_sales() {
  psql_q "SELECT coalesce(sum(s.sales), 0) FROM issuer.merchant_sales s
           WHERE s.card_masked = (SELECT card_masked FROM issuer.card_accounts WHERE id = $ACCOUNT)"
}
# its refund rows: "COUNT SUM" (sales negative)
refund_rows() {
  psql_q "SELECT count(*) || ' ' || coalesce(sum(s.sales), 0) FROM issuer.merchant_sales s
           WHERE s.type = 'refund' AND s.card_masked = (SELECT card_masked FROM issuer.card_accounts WHERE id = $ACCOUNT)"
}
# the daily view agrees with the rows of the day (one snapshot): today's
# total for merchant A is the net of its sale and refund rows, and gross -
# refunded = total.  Prints "t" when it does.
daily_consistent() {
  psql_q "WITH d AS (SELECT sum(total) AS total, sum(gross) AS gross, sum(refunded) AS refunded, sum(refunds) AS refunds
                       FROM issuer.merchant_sales_daily
                      WHERE merchant_code = '$MERCHANT_A' AND date = current_date AND currency = '392'),
               r AS (SELECT sum(sales) AS net, -sum(sales) FILTER (WHERE type = 'refund') AS refunded,
                            count(*) FILTER (WHERE type = 'refund') AS refunds
                       FROM issuer.merchant_sales
                      WHERE merchant_code = '$MERCHANT_A' AND date = current_date AND currency = '392')
          SELECT d.total = r.net AND d.gross - d.refunded = d.total AND d.refunded = coalesce(r.refunded, 0)
                 AND d.refunds = r.refunds FROM d, r"
}
# the authorization's refunded column and status: "REFUNDED STATUS"
original_state() {
  psql_q "SELECT refunded || ' ' || status FROM issuer.authorizations
           WHERE peer = 'acquirer' AND stan = '$1' AND terminal_id = '$TERMINAL' AND transmission_time = '$2'"
}
