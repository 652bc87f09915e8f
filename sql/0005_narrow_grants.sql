-- 0005_narrow_grants.sql — each role keeps only the rights its programs use.
-- 0001 and 0002 granted SELECT, INSERT, UPDATE and DELETE on every table;
-- a compromised worker (or a slip in paygw-admin, which uses the gateway's
-- role) could then erase the audit log or the authorization rows that the
-- exactly-once rule toward the issuer rests on.  Nothing deletes rows except
-- the sweep's forgetting of idempotency keys older than 48 h, and nothing
-- rewrites the audit log.

REVOKE DELETE ON ALL TABLES IN SCHEMA gateway FROM paygw_gateway;
GRANT DELETE ON gateway.idempotency_keys TO paygw_gateway;
REVOKE UPDATE ON gateway.admin_log FROM paygw_gateway;
ALTER DEFAULT PRIVILEGES IN SCHEMA gateway REVOKE DELETE ON TABLES FROM paygw_gateway;

REVOKE DELETE ON ALL TABLES IN SCHEMA issuer FROM paygw_issuer;
ALTER DEFAULT PRIVILEGES IN SCHEMA issuer REVOKE DELETE ON TABLES FROM paygw_issuer;
