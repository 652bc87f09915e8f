#!/usr/bin/env bash
# admin_card_stored_encrypted.t — `card add` reads the number from stdin,
# prints "card <id> <masked>", and stores only ciphertext (with its key ID
# and AAD format 2: bound to its row), the HMAC lookup hash, the masked
# number and its length: a pg_dump of the database
# holds neither the new card number nor any demo card number, and no list
# command ever prints a full card number.
. "$(dirname "$0")/lib.sh"
ADMIN=$TEST_ROOT/admin/paygw-admin
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
S=t$$$RANDOM

PAN=$(luhn "99$(date +%s%N | tail -c 14 | head -c 13)")
PAN19=$(luhn "98$(date +%s%N | tail -c 17)")
PAN12=$(luhn "97$(date +%s%N | tail -c 10 | head -c 9)")

"$ADMIN" demo --out-dir "$PAYGW_VAR/demo" >/dev/null 2>&1
"$ADMIN" subscriber add --code "s$S" --name "Card test" >/dev/null 2>&1
printf '%s\n' "$PAN" | "$ADMIN" card add --subscriber "s$S" --expiry 3012 --label "Test card" >"$TMP/out" 2>"$TMP/err"; rc=$?
is "card add succeeds" "$rc" 0
masked="${PAN:0:6}******${PAN: -4}"
check "card add prints 'card <id> <masked>'" grep -qE "^card [0-9]+ ${masked//\*/\\*}$" "$TMP/out"
id=$(cut -d' ' -f2 "$TMP/out")
row=$(psql_q "SELECT pan_masked, pan_length, expiry, label, key_id > 0, pan_aad, length(pan_ciphertext), pan_lookup ~ '^[0-9a-f]{64}$' FROM gateway.cards WHERE id = $id")
is "the row holds the mask, length, expiry, label, key id, AAD format 2, ciphertext, lookup" "$row" "$masked|16|3012|Test card|t|2|44|t"
check "the lookup hash is keyed (not a plain SHA-256 of the number)" \
  test "$(psql_q "SELECT pan_lookup FROM gateway.cards WHERE id = $id")" != "$(printf '%s' "$PAN" | sha256sum | cut -d' ' -f1)"
printf '%s\n' "$PAN19" | "$ADMIN" card add --subscriber "s$S" --expiry 3012 --label "Long card" >"$TMP/out19" 2>/dev/null
is "a 19-digit card is masked to first 6 and last 4" "$(cut -d' ' -f3 "$TMP/out19")" "${PAN19:0:6}*********${PAN19: -4}"
printf '%s\n' "$PAN12" | "$ADMIN" card add --subscriber "s$S" --expiry 3012 --label "Short card" >"$TMP/out12" 2>/dev/null
is "a 12-digit card is masked to its last 4 (8 hidden)" "$(cut -d' ' -f3 "$TMP/out12")" "********${PAN12: -4}"
is "... and stored so: no clear digit of it but the last 4" \
  "$(psql_q "SELECT pan_masked || '|' || pan_length || '|' || position('${PAN12:0:6}' IN (to_jsonb(c) - 'pan_ciphertext' - 'pan_lookup')::text) FROM gateway.cards c WHERE id = $(cut -d' ' -f2 "$TMP/out12")")" \
  "********${PAN12: -4}|12|0"
printf '%s\n' "${PAN:0:4} ${PAN:4:4} ${PAN:8:4} ${PAN:12:4}" | "$ADMIN" card add --subscriber "s$S" --expiry 3012 --label Again >/dev/null 2>&1
is "the same number typed with spaces is found as a duplicate" "$?" 2

pg_dump "$PAYGW_PGURI" >"$TMP/dump"
check "pg_dump is not empty" test -s "$TMP/dump"
found=0
for pan in "$PAN" "$PAN19" "$PAN12" $(grep -oE '"[0-9]{12,19}"' "$TEST_ROOT/lib/common/demo_data.h" | tr -d '"' | sort -u); do
  grep -qF -- "$pan" "$TMP/dump" && { found=$((found + 1)); echo "# in dump: ${pan:0:6}..."; }
done
is "pg_dump holds no card number in clear (new and demo cards)" "$found" 0
is "the demo cards are enrolled" "$(psql_q "SELECT count(*) FROM gateway.cards c JOIN gateway.users u ON u.card_id = c.id WHERE u.user_id IN ('00001','00002','00003','00004','00005','00006','00007','00008')")" 8

all_pans="$PAN $PAN19 $PAN12 $(grep -oE '"[0-9]{12,19}"' "$TEST_ROOT/lib/common/demo_data.h" | tr -d '"' | sort -u)"
for cmd in "card list" "user list" "subscriber list" "device list" "issuer list" "range list" "merchant list" "terminal list" "method list"; do
  "$ADMIN" $cmd >"$TMP/list" 2>&1
  hits=0
  for pan in $all_pans; do grep -qF -- "$pan" "$TMP/list" && hits=$((hits + 1)); done
  is "$cmd shows none of the enrolled card numbers" "$hits" 0
done
for cmd in "card list" "user list"; do
  "$ADMIN" $cmd >"$TMP/list" 2>&1
  if grep -qE '[0-9]{12,}' "$TMP/list"; then not_ok "$cmd has no run of 12+ digits"; else ok "$cmd has no run of 12+ digits"; fi
done
"$ADMIN" card list >"$TMP/list" 2>/dev/null
check "card list shows the new card masked" grep -qF -- "$masked" "$TMP/list"
check "card list shows demo card 00001 masked" grep -qF -- "152500******5678" "$TMP/list"
check "stderr of card add never held the number" bash -c '! grep -qF -- "$1" "$2"' _ "$PAN" "$TMP/err"

"$ADMIN" card disable --id "$id" >/dev/null 2>&1
is "card disable sets the status" "$(psql_q "SELECT status FROM gateway.cards WHERE id = $id")" disabled
done_testing
