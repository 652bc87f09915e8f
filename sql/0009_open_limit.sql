-- 0009_open_limit.sql — issue 4: no terminal can flood a shopper's mailbox.
--  * transactions_open_idx: the open transactions of one user ID, which
--    POST /v1/transactions counts (under a lock on the user's row) against
--    PAYGW_MAX_OPEN_PER_USER before it makes another;
--  * gateway.terminal_rate: each terminal's allowance of new transactions
--    (PAYGW_TERMINAL_RATE per second, bursts of PAYGW_TERMINAL_BURST), one
--    row per terminal shared by every worker;
--  * gateway.mailbox.dropped_at: a payment command whose window ran out
--    before any poll took it leaves the pending set (and its index) instead
--    of staying there for ever.

CREATE INDEX transactions_open_idx ON gateway.transactions (user_id)
  WHERE status IN ('awaiting_device', 'awaiting_confirmation', 'awaiting_method', 'authorizing');

-- UNLOGGED: what it holds is worth nothing after a crash (every terminal
-- starts again with a full allowance), so its updates write no WAL and the
-- one-statement transaction that spends an allowance needs no WAL flush
CREATE UNLOGGED TABLE gateway.terminal_rate (
  terminal_id  bigint PRIMARY KEY REFERENCES gateway.terminals,
  -- the generic cell rate algorithm's "theoretical arrival time": each new
  -- transaction moves it on by 1/rate seconds from now (or from itself when
  -- later); a request is let in while it lies at most burst/rate seconds ahead
  tat          timestamptz NOT NULL
);
COMMENT ON TABLE gateway.terminal_rate IS
  'per-terminal rate limit of POST /v1/transactions (GCRA): one row per terminal that has asked; unlogged, emptied by a crash';
COMMENT ON COLUMN gateway.terminal_rate.tat IS
  'theoretical arrival time: a request is refused (429 rate_limited) while tat > now() + burst/rate';
GRANT SELECT, INSERT, UPDATE ON gateway.terminal_rate TO paygw_gateway;

ALTER TABLE gateway.mailbox ADD COLUMN dropped_at timestamptz,
  ADD CONSTRAINT mailbox_delivered_or_dropped CHECK (delivered_at IS NULL OR dropped_at IS NULL);
COMMENT ON COLUMN gateway.mailbox.dropped_at IS
  'when an undelivered message left the pending set because it expired (set by the device''s next poll); never delivered';
-- what the pending set held that had already expired goes now
UPDATE gateway.mailbox SET dropped_at = now() WHERE delivered_at IS NULL AND expires_at <= now();
DROP INDEX gateway.mailbox_pending_idx;
CREATE INDEX mailbox_pending_idx ON gateway.mailbox (device_id, id) WHERE delivered_at IS NULL AND dropped_at IS NULL;
