#!/usr/bin/env bash
# admin_uim_write.t — `paygw-admin uim write` produces the handset's UIM
# store as documented in docs/uim-store.md: a 0600 JSON file with format,
# version, device ID and key, gateway URL, CA and message key (from the
# options or the environment), the device's active user IDs with label,
# argon2id hash and masked card, and an empty auth_results.
. "$(dirname "$0")/lib.sh"
ADMIN=$TEST_ROOT/admin/paygw-admin
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
S=t$$$RANDOM
PAN1=$(luhn "99$(date +%s%N | tail -c 14 | head -c 13)"); sleep 0.01
PAN2=$(luhn "99$(date +%s%N | tail -c 14 | head -c 13)")

setup() {
  "$ADMIN" subscriber add --code "s$S" --name "UIM test" &&
  "$ADMIN" device add --subscriber "s$S" --code "d$S" --key-out "$TMP/d.pem" &&
  echo "$PAN1" | "$ADMIN" card add --subscriber "s$S" --expiry 3012 --label "First card" >"$TMP/c1" &&
  echo "$PAN2" | "$ADMIN" card add --subscriber "s$S" --expiry 3106 --label "Second card" >"$TMP/c2" &&
  echo "first-password" | "$ADMIN" user add --user-id "a$S" --subscriber "s$S" --card "$(cut -d' ' -f2 "$TMP/c1")" --device "d$S" &&
  echo "second-password" | "$ADMIN" user add --user-id "b$S" --subscriber "s$S" --card "$(cut -d' ' -f2 "$TMP/c2")" --device "d$S"
}
check "setup: subscriber, device, two cards, two user IDs" quietly setup
is "device key file is mode 600" "$(stat -c %a "$TMP/d.pem")" 600
check "device key file is a PKCS#8 Ed25519 key" bash -c 'openssl pkey -in "$1" -noout -text 2>/dev/null | grep -q ED25519' _ "$TMP/d.pem"

"$ADMIN" uim write --device "d$S" --device-key "$TMP/d.pem" --out "$TMP/uim.json" >"$TMP/out" 2>"$TMP/err"; rc=$?
is "uim write: exit status 0" "$rc" 0
U=$TMP/uim.json
is "the store is mode 600" "$(stat -c %a "$U")" 600
check "the store is JSON" no_stdout jq -e . "$U"
is "top-level fields" "$(jq -r 'keys_unsorted | join(",")' "$U")" \
  "format,version,device_id,device_private_key,gateway_url,ca_cert,gateway_message_public_key,users,lockout_max_attempts,lockout_seconds,auth_results"
is "format and version" "$(jq -r '.format + " " + (.version | tostring)' "$U")" "paygw-uim 1"
is "device_id" "$(jq -r .device_id "$U")" "d$S"
is "device_private_key is the key file's PEM text" "$(jq -r .device_private_key "$U")" "$(cat "$TMP/d.pem")"
is "gateway_url defaults to PAYGW_URL" "$(jq -r .gateway_url "$U")" "$PAYGW_URL"
is "ca_cert is the PAYGW_CA file" "$(jq -r .ca_cert "$U")" "$(cat "$PAYGW_CA")"
is "gateway_message_public_key is the PAYGW_MESSAGE_PUBKEY_FILE file" "$(jq -r .gateway_message_public_key "$U")" "$(cat "$PAYGW_MESSAGE_PUBKEY_FILE")"
is "users: both user IDs with labels" "$(jq -r '[.users[] | .user_id + "=" + .label] | join(",")' "$U")" "a$S=First card,b$S=Second card"
is "users: the password hash is the database's argon2id string" "$(jq -r '.users[0].password_hash' "$U")" \
  "$(psql_q "SELECT password_hash FROM gateway.users WHERE user_id = 'a$S'")"
check "users: the hash is argon2id" bash -c '[[ $(jq -r ".users[1].password_hash" "$1") == \$argon2id\$* ]]' _ "$U"
is "users: the card is masked" "$(jq -r '.users[0].card_masked' "$U")" "${PAN1:0:6}******${PAN1: -4}"
is "auth_results is an empty array" "$(jq -c .auth_results "$U")" "[]"
is "the lock-out rules: 5 attempts, 1800 s" "$(jq -r '[.lockout_max_attempts, .lockout_seconds] | join(" ")' "$U")" "5 1800"
is "users have exactly the documented fields" "$(jq -r '.users[0] | keys_unsorted | join(",")' "$U")" "user_id,label,password_hash,card_masked"
check "the store holds no card number and no password" bash -c '! grep -qE -- "$1|$2|first-password|second-password" "$3"' _ "$PAN1" "$PAN2" "$U"
is "uim write is logged in admin_log" "$(psql_q "SELECT count(*) FROM gateway.admin_log WHERE action = 'uim write' AND subject = 'd$S'")" 1

# options override the environment; a disabled user ID leaves the store
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$TMP/ca.key" -out "$TMP/ca.crt" -subj /CN=other -days 1 >/dev/null 2>&1
openssl genpkey -algorithm ed25519 -out "$TMP/msg.key" 2>/dev/null && openssl pkey -in "$TMP/msg.key" -pubout -out "$TMP/msg.pub" 2>/dev/null
"$ADMIN" user disable --user-id "b$S" >/dev/null 2>&1
"$ADMIN" uim write --device "d$S" --device-key "$TMP/d.pem" --out "$U" --gateway-url https://gw.example:9443 \
  --ca "$TMP/ca.crt" --message-pubkey "$TMP/msg.pub" >/dev/null 2>&1; rc=$?
is "uim write over an existing store: exit status 0" "$rc" 0
is "--gateway-url wins" "$(jq -r .gateway_url "$U")" "https://gw.example:9443"
is "--ca wins" "$(jq -r .ca_cert "$U")" "$(cat "$TMP/ca.crt")"
is "--message-pubkey wins" "$(jq -r .gateway_message_public_key "$U")" "$(cat "$TMP/msg.pub")"
is "a disabled user ID is left out" "$(jq -r '[.users[].user_id] | join(",")' "$U")" "a$S"
is "the replaced store is still mode 600" "$(stat -c %a "$U")" 600

"$ADMIN" uim write --device "d$S" --device-key "$TMP/d.pem" --out "$TMP/x.json" --gateway-url http://plain >/dev/null 2>"$TMP/err"; rc=$?
is "a plain-http gateway URL is refused (exit 2)" "$rc" 2
check "a plain-http gateway URL is refused: no file" test ! -e "$TMP/x.json"
"$ADMIN" uim write --device "d$S" --device-key "$TMP/ca.key" --out "$TMP/x.json" >/dev/null 2>"$TMP/err"; rc=$?
is "a non-Ed25519 key file is refused (exit 2)" "$rc" 2
check "a non-Ed25519 key file: says so" grep -q "cannot read an Ed25519 private key" "$TMP/err"

# the commit fails (a deferred constraint trigger, only for this test's
# device, refuses the admin_log row at COMMIT): no store appears, an existing
# one stays as it was, and no temporary file is left
FAIL_FN=paygw_test_fail_uim_$$
drop_fail() { psql_q "DROP TRIGGER IF EXISTS $FAIL_FN ON gateway.admin_log; DROP FUNCTION IF EXISTS gateway.$FAIL_FN()" >/dev/null 2>&1; }
trap 'drop_fail; rm -rf "$TMP"' EXIT
psql_q "CREATE FUNCTION gateway.$FAIL_FN() RETURNS trigger LANGUAGE plpgsql AS \$\$
  BEGIN IF NEW.action = 'uim write' AND NEW.subject = 'd$S' THEN RAISE EXCEPTION 'test: commit refused'; END IF;
  RETURN NEW; END \$\$;
  CREATE CONSTRAINT TRIGGER $FAIL_FN AFTER INSERT ON gateway.admin_log DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION gateway.$FAIL_FN()" >/dev/null
before=$(sha256sum <"$U")
"$ADMIN" uim write --device "d$S" --device-key "$TMP/d.pem" --out "$TMP/c.json" >/dev/null 2>"$TMP/err"; rc=$?
is "a failed commit: exit status 1" "$rc" 1
check "a failed commit: no store written" test ! -e "$TMP/c.json"
"$ADMIN" uim write --device "d$S" --device-key "$TMP/d.pem" --out "$U" >/dev/null 2>"$TMP/err"; rc=$?
is "a failed commit over an existing store: exit status 1" "$rc" 1
is "a failed commit: the existing store is unchanged" "$(sha256sum <"$U")" "$before"
is "a failed commit: no temporary file left" "$(find "$TMP" -name '*.json.*' | wc -l)" 0
drop_fail
done_testing
