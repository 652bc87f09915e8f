-- 0006_explicit_grants.sql — every right each role needs, granted by name.
-- 0001 and 0002 rely on ALTER DEFAULT PRIVILEGES for tables added later, but
-- default privileges apply only to objects created by the role that set them:
-- 0003's tables (transactions, mailbox, idempotency_keys, authorizations) got
-- their rights only because the same superuser ran 0001 and 0003.  Run by
-- another role, 0003 would have made tables paygw_gateway cannot use.  This
-- grants exactly what 0001..0005 leave each role — 0005's narrowing kept: no
-- DELETE but on idempotency_keys, no UPDATE on admin_log, nothing for the
-- issuer's role to delete — so where one role ran every migration it changes
-- nothing.  From here on a migration grants its own objects' rights by name
-- (and scripts/migrate runs each as the owner of schema gateway).

GRANT USAGE ON SCHEMA gateway TO paygw_gateway;
GRANT SELECT, INSERT, UPDATE ON
  gateway.issuers, gateway.issuer_ranges, gateway.merchants, gateway.terminals,
  gateway.merchant_methods, gateway.subscribers, gateway.devices, gateway.cards,
  gateway.users, gateway.transactions, gateway.mailbox, gateway.idempotency_keys,
  gateway.authorizations
  TO paygw_gateway;
-- the sweep forgets idempotency keys older than 48 h
GRANT DELETE ON gateway.idempotency_keys TO paygw_gateway;
-- the audit log is written, never rewritten
GRANT SELECT, INSERT ON gateway.admin_log TO paygw_gateway;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA gateway TO paygw_gateway;
GRANT EXECUTE ON FUNCTION gateway.announce_enrolment_change() TO paygw_gateway;

GRANT USAGE ON SCHEMA issuer TO paygw_issuer;
GRANT SELECT, INSERT, UPDATE ON
  issuer.issuers, issuer.card_ranges, issuer.merchants, issuer.merchant_methods,
  issuer.card_accounts, issuer.authorizations
  TO paygw_issuer;
-- fig 24D's reports are read only (0002's all-tables grant had given the
-- views INSERT and UPDATE too; neither view is updatable, but say so)
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON issuer.merchant_sales, issuer.merchant_sales_daily FROM paygw_issuer;
GRANT SELECT ON issuer.merchant_sales, issuer.merchant_sales_daily TO paygw_issuer;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA issuer TO paygw_issuer;
