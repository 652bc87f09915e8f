#!/usr/bin/env bash
# client_rate_limited.t — the handset waits out nginx's per-address limit:
# a device-auth refused with 429 rate_limited never reached the gateway, so
# the handset says so, waits the Retry-After and sends it again, and the
# payment completes.  To make the refusal certain, the handset talks to a
# front nginx of this test's own that passes everything to the stack's but
# lets through only one device-auth per 8.6 s (Retry-After: 9); the test
# spends that one just before the handset can have a transaction to
# authenticate (before `pay`), so the handset's comes within the window.
# With the limit never lifting, the handset gives up after three sends with
# the reason (exit 3).
. "$(dirname "$0")/client_lib.sh"
FRONT_PORT=${PAYGW_TEST_FRONT_PORT:-$((${PAYGW_TEST_PORT_BASE:-10600} + 10))}
LINK=$CT/link.sock
NG=$CT/front
mkdir -p "$NG/tmp"

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1 -keyout "$NG/front.key" -out "$NG/front.crt" >/dev/null 2>&1
# front RATE: a front nginx whose device-auth limit is RATE (burst 0)
front() {
  [[ -f $NG/nginx.pid ]] && { kill "$(cat "$NG/nginx.pid")" 2>/dev/null; sleep 0.5; }
  cat >"$NG/nginx.conf" <<CONF
$([[ $(id -u) -eq 0 ]] && echo "user root;")
worker_processes 1;
pid $NG/nginx.pid;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $NG/tmp/body; proxy_temp_path $NG/tmp/proxy; fastcgi_temp_path $NG/tmp/fcgi;
  uwsgi_temp_path $NG/tmp/uwsgi; scgi_temp_path $NG/tmp/scgi;
  limit_req_zone \$server_port zone=one:1m rate=$1;
  limit_req_status 429;
  server {
    listen 127.0.0.1:$FRONT_PORT ssl;
    ssl_certificate $NG/front.crt; ssl_certificate_key $NG/front.key;
    # loopback to the stack's nginx: no certificate check needed on this hop
    # one key for every request; a loopback hop to the stack's nginx, not verified
    location / { proxy_pass $PAYGW_URL; }
    location = /v1/device-auth { limit_req zone=one; proxy_pass $PAYGW_URL; }
    error_page 429 = @too_many;
    location @too_many {
      add_header Retry-After 9 always;
      default_type application/problem+json;
      return 429 '{"code":"rate_limited","status":429,"title":"Too many requests"}';
    }
  }
}
CONF
  nginx -q -p "$NG" -c "$NG/nginx.conf" -e "$NG/error.log"
}
cleanup_front() { [[ -f $NG/nginx.pid ]] && kill "$(cat "$NG/nginx.pid")" 2>/dev/null; client_cleanup; }
trap cleanup_front EXIT
# spend the one device-auth the front lets through (the gateway refuses the empty body)
spend() { curl -s -o /dev/null -w '%{http_code}' --cacert "$NG/front.crt" -X POST -H 'Content-Type: application/json' --data '{}' "https://127.0.0.1:$FRONT_PORT/v1/device-auth"; }

front 7r/m
check "the front nginx runs" test -s "$NG/nginx.pid"
STORE=$(store_copy 1234567 h1)
jq --rawfile ca "$NG/front.crt" --arg url "https://127.0.0.1:$FRONT_PORT" '.ca_cert = $ca | .gateway_url = $url' \
  "$STORE" >"$CT/front.json"
chmod 600 "$CT/front.json"
is "the front passes one device-auth to the gateway" "$(spend)" 400
sleep 9   # the slot comes back

pos_start sale --merchant 1111111111 --item "Kettle,1,5000,500" --listen "$LINK" --link-timeout 20
wait_for "$CT/sale.out" "proximity link" 10
"$HANDSET" --store "$CT/front.json" watch --once --agree --method L --for 60 >"$CT/watch.out" 2>&1 &
WATCH=$!; CLIENT_PIDS+=("$WATCH")
is "the test spends the front's device-auth before the handset's" "$(spend)" 400
PAYGW_HANDSET_PASSWORD=demo-pass-00005 "$HANDSET" --store "$CT/front.json" pay --user 00005 --link "$LINK" >"$CT/pay.out" 2>&1
is "pay: exit status 0" "$?" 0
wait_exit "$WATCH" 60; is "watch: exit status 0" "$RC" 0
is "the handset was refused once and said it waits the Retry-After" \
  "$(grep -c '^The gateway is busy; trying again in 9 s.$' "$CT/watch.out")" 1
check "then the payment completed" grep -q "Payment has now been completed" "$CT/watch.out"
wait_exit "$POS_PID" 30; is "pos: exit status 0" "$RC" 0
is "gateway: completed" "$(txn_status "$(pos_number sale)")" completed

# --- a limit that does not lift: three sends, then the reason ---------------
front 1r/m
is "the front passes one device-auth to the gateway" "$(spend)" 400
pos_start sale2 --merchant 1111111111 --item "Kettle,1,5000,500" --listen "$LINK" --link-timeout 20
wait_for "$CT/sale2.out" "proximity link" 10
"$HANDSET" --store "$CT/front.json" watch --once --agree --method L --for 60 >"$CT/watch2.out" 2>&1 &
WATCH=$!; CLIENT_PIDS+=("$WATCH")
PAYGW_HANDSET_PASSWORD=demo-pass-00005 "$HANDSET" --store "$CT/front.json" pay --user 00005 --link "$LINK" >/dev/null 2>&1
wait_exit "$WATCH" 60; is "watch: exit status 3 (as for an unreachable gateway)" "$RC" 3
is "the handset tried three times" "$(grep -c '^The gateway is busy; trying again in 9 s.$' "$CT/watch2.out")" 2
check "then gave the reason" grep -q "^The gateway is too busy to answer (rate_limited). This payment has been aborted and must be carried out from the beginning.$" "$CT/watch2.out"
check "and did not claim a payment" bash -c "! grep -q 'Payment has now been completed' '$CT/watch2.out'"
N=$(pos_number sale2)
cancel_open "$N"
wait_exit "$POS_PID" 40
check "no card number in the handset's output" no_pan_in "$CT"/*.out
done_testing
