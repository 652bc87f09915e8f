#!/usr/bin/env bash
# Requests the gateway cannot serve get the right status and a problem+json
# body: a body over the limit (the gateway's and nginx's), malformed JSON, an
# unknown path, a wrong method — and none of them changes the database.
. "$(dirname "$0")/lib.sh"

is_problem() {   # is_problem DESCRIPTION WANT-STATUS WANT-CODE
  is "$1: status" "$STATUS" "$2"
  is "$1: problem+json" "$CTYPE" application/problem+json
  is "$1: code" "$(jqr .code)" "$3"
  check "$1: has a detail" test -n "$(jqr '.detail // empty')"
}

api GET /v1/no-such-thing
is_problem "unknown path" 404 not_found
api DELETE /v1/health
is_problem "wrong method" 405 method_not_allowed

cred=$(grep -h '^PAYGW_TERMINAL_1111111111=' "$PAYGW_VAR/demo/terminals.env" | cut -d= -f2-)
auth=(-H "Authorization: Bearer $cred" -H 'Content-Type: application/json')
count() { psql_q "SELECT count(*) FROM gateway.transactions"; }
before=$(count)
# every refused body carries this marker: should a body be logged, JSON-escaped
# or not, the marker shows (a plain word: no escaping changes it)
MARK=bodymark$$x$RANDOM
bad_json_lines() { grep -c '"problem":"bad_json"' "$PAYGW_VAR/log/gateway.log" || true; }
bad_json_before=$(bad_json_lines)

big=$(mktemp); { printf '{"user_id": "%s", "x": "' "$MARK"; head -c 20000 /dev/zero | tr '\0' 'a'; } >"$big"
api POST /v1/transactions "${auth[@]}" --data-binary @"$big"
is_problem "a 20 kB body (over the gateway's 16 kB limit)" 413 body_too_large
{ printf '{"user_id": "%s", "x": "' "$MARK"; head -c 100000 /dev/zero | tr '\0' 'a'; } >"$big"
api POST /v1/transactions "${auth[@]}" --data-binary @"$big"
is_problem "a 100 kB body (over nginx's limit)" 413 body_too_large
rm -f "$big"

api POST /v1/transactions "${auth[@]}" --data '{"user_id": "00001", "items": [{"name": "'"$MARK"'"'
is_problem "malformed JSON" 400 bad_json
api POST /v1/transactions "${auth[@]}" --data '[1,2,"'"$MARK"'"]'
is_problem "a JSON array instead of an object" 400 bad_json
api POST /v1/transactions "${auth[@]}" --data '{"a":"'"$MARK"'","a":2}'
is_problem "duplicate keys" 400 bad_json
is "nothing was stored by any refused request" "$(count)" "$before"

# nginx passes /history and below it to the history's workers
# (history.fcgi, docs/history.md), nothing that merely starts with the
# same letters
history_saw() { grep -c "\"path\":\"$1\"" "$PAYGW_VAR/log/history.log" || true; }
for p in /history /history/2026; do
  n=$(history_saw "$p"); api GET "$p"
  is "$p reaches history.fcgi" "$(history_saw "$p")" $((n + 1))
done
for p in /historyfoo /history-admin.php; do
  api GET "$p"
  is "$p does not reach history.fcgi (nginx's own 404)" "$STATUS $(history_saw "$p")" "404 0"
done

# headers: large ones reach the gateway (refused there as any bad
# signature), ones over nginx's 16 KiB buffers are refused by nginx — as
# problem+json too, as is a request nginx cannot parse at all
big=$(printf 'Zx%.0s' {1..5120}) huge=$(printf 'Zx%.0s' {1..10240})
api GET /v1/mailbox --http1.1 -H "X-Paygw-Signature: $big"
is_problem "a 10 KiB header reaches the gateway (HTTP/1.1)" 401 unauthenticated
api GET /v1/mailbox -H "X-Paygw-Signature: $big"
is_problem "a 10 KiB header reaches the gateway (HTTP/2)" 401 unauthenticated
api GET /v1/mailbox --http1.1 -H "X-Paygw-Signature: $huge"
is_problem "a 20 KiB header: nginx refuses it" 431 headers_too_large
raw=$(printf 'GET /v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nNo colon here\r\n\r\n' |
  timeout 5 openssl s_client -quiet -connect "127.0.0.1:$PAYGW_HTTPS_PORT" 2>/dev/null | tr -d '\r')
is "a request that is not HTTP: 400" "$(head -1 <<<"$raw")" "HTTP/1.1 400 Bad Request"
check "... as problem+json" grep -q '^Content-Type: application/problem+json' <<<"$raw"
check "... code bad_request" grep -q '"code":"bad_request"' <<<"$raw"

# the refused bodies never reach the log (the requests themselves do)
is "the gateway logged the three bad_json refusals" "$(bad_json_lines)" "$((bad_json_before + 3))"
for log in gateway.log nginx-access.log nginx-error.log; do
  check "$log exists" test -f "$PAYGW_VAR/log/$log"
  check "$log holds no part of a refused body" bash -c '! grep -qF -- "$1" "$2"' _ "$MARK" "$PAYGW_VAR/log/$log"
done
done_testing
