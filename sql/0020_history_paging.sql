-- 0020_history_paging.sql — issue 13: what the HTML history (cgi/history,
-- docs/history.md) reads a page of one user's transactions with, each a
-- short index range scan whatever the number of that user's transactions
-- (scripts/bench --history measures it with 100 000):
--
--  * transactions_history_idx: the list in its order (created_at DESC,
--    id DESC; the keyset cursor is that pair).  A page is the first 21
--    entries below (or above) the cursor within the date range, the 21st
--    only saying that there is another page.
--  * transactions_history_status_idx: the same with the status filter as
--    an equality before the order columns, so a rare status is one short
--    range scan too, not a walk over every row of the user.
--  * gateway.user_day_totals: the totals per currency shown above the
--    list are over the whole range, not one page: summing 100 000 rows for
--    every page would take ~40 ms even as an index-only scan.  So a trigger
--    keeps, per user, UTC day of created_at, currency and final status,
--    how many transactions ended so and their sum; the totals read at most
--    one row per day and status.  Open transactions (at most
--    PAYGW_MAX_OPEN_PER_USER a user) are not kept there: the totals add
--    them from transactions_open_idx (sql/0009).  So a payment costs one
--    upsert, when it ends, and nothing on its way through the open states.
--
-- transactions_user_idx (user_id, created_at) of 0003 is replaced: nothing
-- else ordered by it, and the foreign key to gateway.users is served by the
-- new indexes' leading user_id.  A status change already updates every
-- index of the row (status is in the predicates of transactions_open_idx
-- and transactions_waiting_idx, so such an UPDATE is never HOT): the second
-- index adds one index entry per change, no heap rewrite.
-- Built without CONCURRENTLY (scripts/migrate runs a migration in one
-- transaction): it holds writes to gateway.transactions while it builds.

CREATE INDEX transactions_history_idx ON gateway.transactions (user_id, created_at DESC, id DESC);
COMMENT ON INDEX gateway.transactions_history_idx IS
  'the HTML history: one user''s transactions newest first (keyset cursor created_at, id)';

CREATE INDEX transactions_history_status_idx ON gateway.transactions (user_id, status, created_at DESC, id DESC);
COMMENT ON INDEX gateway.transactions_history_status_idx IS
  'the HTML history filtered by status: one user''s transactions of one status, newest first';

DROP INDEX gateway.transactions_user_idx;

CREATE TABLE gateway.user_day_totals (
  user_id   text NOT NULL,
  day       date NOT NULL,
  currency  text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  status    text NOT NULL CHECK (status IN ('completed', 'declined', 'failed', 'canceled', 'expired')),
  n         bigint NOT NULL DEFAULT 0 CHECK (n >= 0),
  amount    bigint NOT NULL DEFAULT 0 CHECK (amount >= 0),
  PRIMARY KEY (user_id, day, currency, status)
);
COMMENT ON TABLE gateway.user_day_totals IS
  'per user, UTC day of created_at, currency and final status: how many transactions ended so and their total; '
  'kept by the trigger user_day_totals on gateway.transactions, read by the HTML history''s totals';
COMMENT ON COLUMN gateway.user_day_totals.day IS 'the UTC day of the transactions'' created_at (the list''s date filter)';
COMMENT ON COLUMN gateway.user_day_totals.n IS 'how many of the user''s transactions of that day and currency ended in status';
COMMENT ON COLUMN gateway.user_day_totals.amount IS 'the sum of their totals, minor units of currency';

-- Moves a transaction's count and total into (n = 1) or out of (n = -1)
-- its bucket.  A final status only: open ones are counted live.
CREATE FUNCTION gateway.user_day_totals_add(p_user text, p_at timestamptz, p_currency text, p_status text,
                                            p_total bigint, p_n integer) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
  IF p_status NOT IN ('completed', 'declined', 'failed', 'canceled', 'expired') THEN
    RETURN;
  END IF;
  IF p_n < 0 THEN
    -- (an upsert would check the CHECKs on the negative row it proposes)
    UPDATE gateway.user_day_totals d SET n = d.n + p_n, amount = d.amount + p_n * p_total
     WHERE d.user_id = p_user AND d.day = (p_at AT TIME ZONE 'UTC')::date AND d.currency = p_currency
       AND d.status = p_status;
  ELSE
    INSERT INTO gateway.user_day_totals AS d (user_id, day, currency, status, n, amount)
    VALUES (p_user, (p_at AT TIME ZONE 'UTC')::date, p_currency, p_status, p_n, p_n * p_total)
    ON CONFLICT (user_id, day, currency, status)
    DO UPDATE SET n = d.n + excluded.n, amount = d.amount + excluded.amount;
  END IF;
END $$;
COMMENT ON FUNCTION gateway.user_day_totals_add(text, timestamptz, text, text, bigint, integer) IS
  'adds (1) or takes away (-1) one transaction in gateway.user_day_totals; nothing for an open status';
REVOKE ALL ON FUNCTION gateway.user_day_totals_add(text, timestamptz, text, text, bigint, integer) FROM PUBLIC;

-- SECURITY DEFINER: the trigger runs in whichever role changed the row
-- (the gateway's workers, the sweeper, paygw-admin), none of which is
-- granted the table; only the owner writes it.
CREATE FUNCTION gateway.user_day_totals_track() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  -- the rows as JSON, not NEW.status: a live migration may change the
  -- columns' types, and PL/pgSQL would keep the plans of the types it saw
  -- first (see gateway.announce_cached_user_change, sql/0019)
  o constant jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
  n constant jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
  final constant text[] := ARRAY['completed', 'declined', 'failed', 'canceled', 'expired'];
  bucket constant text[] := ARRAY['status', 'user_id', 'created_at', 'currency', 'total'];
BEGIN
  -- an UPDATE that leaves the bucket's columns alone, or moves between two
  -- open states (most of a payment's steps), changes no bucket
  IF TG_OP = 'UPDATE'
     AND (NOT (o ->> 'status' = ANY (final) OR n ->> 'status' = ANY (final))
          OR (SELECT bool_and((o -> k) IS NOT DISTINCT FROM (n -> k)) FROM unnest(bucket) k)) THEN
    RETURN NULL;
  END IF;
  IF o IS NOT NULL THEN
    PERFORM gateway.user_day_totals_add(o ->> 'user_id', (o ->> 'created_at')::timestamptz, o ->> 'currency',
                                        o ->> 'status', (o ->> 'total')::bigint, -1);
  END IF;
  IF n IS NOT NULL THEN
    PERFORM gateway.user_day_totals_add(n ->> 'user_id', (n ->> 'created_at')::timestamptz, n ->> 'currency',
                                        n ->> 'status', (n ->> 'total')::bigint, 1);
  END IF;
  RETURN NULL;
END $$;
COMMENT ON FUNCTION gateway.user_day_totals_track() IS
  'trigger of gateway.transactions keeping gateway.user_day_totals (sql/0020)';
REVOKE ALL ON FUNCTION gateway.user_day_totals_track() FROM PUBLIC;

-- Every UPDATE calls the function, which returns at once unless a bucket
-- changes: an UPDATE OF list or a WHEN clause naming status, currency or
-- total would make PostgreSQL refuse to change those columns' types, which
-- a live migration may do (tests/api/stack_migration_live.t).
CREATE TRIGGER user_day_totals AFTER INSERT OR DELETE ON gateway.transactions
  FOR EACH ROW EXECUTE FUNCTION gateway.user_day_totals_track();
CREATE TRIGGER user_day_totals_update AFTER UPDATE ON gateway.transactions
  FOR EACH ROW EXECUTE FUNCTION gateway.user_day_totals_track();
COMMENT ON TRIGGER user_day_totals ON gateway.transactions IS
  'a payment added (or removed) in an end state: into (out of) gateway.user_day_totals';
COMMENT ON TRIGGER user_day_totals_update ON gateway.transactions IS
  'a payment entering or leaving an end state: moved between gateway.user_day_totals rows (one upsert a payment)';

-- what is there already
INSERT INTO gateway.user_day_totals (user_id, day, currency, status, n, amount)
SELECT user_id, (created_at AT TIME ZONE 'UTC')::date, currency, status, count(*), sum(total)
  FROM gateway.transactions
 WHERE status IN ('completed', 'declined', 'failed', 'canceled', 'expired')
 GROUP BY 1, 2, 3, 4;

-- --- rights, by name (sql/0006) ----------------------------------------------
-- Only the owner writes the totals (the trigger's SECURITY DEFINER
-- function); what the default privileges of 0001 would give the gateway's
-- role is taken back, so the rights do not depend on who ran this file.
REVOKE ALL ON gateway.user_day_totals FROM paygw_gateway;
REVOKE ALL ON FUNCTION gateway.user_day_totals_add(text, timestamptz, text, text, bigint, integer) FROM paygw_gateway;
REVOKE ALL ON FUNCTION gateway.user_day_totals_track() FROM paygw_gateway;
GRANT SELECT ON gateway.user_day_totals TO paygw_history;
