#!/usr/bin/env bash
# fresh_demo.t — scripts/demo as a newcomer runs it (issue 18): first thing
# in a fresh clone it pays; run again on other ports (without stopping
# first), then stopped without naming the ports and run on the first ports
# again after its files were deleted, it pays each time, with the handset
# stores naming the running gateway and no row duplicated; and when the
# purchase fails (the credit server drops its answers) it exits non-zero
# with one closing line giving the POS's and the handset's last words.
# check: alone — it loads the machine itself (builds, or a benchmark's
# concurrent flows): another lane beside it would slow both past their bounds
. "$(dirname "$0")/fresh_lib.sh"
L=$TEST_ROOT/var/check-logs/fresh_demo
rm -rf "$L"; mkdir -p "$L"
fresh_copy || { not_ok "a copy of the tracked files"; done_testing; }
check "the copy holds no var/ and no build products" test ! -e "$C/var" -a ! -e "$C/configure" -a ! -e "$C/admin/paygw-admin"

# demo NAME PORTS [VAR=VALUE...]: scripts/demo in the copy; output in $L/NAME.out, status in RC
demo() {
  local name=$1 set=$2; shift 2
  JOURNAL_BEFORE=$(cat "$C/var/pos-journal.log" 2>/dev/null | wc -l)
  # shellcheck disable=SC2046  # the variables are words on purpose
  in_copy "$C" $(ports_env "$set") "$@" scripts/demo >"$L/$name.out" 2>&1
  RC=$?
}
copy_psql() { in_copy "$C" bash -c 'set -a; . var/stack.env; set +a; psql -X -q -tA "$PAYGW_PGURI" -c "$1"' _ "$1"; }
# the status of the sale the last demo run journaled ("" when it journaled none)
journal_status() { tail -n +$((JOURNAL_BEFORE + 1)) "$C/var/pos-journal.log" 2>/dev/null | tail -n 1 | jq -r .status; }
store_url() { jq -r .gateway_url "$C/var/demo/uim/1234567.json" 2>/dev/null; }
paid() {  # paid NAME PORTS: the checks of a demo run that must have paid
  is "$1: exit status 0" "$RC" 0
  check "$1: the demo says the purchase completed" grep -q "The purchase completed" "$L/$1.out"
  check "$1: the handset says the payment completed" grep -q "handset | Payment has now been completed" "$L/$1.out"
  is "$1: the POS journaled it completed" "$(journal_status)" completed
  local -n p=PORTS_$2
  is "$1: the handset store names the running gateway" "$(store_url)" "https://127.0.0.1:${p[0]}"
  check "$1: the handset never found the gateway unreachable" bash -c "! grep -q 'not reachable' '$L/$1.out'"
  local order; order=$(sed -n 's/.*The online order \([2-9A-HJKMNP-Z]\{8\}\) was paid.*/\1/p' "$L/$1.out")
  nonempty "$1: the demo says its online order was paid" "$order"
  is "$1: ... and the shop holds it paid, with an approval code" \
    "$(copy_psql "SELECT state || ' ' || (approval_code IS NOT NULL) FROM shop.orders WHERE code = '$order'")" "paid true"
  check "$1: the demo ends with the shop's URL" grep -q "^Open the shop in a browser: https://127.0.0.1:${p[0]}/shop/" "$L/$1.out"
}
rows() { copy_psql "SELECT concat_ws(' ', (SELECT count(*) FROM gateway.terminals), (SELECT count(*) FROM gateway.devices),
  (SELECT count(*) FROM gateway.users), (SELECT count(*) FROM gateway.cards), (SELECT count(*) FROM gateway.merchants))"; }

demo first A
paid first A
first_rows=$(rows)
# 4 POS terminals and the demo shop's shop-web (scripts/stack shop-setup, docs/shop.md)
is "first: the demo rows (terminals devices users cards merchants)" "$first_rows" "5 4 8 8 4"

# the README: "ports move with environment variables" — here without a --stop first
demo other_ports B
paid other_ports B
check "other_ports: the stack moved: nothing listens on the first ports any more" nothing_listens A
is "other_ports: no row duplicated" "$(rows)" "$first_rows"

# stopped without the ports in the environment: whatever runs is found and stopped
in_copy "$C" scripts/demo --stop >"$L/stop.out" 2>&1
is "--stop without the ports: exit status 0" "$?" 0
check "--stop without the ports: nothing listens on the ports it ran on" nothing_listens B

# the newcomer deletes the demo's files, and runs it on the first ports again
old_cred=$(sed -n 's/^PAYGW_TERMINAL_1111111111=//p' "$C/var/demo/terminals.env")
rm -rf "$C/var/demo"
demo files_deleted A
paid files_deleted A
is "files_deleted: no row duplicated" "$(rows)" "$first_rows"
new_cred=$(sed -n 's/^PAYGW_TERMINAL_1111111111=//p' "$C/var/demo/terminals.env" 2>/dev/null)
check "files_deleted: a new terminal credential was issued" test -n "$new_cred" -a "$new_cred" != "$old_cred"
status=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$C/var/tls/ca.crt" -H "Authorization: Bearer $old_cred" \
  "https://127.0.0.1:${PORTS_A[0]}/v1/transactions/0000000000000000")
is "files_deleted: the lost credential no longer works (401)" "$status" 401

# a purchase that fails: the credit server decides card A (...5678) but never answers
in_copy "$C" scripts/demo --stop >/dev/null 2>&1
echo "drop 5678" >"$C/var/credit-controls"
chmod 644 "$C/var/credit-controls"
demo fails A PAYGW_CREDIT_TEST_CONTROLS="$C/var/credit-controls"
is "fails: exit status 1" "$RC" 1
last=$(tail -n 1 "$L/fails.out")
check "fails: the closing line says the purchase did not complete ($last)" grep -q '^The purchase did not complete' <<<"$last"
pos_words=$(tail -n 1 "$C/var/pos-journal.log" | jq -r '.status + ": " + .reason')
check "fails: ... with the POS's last words ($pos_words)" grep -qF "POS: \"$pos_words\"" <<<"$last"
check "fails: ... and the handset's (issuer)" grep -qE 'handset: "[^"]*issuer[^"]*"' <<<"$last"
is "fails: the POS journaled it failed" "$(journal_status)" failed

in_copy "$C" scripts/demo --stop >/dev/null 2>&1
check "after --stop nothing listens on the demo's ports" nothing_listens A
done_testing
