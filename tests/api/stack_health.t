#!/usr/bin/env bash
# The stack answers /v1/health and /v1/ping over TLS with the headers a
# payment site needs, refuses old TLS (1.1, CBC suites: the server's alert,
# not a client that could not offer them), and its processes are the ones
# scripts/stack reports.
. "$(dirname "$0")/lib.sh"

api GET /v1/health
is "health answers 200" "$STATUS" 200
is "health is JSON" "$CTYPE" application/json
is "health reports the database reachable" "$(jqr .database)" reachable
api GET /v1/ping
is "ping answers 200" "$STATUS" 200
is "ping is JSON" "$CTYPE" application/json
is "ping says pong, nothing else" "$(jq -c . <<<"$BODY")" '{"pong":true}'

headers=$(curl -sS -D - -o /dev/null --cacert "$PAYGW_CA" "$PAYGW_URL/v1/health")
check "HSTS for two years" grep -qi '^strict-transport-security: max-age=63072000' <<<"$headers"
check "nosniff header" grep -qi '^x-content-type-options: nosniff' <<<"$headers"
check "frames denied" grep -qi '^x-frame-options: DENY' <<<"$headers"
check "a request id is answered" grep -qiE '^x-request-id: [0-9a-f]{32}' <<<"$headers"

hostport=${PAYGW_URL#https://}
check "TLS 1.2 is accepted" bash -c "openssl s_client -connect $hostport -tls1_2 -CAfile '$PAYGW_CA' </dev/null 2>/dev/null | grep -q 'Verify return code: 0'"
check "TLS 1.3 is accepted" bash -c "openssl s_client -connect $hostport -tls1_3 -CAfile '$PAYGW_CA' </dev/null 2>/dev/null | grep -q 'Verify return code: 0'"
# s_client HANDSHAKE-OPTIONS... → its output (the handshake only)
s_client() { openssl s_client -connect "$hostport" -CAfile "$PAYGW_CA" "$@" </dev/null 2>&1; }
# The client must be able to offer TLS 1.1 (OpenSSL 3 allows it only at
# security level 0), so that the refusal is the server's: its protocol
# version alert, not a client that never sent a hello.
tls11=$(s_client -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0')
check "TLS 1.1 is refused by the server (protocol version alert)" grep -q 'alert protocol version' <<<"$tls11"
check "... and no session came up" grep -qF 'New, (NONE), Cipher is (NONE)' <<<"$tls11"
# the server's certificate is EC: ECDHE-ECDSA is the suite family it can use;
# the GCM suite is taken, the CBC one with the same key exchange refused
check "ECDHE-ECDSA-AES128-GCM-SHA256 (TLS 1.2) is accepted" \
  bash -c 's=$(openssl s_client -connect "$1" -CAfile "$2" -tls1_2 -cipher ECDHE-ECDSA-AES128-GCM-SHA256 </dev/null 2>&1); grep -q "Cipher is ECDHE-ECDSA-AES128-GCM-SHA256" <<<"$s"' _ "$hostport" "$PAYGW_CA"
cbc=$(s_client -tls1_2 -cipher ECDHE-ECDSA-AES128-SHA)
check "a CBC cipher (ECDHE-ECDSA-AES128-SHA, TLS 1.2) is refused by the server (handshake failure alert)" \
  grep -q 'alert handshake failure' <<<"$cbc"
check "... and no session came up" grep -qF 'New, (NONE), Cipher is (NONE)' <<<"$cbc"
check "plain HTTP is not served" bash -c "! curl -s --max-time 3 http://$hostport/v1/health | grep -q database"
check "the server certificate verifies against the stack CA only" bash -c "! curl -s --max-time 3 $PAYGW_URL/v1/health >/dev/null"

status=$("$PAYGW_ROOT/scripts/stack" status)
check "stack status lists running workers" grep -qE "workers +$PAYGW_WORKERS of $PAYGW_WORKERS" <<<"$status"
check "stack status shows postgres running" grep -qE 'postgres +running' <<<"$status"
check "static files are served from www/" bash -c "curl -sf --cacert '$PAYGW_CA' '$PAYGW_URL/' | grep -qi paygw"
done_testing
