#!/usr/bin/env bash
# metrics.t — issue 16: GET /metrics (docs/metrics.md).  Scraped before and
# after a known set of requests — pings, health checks answered by several
# workers, a path no route takes, one completed and one declined payment, a
# transaction the sweeper expires — the counters moved by exactly what the
# test did (the tests of a lane run one at a time on its stack, so nothing
# else moves these series meanwhile; the expiry is bounded by the database's
# own count, since leftovers of earlier tests may expire too).  Also: the
# text format (HELP/TYPE, cumulative buckets, +Inf = _count), the gauges
# against the database, another address than 127.0.0.1 refused by nginx
# (curl from 127.0.0.2), the bearer token when PAYGW_METRICS_TOKEN is set
# (the workers restarted with it, the counts kept across the restart: they
# live in the shared file), PostgreSQL stopped for a moment (the scrape
# still answers, without the gauges, and counts the errors), and the credit
# server's own metrics port (a payment, a refused TLS handshake).
. "$(dirname "$0")/flowlib.sh"

STACK=$TEST_ROOT/scripts/stack
MERCHANT=1111111111
restore_gateway() { "$STACK" gateway-restart >/dev/null 2>&1; }
# PostgreSQL is stopped for a moment below: started again whatever happens
trap '"$STACK" db-start >/dev/null 2>&1; restore_gateway; flow_cleanup' EXIT

# scrape FILE [curl args...]: GET /metrics into FILE (STATUS, CTYPE set)
scrape() {
  local file=$1; shift
  local meta
  meta=$(curl -sS -o "$file" -w '%{http_code} %{content_type}' --cacert "$PAYGW_CA" "$@" "$PAYGW_URL/metrics") \
    || meta="000 none"
  STATUS=${meta%% *} CTYPE=${meta#* }
}
# series FILE 'name{labels}' → its value (0 when the series is not there)
series() {
  local v
  v=$(awk -v s="$2" 'index($0, s " ") == 1 { print $2; exit }' "$1")
  echo "${v:-0}"
}
# delta 'name{labels}' → its value in AFTER less its value in BEFORE (integers)
delta() { echo $(($(series "$AFTER" "$1") - $(series "$BEFORE" "$1"))); }

BEFORE=$FLOW_TMP/before AFTER=$FLOW_TMP/after
SINCE=$(db_now)
scrape "$BEFORE"
is "GET /metrics from 127.0.0.1 answers 200" "$STATUS" 200
is "... as Prometheus text 0.0.4" "$CTYPE" "text/plain; version=0.0.4; charset=utf-8"

# --- what the test does -----------------------------------------------------
for i in 1 2 3; do api GET /v1/ping; done
declare -A PIDS=()
for i in $(seq 12); do api GET /v1/health; PIDS[$(jqr .worker_pid)]=1; done
api GET /v1/no-such-resource-metrics
is "a path no route takes answers 404" "$STATUS" 404
flow_to chosen "$MERCHANT" 00001 $((1000 + RANDOM % 900)) L
is "a payment of user 00001 completes" "$(jqr .status)" completed
flow_to chosen "$MERCHANT" 00008 500 L
is "a payment of user 00008 is declined (14, unknown card)" "$(jqr .status)" declined
# one left waiting and made overdue in SQL, untouched by any request (a
# request reading it would expire it itself): the sweeper expires it
txn_create "$MERCHANT" 00002 700
is "a transaction for the sweeper to expire is made" "$STATUS" 201
psql_q "UPDATE gateway.transactions SET deadline = now() - interval '1 second' WHERE number = '$TXN'" >/dev/null
for i in $(seq 60); do
  [[ $(psql_q "SELECT status FROM gateway.transactions WHERE number = '$TXN'") == expired ]] && break
  sleep 0.5
done
is "the sweeper expired it" "$(psql_q "SELECT status FROM gateway.transactions WHERE number = '$TXN'")" expired

scrape "$AFTER"
is "the second scrape answers 200" "$STATUS" 200

# --- exact deltas -------------------------------------------------------------
is "requests: GET /v1/ping 200 moved by the 3 pings" \
  "$(delta 'paygw_http_requests_total{endpoint="/v1/ping",method="GET",status="200"}')" 3
is "requests: GET /v1/health 200 moved by 12" \
  "$(delta 'paygw_http_requests_total{endpoint="/v1/health",method="GET",status="200"}')" 12
between "... answered by more than one worker (pids seen)" "${#PIDS[@]}" 2 100
is "requests: an unmatched GET 404 moved by 1 (endpoint is never the raw path)" \
  "$(delta 'paygw_http_requests_total{endpoint="unmatched",method="GET",status="404"}')" 1
is "... and the raw path appears nowhere" "$(grep -c 'no-such-resource' "$AFTER")" 0
is "requests: POST /v1/transactions 201 moved by 3" \
  "$(delta 'paygw_http_requests_total{endpoint="/v1/transactions",method="POST",status="201"}')" 3
is "requests: the payment-method route (its pattern) 200 moved by 2" \
  "$(delta 'paygw_http_requests_total{endpoint="/v1/transactions/{number}/payment-method",method="POST",status="200"}')" 2
is "requests: GET /metrics 200 moved by the first scrape" \
  "$(delta 'paygw_http_requests_total{endpoint="/metrics",method="GET",status="200"}')" 1
is "latency: the ping histogram's count moved by 3" \
  "$(delta 'paygw_http_request_duration_seconds_count{endpoint="/v1/ping",method="GET"}')" 3
is "payments: completed moved by 1" "$(delta 'paygw_payments_total{outcome="completed"}')" 1
is "payments: declined moved by 1" "$(delta 'paygw_payments_total{outcome="declined"}')" 1
EXPIRED=$(delta 'paygw_payments_total{outcome="expired"}')
EXPIRED_DB=$(psql_q "SELECT count(*) FROM gateway.transactions WHERE status = 'expired' AND updated_at >= '$SINCE'")
between "payments: expired (the sweeper's, counted in the same file) moved by 1..what the database expired" \
  "$EXPIRED" 1 $((EXPIRED_DB + 1))
is "issuer: the 0100 round trips counted 2" "$(delta 'paygw_issuer_round_trip_seconds_count{mti="0100"}')" 2
is "issuer: no 0100 went unanswered" "$(delta 'paygw_issuer_unanswered_total{mti="0100"}')" 0

# --- the format ---------------------------------------------------------------
check "every line is a # HELP/# TYPE comment or a sample" \
  quietly bash -c "! grep -vE '^(# (HELP|TYPE) paygw_[a-z_]+ .+|paygw_[a-z_]+(\{.*\})? [0-9.e+-]+)$' '$AFTER'"
# a sample's name is a # TYPE line's, or a histogram's with _bucket, _sum or _count
check "every sample's name has its # TYPE line" awk '
  /^# TYPE / { type[$3] = $4; next }
  /^#/ { next }
  { n = $1; sub(/\{.*/, "", n); base = n; sub(/_(bucket|sum|count)$/, "", base)
    if (!(n in type) && type[base] != "histogram") { print "no TYPE for " n; bad = 1 } }
  END { exit bad }' "$AFTER"
L='endpoint="/v1/health",method="GET"'
INF=$(series "$AFTER" "paygw_http_request_duration_seconds_bucket{$L,le=\"+Inf\"}")
is "histogram: le=\"+Inf\" equals _count" "$INF" "$(series "$AFTER" "paygw_http_request_duration_seconds_count{$L}")"
check "histogram: the buckets are cumulative (never falling)" quietly bash -c "
  grep -F 'paygw_http_request_duration_seconds_bucket{$L,' '$AFTER' | awk '{ if (\$2 < last) exit 1; last = \$2 }'"
like "histogram: _sum is in seconds" "$(series "$AFTER" "paygw_http_request_duration_seconds_sum{$L}")" '^[0-9]+\.[0-9]{6}$'

# --- the gauges, read from the database at the scrape ----------------------------
is "the database answered the scrape" "$(series "$AFTER" paygw_metrics_database_up)" 1
is "paygw_refunds_pending is the database's count" "$(series "$AFTER" paygw_refunds_pending)" \
  "$(psql_q "SELECT count(*) FROM gateway.refunds WHERE status = 'pending'")"
is "paygw_reversals_pending is the database's count" "$(series "$AFTER" paygw_reversals_pending)" \
  "$(psql_q "SELECT count(*) FROM gateway.authorizations WHERE status = 'reversal_pending'")"
check "paygw_webhook_queue_depth and paygw_webhook_oldest_age_seconds are there" \
  grep -qE '^paygw_webhook_queue_depth [0-9]+$' "$AFTER"
check "... with an age in seconds" grep -qE '^paygw_webhook_oldest_age_seconds [0-9]+\.[0-9]{6}$' "$AFTER"

# --- the database away: the scrape still answers, says so, counts the errors ------
DOWN=$FLOW_TMP/down
"$STACK" db-stop >/dev/null 2>&1
scrape "$DOWN"
"$STACK" db-start >/dev/null 2>&1
is "with PostgreSQL stopped, /metrics still answers 200" "$STATUS" 200
is "... with paygw_metrics_database_up 0" "$(series "$DOWN" paygw_metrics_database_up)" 0
is "... and the pending counts left out (not shown as 0)" "$(grep -c '^paygw_refunds_pending' "$DOWN")" 0
between "... the worker's failed connections counted (paygw_db_errors_total connect, connection_lost)" \
  "$(($(series "$DOWN" 'paygw_db_errors_total{kind="connect"}') + $(series "$DOWN" 'paygw_db_errors_total{kind="connection_lost"}') \
      - $(series "$AFTER" 'paygw_db_errors_total{kind="connect"}') - $(series "$AFTER" 'paygw_db_errors_total{kind="connection_lost"}')))" \
  1 1000000
for i in $(seq 50); do scrape "$DOWN"; [[ $(series "$DOWN" paygw_metrics_database_up) == 1 ]] && break; sleep 0.2; done
is "PostgreSQL back: paygw_metrics_database_up 1 again" "$(series "$DOWN" paygw_metrics_database_up)" 1

# --- who may read it --------------------------------------------------------------
scrape "$FLOW_TMP/other" --interface 127.0.0.2
is "from 127.0.0.2 (not an allowed address) nginx answers 403" "$STATUS" 403
is "... as problem+json forbidden" "$(jq -r .code "$FLOW_TMP/other") $CTYPE" "forbidden application/problem+json"

TOKEN=metrics-token-$RANDOM$RANDOM
PAYGW_METRICS_TOKEN=$TOKEN "$STACK" gateway-restart >/dev/null
scrape "$FLOW_TMP/none"
is "with PAYGW_METRICS_TOKEN set, no token: 401" "$STATUS" 401
is "... problem+json unauthenticated" "$(jq -r .code "$FLOW_TMP/none")" unauthenticated
scrape "$FLOW_TMP/wrong" -H "Authorization: Bearer x$TOKEN"
is "a wrong token: 401" "$STATUS" 401
scrape "$FLOW_TMP/right" -H "Authorization: Bearer $TOKEN"
is "the token: 200" "$STATUS" 200
between "the workers' restart kept the counts (the shared file): pings not fewer" \
  "$(series "$FLOW_TMP/right" 'paygw_http_requests_total{endpoint="/v1/ping",method="GET",status="200"}')" \
  "$(series "$AFTER" 'paygw_http_requests_total{endpoint="/v1/ping",method="GET",status="200"}')" 1000000000
is "the two refusals counted as /metrics 401" \
  "$(($(series "$FLOW_TMP/right" 'paygw_http_requests_total{endpoint="/metrics",method="GET",status="401"}') \
      - $(series "$AFTER" 'paygw_http_requests_total{endpoint="/metrics",method="GET",status="401"}')))" 2

# --- the credit server's own port ------------------------------------------------
nonempty "stack.env names the credit server's metrics address" "${PAYGW_CREDIT_METRICS_ADDR:-}"
CREDIT=$FLOW_TMP/credit
meta=$(curl -sS -o "$CREDIT" -w '%{http_code} %{content_type}' "http://$PAYGW_CREDIT_METRICS_ADDR/metrics") || meta="000 none"
is "the credit server's GET /metrics answers 200 as Prometheus text" "$meta" \
  "200 text/plain; version=0.0.4; charset=utf-8"
# its counters since it started: at least this test's approval and decline
between "paygw_credit_messages_total 0100/00 counts the approval" \
  "$(series "$CREDIT" 'paygw_credit_messages_total{mti="0100",response_code="00"}')" 1 1000000000
between "paygw_credit_messages_total 0100/14 counts the decline" \
  "$(series "$CREDIT" 'paygw_credit_messages_total{mti="0100",response_code="14"}')" 1 1000000000
C1=$(series "$CREDIT" 'paygw_credit_authorizations_total{outcome="approved"}')
H1=$(series "$CREDIT" 'paygw_credit_tls_handshake_failures_total{reason="refused"}')
# a TLS client without a certificate: the credit server refuses the handshake
echo | timeout 10 openssl s_client -connect "$PAYGW_CREDIT_ADDR" -CAfile "$PAYGW_CA" >/dev/null 2>&1
flow_to chosen "$MERCHANT" 00001 $((1000 + RANDOM % 900)) L
is "one more payment completes" "$(jqr .status)" completed
curl -sS -o "$CREDIT.2" "http://$PAYGW_CREDIT_METRICS_ADDR/metrics"
is "the credit server's approvals moved by exactly that payment" \
  "$(($(series "$CREDIT.2" 'paygw_credit_authorizations_total{outcome="approved"}') - C1))" 1
is "a handshake without a client certificate counted as refused" \
  "$(($(series "$CREDIT.2" 'paygw_credit_tls_handshake_failures_total{reason="refused"}') - H1))" 1
is "its processing histogram for 0100: +Inf equals _count" \
  "$(series "$CREDIT.2" 'paygw_credit_processing_seconds_bucket{mti="0100",le="+Inf"}')" \
  "$(series "$CREDIT.2" 'paygw_credit_processing_seconds_count{mti="0100"}')"
meta=$(curl -s -o /dev/null -w '%{http_code}' "http://$PAYGW_CREDIT_METRICS_ADDR/other")
is "the credit server's metrics port answers 404 beside /metrics" "$meta" 404
done_testing
