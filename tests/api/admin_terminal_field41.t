#!/usr/bin/env bash
# admin_terminal_field41.t — every terminal has its own ISO 8583 terminal ID
# (field 41, at most 8 characters; docs/admin.md): by default the first 8
# characters of its code, or the one given with --iso-id.  A terminal whose
# field 41 another terminal already holds is refused (exit 2, a message
# naming the holder, nothing stored, nothing on stdout), so two terminals
# whose codes share their first 8 characters cannot both be enrolled as
# they are; a malformed --iso-id is refused.  The demo terminals hold
# theirs, `terminal list` shows it, and a payment through the gateway sends
# the terminal's own ID in field 41 (as the issuer records it).
. "$(dirname "$0")/flowlib.sh"
ADMIN=$TEST_ROOT/admin/paygw-admin
TMP=$(mktemp -d); trap 'rm -rf "$TMP"; flow_cleanup' EXIT
T=$(unique_tag)                   # 7 characters: "a$T" is 8, the whole of a field 41
M=8$(date +%s%N | cut -c5-16)

snapshot() {
  psql_q "SELECT (SELECT count(*) FROM gateway.terminals) || ' ' || (SELECT count(*) FROM gateway.admin_log)
          || ' ' || (SELECT md5(string_agg(code || ':' || iso_terminal_id, ',' ORDER BY id)) FROM gateway.terminals)"
}
iso_of() { psql_q "SELECT iso_terminal_id FROM gateway.terminals WHERE code = '$1'"; }
# refused DESCRIPTION MESSAGE ARGS...: exit 2, MESSAGE on stderr, no change
refused() {
  local desc=$1 want=$2 before after rc; shift 2
  before=$(snapshot)
  "$ADMIN" "$@" >"$TMP/out" 2>"$TMP/err"; rc=$?
  after=$(snapshot)
  is "$desc: exit status 2" "$rc" 2
  if grep -qF -- "paygw-admin: $want" "$TMP/err"; then ok "$desc: says '$want'"
  else not_ok "$desc: says '$want' (stderr: $(head -c 300 "$TMP/err"))"; fi
  is "$desc: nothing stored" "$after" "$before"
  is "$desc: nothing on stdout (no credential)" "$(cat "$TMP/out")" ""
}

"$ADMIN" merchant add --code "$M" --name "Field 41 test" --shop "Shop $T" >/dev/null 2>&1
"$ADMIN" terminal add --merchant "$M" --code "a$T-one" >"$TMP/one" 2>"$TMP/err"; rc=$?
is "a terminal is added" "$rc" 0
is "its field 41 is the first 8 characters of its code" "$(iso_of "a$T-one")" "a$T"

# another code with the same first 8 characters: refused, not a shared field 41
refused "a code sharing its first 8 characters" \
  "field-41 terminal ID 'a$T' is already held by terminal a$T-one; give this terminal its own with --iso-id" \
  terminal add --merchant "$M" --code "a$T-two"
is "... no row for that code" "$(psql_q "SELECT count(*) FROM gateway.terminals WHERE code = 'a$T-two'")" 0

# with an ID of its own it is enrolled
"$ADMIN" terminal add --merchant "$M" --code "a$T-two" --iso-id "b$T" >"$TMP/two" 2>"$TMP/err"; rc=$?
is "the same code with --iso-id b$T: added" "$rc" 0
check "... and its credential printed" grep -qE "^a$T-two\.[A-Za-z0-9_-]{43}$" "$TMP/two"
is "... holding b$T" "$(iso_of "a$T-two")" "b$T"

refused "an --iso-id another terminal holds" \
  "field-41 terminal ID 'b$T' is already held by terminal a$T-two" \
  terminal add --merchant "$M" --code "c$T" --iso-id "b$T"
refused "a code equal to another terminal's chosen field 41" \
  "field-41 terminal ID 'b$T' is already held by terminal a$T-two" \
  terminal add --merchant "$M" --code "b$T"
refused "an --iso-id of 9 characters" "field-41 terminal ID must be 1-8 of A-Z a-z 0-9 _ -, got 'a$T-'" \
  terminal add --merchant "$M" --code "d$T" --iso-id "a$T-"
refused "an --iso-id with a space" "field-41 terminal ID must be 1-8 of A-Z a-z 0-9 _ -, got 'd $T'" \
  terminal add --merchant "$M" --code "d$T" --iso-id "d $T"
refused "an empty --iso-id" "field-41 terminal ID must be 1-8 of A-Z a-z 0-9 _ -, got ''" \
  terminal add --merchant "$M" --code "d$T" --iso-id ""

is "the database refuses a shared field 41 by itself" \
  "$(psql -X -q -tA "$PAYGW_PGURI" -c "UPDATE gateway.terminals SET iso_terminal_id = 'a$T' WHERE code = 'a$T-two'" 2>&1 | grep -c 'unique constraint')" 1

"$ADMIN" terminal list >"$TMP/list" 2>&1
check "terminal list shows each terminal's field 41" \
  bash -c 'grep -qE "^a$1-one +a$1 " "$2" && grep -qE "^a$1-two +b$1 " "$2"' _ "$T" "$TMP/list"
is "the demo terminals hold the first 8 characters of their codes" \
  "$(psql_q "SELECT string_agg(code || '=' || iso_terminal_id, ' ' ORDER BY code) FROM gateway.terminals WHERE code ~ '^pos-[0-9]{10}$'")" \
  "pos-1111111111=pos-1111 pos-2222222222=pos-2222 pos-3333333333=pos-3333 pos-4444444444=pos-4444"

# a payment from a terminal with its own field 41: the issuer sees that ID
PAYGW_TERMINAL_1111111111=$("$ADMIN" terminal add --merchant 1111111111 --code "e$T-shop-a" --iso-id "E$T" 2>/dev/null)
check "a second terminal for merchant 1111111111 (field 41 E$T)" test -n "$PAYGW_TERMINAL_1111111111"
flow_to chosen 1111111111 00001 321 L
is "a payment from it completes" "$STATUS $(jqr .status) $FLOW_ERROR" "200 completed "
is "the gateway sent field 41 = E$T (padded to 8 characters)" \
  "$(psql_q "SELECT '[' || a.terminal_code || ']' FROM gateway.authorizations a JOIN gateway.transactions t ON t.id = a.transaction_id WHERE t.number = '$TXN'")" \
  "[E$T]"
is "the issuer recorded the authorization under E$T" "$(issuer_auths_for "$TXN") $(psql_q "SELECT count(*) FROM issuer.authorizations WHERE terminal_id = 'E$T' AND amount = 321 AND status = 'approved'")" "1 1"
done_testing
