#!/usr/bin/env bash
# client_gateway_silent.t — the handset gives up with the message of [0083]
# within its time-out when the gateway is silent (a TLS server that accepts
# and never answers) or unreachable (nothing listens: said once, whatever
# the number of tries; client_gateway_back.t has it coming back); and it refuses a
# gateway whose certificate the store's CA did not sign.
. "$(dirname "$0")/client_lib.sh"
SILENT_PORT=${PAYGW_TEST_SILENT_PORT:-$((${PAYGW_TEST_PORT_BASE:-10600} + 7))}
DEAD_PORT=${PAYGW_TEST_DEAD_PORT:-$((${PAYGW_TEST_PORT_BASE:-10600} + 8))}
STORE=$(store_copy 1234567 h1)

# a throwaway certificate for 127.0.0.1, trusted by a copy of the store
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1 -keyout "$CT/silent.key" -out "$CT/silent.crt" >/dev/null 2>&1
jq --rawfile ca "$CT/silent.crt" --arg url "https://127.0.0.1:$SILENT_PORT" '.ca_cert = $ca | .gateway_url = $url' \
  "$STORE" >"$CT/silent.json"
jq --arg url "https://127.0.0.1:$DEAD_PORT" '.gateway_url = $url' "$STORE" >"$CT/dead.json"
jq --arg url "https://127.0.0.1:$SILENT_PORT" '.gateway_url = $url' "$STORE" >"$CT/untrusted.json"
chmod 600 "$CT"/*.json
# s_server ends at the end of its input: give it a FIFO this shell holds open
mkfifo "$CT/hold"; exec 4<>"$CT/hold"
openssl s_server -quiet -accept "127.0.0.1:$SILENT_PORT" -cert "$CT/silent.crt" -key "$CT/silent.key" \
  <&4 >/dev/null 2>&1 &
SILENT=$!; CLIENT_PIDS+=("$SILENT")
sleep 1

timed() { local s; s=$(date +%s%N); "$@"; RC=$?; ELAPSED_MS=$((($(date +%s%N) - s) / 1000000)); }

timed "$HANDSET" --store "$CT/silent.json" watch --once --agree --method L --timeout 3 >"$CT/silent.out" 2>&1
is "silent gateway: exit status 3" "$RC" 3
check "silent gateway: the time-out message" grep -q "Time-out: the gateway did not answer within 3 s. This payment has been aborted and must be carried out from the beginning." "$CT/silent.out"
check "silent gateway: gave up within its limit (3 s + 2 s slack, took ${ELAPSED_MS} ms)" test "$ELAPSED_MS" -ge 2900 -a "$ELAPSED_MS" -le 5000

timed "$HANDSET" --store "$CT/dead.json" watch --once --agree --method L --timeout 3 >"$CT/dead.out" 2>&1
is "unreachable gateway: exit status 3" "$RC" 3
check "unreachable gateway: says so" grep -q "Gateway not reachable" "$CT/dead.out"
is "unreachable gateway: says so once, not once per try" "$(grep -c "not reachable" "$CT/dead.out")" 1
check "unreachable gateway: the time-out message" grep -q "^Time-out: the gateway did not answer within 3 s" "$CT/dead.out"
check "unreachable gateway: gave up within its limit (took ${ELAPSED_MS} ms)" test "$ELAPSED_MS" -le 5500

timed "$HANDSET" --store "$CT/untrusted.json" watch --once --agree --method L --timeout 3 >"$CT/untrusted.out" 2>&1
is "certificate not from the store's CA: exit status 3" "$RC" 3
check "certificate not from the store's CA: refused by TLS verification" grep -qi "certificate" "$CT/untrusted.out"

PAYGW_HANDSET_TIMEOUT=2 timed "$HANDSET" --store "$CT/silent.json" watch --once --agree --method L >"$CT/env.out" 2>&1
check "PAYGW_HANDSET_TIMEOUT sets the limit" grep -q "did not answer within 2 s" "$CT/env.out"
done_testing
