#!/usr/bin/env bash
# admin_migration_converts_keys.t — sql/0008 converts the rows already there.
# In a scratch database on the stack's server, the migrations before 0008
# run, rows are written as the old code wrote them, then 0008 runs:
#  - terminals: each gets a field-41 terminal ID; where two codes share their
#    first 8 characters the oldest keeps them and the other gets the first
#    free T0000001, T0000002, ... (never one another terminal holds);
#  - the issuer's authorizations: each gets its full transmission time (field
#    7 in the year nearest to when the row was written, across a new year
#    both ways; a field 7 that is no date keeps the second it was written)
#    and the card's lookup hash from its account (none for an unknown card
#    or a void row);
#  - afterwards the key is (STAN, terminal, full time): the same field 7 a
#    year earlier is another row, the same full time is refused; a full time
#    that disagrees with field 7, or a shared field 41, is refused.
. "$(dirname "$0")/lib.sh"
DB=paygw_keys_$$
BASE=${PAYGW_PGURI%/*}
trap 'psql_q "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1' EXIT
sql() { psql -X -q -tA -v ON_ERROR_STOP=1 "$BASE/$DB" -c "$1"; }
apply() { psql -X -q -v ON_ERROR_STOP=1 --single-transaction "$BASE/$DB" -f "$1" >/dev/null; }

psql_q "CREATE DATABASE $DB" >/dev/null
for f in "$TEST_ROOT"/sql/[0-9][0-9][0-9][0-9]_*.sql; do
  [[ $(basename "$f") < 0008 ]] || continue
  apply "$f" || { echo "not ok - migration $(basename "$f") applies"; exit 1; }
done
HASH=$(printf 'a%.0s' {1..64})
sql "INSERT INTO gateway.merchants (code, name, shop_name) VALUES ('1', 'M', 'Shop');
     INSERT INTO gateway.terminals (merchant_id, code, credential_hash)
       SELECT m.id, c, decode(repeat('00', 32), 'hex') FROM gateway.merchants m,
              unnest(ARRAY['pos-a-long-1', 'pos-a-long-2', 'T0000001x', 'short', 'pos-a-long-3']) WITH ORDINALITY AS u(c, n)
        ORDER BY n;
     INSERT INTO issuer.issuers VALUES ('I1', 'Issuer');
     INSERT INTO issuer.card_accounts (issuer_code, holder, address, card_ciphertext, card_key_id, card_lookup_hash,
                                       first6, last4, expiry, credit_limit)
       VALUES ('I1', 'H', 'A', '\\x00', 1, '$HASH', '135500', '1234', '3012', 1000);
     INSERT INTO issuer.authorizations (account_id, stan, terminal_id, transmission_time, merchant_code, amount,
                                        currency, method, approval_code, response_code, status, created_at, reversed_at)
       VALUES ((SELECT id FROM issuer.card_accounts), '000001', 'pos-a-lo', '1231235959', '1', 100, '392', 'L',
               'ABC123', '00', 'approved', '2027-01-01 00:00:03.4+00', NULL),
              (NULL, '000002', 'pos-a-lo', '0101000001', '1', 100, '392', 'L', NULL, '14', 'declined',
               '2026-12-31 23:59:58+00', NULL),
              (NULL, '000003', 'pos-a-lo', '0615120000', '1', 100, '392', NULL, NULL, '05', 'void',
               '2026-06-15 12:00:04+00', '2026-06-15 12:00:04+00'),
              (NULL, '000004', 'pos-a-lo', '1332000000', '1', 100, '392', 'L', NULL, '14', 'declined',
               '2026-03-01 10:00:00.7+00', NULL)" >/dev/null
apply "$TEST_ROOT/sql/0008_duplicate_keys.sql" && ok "0008 applies over the old rows" || not_ok "0008 applies over the old rows"

is "terminals: the oldest of a shared prefix keeps it, the others get free T-numbers" \
  "$(sql "SELECT string_agg(code || '=' || iso_terminal_id, ' ' ORDER BY id) FROM gateway.terminals")" \
  "pos-a-long-1=pos-a-lo pos-a-long-2=T0000002 T0000001x=T0000001 short=short pos-a-long-3=T0000003"
is "authorizations: field 7 placed in the year nearest to the row, card hash from the account" \
  "$(sql "SELECT string_agg(stan || '=' || to_char(transmitted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')
                              || '/' || coalesce(left(card_lookup_hash, 4), '-'), ' ' ORDER BY stan)
            FROM issuer.authorizations")" \
  "000001=2026-12-31 23:59:59/aaaa 000002=2027-01-01 00:00:01/- 000003=2026-06-15 12:00:00/- 000004=2026-03-01 10:00:00/-"
is "both new columns are NOT NULL where they must be" \
  "$(sql "SELECT string_agg(table_name || '.' || column_name || ':' || is_nullable, ' ' ORDER BY column_name)
            FROM information_schema.columns
           WHERE (table_schema, table_name, column_name) IN (('gateway', 'terminals', 'iso_terminal_id'),
                 ('issuer', 'authorizations', 'transmitted_at'), ('issuer', 'authorizations', 'card_lookup_hash'))")" \
  "authorizations.card_lookup_hash:YES terminals.iso_terminal_id:NO authorizations.transmitted_at:NO"

insert_auth() {   # insert_auth STAN FIELD7 FULL-TIME → psql's error text, or "" when inserted
  psql -X -q -tA "$BASE/$DB" -c "INSERT INTO issuer.authorizations (stan, terminal_id, transmission_time,
      transmitted_at, merchant_code, amount, currency, response_code, status)
      VALUES ('$1', 'pos-a-lo', '$2', '$3', '1', 1, '392', '14', 'declined')" 2>&1 >/dev/null
}
is "the same STAN, terminal and field 7 a year earlier is another row" \
  "$(insert_auth 000001 1231235959 '2025-12-31 23:59:59+00')" ""
like_err() { if grep -q "$3" <<<"$2"; then ok "$1"; else not_ok "$1 (got '$2')"; fi; }
like_err "the same full time is refused by the unique key" \
  "$(insert_auth 000001 1231235959 '2026-12-31 23:59:59+00')" 'authorizations_key'
like_err "a full time that disagrees with field 7 is refused" \
  "$(insert_auth 000009 1231235959 '2026-12-31 23:59:58+00')" 'authorizations_transmitted_at_check'
like_err "a card hash that is not 64 hex digits is refused" \
  "$(psql -X -q -tA "$BASE/$DB" -c "UPDATE issuer.authorizations SET card_lookup_hash = 'x' WHERE stan = '000002'" 2>&1)" \
  'authorizations_card_lookup_hash_check'
like_err "two terminals cannot share a field 41" \
  "$(psql -X -q -tA "$BASE/$DB" -c "UPDATE gateway.terminals SET iso_terminal_id = 'short' WHERE code = 'T0000001x'" 2>&1)" \
  'terminals_iso_terminal_id_key'
like_err "a field 41 longer than 8 characters is refused" \
  "$(psql -X -q -tA "$BASE/$DB" -c "UPDATE gateway.terminals SET iso_terminal_id = 'pos-a-lon' WHERE code = 'short'" 2>&1)" \
  'terminals_iso_terminal_id_check'
is "the roles' rights are the stack's (0008 adds columns, no objects)" \
  "$(sql "SELECT has_column_privilege('paygw_gateway', 'gateway.terminals', 'iso_terminal_id', 'SELECT')
             || ' ' || has_column_privilege('paygw_issuer', 'issuer.authorizations', 'transmitted_at', 'INSERT')
             || ' ' || has_column_privilege('paygw_issuer', 'issuer.authorizations', 'card_lookup_hash', 'SELECT')")" \
  "true true true"
done_testing
