#!/usr/bin/env bash
# refund_issuer_hung.t — issue 15: the credit server hangs (SIGSTOP) when a
# refund is asked for: the POST answers 201 pending (recorded before
# sending, attempt 1 a 0220 without an answer); the sweeper repeats it as
# 0221 with the reversal back-off while it hangs; once the credit server
# runs again a repeat is answered, the refund completes (a held GET
# .../refunds/{id}?wait=&status=pending returns it) and the issuer counts it
# once: one refund row, the balance moved by the amount alone.  Then a
# refund still unanswered past PAYGW_REFUND_GIVE_UP_S (its created_at moved
# back in SQL) is given up by the sweeper: failed, its amount not offered
# again.
. "$(dirname "$0")/refund_lib.sh"

USER=00005 SWEEPER_LOG=$PAYGW_VAR/log/sweeper.log
CREDIT_PID=$(cat "$PAYGW_VAR/run/credit-server.pid")
trap 'kill -CONT "$CREDIT_PID" 2>/dev/null; flow_cleanup' EXIT

# attempts ID → the refund's attempts and status at the gateway
attempts() { psql_q "SELECT attempts || ' ' || status FROM gateway.refunds WHERE refund_id = '$1'"; }

before=$(issuer_balance "$USER")
paid "$USER" 1000 || echo "# $PAID_ERROR"
is "a completed payment of 1000" "$(txn_status "$MERCHANT" "$TXN")" completed
check "the credit server's pid file names a live process" kill -0 "$CREDIT_PID"
sweeper_offset=$(stat -c %s "$SWEEPER_LOG" 2>/dev/null || echo 0)
kill -STOP "$CREDIT_PID"
refund_post "$TXN" 300 "$(refund_key)" "hung"
ID=$(jqr .id)
is "the issuer hangs: 201 pending" "$STATUS $(jqr .status) $(jqr .response_code)" "201 pending null"
is "... recorded with its first attempt" "$(attempts "$ID")" "1 pending"
pos GET "/v1/transactions/$TXN" "$MERCHANT"
is "a pending refund is not refundable again: refunded 0, refundable 700" "$(jqr .refunded) $(jqr .refundable)" "0 700"
for _ in $(seq 60); do
  [[ $(attempts "$ID" | cut -d' ' -f1) -ge 3 ]] && break
  sleep 0.5
done
between "the sweeper repeated it while the issuer hung (attempts)" "$(attempts "$ID" | cut -d' ' -f1)" 3 100
kill -CONT "$CREDIT_PID"
pos GET "/v1/transactions/$TXN/refunds/$ID?wait=25&status=pending" "$MERCHANT"
is "a held GET returns it completed once a repeat is answered" "$STATUS $(jqr .status) $(jqr .response_code)" \
  "200 completed 00"
is "the issuer counted it once: one refund of 300" "$(issuer_refunds_of "$TXN")" "1 300"
is "... under the refund's own STAN" \
  "$(psql_q "SELECT count(*) FROM issuer.refunds ir JOIN gateway.refunds r ON ir.stan = lpad(r.stan::text, 6, '0')
              AND ir.transmission_time = r.transmission_time WHERE r.refund_id = '$ID'")" 1
is "the balance moved by 300 alone" "$(issuer_balance "$USER")" "$((before + 700))"
tail -c +$((sweeper_offset + 1)) "$SWEEPER_LOG" | grep -F "\"refund\":\"$ID\"" >"$FLOW_TMP/attempts"
is "the sweeper's attempts were 0221s" "$(jq -r .mti "$FLOW_TMP/attempts" | sort -u | paste -sd,)" 0221
is "... the last one answered, the others not" "$(jq -r .answered "$FLOW_TMP/attempts" | uniq -c | awk '{print $2}' | paste -sd,)" \
  "false,true"
is "the gateway counted every attempt (1 by the worker, the rest by the sweeper)" \
  "$(attempts "$ID")" "$(($(wc -l <"$FLOW_TMP/attempts") + 1)) completed"

# --- given up after PAYGW_REFUND_GIVE_UP_S ------------------------------------------
kill -STOP "$CREDIT_PID"
refund_post "$TXN" 200 "$(refund_key)"
GIVEUP=$(jqr .id)
is "another refund while the issuer hangs: pending" "$STATUS $(jqr .status)" "201 pending"
psql_q "UPDATE gateway.refunds SET created_at = created_at - interval '30 days' WHERE refund_id = '$GIVEUP'" >/dev/null
pos GET "/v1/transactions/$TXN/refunds/$GIVEUP?wait=20&status=pending" "$MERCHANT"
is "the sweeper gives it up: failed, with a reason" "$(jqr .status) $(jqr '.failure.reason | length > 0')" "failed true"
kill -CONT "$CREDIT_PID"
pos GET "/v1/transactions/$TXN/refunds" "$MERCHANT"
is "a failed refund's amount stays spent: refunded 300, refundable 500" "$(jqr .refunded) $(jqr .refundable)" "300 500"
done_testing
