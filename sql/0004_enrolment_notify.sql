-- 0004_enrolment_notify.sql — every change to the rows the gateway's
-- workers cache (terminal credentials with their merchant, issuers and
-- their card-number ranges) is announced on the channel paygw_enrolment.
-- Each worker LISTENs on its persistent connection and drops its copies
-- before the next request that would use them, so a terminal disabled with
-- paygw-admin (or by hand in psql) is refused at once, not after the cache's
-- lifetime.

CREATE FUNCTION gateway.announce_enrolment_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('paygw_enrolment', TG_TABLE_NAME);
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION gateway.announce_enrolment_change() IS
  'NOTIFY paygw_enrolment: the gateway workers drop their cached terminals and ranges';

CREATE TRIGGER announce_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON gateway.terminals
  FOR EACH STATEMENT EXECUTE FUNCTION gateway.announce_enrolment_change();
CREATE TRIGGER announce_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON gateway.merchants
  FOR EACH STATEMENT EXECUTE FUNCTION gateway.announce_enrolment_change();
CREATE TRIGGER announce_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON gateway.issuers
  FOR EACH STATEMENT EXECUTE FUNCTION gateway.announce_enrolment_change();
CREATE TRIGGER announce_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON gateway.issuer_ranges
  FOR EACH STATEMENT EXECUTE FUNCTION gateway.announce_enrolment_change();
