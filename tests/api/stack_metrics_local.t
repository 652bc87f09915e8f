#!/usr/bin/env bash
# stack_metrics_local.t — nginx passes /metrics to the gateway from the
# host's own address only (conf/nginx/server_shared.conf.in, docs/nginx.md):
# a request from 127.0.0.1 reaches a worker, one from another address is
# refused by nginx (403) and never reaches one.  The other address is
# 127.0.0.2, loopback too, so the stack needs no outside interface.
. "$(dirname "$0")/lib.sh"

GATEWAY_LOG=$PAYGW_VAR/log/gateway.log
ACCESS_LOG=$PAYGW_VAR/log/nginx-access.log
# get FROM PATH: STATUS, CTYPE, BODY and REQUEST_ID (the gateway's
# X-Request-Id, empty when no worker answered) of a GET from address FROM
get() {
  local h out; out=$(mktemp)
  h=$(curl -sS -o "$out" -D - --interface "$1" --cacert "$PAYGW_CA" "$PAYGW_URL$2" 2>/dev/null | tr -d '\r')
  STATUS=$(awk 'NR == 1 { print $2 }' <<<"$h")
  CTYPE=$(sed -n 's/^content-type: //Ip' <<<"$h")
  REQUEST_ID=$(sed -n 's/^x-request-id: //Ip' <<<"$h")
  BODY=$(cat "$out"); rm -f "$out"
}
# nginx's access log line of the last request from FROM to PATH: its request id
nginx_request_id() {
  grep -F "\"remote\":\"$1\"" "$ACCESS_LOG" | grep -F "\"uri\":\"$2\"" | tail -1 | jq -r .request_id
}

get 127.0.0.1 /metrics
check "from 127.0.0.1: not refused by nginx (status $STATUS)" test "${STATUS:-000}" != 403 -a "${STATUS:-000}" != 000
check "... the gateway answered it (its X-Request-Id)" test -n "$REQUEST_ID"
check "... and logged it as /metrics" \
  bash -c 'grep -F "\"request_id\":\"$1\"" "$2" | grep -qF "\"path\":\"/metrics\""' _ "$REQUEST_ID" "$GATEWAY_LOG"

# the other address reaches the stack (else the refusal below proves nothing)
get 127.0.0.2 /v1/health
is "from 127.0.0.2: /v1/health answers 200" "$STATUS" 200

get 127.0.0.2 /metrics
is "from 127.0.0.2: /metrics refused by nginx (403)" "$STATUS" 403
is "... as problem+json forbidden" "$(jq -r .code <<<"$BODY") $CTYPE" "forbidden application/problem+json"
is "... with no answer of the gateway (no X-Request-Id)" "$REQUEST_ID" ""
id=$(nginx_request_id 127.0.0.2 /metrics)
check "... nginx logged the refusal" test -n "$id" -a "$id" != null
is "... and no worker saw the request" "$(grep -cF "$id" "$GATEWAY_LOG")" 0
done_testing
