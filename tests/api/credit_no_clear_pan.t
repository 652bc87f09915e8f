#!/usr/bin/env bash
# No card number in clear in the issuer's data: a pg_dump of the whole
# database and the credit server's log are searched for every demo card
# number; the gateway's role has no rights on the issuer schema.
. "$(dirname "$0")/credit_lib.sh"

pans=$(grep -oE '"[0-9]{12,19}"' "$PAYGW_ROOT/lib/common/demo_data.h" | tr -d '"' | sort -u)
check "the demo card numbers were read from demo_data.h (8 or more)" test "$(wc -w <<<"$pans")" -ge 8
check "the issuer's demo accounts are enrolled" test "$(psql_q 'SELECT count(*) FROM issuer.card_accounts')" -ge 7
# make sure the log has seen card numbers go by
next_stan
auth "$CARD_A" 3012 1 "$MERCHANT_A" "PML 00" "$STAN" "$(now_time)"
is "an authorization went through" "$(fld 39)" 00
reverse 0400 "$STAN" "$(sed -n 's/^07=//p' <<<"$ANS")" 1 "$MERCHANT_A"

check "the credit server's log is there to search and not empty" test -s "$PAYGW_VAR/log/credit-server.log"

dump=$(mktemp)
pg_dump "$PAYGW_PGURI" >"$dump"
check "pg_dump of the whole database holds the issuer schema" grep -q 'issuer.card_accounts' "$dump"
found=0
for pan in $pans; do
  spaced=$(sed -E 's/(.{4})/\1 /g; s/ $//' <<<"$pan")
  for form in "$pan" "$spaced" "${spaced// /-}"; do
    grep -qF -- "$form" "$dump" && found=$((found + 1))
    grep -qF -- "$form" "$PAYGW_VAR/log/credit-server.log" && found=$((found + 1))
  done
done
is "no demo card number in the dump or the credit server's log" "$found" 0
check "the log shows cards masked" grep -q '152500\*\*\*\*\*\*5678' "$PAYGW_VAR/log/credit-server.log"
rm -f "$dump"

is "the gateway's role cannot read the issuer's accounts" \
  "$(psql_q "SELECT has_table_privilege('paygw_gateway', 'issuer.card_accounts', 'SELECT') OR has_schema_privilege('paygw_gateway', 'issuer', 'USAGE')")" f
is "the issuer's role cannot read the gateway's cards" \
  "$(psql_q "SELECT has_table_privilege('paygw_issuer', 'gateway.cards', 'SELECT') OR has_schema_privilege('paygw_issuer', 'gateway', 'USAGE')")" f
refused=$(psql -X -q -tA "$PAYGW_DB_URI" -c 'SELECT count(*) FROM issuer.card_accounts' 2>&1)
check "a query as the gateway's role is refused" grep -q 'permission denied' <<<"$refused"
done_testing
