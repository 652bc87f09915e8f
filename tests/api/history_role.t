#!/usr/bin/env bash
# history_role.t — the history's database role paygw_history has the least
# it needs (sql/0019_history.sql): it reads payments, their events,
# merchants and terminals, and of gateway.users only what sign-in needs;
# it writes no payment, no user column but the failed-attempt count and
# lock, nothing of the issuer's or the shop's; its sessions are its own.
# Checked with PostgreSQL's privilege functions and by trying, as that role,
# on the stack's database (each try rolled back).
. "$(dirname "$0")/lib.sh"
r=paygw_history
priv() { psql_q "SELECT has_table_privilege('$r', '$1', '$2')"; }
col() { psql_q "SELECT has_column_privilege('$r', 'gateway.users', '$1', '$2')"; }
# as_role SQL → the error of running SQL as the role ("" when it ran), rolled back
as_role() {
  psql -X -q -tA "$PAYGW_PGURI" -c "BEGIN; SET LOCAL ROLE $r; $1; ROLLBACK;" 2>&1 >/dev/null | sed -n 's/^ERROR: *//p' | head -1
}

is "it may log in to the stack's database" "$(psql_q "SELECT rolcanlogin::text || ' ' || has_database_privilege('$r', current_database(), 'CONNECT')::text FROM pg_roles WHERE rolname = '$r'")" "true true"
for t in gateway.transactions gateway.transaction_events gateway.merchants gateway.terminals gateway.refunds; do
  is "$t: SELECT, nothing else" \
    "$(priv $t SELECT) $(priv $t INSERT) $(priv $t UPDATE) $(priv $t DELETE) $(priv $t TRUNCATE)" "t f f f f"
done
for t in gateway.cards gateway.devices gateway.subscribers gateway.mailbox gateway.authorizations gateway.admin_log; do
  is "$t: nothing" "$(priv $t SELECT) $(priv $t INSERT) $(priv $t UPDATE)" "f f f"
done
is "gateway.users: SELECT of user_id, status, web_password_hash, failed_attempts, locked_until" \
  "$(col user_id SELECT) $(col status SELECT) $(col web_password_hash SELECT) $(col failed_attempts SELECT) $(col locked_until SELECT)" "t t t t t"
is "but not the handset's password_hash, card_id or device_id" \
  "$(col password_hash SELECT) $(col card_id SELECT) $(col device_id SELECT)" "f f f"
is "UPDATE of failed_attempts and locked_until only" \
  "$(col failed_attempts UPDATE) $(col locked_until UPDATE) $(col web_password_hash UPDATE) $(col status UPDATE) $(col password_hash UPDATE)" "t t f f f"
is "history.sessions: all it needs" \
  "$(priv history.sessions SELECT) $(priv history.sessions INSERT) $(priv history.sessions UPDATE) $(priv history.sessions DELETE)" "t t t t"
is "no right on the schemas issuer and shop" \
  "$(psql_q "SELECT has_schema_privilege('$r', 'issuer', 'USAGE')::text || ' ' || has_schema_privilege('$r', 'shop', 'USAGE')::text")" "false false"
is "and no other role has a right on schema history" \
  "$(psql_q "SELECT count(*) FROM pg_roles WHERE rolname IN ('paygw_gateway', 'paygw_issuer', 'paygw_shop') AND has_schema_privilege(rolname, 'history', 'USAGE')")" 0

# trying it, as the role
check "it reads the payments" test -z "$(as_role "SELECT count(*) FROM gateway.transactions")"
check "it cannot change a payment's status" \
  grep -q "permission denied" <<<"$(as_role "UPDATE gateway.transactions SET status = 'completed' WHERE false")"
check "it cannot read the handset's password hash" \
  grep -q "permission denied" <<<"$(as_role "SELECT password_hash FROM gateway.users LIMIT 1")"
check "it cannot set a web password" \
  grep -q "permission denied" <<<"$(as_role "UPDATE gateway.users SET web_password_hash = NULL WHERE false")"
check "it cannot read a card" grep -q "permission denied" <<<"$(as_role "SELECT * FROM gateway.cards LIMIT 1")"
check "it can count a wrong password" \
  test -z "$(as_role "UPDATE gateway.users SET failed_attempts = failed_attempts + 1 WHERE user_id = '00001'")"
done_testing
