#!/usr/bin/env bash
# admin_card_update.t — a renewed card keeps its number, so `card add` of it
# is refused as a duplicate (and says to use `card update`); `card update
# --id N --expiry YYMM` gives it the new expiry with an admin_log row; a
# passed, malformed or unchanged expiry and an unknown card are refused
# (exit 2, nothing changed).
. "$(dirname "$0")/lib.sh"
ADMIN=$TEST_ROOT/admin/paygw-admin
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
S=u$$$RANDOM
PAN=$(luhn "98$(date +%s%N | tail -c 14 | head -c 13)")
card_row() { psql_q "SELECT expiry || ' ' || status FROM gateway.cards WHERE id = $1"; }
logs() { psql_q "SELECT count(*) FROM gateway.admin_log WHERE action = 'card update'"; }

"$ADMIN" subscriber add --code "$S" --name "Renewal test" >/dev/null 2>&1
echo "$PAN" | "$ADMIN" card add --subscriber "$S" --expiry 3012 --label "To renew" >"$TMP/add" 2>"$TMP/add.err"
ID=$(awk '{print $2}' "$TMP/add")
is "the card is enrolled with expiry 3012" "$(card_row "$ID")" "3012 active"

echo "$PAN" | "$ADMIN" card add --subscriber "$S" --expiry 3412 --label "Renewed" >"$TMP/out" 2>"$TMP/err"; rc=$?
is "the renewed card cannot be added again (exit 2)" "$rc" 2
check "... the refusal names card update" grep -q "card update --id $ID --expiry YYMM" "$TMP/err"

before=$(logs)
"$ADMIN" card update --id "$ID" --expiry 3412 >"$TMP/out" 2>"$TMP/err"; rc=$?
is "card update: exit 0" "$rc" 0
is "card update: says what changed" "$(cat "$TMP/out")" "card $ID expiry 3412 (was 3012)"
is "card update: the row has the new expiry, still active" "$(card_row "$ID")" "3412 active"
is "card update: one admin_log row" "$(logs)" $((before + 1))
is "card update: the row names the change" \
  "$(psql_q "SELECT subject FROM gateway.admin_log WHERE action = 'card update' ORDER BY id DESC LIMIT 1")" \
  "card $ID expiry 3012 -> 3412"
check "card update: card list shows it" grep -qE "^$ID +$S .* 3412 " <("$ADMIN" card list)
check "card update: the number is never printed" bash -c '! grep -q "$1" "$2" "$3"' _ "$PAN" "$TMP/out" "$TMP/err"

refused() {  # refused DESCRIPTION MESSAGE ARGS...
  local desc=$1 want=$2 rc; shift 2
  local row_before; row_before=$(card_row "$ID"); local logs_before; logs_before=$(logs)
  "$ADMIN" card update "$@" >"$TMP/out" 2>"$TMP/err"; rc=$?
  is "$desc: exit 2" "$rc" 2
  check "$desc: says '$want'" grep -qF -- "$want" "$TMP/err"
  is "$desc: card unchanged" "$(card_row "$ID")" "$row_before"
  is "$desc: no admin_log row" "$(logs)" "$logs_before"
}
refused "a passed expiry" "expiry 2001 has passed" --id "$ID" --expiry 2001
refused "last month" "has passed" --id "$ID" --expiry "$(date -u -d "$(date -u +%Y-%m-15) -1 month" +%y%m)"
refused "month 13" "expiry must be YYMM" --id "$ID" --expiry 3413
refused "not YYMM" "expiry must be YYMM" --id "$ID" --expiry 12/34
refused "the same expiry" "card $ID already has expiry 3412" --id "$ID" --expiry 3412
refused "an unknown card" "unknown card '999999999'" --id 999999999 --expiry 3412
refused "a bad id" "card id must be a positive number" --id abc --expiry 3412
refused "no expiry" "option --expiry is required" --id "$ID"

"$ADMIN" card update --id "$ID" --expiry "$(date -u +%y%m)" >/dev/null 2>&1; rc=$?
is "this month's expiry is still good (exit 0)" "$rc" 0
"$ADMIN" card disable --id "$ID" >/dev/null 2>&1
done_testing
