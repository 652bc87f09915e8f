#!/usr/bin/env bash
# PostgreSQL stops and comes back: /v1/health answers 503 "unreachable",
# then 200 again on the same workers (each reconnects by itself); /v1/ping,
# which does not use the database, answers 200 throughout.
. "$(dirname "$0")/lib.sh"

supervisor=$(cat "$PAYGW_VAR/run/gateway.pid")
workers_before=$(pgrep -P "$supervisor" | sort | tr '\n' ' ')

api GET /v1/health
is "healthy before the database stops" "$STATUS" 200
"$PAYGW_ROOT/scripts/stack" db-stop >/dev/null
down_ok=1
for i in $(seq 8); do   # more requests than workers, so every worker sees it
  api GET /v1/health
  [[ $STATUS == 503 && $(jqr .database) == unreachable ]] || down_ok=0
done
is "health says 503 unreachable while the database is down" "$down_ok" 1
ping_ok=1
for i in $(seq 8); do
  api GET /v1/ping
  [[ $STATUS == 200 && $CTYPE == application/json && $(jq -c . <<<"$BODY") == '{"pong":true}' ]] || ping_ok=0
done
is "ping still answers 200 {\"pong\":true} while the database is down" "$ping_ok" 1
"$PAYGW_ROOT/scripts/stack" db-start >/dev/null
up_ok=1
for i in $(seq 8); do
  api GET /v1/health
  [[ $STATUS == 200 && $(jqr .database) == reachable ]] || up_ok=0
done
is "health is 200 again on every worker after the restart" "$up_ok" 1
is "no worker was restarted" "$(pgrep -P "$supervisor" | sort | tr '\n' ' ')" "$workers_before"
done_testing
