#!/usr/bin/env bash
# admin_terminal_credential.t — `terminal add` prints the credential once, as
# the only line on stdout, in the form <code>.<43 base64url characters>; the
# database keeps only SHA-256 of those 43 characters (what the gateway's
# terminal_credential_parse computes); the secret appears in no table, no
# list and no log line.
. "$(dirname "$0")/lib.sh"
ADMIN=$TEST_ROOT/admin/paygw-admin
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
S=t$$$RANDOM
T=$(unique_tag)   # terminal codes: a letter and T, so their first 8 characters (field 41) are this run's
M=9${S//[!0-9]/}

"$ADMIN" merchant add --code "$M" --name "Credential test" --shop "Shop $S" >/dev/null 2>&1
"$ADMIN" terminal add --merchant "$M" --code "a$T" >"$TMP/out" 2>"$TMP/err"; rc=$?
is "terminal add succeeds" "$rc" 0
is "stdout is exactly one line" "$(wc -l <"$TMP/out")" 1
cred=$(cat "$TMP/out")
check "the line is <code>.<43 base64url characters>" grep -qE "^a$T\.[A-Za-z0-9_-]{43}$" "$TMP/out"
secret=${cred#*.}
stored=$(psql_q "SELECT encode(credential_hash, 'hex') FROM gateway.terminals WHERE code = 'a$T'")
is "the stored hash is SHA-256 of the 43-character secret" "$stored" "$(printf '%s' "$secret" | sha256sum | cut -d' ' -f1)"
is "the stored hash is 32 bytes" "$(psql_q "SELECT length(credential_hash) FROM gateway.terminals WHERE code = 'a$T'")" 32
check "the secret is not on stderr" bash -c '! grep -qF -- "$1" "$2"' _ "$secret" "$TMP/err"
pg_dump --schema=gateway "$PAYGW_PGURI" >"$TMP/dump"
check "pg_dump does not hold the secret" bash -c '! grep -qF -- "$1" "$2"' _ "$secret" "$TMP/dump"
secret_hex=$(printf '%s' "$secret" | od -An -tx1 | tr -d ' \n')
check "pg_dump does not hold the secret as hex either" bash -c '! grep -qiF -- "$1" "$2"' _ "$secret_hex" "$TMP/dump"
"$ADMIN" terminal list >"$TMP/list" 2>&1
check "terminal list shows the terminal" grep -q "^a$T " "$TMP/list"
check "terminal list never shows the secret" bash -c '! grep -qF -- "$1" "$2"' _ "$secret" "$TMP/list"
check "terminal list never shows the hash" bash -c '! grep -qF -- "$1" "$2"' _ "$stored" "$TMP/list"

# a second terminal gets another secret
"$ADMIN" terminal add --merchant "$M" --code "b$T" >"$TMP/out2" 2>/dev/null
check "a second terminal gets a different secret" test "${cred#*.}" != "$(cut -d. -f2 "$TMP/out2")"

# refused: disabled merchant; disabling a terminal shows in the list
"$ADMIN" terminal disable --code "b$T" >/dev/null 2>&1
is "terminal disable sets the status" "$(psql_q "SELECT status FROM gateway.terminals WHERE code = 'b$T'")" disabled
"$ADMIN" merchant disable --code "$M" >/dev/null 2>&1
"$ADMIN" terminal add --merchant "$M" --code "c$T" >"$TMP/out3" 2>"$TMP/err3"; rc=$?
is "no terminal for a disabled merchant (exit 2)" "$rc" 2
check "no terminal for a disabled merchant: says so" grep -q "merchant $M is disabled" "$TMP/err3"
is "no terminal for a disabled merchant: nothing on stdout" "$(cat "$TMP/out3")" ""
is "admin_log records the terminal add without the secret" \
  "$(psql_q "SELECT count(*) FROM gateway.admin_log WHERE action = 'terminal add' AND subject = 'a$T'")" 1
is "admin_log never holds the secret" "$(psql_q "SELECT count(*) FROM gateway.admin_log WHERE subject LIKE '%$secret%'")" 0
# the credential cannot be shown (stdout is /dev/full): not a silent success
"$ADMIN" merchant add --code "${M}1" --name "Credential test 2" --shop "Shop 2 $S" >/dev/null 2>&1
"$ADMIN" terminal add --merchant "${M}1" --code "f$T" >/dev/full 2>"$TMP/err4"; rc=$?
is "stdout /dev/full: exit status 1" "$rc" 1
check "stdout /dev/full: says the credential was not shown" grep -q "could not be written to standard output" "$TMP/err4"
check "stdout /dev/full: tells to disable and add again" grep -q "paygw-admin terminal disable --code f$T" "$TMP/err4"
check "stdout /dev/full: no secret on stderr" bash -c '! grep -qE "f$2\.[A-Za-z0-9_-]{43}" "$1"' _ "$TMP/err4" "$T"
done_testing
