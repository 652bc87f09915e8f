#!/usr/bin/env bash
# gateway_mailbox_replay_race.t — the same signed mailbox poll sent twice at
# once: both pass the device check (auth_device.c reads the last accepted
# timestamp before either has recorded its poll), the pickup statement
# accepts exactly one, and the other is refused 401 unauthenticated in
# ep_mailbox_get.c — with `WWW-Authenticate` like every other 401
# (docs/errors.md).  The race is made certain: the device's row is held
# locked while the two polls arrive, so both wait in the pickup.
. "$(dirname "$0")/flowlib.sh"
DEV=3345678
KEY=$(device_key "$DEV")
# a poll of this device by an earlier test less than a poll interval ago
# would make both answers 429 slow_down: let it age first
for _ in $(seq 50); do
  [[ $(psql_q "SELECT coalesce(last_poll_at < now() - interval '2 seconds', true)
                 FROM gateway.devices WHERE code = '$DEV'") == t ]] && break
  sleep 0.1
done
ts=$(now_ms)
SIG=$(sign_text "$KEY" "mailbox:$DEV:$ts")
poll() {   # poll NAME: the signed poll; headers and body in $FLOW_TMP/NAME.*
  curl -sS --cacert "$PAYGW_CA" -D "$FLOW_TMP/$1.head" -o "$FLOW_TMP/$1.body" \
    -H "X-Paygw-Device: $DEV" -H "X-Paygw-Timestamp: $ts" -H "X-Paygw-Signature: $SIG" "$PAYGW_URL/v1/mailbox"
}

# hold the device's row: the pickup's UPDATE waits for it, the device check does not
psql -X -q -v ON_ERROR_STOP=1 "$PAYGW_PGURI" >/dev/null 2>&1 <<SQL &
BEGIN;
SELECT 1 FROM gateway.devices WHERE code = '$DEV' FOR UPDATE;
SELECT pg_sleep(3);
COMMIT;
SQL
LOCKER=$!
for _ in $(seq 50); do
  [[ $(psql_q "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep(3)%'") == 1 ]] && break
  sleep 0.1
done
poll a & A=$!
poll b & B=$!
wait "$A" "$B" "$LOCKER"

codes=$(for n in a b; do head -n 1 "$FLOW_TMP/$n.head" | awk '{print $2}'; done | sort | tr '\n' ' ')
is "the same signed poll twice at once: one 200, one 401" "$codes" "200 401 "
loser=a; grep -q '^HTTP/[0-9.]* 401' "$FLOW_TMP/b.head" && loser=b
is "the refusal came from the pickup (the device check had let both through)" \
   "$(jq -r .detail "$FLOW_TMP/$loser.body")" "this signed poll was already used (timestamp not newer)"
is "the refusal's code" "$(jq -r .code "$FLOW_TMP/$loser.body")" unauthenticated
check "the refusal carries WWW-Authenticate: Signature" grep -qi '^WWW-Authenticate: Signature realm="paygw"' "$FLOW_TMP/$loser.head"
is "the device's last accepted poll is this one" "$(psql_q "SELECT last_poll_ms FROM gateway.devices WHERE code = '$DEV'")" "$ts"
done_testing
