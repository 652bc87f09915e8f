#!/usr/bin/env bash
# stack_role_rights.t — the database roles hold only what their programs
# use (sql/0005): the gateway's role deletes nothing but expired idempotency
# keys and cannot rewrite the audit log; the issuer's role deletes nothing.
# Each refusal is tried for real, as the role, and must change nothing.
. "$(dirname "$0")/lib.sh"
as_gateway() { psql -X -q -tA "$PAYGW_DB_URI" -c "$1" 2>&1; }
as_issuer() { psql -X -q -tA "$PAYGW_ISSUER_DB_URI" -c "$1" 2>&1; }
refused() {  # refused NAME OUTPUT
  if grep -q 'permission denied' <<<"$2"; then ok "$1"; else not_ok "$1 (got: $2)"; fi
}
rows() { psql_q "SELECT (SELECT count(*) FROM gateway.admin_log) || ' ' || (SELECT count(*) FROM gateway.transactions) || ' ' || (SELECT count(*) FROM gateway.authorizations) || ' ' || (SELECT count(*) FROM issuer.authorizations)"; }

before=$(rows)
refused "gateway role: DELETE on the audit log" "$(as_gateway 'DELETE FROM gateway.admin_log')"
refused "gateway role: UPDATE of the audit log" "$(as_gateway "UPDATE gateway.admin_log SET actor = 'x'")"
refused "gateway role: DELETE of authorizations" "$(as_gateway 'DELETE FROM gateway.authorizations')"
refused "gateway role: DELETE of transactions" "$(as_gateway 'DELETE FROM gateway.transactions')"
refused "gateway role: TRUNCATE" "$(as_gateway 'TRUNCATE gateway.mailbox')"
refused "issuer role: DELETE of authorizations" "$(as_issuer 'DELETE FROM issuer.authorizations')"
refused "issuer role: DELETE of card accounts" "$(as_issuer 'DELETE FROM issuer.card_accounts')"
is "nothing changed" "$(rows)" "$before"
is "gateway role: may still forget idempotency keys (the sweep does)" \
  "$(as_gateway "DELETE FROM gateway.idempotency_keys WHERE false")" ""
is "gateway role: may still write the audit log (paygw-admin does)" \
  "$(psql_q "SELECT has_table_privilege('paygw_gateway', 'gateway.admin_log', 'INSERT')")" t
done_testing
