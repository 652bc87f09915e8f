#!/usr/bin/env bash
# admin_migration_grants.t — the roles' rights do not depend on who ran the
# migrations.  Default privileges (0001, 0002) only cover objects created by
# the role that set them, so 0003's tables had no rights for paygw_gateway
# when another role ran 0003.  In scratch databases on the stack's server:
#  1. 0001-0002 run by postgres, 0003-0005 by another superuser role: the
#     gap is real; 0006 run by that role closes it, and after the later
#     migrations (also that role's, each granting its own objects' rights by
#     name) every right of paygw_gateway and paygw_issuer is exactly the
#     stack's own;
#  2. scripts/migrate run by the other role after postgres ran 0001-0002:
#     every migration runs as the owner of schema gateway (postgres), so
#     every object is postgres's and the rights are again exactly the stack's.
# And on the stack itself: the rights are the ones the migrations intend, no more.
. "$(dirname "$0")/lib.sh"
DBA=paygw_test_dba$$
DB1=paygw_grants1_$$ DB2=paygw_grants2_$$
BASE=${PAYGW_PGURI%/*}
cleanup() {
  psql_q "DROP DATABASE IF EXISTS $DB1" >/dev/null 2>&1
  psql_q "DROP DATABASE IF EXISTS $DB2" >/dev/null 2>&1
  psql_q "DROP ROLE IF EXISTS $DBA" >/dev/null 2>&1
}
trap cleanup EXIT
# as_role DB ROLE: a connection to DB as postgres with ROLE set from the start
uri() { if [[ -n ${2:-} ]]; then echo "$BASE/$1?options=-c%20role%3D$2"; else echo "$BASE/$1"; fi; }
sql_in() { psql -X -q -tA -v ON_ERROR_STOP=1 "$(uri "$1" "${2:-}")" -c "$3"; }
apply() {  # apply DB ROLE FILE: one migration file in one transaction
  psql -X -q -v ON_ERROR_STOP=1 --single-transaction "$(uri "$1" "${2:-}")" -f "$TEST_ROOT/sql/$3" >/dev/null
}
# every right of the two service roles on the two schemas' objects, one line each
rights_sql="SELECT string_agg(line, ' ' ORDER BY line) FROM (
  SELECT n.nspname || '.' || c.relname || ':' || a.privilege_type || ':' || pg_get_userbyid(a.grantee) AS line
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, aclexplode(c.relacl) a
  WHERE n.nspname IN ('gateway', 'issuer') AND pg_get_userbyid(a.grantee) IN ('paygw_gateway', 'paygw_issuer')
  UNION ALL
  SELECT n.nspname || ':' || a.privilege_type || ':' || pg_get_userbyid(a.grantee)
  FROM pg_namespace n, aclexplode(n.nspacl) a
  WHERE n.nspname IN ('gateway', 'issuer') AND pg_get_userbyid(a.grantee) IN ('paygw_gateway', 'paygw_issuer')
  UNION ALL
  SELECT p.proname || ':' || a.privilege_type || ':' || pg_get_userbyid(a.grantee)
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace, aclexplode(p.proacl) a
  WHERE n.nspname = 'gateway' AND pg_get_userbyid(a.grantee) = 'paygw_gateway') r"
has() { sql_in "$1" "" "SELECT has_table_privilege('paygw_gateway', '$2', '$3')"; }
STACK_RIGHTS=$(psql_q "$rights_sql")

# --- on the stack: what the migrations intend -------------------------------------
for t in issuers issuer_ranges merchants terminals merchant_methods subscribers devices cards users \
         transactions mailbox idempotency_keys authorizations terminal_rate webhook_events; do
  is "stack: gateway.$t: SELECT INSERT UPDATE" \
    "$(psql_q "SELECT string_agg(privilege_type, ' ' ORDER BY privilege_type) FROM information_schema.role_table_grants WHERE grantee = 'paygw_gateway' AND table_schema = 'gateway' AND table_name = '$t' AND privilege_type <> 'DELETE'")" \
    "INSERT SELECT UPDATE"
done
is "stack: paygw_gateway deletes only idempotency keys" \
  "$(psql_q "SELECT string_agg(table_name, ' ') FROM information_schema.role_table_grants WHERE grantee = 'paygw_gateway' AND privilege_type = 'DELETE'")" idempotency_keys
is "stack: the audit log: SELECT and INSERT only" \
  "$(psql_q "SELECT string_agg(privilege_type, ' ' ORDER BY privilege_type) FROM information_schema.role_table_grants WHERE grantee = 'paygw_gateway' AND table_name = 'admin_log'")" "INSERT SELECT"
is "stack: paygw_issuer deletes nothing" \
  "$(psql_q "SELECT count(*) FROM information_schema.role_table_grants WHERE grantee = 'paygw_issuer' AND privilege_type IN ('DELETE', 'TRUNCATE', 'TRIGGER', 'REFERENCES')")" 0
is "stack: no TRUNCATE, TRIGGER or REFERENCES for paygw_gateway" \
  "$(psql_q "SELECT count(*) FROM information_schema.role_table_grants WHERE grantee = 'paygw_gateway' AND privilege_type IN ('TRUNCATE', 'TRIGGER', 'REFERENCES')")" 0
is "stack: neither role has rights on the other's schema" \
  "$(psql_q "SELECT count(*) FROM information_schema.role_table_grants WHERE (grantee = 'paygw_gateway' AND table_schema = 'issuer') OR (grantee = 'paygw_issuer' AND table_schema = 'gateway')")" 0

psql_q "CREATE ROLE $DBA SUPERUSER NOLOGIN" >/dev/null
psql_q "CREATE DATABASE $DB1" >/dev/null
psql_q "CREATE DATABASE $DB2" >/dev/null

# --- 1. another role runs 0003-0005, then 0006 -----------------------------------
apply "$DB1" "" 0001_gateway_schema.sql && apply "$DB1" "" 0002_issuer_schema.sql
for m in 0003_transactions.sql 0004_enrolment_notify.sql 0005_narrow_grants.sql; do apply "$DB1" "$DBA" "$m"; done
is "1: gateway.transactions is the other role's" "$(sql_in "$DB1" "" "SELECT tableowner FROM pg_tables WHERE schemaname = 'gateway' AND tablename = 'transactions'")" "$DBA"
is "1: before 0006, paygw_gateway cannot INSERT into gateway.transactions (the gap)" "$(has "$DB1" gateway.transactions INSERT)" f
apply "$DB1" "$DBA" 0006_explicit_grants.sql
is "1: after 0006 it can" "$(has "$DB1" gateway.transactions INSERT)" t
is "1: ... and use gateway.mailbox, idempotency_keys, authorizations" \
  "$(has "$DB1" gateway.mailbox UPDATE) $(has "$DB1" gateway.idempotency_keys DELETE) $(has "$DB1" gateway.authorizations UPDATE)" "t t t"
for f in "$TEST_ROOT"/sql/[0-9][0-9][0-9][0-9]_*.sql; do
  m=$(basename "$f")
  [[ $m > 0006_explicit_grants.sql ]] && apply "$DB1" "$DBA" "$m"
done
is "1: every right equals the stack's (nothing wider, nothing missing)" "$(sql_in "$DB1" "" "$rights_sql")" "$STACK_RIGHTS"

# --- 2. scripts/migrate run by the other role --------------------------------------
sql_in "$DB2" "" "CREATE TABLE public.paygw_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
for m in 0001_gateway_schema.sql 0002_issuer_schema.sql; do
  apply "$DB2" "" "$m"; sql_in "$DB2" "" "INSERT INTO public.paygw_migrations (name) VALUES ('$m')"
done
out=$(PAYGW_PGURI=$(uri "$DB2" "$DBA") "$TEST_ROOT/scripts/migrate" 2>&1); rc=$?
is "2: scripts/migrate as the other role: exit 0" "$rc" 0
check "2: ... applied the rest" grep -q "0006_explicit_grants.sql" <<<"$out"
is "2: every object is the owner of schema gateway's (postgres)" \
  "$(sql_in "$DB2" "" "SELECT string_agg(DISTINCT pg_get_userbyid(c.relowner), ' ') FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname IN ('gateway', 'issuer')")" postgres
is "2: every right equals the stack's" "$(sql_in "$DB2" "" "$rights_sql")" "$STACK_RIGHTS"
is "2: the migrations are recorded" "$(sql_in "$DB2" "" "SELECT count(*) FROM public.paygw_migrations")" "$(ls "$TEST_ROOT"/sql/[0-9][0-9][0-9][0-9]_*.sql | wc -l)"
out=$(PAYGW_PGURI=$(uri "$DB2" "$DBA") "$TEST_ROOT/scripts/migrate" 2>&1)
check "2: a second run applies nothing" grep -q "migrate: 0 applied" <<<"$out"
done_testing
