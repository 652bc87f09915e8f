#!/usr/bin/env bash
# admin_demo.t — `paygw-admin demo` in a scratch database (migrated from
# sql/, dropped afterwards): one transaction loads figures 7, 9 and 10 and
# writes terminals.env, device keys and UIM stores (all 0600) that match the
# database; a second run says "demo data already loaded" and changes nothing;
# a load that fails half-way leaves no row and no file.  Then the stack's own
# database: demo is idempotent there too, and no demo card is in clear.
. "$(dirname "$0")/lib.sh"
ADMIN=$TEST_ROOT/admin/paygw-admin
TMP=$(mktemp -d)
DB=paygw_admin_demo_$$
cleanup() { psql -X -q "$PAYGW_PGURI" -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1; rm -rf "$TMP"; }
trap cleanup EXIT

SCRATCH_PGURI=$(sed -E "s#/[^/?]+(\?|$)#/$DB\1#" <<<"$PAYGW_PGURI")
SCRATCH_DB_URI=$(sed -E "s#@/[^/?]+\?#@/$DB?#; t; s#/[^/?]+(\?|$)#/$DB\1#" <<<"$PAYGW_DB_URI")
psql -X -q "$PAYGW_PGURI" -c "CREATE DATABASE $DB" >/dev/null
check "scratch database migrated" no_stdout env PAYGW_PGURI="$SCRATCH_PGURI" "$TEST_ROOT/scripts/migrate"
sq() { psql -X -q -tA -v ON_ERROR_STOP=1 "$SCRATCH_PGURI" -c "$1"; }
scratch_admin() { PAYGW_ADMIN_DB_URI=$SCRATCH_DB_URI "$ADMIN" "$@"; }
counts() { sq "SELECT concat_ws(' ', (SELECT count(*) FROM gateway.issuers), (SELECT count(*) FROM gateway.issuer_ranges),
  (SELECT count(*) FROM gateway.merchants), (SELECT count(*) FROM gateway.terminals), (SELECT count(*) FROM gateway.merchant_methods),
  (SELECT count(*) FROM gateway.subscribers), (SELECT count(*) FROM gateway.devices), (SELECT count(*) FROM gateway.cards),
  (SELECT count(*) FROM gateway.users), (SELECT count(*) FROM gateway.admin_log))"; }

# --- a load that fails half-way (a UIM store cannot be written) -------------------
mkdir -p "$TMP/broken/uim/4456789.json"     # a directory where the last store goes
scratch_admin demo --out-dir "$TMP/broken" >/dev/null 2>"$TMP/err"; rc=$?
is "failed load: exit status 1" "$rc" 1
is "failed load: no row in any table" "$(counts)" "0 0 0 0 0 0 0 0 0 0"
check "failed load: no terminals.env left" test ! -e "$TMP/broken/terminals.env"
is "failed load: no device key or store left" "$(find "$TMP/broken" -type f | wc -l)" 0

# --- missing settings are refused before anything changes ---------------------
PAYGW_MESSAGE_PUBKEY_FILE= scratch_admin demo --out-dir "$TMP/nokey" >/dev/null 2>"$TMP/err"; rc=$?
is "no message public key: exit status 2" "$rc" 2
check "no message public key: says so" grep -q "no gateway message public key" "$TMP/err"
is "no message public key: nothing loaded" "$(counts)" "0 0 0 0 0 0 0 0 0 0"

# --- the load -------------------------------------------------------------------
D=$TMP/demo
scratch_admin demo --out-dir "$D" >"$TMP/out" 2>"$TMP/err"; rc=$?
is "demo: exit status 0" "$rc" 0
check "demo: says it loaded" grep -q "demo data loaded" "$TMP/out"
is "demo: issuers ranges merchants terminals methods subscribers devices cards users" \
  "$(counts | cut -d' ' -f1-9)" "4 5 4 4 5 4 4 8 8"
is "fig 9 issuers" "$(sq "SELECT string_agg(code || '=' || name, ' ' ORDER BY code) FROM gateway.issuers")" \
  "2a11111=A 2a22222=B 2s33333=C 2s44444=D"
is "fig 9 ranges" "$(sq "SELECT string_agg(i.code || ':' || low || '-' || high, ' ' ORDER BY rpad(low, 19, '0')) FROM gateway.issuer_ranges r JOIN gateway.issuers i ON i.id = r.issuer_id")" \
  "2a11111:13500-13560 2s44444:13600-13600 2a22222:145259000-1452590000 2a11111:1525000000-1525059999 2s33333:153996010-153996010"
is "fig 10 methods" "$(PAYGW_ADMIN_DB_URI=$SCRATCH_DB_URI "$ADMIN" method list | awk 'NR > 1 {print $1 "/" $3 "/" $4 "/" $5}' | tr '\n' ' ')" \
  "1111111111/2a11111/L,I,R/3,6,12 2222222222/2a22222/L,I,pB,R/3,6 2222222222/2s44444/L,B/ 3333333333/2a22222/L,B,pB/ 4444444444/2s33333/L,R/ "
is "merchants with shop names" "$(sq "SELECT string_agg(code || '=' || shop_name, ',' ORDER BY code) FROM gateway.merchants")" \
  "1111111111=Shop A Ginza,2222222222=Shop B Umeda,3333333333=Shop C Sakae,4444444444=Shop D Tenjin"
is "subscribers named after the holders" "$(sq "SELECT string_agg(code || '=' || name, ',' ORDER BY code) FROM gateway.subscribers")" \
  "S1=Taro Yamada,S2=Hanako Sato,S3=Jiro Suzuki,S4=Expired Holder"
is "user IDs bound to card label and device" "$(sq "SELECT string_agg(u.user_id || ':' || c.label || '@' || d.code, ',' ORDER BY u.user_id) FROM gateway.users u JOIN gateway.cards c ON c.id = u.card_id JOIN gateway.devices d ON d.id = u.device_id")" \
  "00001:Card A@1234567,00002:Card B@2234567,00003:Card C@3345678,00004:Card D@1234567,00005:Card A2@1234567,00006:Expired at issuer@4456789,00007:Low limit@4456789,00008:Unknown at issuer@4456789"
is "terminals pos-<merchant code>" "$(sq "SELECT string_agg(code, ',' ORDER BY code) FROM gateway.terminals")" \
  "pos-1111111111,pos-2222222222,pos-3333333333,pos-4444444444"
is "password hashes are argon2id" "$(sq "SELECT count(*) FROM gateway.users WHERE password_hash LIKE '\$argon2id\$v=19\$m=19456,t=2,p=1\$%'")" 8
is "demo load recorded in admin_log" "$(sq "SELECT count(*) FROM gateway.admin_log WHERE action = 'demo load'")" 1

# files
is "terminals.env is mode 600" "$(stat -c %a "$D/terminals.env")" 600
bad=0
for code in 1111111111 2222222222 3333333333 4444444444; do
  cred=$(grep "^PAYGW_TERMINAL_$code=" "$D/terminals.env" | cut -d= -f2-)
  [[ $cred =~ ^pos-$code\.[A-Za-z0-9_-]{43}$ ]] || { bad=$((bad + 1)); continue; }
  want=$(printf '%s' "${cred#*.}" | sha256sum | cut -d' ' -f1)
  [[ $(sq "SELECT encode(credential_hash, 'hex') FROM gateway.terminals WHERE code = 'pos-$code'") == "$want" ]] || bad=$((bad + 1))
done
is "terminals.env credentials match the stored hashes" "$bad" 0
bad=0
for dev in 1234567 2234567 3345678 4456789; do
  [[ $(stat -c %a "$D/devices/$dev.pem" 2>/dev/null) == 600 && $(stat -c %a "$D/uim/$dev.json" 2>/dev/null) == 600 ]] || bad=$((bad + 1))
  pub=$(openssl pkey -in "$D/devices/$dev.pem" -pubout -outform DER 2>/dev/null | tail -c 32 | od -An -tx1 | tr -d ' \n')
  [[ $pub == "$(sq "SELECT encode(public_key, 'hex') FROM gateway.devices WHERE code = '$dev'")" ]] || bad=$((bad + 1))
  [[ $(jq -r .device_private_key "$D/uim/$dev.json") == "$(cat "$D/devices/$dev.pem")" ]] || bad=$((bad + 1))
done
is "device keys and UIM stores: 0600, keys match the enrolled public keys" "$bad" 0
is "UIM store of 1234567 lists its three user IDs" "$(jq -r '[.users[].user_id] | join(",")' "$D/uim/1234567.json")" "00001,00004,00005"
is "UIM store hashes are the database's" "$(jq -r '.users[] | select(.user_id == "00002") | .password_hash' "$D/uim/2234567.json")" \
  "$(sq "SELECT password_hash FROM gateway.users WHERE user_id = '00002'")"
found=0
for pan in $(grep -oE '"[0-9]{12,19}"' "$TEST_ROOT/lib/common/demo_data.h" | tr -d '"' | sort -u); do
  grep -rqF -- "$pan" "$D" && found=$((found + 1))
done
is "no demo card number in the written files" "$found" 0
pg_dump "$SCRATCH_PGURI" >"$TMP/dump"
found=0
for pan in $(grep -oE '"[0-9]{12,19}"' "$TEST_ROOT/lib/common/demo_data.h" | tr -d '"' | sort -u); do
  grep -qF -- "$pan" "$TMP/dump" && found=$((found + 1))
done
is "no demo card number in clear in pg_dump" "$found" 0

# --- idempotent ------------------------------------------------------------------
before=$(counts); envsum=$(sha256sum <"$D/terminals.env")
scratch_admin demo --out-dir "$D" >"$TMP/out" 2>"$TMP/err"; rc=$?
is "second demo: exit status 0" "$rc" 0
is "second demo: says so" "$(cat "$TMP/out")" "demo data already loaded"
is "second demo: nothing changed (admin_log included)" "$(counts)" "$before"
is "second demo: terminals.env untouched" "$(sha256sum <"$D/terminals.env")" "$envsum"
scratch_admin demo --out-dir "$TMP/again" >/dev/null 2>&1
check "second demo into another directory writes no files" test -z "$(find "$TMP/again" -type f 2>/dev/null)"

# --- the stack's own database ---------------------------------------------------------
"$ADMIN" demo --out-dir "$PAYGW_VAR/demo" >/dev/null 2>&1; rc=$?
is "demo on the stack's database: exit status 0" "$rc" 0
"$ADMIN" demo --out-dir "$PAYGW_VAR/demo" >"$TMP/out" 2>&1
is "demo on the stack's database is idempotent" "$(cat "$TMP/out")" "demo data already loaded"
done_testing
