#!/usr/bin/env bash
# The stack answers /v1/health over TLS with the headers a payment site needs,
# refuses old TLS, and its processes are the ones scripts/stack reports.
. "$(dirname "$0")/lib.sh"

api GET /v1/health
is "health answers 200" "$STATUS" 200
is "health is JSON" "$CTYPE" application/json
is "health reports the database reachable" "$(jqr .database)" reachable

headers=$(curl -sS -D - -o /dev/null --cacert "$PAYGW_CA" "$PAYGW_URL/v1/health")
check "HSTS for two years" grep -qi '^strict-transport-security: max-age=63072000' <<<"$headers"
check "nosniff header" grep -qi '^x-content-type-options: nosniff' <<<"$headers"
check "frames denied" grep -qi '^x-frame-options: DENY' <<<"$headers"
check "a request id is answered" grep -qiE '^x-request-id: [0-9a-f]{32}' <<<"$headers"

hostport=${PAYGW_URL#https://}
check "TLS 1.2 is accepted" bash -c "openssl s_client -connect $hostport -tls1_2 -CAfile '$PAYGW_CA' </dev/null 2>/dev/null | grep -q 'Verify return code: 0'"
check "TLS 1.3 is accepted" bash -c "openssl s_client -connect $hostport -tls1_3 -CAfile '$PAYGW_CA' </dev/null 2>/dev/null | grep -q 'Verify return code: 0'"
check "TLS 1.1 is refused" bash -c "! openssl s_client -connect $hostport -tls1_1 </dev/null >/dev/null 2>&1"
check "a CBC cipher is refused" bash -c "! openssl s_client -connect $hostport -tls1_2 -cipher ECDHE-RSA-AES128-SHA </dev/null >/dev/null 2>&1"
check "plain HTTP is not served" bash -c "! curl -s --max-time 3 http://$hostport/v1/health | grep -q database"
check "the server certificate verifies against the stack CA only" bash -c "! curl -s --max-time 3 $PAYGW_URL/v1/health >/dev/null"

status=$("$PAYGW_ROOT/scripts/stack" status)
check "stack status lists running workers" grep -qE "workers +$PAYGW_WORKERS of $PAYGW_WORKERS" <<<"$status"
check "stack status shows postgres running" grep -qE 'postgres +running' <<<"$status"
check "static files are served from www/" bash -c "curl -sf --cacert '$PAYGW_CA' '$PAYGW_URL/' | grep -qi paygw"
done_testing
