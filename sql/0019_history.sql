-- 0019_history.sql — the shopper's transaction history as HTML (issue 13,
-- the patent's [0113] and [0120]; cgi/history/ → history.fcgi,
-- docs/history.md): each user ID's web password, the sign-in sessions in
-- their own schema `history`, the time of each state change of a payment
-- (gateway.transaction_events, for the receipt page), and the role
-- `paygw_history`, which reads payments and never writes them.

-- scripts/stack creates the role with its password before migrating (as
-- paygw_gateway, paygw_issuer and paygw_shop); a database migrated without
-- the stack (a scratch database of a test) gets it here, without LOGIN.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'paygw_history') THEN
    CREATE ROLE paygw_history NOLOGIN;
  END IF;
END
$$;

-- --- the web password of a user ID ------------------------------------------
ALTER TABLE gateway.users
  ADD COLUMN web_password_hash text CHECK (web_password_hash LIKE '$argon2id$%'),
  ADD COLUMN web_password_changed_at timestamptz;
COMMENT ON COLUMN gateway.users.web_password_hash IS
  'argon2id PHC string of the password for the HTML history (paygw-admin user set-web-password); '
  'NULL: the user ID cannot sign in there.  Not the handset''s password (password_hash)';
COMMENT ON COLUMN gateway.users.web_password_changed_at IS 'when web_password_hash was last set';
COMMENT ON COLUMN gateway.users.failed_attempts IS
  'wrong web passwords in a row at the history''s sign-in; PAYGW_HISTORY_LOCK_AFTER of them set locked_until '
  'and start the count again';
COMMENT ON COLUMN gateway.users.locked_until IS
  'the history''s sign-in refuses this user ID until then (PAYGW_HISTORY_LOCK_S after the last wrong password); '
  'paygw-admin user unlock clears it';

-- The gateway's workers cache users (0015): every statement on
-- gateway.users announces a change and empties their caches.  The
-- history's sign-in writes failed_attempts and locked_until on every wrong
-- password, and neither is cached: an UPDATE now announces only when it
-- changes a column the caches hold.  The test is in the function, not in
-- an UPDATE OF list or a WHEN clause: PostgreSQL refuses to change the type
-- of a column a trigger names, and a live migration may change those
-- (tests/api/stack_migration_live.t changes users.status).  And the rows
-- are read as JSON, not field by field: PL/pgSQL keeps the plan of an
-- expression on NEW.status with the column's type of the session's first
-- call, and fails ("type of parameter … does not match that when preparing
-- the plan") once a migration has changed it, while the row as a whole
-- keeps its type.  NOTIFY sends a payload once per transaction, however
-- many rows announce it.
CREATE FUNCTION gateway.announce_cached_user_change() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  -- the columns the workers do not cache: changing only them is not news
  uncached constant text[] := ARRAY['failed_attempts', 'locked_until', 'web_password_hash', 'web_password_changed_at'];
BEGIN
  IF (to_jsonb(OLD) - uncached) IS DISTINCT FROM (to_jsonb(NEW) - uncached) THEN
    PERFORM pg_notify('paygw_enrolment', TG_TABLE_NAME);
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION gateway.announce_cached_user_change() IS
  'trigger of gateway.users: NOTIFY paygw_enrolment when an UPDATE changes a column the gateway workers cache';
DROP TRIGGER announce_change ON gateway.users;
CREATE TRIGGER announce_change AFTER INSERT OR DELETE OR TRUNCATE ON gateway.users
  FOR EACH STATEMENT EXECUTE FUNCTION gateway.announce_enrolment_change();
CREATE TRIGGER announce_cached_change AFTER UPDATE ON gateway.users
  FOR EACH ROW EXECUTE FUNCTION gateway.announce_cached_user_change();

-- --- sign-in sessions ----------------------------------------------------------
CREATE SCHEMA history;
COMMENT ON SCHEMA history IS 'the HTML transaction history (history.fcgi): its sign-in sessions';

CREATE TABLE history.sessions (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  token_hash   text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  user_id      text NOT NULL REFERENCES gateway.users,
  csrf_token   text NOT NULL CHECK (csrf_token ~ '^[0-9a-f]{32}$'),
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  ended_at     timestamptz
);
COMMENT ON TABLE history.sessions IS
  'a signed-in browser (cookie __Host-history_session); live while not ended, seen within '
  'PAYGW_HISTORY_SESSION_IDLE_S and begun within PAYGW_HISTORY_SESSION_MAX_S (judged with now()); '
  'deleted a day after it ended';
COMMENT ON COLUMN history.sessions.token_hash IS
  'SHA-256 (hex) of the cookie''s random 256-bit token: the token itself is never stored';
COMMENT ON COLUMN history.sessions.user_id IS 'the user ID signed in: the only one whose transactions it shows';
COMMENT ON COLUMN history.sessions.csrf_token IS 'the token every form of this session carries (field csrf)';
COMMENT ON COLUMN history.sessions.last_seen_at IS 'its last request: the idle time-out counts from here';
COMMENT ON COLUMN history.sessions.ended_at IS
  'when it was ended: sign-out, or a new web password for its user ID (trigger users_web_password_ends_sessions)';
CREATE INDEX sessions_user_idx ON history.sessions (user_id) WHERE ended_at IS NULL;

-- A new web password ends the user ID's sessions, whoever sets it (paygw-
-- admin runs as paygw_gateway, which has no right on schema history: the
-- function runs as its owner).
CREATE FUNCTION history.end_sessions_on_new_password() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  UPDATE history.sessions SET ended_at = now() WHERE user_id = NEW.user_id AND ended_at IS NULL;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION history.end_sessions_on_new_password() IS
  'trigger of gateway.users: a changed web password ends every session of that user ID';
REVOKE ALL ON FUNCTION history.end_sessions_on_new_password() FROM PUBLIC;
CREATE TRIGGER users_web_password_ends_sessions
  AFTER UPDATE OF web_password_hash ON gateway.users
  FOR EACH ROW WHEN (OLD.web_password_hash IS DISTINCT FROM NEW.web_password_hash)
  EXECUTE FUNCTION history.end_sessions_on_new_password();
COMMENT ON TRIGGER users_web_password_ends_sessions ON gateway.users IS
  'a new web password ends the user ID''s history sessions';

-- --- the time of each state change of a payment --------------------------------
CREATE TABLE gateway.transaction_events (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  transaction_id bigint NOT NULL REFERENCES gateway.transactions,
  user_id        text NOT NULL REFERENCES gateway.users,
  status         text NOT NULL,
  at             timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE gateway.transaction_events IS
  'each state a payment entered, and when (trigger transactions_record_event): the receipt page''s timeline';
COMMENT ON COLUMN gateway.transaction_events.user_id IS 'the payment''s user ID, copied so a user''s events are read by it';
COMMENT ON COLUMN gateway.transaction_events.status IS 'the state entered (gateway.transactions.status)';
COMMENT ON COLUMN gateway.transaction_events.at IS 'when: the time of the statement that moved it (now())';
CREATE INDEX transaction_events_txn_idx ON gateway.transaction_events (transaction_id, at);

CREATE FUNCTION gateway.record_transaction_event() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  -- the row as JSON, not NEW.status: see announce_cached_user_change
  new_row constant jsonb := to_jsonb(NEW);
BEGIN
  IF TG_OP = 'UPDATE' AND (to_jsonb(OLD) ->> 'status') IS NOT DISTINCT FROM (new_row ->> 'status') THEN
    RETURN NULL;
  END IF;
  INSERT INTO gateway.transaction_events (transaction_id, user_id, status)
  VALUES ((new_row ->> 'id')::bigint, new_row ->> 'user_id', new_row ->> 'status');
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION gateway.record_transaction_event() IS
  'trigger of gateway.transactions: a row of gateway.transaction_events per state entered';
CREATE TRIGGER transactions_record_event_insert
  AFTER INSERT ON gateway.transactions
  FOR EACH ROW EXECUTE FUNCTION gateway.record_transaction_event();
-- every UPDATE, the status compared in the function: a column named in
-- UPDATE OF or WHEN could not change its type in a live migration (see the
-- users' trigger above)
CREATE TRIGGER transactions_record_event_update
  AFTER UPDATE ON gateway.transactions
  FOR EACH ROW EXECUTE FUNCTION gateway.record_transaction_event();
COMMENT ON TRIGGER transactions_record_event_insert ON gateway.transactions IS
  'a new payment''s first state into gateway.transaction_events';
COMMENT ON TRIGGER transactions_record_event_update ON gateway.transactions IS
  'each later state into gateway.transaction_events (about 0.2 ms of PostgreSQL CPU per payment of 5 states)';

-- the payments made before this migration: their creation and, when it
-- moved since, their present state (the steps between were not recorded)
INSERT INTO gateway.transaction_events (transaction_id, user_id, status, at)
  SELECT t.id, t.user_id, 'awaiting_device', t.created_at FROM gateway.transactions t;
INSERT INTO gateway.transaction_events (transaction_id, user_id, status, at)
  SELECT t.id, t.user_id, t.status, t.updated_at FROM gateway.transactions t WHERE t.status <> 'awaiting_device';

-- --- rights, by name (sql/0006) ------------------------------------------------
-- The gateway's role writes the events through its trigger (the function
-- runs as the caller): it may add and read them, never change them.  What
-- the default privileges of 0001 would give on top is taken back, so the
-- rights do not depend on who ran this file.
REVOKE ALL ON gateway.transaction_events FROM paygw_gateway;
GRANT SELECT, INSERT ON gateway.transaction_events TO paygw_gateway;
GRANT USAGE, SELECT ON SEQUENCE gateway.transaction_events_id_seq TO paygw_gateway;
GRANT EXECUTE ON FUNCTION gateway.record_transaction_event(), gateway.announce_cached_user_change() TO paygw_gateway;

-- paygw_history: reads the payments and what the pages show of them, the
-- columns of gateway.users that sign-in needs, updates only the failed-
-- attempt count and the lock; its sessions are its own.
REVOKE ALL ON SCHEMA history FROM PUBLIC;
GRANT USAGE ON SCHEMA gateway, history TO paygw_history;
GRANT SELECT ON gateway.transactions, gateway.transaction_events, gateway.merchants, gateway.terminals
  TO paygw_history;
GRANT SELECT (user_id, status, web_password_hash, failed_attempts, locked_until) ON gateway.users TO paygw_history;
GRANT UPDATE (failed_attempts, locked_until) ON gateway.users TO paygw_history;
GRANT SELECT, INSERT, UPDATE, DELETE ON history.sessions TO paygw_history;
