#!/usr/bin/env bash
# stack_role_rights.t — the database roles hold only what their programs
# use (sql/0005): the gateway's role deletes nothing but expired idempotency
# keys and cannot rewrite the audit log; the issuer's role deletes nothing.
# Each refusal is tried for real, as the role, and must change nothing.
# The services' environments hold only their own part of var/stack.env (no
# superuser URI, not the other company's role or keys), and under root what
# the services never need (database passwords, the CA key, stack.env, which
# root's scripts source) is not the service user's.
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
is "issuer role: fig 24D's report views are read only (no INSERT, UPDATE, DELETE)" \
  "$(psql_q "SELECT string_agg(p::text, ',') FROM unnest(ARRAY['INSERT','UPDATE','DELETE']) p, unnest(ARRAY['issuer.merchant_sales','issuer.merchant_sales_daily']) v WHERE has_table_privilege('paygw_issuer', v, p)")" ""
is "issuer role: and may read them" \
  "$(psql_q "SELECT has_table_privilege('paygw_issuer', 'issuer.merchant_sales', 'SELECT') AND has_table_privilege('paygw_issuer', 'issuer.merchant_sales_daily', 'SELECT')")" t
# --- the services' environments and files ------------------------------------
vars_of() { tr '\0' '\n' <"/proc/$1/environ" | grep -oE '^PAYGW_[A-Z_]+=' | tr -d = | sort | tr '\n' ' '; }
worker=$(pgrep -P "$(cat "$PAYGW_VAR/run/gateway.pid")" | head -1)
credit=$(cat "$PAYGW_VAR/run/credit-server.pid")
wenv=$(vars_of "$worker") cenv=$(vars_of "$credit")
check "a gateway worker has its database URI" grep -qw PAYGW_DB_URI <<<"$wenv"
check "... but not the superuser's" bash -c '! grep -qw PAYGW_PGURI <<<"$1"' _ "$wenv"
check "... nor the issuer's role or card keys" bash -c '! grep -qE "PAYGW_ISSUER_(DB_URI|CARD_KEY_FILE)" <<<"$1"' _ "$wenv"
check "the credit server has its database URI" grep -qw PAYGW_ISSUER_DB_URI <<<"$cenv"
check "... but not the superuser's" bash -c '! grep -qw PAYGW_PGURI <<<"$1"' _ "$cenv"
check "... nor the gateway's role, card keys or message key" \
  bash -c '! grep -qE "PAYGW_(DB_URI|CARD_KEY_FILE|MESSAGE_KEY_FILE)\b" <<<"$1"' _ "$cenv"
# the superuser's password is on no command line: its URI carries none
# (libpq reads PGPASSFILE), and the password file is private
like_no_password() { [[ $1 != *postgres:*@* ]]; }
check "the superuser's URI in stack.env holds no password" like_no_password "$PAYGW_PGURI"
is "... which libpq finds in a private password file" "$(stat -c %a "$PGPASSFILE")" 600
is "... that works" "$(psql_q 'SELECT current_user')" postgres
if [[ $(id -u) -eq 0 ]]; then
  svc=$(stat -c %U "$PAYGW_VAR/run/gateway.sock")
  for f in stack.env secrets secrets/postgres.pw secrets/pgpass tls/ca.key; do
    is "under root, $f is not the service user's ($svc)" "$(stat -c %U "$PAYGW_VAR/$f")" root
  done
  is "... while the service user keeps its card keys" "$(stat -c %U "$PAYGW_VAR/keys/card.keys")" "$svc"
fi
done_testing
