#!/usr/bin/env bash
# No card number in clear anywhere in the gateway's part of the database, nor
# in any log: a pg_dump of the gateway schema and the logs are searched for
# every demo card number (with and without separators).
. "$(dirname "$0")/lib.sh"

pans=$(grep -oE '"[0-9]{12,19}"' "$PAYGW_ROOT/lib/common/demo_data.h" | tr -d '"' | sort -u)
# an empty list or missing logs would make the search below pass for nothing
check "the demo card numbers were read from demo_data.h (8 or more)" test "$(wc -w <<<"$pans")" -ge 8
for log in gateway.log sweeper.log webhooks.log nginx-access.log credit-server.log; do
  check "$log is there to search and not empty" test -s "$PAYGW_VAR/log/$log"
done
check "the demo cards are enrolled" test "$(psql_q 'SELECT count(*) FROM gateway.cards')" -ge 8

dump=$(mktemp)
pg_dump --schema=gateway "$PAYGW_PGURI" >"$dump"
check "pg_dump of the gateway schema is not empty" test -s "$dump"
found=0
for pan in $pans; do
  spaced=$(sed -E 's/(.{4})/\1 /g; s/ $//' <<<"$pan")
  dashed=${spaced// /-}
  for form in "$pan" "$spaced" "$dashed"; do
    grep -qF -- "$form" "$dump" && found=$((found + 1))
    grep -rqF -- "$form" "$PAYGW_VAR/log/" && found=$((found + 1))
  done
done
is "no demo card number in the dump or the logs" "$found" 0
check "the dump does hold the masked parts (first 6)" grep -q '152500' "$dump"
rm -f "$dump"
done_testing
