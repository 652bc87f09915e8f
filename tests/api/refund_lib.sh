# tests/api/refund_lib.sh — shared by the refund_*.t tests (issue 15,
# docs/api.md "Refunds"): a completed payment made through the whole flow,
# refunds asked for as its merchant's terminal, the gateway's rows and the
# credit server's (balance, issuer.refunds, figure 24D) read back in SQL.
[[ -n ${FLOW_TMP:-} ]] || . "$(dirname "${BASH_SOURCE[0]}")/flowlib.sh"   # once, when webhook_lib.sh came first

MERCHANT=${MERCHANT:-1111111111}

# paid USER AMOUNT → TXN: a new payment of AMOUNT by USER at $MERCHANT,
# completed (method L); PAID_ERROR says why not
paid() {
  PAID_ERROR=""
  flow_to chosen "$MERCHANT" "$1" "$2" L || { PAID_ERROR=$FLOW_ERROR; return 1; }
  [[ $STATUS == 200 && $(jqr .status) == completed ]] || { PAID_ERROR="method answered $STATUS: $BODY"; return 1; }
}

# refund_post NUMBER AMOUNT KEY [REASON] [MERCHANT] → STATUS, BODY (no key when KEY is "-")
refund_post() {
  local body key=()
  body=$(jq -cn --argjson a "$2" --arg r "${4:-}" '{amount: $a} + (if $r == "" then {} else {reason: $r} end)')
  [[ $3 == - ]] || key=(-H "Idempotency-Key: $3")
  pos POST "/v1/transactions/$1/refunds" "${5:-$MERCHANT}" -H 'Content-Type: application/json' "${key[@]}" \
    --data "$body" -D "$FLOW_TMP/refund.headers"
}
replayed_header() { grep -ci '^Idempotency-Replayed: true' "$FLOW_TMP/refund.headers"; }

# refund_key → a fresh Idempotency-Key
refund_key() { echo "rk-$(date +%s%N)-$RANDOM"; }

# gw_refunds NUMBER → "kind:amount:status ..." of the gateway's rows, oldest first
gw_refunds() {
  psql_q "SELECT coalesce(string_agg(r.kind || ':' || r.amount || ':' || r.status, ' ' ORDER BY r.id), '')
            FROM gateway.refunds r JOIN gateway.transactions t ON t.id = r.transaction_id WHERE t.number = '$1'"
}
# gw_refund_count → every refund row of the gateway (a refusal adds none)
gw_refund_count() { psql_q "SELECT count(*) FROM gateway.refunds"; }

# issuer_auth_of NUMBER → "status refunded" of the credit server's 0100 of the payment
issuer_auth_of() {
  psql_q "SELECT ia.status || ' ' || ia.refunded FROM issuer.authorizations ia
            JOIN gateway.authorizations ga ON ia.stan = lpad(ga.stan::text, 6, '0')
             AND ia.transmission_time = ga.transmission_time AND ia.terminal_id = ga.terminal_code
            JOIN gateway.transactions t ON t.id = ga.transaction_id WHERE t.number = '$1'"
}
# issuer_refunds_of NUMBER → "COUNT SUM" of the credit server's refunds (00) of the payment
issuer_refunds_of() {
  psql_q "SELECT count(*) || ' ' || coalesce(sum(ir.amount), 0) FROM issuer.refunds ir
            JOIN issuer.authorizations ia ON ia.id = ir.authorization_id
            JOIN gateway.authorizations ga ON ia.stan = lpad(ga.stan::text, 6, '0')
             AND ia.transmission_time = ga.transmission_time AND ia.terminal_id = ga.terminal_code
            JOIN gateway.transactions t ON t.id = ga.transaction_id
           WHERE t.number = '$1' AND ir.status = 'refunded'"
}
# sales_of NUMBER → figure 24D's rows of the payment: "sale:AMOUNT refund:-AMOUNT ..." (sale first)
sales_of() {
  psql_q "SELECT coalesce(string_agg(s.type || ':' || s.sales, ' ' ORDER BY s.type DESC, s.sales DESC), '')
            FROM issuer.merchant_sales s JOIN issuer.authorizations ia ON ia.approval_code = s.approval_code
             AND ia.merchant_code = s.merchant_code
             AND s.card_masked = (SELECT c.card_masked FROM issuer.card_accounts c WHERE c.id = ia.account_id)
            JOIN gateway.authorizations ga ON ia.stan = lpad(ga.stan::text, 6, '0')
             AND ia.transmission_time = ga.transmission_time AND ia.terminal_id = ga.terminal_code
            JOIN gateway.transactions t ON t.id = ga.transaction_id WHERE t.number = '$1'"
}

# void_window_on: the gateway workers restarted with a cut-off that is
# hours away in a zone where it is early in the day (UTC, or UTC+4 from
# 21:00 to 01:00 UTC), so a payment made now may be voided whatever the
# hour of the run; void_window_off puts the stack's settings back.
void_window_on() {
  local h; h=$((10#$(date -u +%H)))
  local tz=UTC; ((h >= 21 || h < 1)) && tz=Etc/GMT-4
  PAYGW_CUTOFF_TZ=$tz PAYGW_CUTOFF_TIME=23:59 "$TEST_ROOT/scripts/stack" gateway-restart >/dev/null
}
void_window_off() { "$TEST_ROOT/scripts/stack" gateway-restart >/dev/null; }
