#!/usr/bin/env bash
# client_gateway_back.t — a gateway that cannot be reached, and then can
# again (issue 18): the handset's watch and the POS's wait for the payment
# each say once that it is not reachable, keep trying with back-off without
# a line per try, say once that it is reachable again — within the longest
# back-off of its coming back — and the payment then completes.  Each
# client reaches the stack through a front nginx of this test's own, which
# the test stops and starts: the handset's on PAYGW_TEST_PORT_BASE + 19, the
# POS's on + 20.
. "$(dirname "$0")/client_lib.sh"
BASE=${PAYGW_TEST_PORT_BASE:-10600}
H_PORT=$((BASE + 19)) P_PORT=$((BASE + 20))
LINK=$CT/link.sock
export PAYGW_CLIENT_BACKOFF_MAX=2

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1 -keyout "$CT/front.key" -out "$CT/front.crt" >/dev/null 2>&1
# front NAME PORT: a front nginx on PORT passing everything to the stack's
front() {
  local d=$CT/$1
  mkdir -p "$d/tmp"
  cat >"$d/nginx.conf" <<CONF
$([[ $(id -u) -eq 0 ]] && echo "user root;")
worker_processes 1;
pid $d/nginx.pid;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $d/tmp/body; proxy_temp_path $d/tmp/proxy; fastcgi_temp_path $d/tmp/fcgi;
  uwsgi_temp_path $d/tmp/uwsgi; scgi_temp_path $d/tmp/scgi;
  server {
    listen 127.0.0.1:$2 ssl;
    ssl_certificate $CT/front.crt; ssl_certificate_key $CT/front.key;
    # a loopback hop to the stack's nginx, not verified
    location / { proxy_pass $PAYGW_URL; proxy_read_timeout 60s; }
  }
}
CONF
  nginx -q -p "$d" -c "$d/nginx.conf" -e "$d/error.log"
}
# front_stop NAME: stops it, and waits until its port is closed
front_stop() {
  local pid; pid=$(cat "$CT/$1/nginx.pid" 2>/dev/null) || return 0
  kill "$pid" 2>/dev/null
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  rm -f "$CT/$1/nginx.pid"
}
cleanup_fronts() { front_stop handset; front_stop pos; client_cleanup; }
trap cleanup_fronts EXIT
count() { grep -c -- "$1" "$2"; }
# seconds_until FILE REGEX LIMIT → prints the seconds until FILE held a line
# matching REGEX (LIMIT + 1 when it never did within LIMIT)
seconds_until() {
  local start; start=$(date +%s)
  wait_for "$1" "$2" "$3" || { echo $(($3 + 1)); return; }
  echo $(($(date +%s) - start))
}

STORE=$(store_copy 1234567 h1)
jq --rawfile ca "$CT/front.crt" --arg url "https://127.0.0.1:$H_PORT" '.ca_cert = $ca | .gateway_url = $url' \
  "$STORE" >"$CT/front.json" && chmod 600 "$CT/front.json"

# 1. the handset watches; nothing listens where its store says the gateway is
"$HANDSET" --store "$CT/front.json" watch --once --agree --method L --timeout 90 >"$CT/watch.out" 2>&1 &
WATCH=$!; CLIENT_PIDS+=("$WATCH")
check "handset: says the gateway is not reachable" wait_for "$CT/watch.out" "^Gateway not reachable: " 10

# 2. the POS reaches the gateway through its own front; the shopper sends the user ID
front pos "$P_PORT"
PAYGW_URL=https://127.0.0.1:$P_PORT PAYGW_CA=$CT/front.crt "$POS" sale --journal "$CT/pos.journal" \
  --merchant 1111111111 --item "Tea,1,500,40" --listen "$LINK" --link-timeout 30 --wait-timeout 120 \
  >"$CT/pos.out" 2>&1 &
POS_PID=$!; CLIENT_PIDS+=("$POS_PID")
wait_for "$CT/pos.out" "proximity link" 10
PAYGW_HANDSET_PASSWORD=demo-pass-00001 "$HANDSET" --store "$CT/front.json" pay --user 00001 --link "$LINK" >"$CT/pay.out" 2>&1
is "the user ID reached the POS (pay exit status 0)" "$?" 0
check "the POS has its transaction number" wait_for "$CT/pos.out" "^Transaction number " 20
N=$(grep -oE 'Transaction number [0-9A-Z]{16}' "$CT/pos.out" | awk '{print $3}')

# 3. the POS's front goes away while it waits for the shopper
front_stop pos
check "POS: says the gateway is not reachable" wait_for "$CT/pos.out" "^Gateway not reachable: " 10
sleep 8                                  # with back-off at most 2 s: several tries on each side

# 4. both fronts come up
front pos "$P_PORT"
front handset "$H_PORT"
t_handset=$(seconds_until "$CT/watch.out" "^Gateway reachable again after [0-9]+ s\.$" 15)
check "handset: says the gateway is reachable again, ${t_handset} s after it is (longest back-off 2 s)" test "$t_handset" -le 5
t_pos=$(seconds_until "$CT/pos.out" "^Gateway reachable again after [0-9]+ s\.$" 15)
check "POS: says the gateway is reachable again, ${t_pos} s after it is" test "$t_pos" -le 5
wait_exit "$WATCH" 60; rc_watch=$RC
wait_exit "$POS_PID" 60; rc_pos=$RC
is "handset: the payment completed (exit status 0)" "$rc_watch" 0
check "handset: Payment has now been completed." grep -q "^Payment has now been completed.$" "$CT/watch.out"
is "POS: paid (exit status 0)" "$rc_pos" 0
check "POS: the receipt" grep -q "^RECEIPT$" "$CT/pos.out"
is "the gateway: transaction completed" "$(txn_status "$N")" completed

# one line per change, not per try
is "handset: one 'not reachable' line for the whole outage" "$(count "not reachable" "$CT/watch.out")" 1
is "handset: one 'reachable again' line" "$(count "reachable again" "$CT/watch.out")" 1
down=$(grep -oE 'reachable again after [0-9]+' "$CT/watch.out" | awk '{print $4}')
check "handset: the line says how long it was down (${down} s, the whole outage)" test "${down:-0}" -ge 8
is "POS: one 'not reachable' line for the whole outage" "$(count "not reachable" "$CT/pos.out")" 1
is "POS: one 'reachable again' line" "$(count "reachable again" "$CT/pos.out")" 1
check "handset: the line names the back-off" grep -q "waiting longer each time (up to 2 s between tries)" "$CT/watch.out"
done_testing
