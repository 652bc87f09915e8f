#!/usr/bin/env bash
# admin_demo.t — `paygw-admin demo` in a scratch database (migrated from
# sql/, dropped afterwards): one transaction loads figures 7, 9 and 10 and
# writes terminals.env, device keys and UIM stores (all 0600) that match the
# database; a load that fails half-way leaves no row and no file.  Once
# loaded, a run makes the files match again (issue 18): with nothing amiss
# it changes nothing; deleted files, a stale credential or key, or another
# gateway URL get exactly what is missing re-issued (old credentials and
# keys stop matching), no row is added and no other enrolment changes.
# Then the stack's own database: a credential re-issued there is refused
# by the gateway in its old form, and no demo card is in clear.
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
  "$(counts | cut -d' ' -f1-9)" "4 5 4 4 6 4 4 8 8"
is "fig 9 issuers" "$(sq "SELECT string_agg(code || '=' || name, ' ' ORDER BY code) FROM gateway.issuers")" \
  "2a11111=A 2a22222=B 2s33333=C 2s44444=D"
is "fig 9 ranges" "$(sq "SELECT string_agg(i.code || ':' || low || '-' || high, ' ' ORDER BY rpad(low, 19, '0')) FROM gateway.issuer_ranges r JOIN gateway.issuers i ON i.id = r.issuer_id")" \
  "2a11111:13500-13560 2s44444:13600-13600 2a22222:145259000-1452590000 2a11111:1525000000-1525059999 2s33333:153996010-153996010"
is "fig 10 methods" "$(PAYGW_ADMIN_DB_URI=$SCRATCH_DB_URI "$ADMIN" method list | awk 'NR > 1 {print $1 "/" $3 "/" $4 "/" $5}' | tr '\n' ' ')" \
  "1111111111/2a11111/L,I,R/3,6,12 2222222222/2a11111/L,I,R/3,6,12 2222222222/2a22222/L,I,pB,R/3,6 2222222222/2s44444/L,B/ 3333333333/2a22222/L,B,pB/ 4444444444/2s33333/L,R/ "
is "merchants with shop names" "$(sq "SELECT string_agg(code || '=' || shop_name, ',' ORDER BY code) FROM gateway.merchants")" \
  "1111111111=Shop A Ginza,2222222222=paygw demo shop,3333333333=Shop C Sakae,4444444444=Shop D Tenjin"
is "subscribers named after the holders" "$(sq "SELECT string_agg(code || '=' || name, ',' ORDER BY code) FROM gateway.subscribers")" \
  "S1=Taro Yamada,S2=Hanako Sato,S3=Jiro Suzuki,S4=Expired Holder"
is "user IDs bound to card label and device" "$(sq "SELECT string_agg(u.user_id || ':' || c.label || '@' || d.code, ',' ORDER BY u.user_id) FROM gateway.users u JOIN gateway.cards c ON c.id = u.card_id JOIN gateway.devices d ON d.id = u.device_id")" \
  "00001:Card A@1234567,00002:Card B@2234567,00003:Card C@3345678,00004:Card D@1234567,00005:Card A2@1234567,00006:Expired at issuer@4456789,00007:Low limit@4456789,00008:Unknown at issuer@4456789"
is "terminals pos-<merchant code>" "$(sq "SELECT string_agg(code, ',' ORDER BY code) FROM gateway.terminals")" \
  "pos-1111111111,pos-2222222222,pos-3333333333,pos-4444444444"
is "password hashes are argon2id" "$(sq "SELECT count(*) FROM gateway.users WHERE password_hash LIKE '\$argon2id\$v=19\$m=19456,t=2,p=1\$%'")" 8
is "demo load recorded in admin_log" "$(sq "SELECT count(*) FROM gateway.admin_log WHERE action = 'demo load'")" 1

# the demo terminals' credential hashes and the demo devices' public keys, "code=hex ..."
secrets() { sq "SELECT string_agg(code || '=' || encode(credential_hash, 'hex'), ' ' ORDER BY code) FROM gateway.terminals WHERE code LIKE 'pos-%'"; }
keys() { sq "SELECT string_agg(code || '=' || encode(public_key, 'hex'), ' ' ORDER BY code) FROM gateway.devices WHERE code IN ('1234567', '2234567', '3345678', '4456789')"; }
# files_match DIR LABEL: the checks that DIR's files match the scratch database
files_match() {
  local dir=$1 label=$2 bad=0 code cred want dev pub stored
  is "$label: terminals.env is mode 600" "$(stat -c %a "$dir/terminals.env" 2>/dev/null)" 600
  stored=$(secrets)
  for code in 1111111111 2222222222 3333333333 4444444444; do
    cred=$(grep "^PAYGW_TERMINAL_$code=" "$dir/terminals.env" | cut -d= -f2-)
    [[ $cred =~ ^pos-$code\.[A-Za-z0-9_-]{43}$ ]] || { bad=$((bad + 1)); continue; }
    want=$(printf '%s' "${cred#*.}" | sha256sum | cut -d' ' -f1)
    [[ " $stored " == *" pos-$code=$want "* ]] || bad=$((bad + 1))
  done
  is "$label: terminals.env credentials match the stored hashes" "$bad" 0
  bad=0
  stored=$(keys)
  for dev in 1234567 2234567 3345678 4456789; do
    [[ $(stat -c %a "$dir/devices/$dev.pem" 2>/dev/null) == 600 && $(stat -c %a "$dir/uim/$dev.json" 2>/dev/null) == 600 ]] || bad=$((bad + 1))
    pub=$(openssl pkey -in "$dir/devices/$dev.pem" -pubout -outform DER 2>/dev/null | tail -c 32 | od -An -tx1 | tr -d ' \n')
    [[ -n $pub && " $stored " == *" $dev=$pub "* ]] || bad=$((bad + 1))
    [[ $(jq -r .device_private_key "$dir/uim/$dev.json" 2>/dev/null) == "$(cat "$dir/devices/$dev.pem" 2>/dev/null)" ]] || bad=$((bad + 1))
    [[ $(jq -r .gateway_url "$dir/uim/$dev.json" 2>/dev/null) == "${PAYGW_URL_NOW:-$PAYGW_URL}" ]] || bad=$((bad + 1))
  done
  is "$label: device keys and UIM stores: 0600, keys match the enrolled public keys, stores name the gateway" "$bad" 0
  is "$label: no staged file left behind" "$(find "$dir" -name '*.new-*' -o -name '*.tmp-*' | wc -l)" 0
}
files_match "$D" "first load"
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

# --- other enrolments, some of them the demo merchants' and subscribers' -----------
enrol() { local input=$1; shift; printf '%s\n' "$input" | scratch_admin "$@" >/dev/null 2>>"$TMP/enrol.err"; }
enrol "" merchant add --code 9999999999 --name Other --shop "Other shop" &&
  enrol "" terminal add --merchant 9999999999 --code till-9 &&
  enrol "" terminal add --merchant 1111111111 --code till-a2 &&
  enrol "" subscriber add --code S9 --name "Other Holder" &&
  enrol "" device add --subscriber S9 --code 9999999 --key-out "$TMP/9999999.pem" &&
  enrol "" device add --subscriber S1 --code 1234568 --key-out "$TMP/1234568.pem" &&
  enrol "$(luhn 152500009876543)" card add --subscriber S9 --expiry 3012 --label Other &&
  enrol "other-pass-99" user add --user-id 00099 --subscriber S9 \
    --card "$(sq "SELECT max(id) FROM gateway.cards")" --device 9999999
is "non-demo enrolments added (merchant, terminals, subscriber, devices, card, user)" "$?" 0
# every row of the enrolment tables but the demo's terminals and devices, whole
others() { sq "SELECT string_agg(r, E'\n' ORDER BY r) FROM (
  SELECT 'i ' || t::text AS r FROM gateway.issuers t UNION ALL SELECT 'r ' || t::text FROM gateway.issuer_ranges t
  UNION ALL SELECT 'm ' || t::text FROM gateway.merchants t UNION ALL SELECT 'mm ' || t::text FROM gateway.merchant_methods t
  UNION ALL SELECT 't ' || t::text FROM gateway.terminals t WHERE code NOT IN ('pos-1111111111', 'pos-2222222222', 'pos-3333333333', 'pos-4444444444')
  UNION ALL SELECT 's ' || t::text FROM gateway.subscribers t
  UNION ALL SELECT 'd ' || t::text FROM gateway.devices t WHERE code NOT IN ('1234567', '2234567', '3345678', '4456789')
  UNION ALL SELECT 'c ' || t::text FROM gateway.cards t UNION ALL SELECT 'u ' || t::text FROM gateway.users t) x"; }
# the demo's terminals and devices as they must stay: all but the credential / key
demo_rows() { sq "SELECT string_agg(r, ' ' ORDER BY r) FROM (
  SELECT concat_ws('/', id, merchant_id, code, status, created_at) AS r FROM gateway.terminals WHERE code LIKE 'pos-%'
  UNION ALL SELECT concat_ws('/', id, subscriber_id, code, status, created_at) FROM gateway.devices WHERE code IN ('1234567', '2234567', '3345678', '4456789')) x"; }
files_state() { (cd "$1" && find . -type f -printf '%P %i ' -exec sha256sum {} \; | sort); }
OTHERS=$(others) DEMO_ROWS=$(demo_rows) COUNTS=$(counts | cut -d' ' -f1-9)
check "the snapshot of the other enrolments holds them (till-a2, 1234568, 00099)" \
  bash -c 'grep -q till-a2 <<<"$1" && grep -q 1234568 <<<"$1" && grep -q 00099 <<<"$1"' _ "$OTHERS"
unchanged_others() {  # unchanged_others LABEL
  is "$1: no row added (issuers ... users)" "$(counts | cut -d' ' -f1-9)" "$COUNTS"
  is "$1: every other enrolment unchanged, byte for byte" "$(others)" "$OTHERS"
  is "$1: the demo's terminals and devices are the same rows" "$(demo_rows)" "$DEMO_ROWS"
}

# --- a second run: everything matches, nothing changes --------------------------------
before=$(counts); state=$(files_state "$D")
scratch_admin demo --out-dir "$D" >"$TMP/out" 2>"$TMP/err"; rc=$?
is "second demo: exit status 0" "$rc" 0
is "second demo: says the files match" "$(cat "$TMP/out")" "demo data already loaded; the files in $D match it and the gateway at $PAYGW_URL"
is "second demo: nothing changed (admin_log included)" "$(counts)" "$before"
is "second demo: no file rewritten (same contents, same inodes)" "$(files_state "$D")" "$state"

# --- the files deleted: every credential, key and store re-issued -----------------------
old_secrets=$(secrets) old_keys=$(keys) old_cred=$(grep '^PAYGW_TERMINAL_2222222222=' "$D/terminals.env" | cut -d= -f2-)
logs_before=$(sq "SELECT max(id) FROM gateway.admin_log")
rm -rf "$D"
scratch_admin demo --out-dir "$D" >"$TMP/out" 2>"$TMP/err"; rc=$?
is "files deleted: exit status 0" "$rc" 0
is "files deleted: says what it re-issued (4 terminals, 4 devices with their stores)" \
  "$(grep -cE '^  (terminal pos-[0-9]+: new credential|device [0-9]+: new key pair)' "$TMP/out")" 8
files_match "$D" "files deleted"
unchanged_others "files deleted"
is "files deleted: every demo terminal has a new credential hash" \
  "$(comm -12 <(tr ' ' '\n' <<<"$old_secrets" | sort) <(secrets | tr ' ' '\n' | sort) | wc -l)" 0
is "files deleted: every demo device has a new public key" \
  "$(comm -12 <(tr ' ' '\n' <<<"$old_keys" | sort) <(keys | tr ' ' '\n' | sort) | wc -l)" 0
check "files deleted: the old credential of pos-2222222222 no longer matches" \
  test "$(printf '%s' "${old_cred#*.}" | sha256sum | cut -d' ' -f1)" != "$(sq "SELECT encode(credential_hash, 'hex') FROM gateway.terminals WHERE code = 'pos-2222222222'")"
is "files deleted: admin_log rows for 4 rotations, 4 new keys, 4 stores and the refresh" \
  "$(sq "SELECT string_agg(action || ' ' || n, ', ' ORDER BY action) FROM (SELECT action, count(*) AS n FROM gateway.admin_log WHERE id > $logs_before GROUP BY action) x")" \
  "demo refresh 1, device rekey 4, terminal rotate 4, uim write 4"
state=$(files_state "$D")
scratch_admin demo --out-dir "$D" >"$TMP/out" 2>&1
is "files deleted, then once more: nothing to re-issue" "$(files_state "$D")" "$state"

# --- one stale credential, one stale key: only those ----------------------------------
sed -i 's/^PAYGW_TERMINAL_3333333333=.*/PAYGW_TERMINAL_3333333333=pos-3333333333.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/' "$D/terminals.env"
cp "$TMP/9999999.pem" "$D/devices/3345678.pem"      # a valid key, but not the enrolled one
old_secrets=$(secrets) old_keys=$(keys)
scratch_admin demo --out-dir "$D" >"$TMP/out" 2>"$TMP/err"; rc=$?
is "stale credential and key: exit status 0" "$rc" 0
is "stale credential and key: says exactly those" "$(grep -oE '^  (terminal [^:]+|device [0-9]+|uim/[0-9]+\.json)' "$TMP/out" | tr -d ' ' | tr '\n' ' ')" \
  "terminalpos-3333333333 device3345678 "
files_match "$D" "stale credential and key"
unchanged_others "stale credential and key"
is "stale credential and key: only pos-3333333333's hash changed" \
  "$(diff <(tr ' ' '\n' <<<"$old_secrets") <(secrets | tr ' ' '\n') | grep '^>' | cut -d= -f1)" "> pos-3333333333"
is "stale credential and key: only 3345678's key changed" \
  "$(diff <(tr ' ' '\n' <<<"$old_keys") <(keys | tr ' ' '\n') | grep '^>' | cut -d= -f1)" "> 3345678"

# --- the stack moved (another gateway URL): only the stores ----------------------------
jq '.auth_results = [{"user_id": "00001", "verified_at": "2030-01-01T00:00:00Z", "expires_at": "2030-01-01T01:00:00Z"}]' \
  "$D/uim/1234567.json" >"$TMP/with-auth.json" && cp "$TMP/with-auth.json" "$D/uim/1234567.json"
scratch_admin demo --out-dir "$D" >"$TMP/out" 2>&1
is "a handset's auth results alone do not make its store stale" "$(jq '.auth_results | length' "$D/uim/1234567.json")" 1
env_before=$(files_state "$D" | grep -E '^(terminals\.env|devices/)')
export PAYGW_URL_NOW=https://127.0.0.1:1
PAYGW_URL=$PAYGW_URL_NOW scratch_admin demo --out-dir "$D" >"$TMP/out" 2>"$TMP/err"; rc=$?
is "another gateway URL: exit status 0" "$rc" 0
is "another gateway URL: the four stores rewritten, saying why" \
  "$(grep -cE '^  uim/[0-9]+\.json rewritten \(its gateway_url differed\)$' "$TMP/out")" 4
files_match "$D" "another gateway URL"
unchanged_others "another gateway URL"
is "another gateway URL: terminals.env and the keys untouched" "$(files_state "$D" | grep -E '^(terminals\.env|devices/)')" "$env_before"
unset PAYGW_URL_NOW

# --- another --out-dir: the files move there ---------------------------------------
scratch_admin demo --out-dir "$TMP/again" >"$TMP/out" 2>&1; rc=$?
is "another directory: exit status 0" "$rc" 0
files_match "$TMP/again" "another directory"
unchanged_others "another directory"

# --- the stack's own database ---------------------------------------------------------
# a copy of the demo's files without pos-4444444444's credential: re-issued
# there, the old one (still in the stack's own terminals.env) is refused by
# the gateway; then the stack's own files are made to match again
"$ADMIN" demo --out-dir "$PAYGW_VAR/demo" >"$TMP/out" 2>&1; rc=$?
is "demo on the stack's database: exit status 0" "$rc" 0
cp -a "$PAYGW_VAR/demo" "$TMP/stackdemo"
sed -i '/^PAYGW_TERMINAL_4444444444=/d' "$TMP/stackdemo/terminals.env"
old_cred=$(grep '^PAYGW_TERMINAL_4444444444=' "$PAYGW_VAR/demo/terminals.env" | cut -d= -f2-)
api GET /v1/transactions/0000000000000000 -H "Authorization: Bearer $old_cred"
is "stack: the credential in use is accepted (404 for an unknown transaction)" "$STATUS" 404
"$ADMIN" demo --out-dir "$TMP/stackdemo" >"$TMP/out" 2>&1; rc=$?
is "stack, a copy without one credential: exit status 0" "$rc" 0
is "stack, a copy without one credential: re-issued only that one" "$(grep -c '^  ' "$TMP/out")" 1
new_cred=$(grep '^PAYGW_TERMINAL_4444444444=' "$TMP/stackdemo/terminals.env" | cut -d= -f2-)
api GET /v1/transactions/0000000000000000 -H "Authorization: Bearer $old_cred"
is "stack: the old credential is refused at once (401)" "$STATUS" 401
api GET /v1/transactions/0000000000000000 -H "Authorization: Bearer $new_cred"
is "stack: the new one is accepted" "$STATUS" 404
"$ADMIN" demo --out-dir "$PAYGW_VAR/demo" >"$TMP/out" 2>&1; rc=$?
is "stack's own files made to match again: exit status 0" "$rc" 0
is "... re-issuing only pos-4444444444's credential" "$(grep -oE '^  [a-z]+ [^:]+' "$TMP/out" | tr -d ' ')" "terminalpos-4444444444"
"$ADMIN" demo --out-dir "$PAYGW_VAR/demo" >"$TMP/out" 2>&1
check "... after which demo on the stack's database changes nothing" grep -q "^demo data already loaded; the files in .* match it" "$TMP/out"
done_testing
