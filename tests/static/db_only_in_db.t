#!/usr/bin/env bash
# db_only_in_db.t — only the database operations touch the database's
# rows (issue 19): in the gateway (cgi/gateway), the demo shop (cgi/shop),
# the credit server and paygw-admin, a .c file outside a db/ folder (and outside lib/db, the layer
# itself) neither runs a statement nor a transaction (db_call,
# db_run_transaction), nor builds parameters (db_params_init), nor reads a
# column (db_text, db_int64, db_bool, db_null, db_copy, PQgetvalue,
# PQntuples).  It calls the typed operation of a db/ file instead
# (docs/architecture.md, "The data layer").
. "$(dirname "$0")/lib.sh"

CALLS='db_text|db_int64|db_bool|db_null|db_copy|PQgetvalue|PQntuples|db_call|db_params_init|db_run_transaction'
PATTERN="\\b($CALLS)(_at)?[[:space:]]*\\("

sources=$(tracked_files | grep -E '^(cgi/gateway|cgi/shop|credit-server|admin)/.*\.c$')
inside=$(grep -E '(^|/)db/' <<<"$sources")
outside=$(grep -vE '(^|/)db/' <<<"$sources")

# the pattern finds what it looks for: the db/ folders are full of such calls
check "the db/ folders were read and their calls found (more than 50)" \
  test "$(grep -hcE "$PATTERN" $inside | paste -sd+ | bc)" -gt 50
check "the files outside the db/ folders were read (more than 50)" test "$(wc -l <<<"$outside")" -gt 50

found=$(grep -nE "$PATTERN" $outside)
is "no .c file outside a db/ folder calls $CALLS" "$found" ""
done_testing
