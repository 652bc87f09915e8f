-- 0023_refunds.sql — refunds and voids of completed payments at the
-- gateway (issue 15; docs/api.md "Refunds", docs/iso8583.md "Refunds"):
-- one row per refund a merchant's terminal asked for, recorded (pending)
-- in the same database transaction that checked what the payment has left,
-- before anything is sent to the credit server; sent exactly once toward
-- the issuer, repeated (0221 / 0401) by the sweeper until answered.
--
-- kind 'void': the whole amount, the same day before the cut-off, sent as
-- the reversal of the original authorization (0400, repeats 0401: the
-- original's STAN and transmission time); kind 'refund': any amount up to
-- what is left, sent as a refund advice (0220, repeats 0221) with its own
-- STAN and transmission time, field 90 naming the original.
--
-- What a payment has left to refund: its total less its refunds that are
-- pending, completed or failed (a failed refund was given up unanswered:
-- the issuer may have applied it, so its amount is never offered again).

CREATE TABLE gateway.refunds (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  refund_id          text NOT NULL UNIQUE CHECK (refund_id ~ '^rf_[A-Za-z0-9_-]{22}$'),
  transaction_id     bigint NOT NULL REFERENCES gateway.transactions,
  user_id            text NOT NULL,
  merchant_id        bigint NOT NULL REFERENCES gateway.merchants,
  terminal_id        bigint NOT NULL REFERENCES gateway.terminals,
  kind               text NOT NULL CHECK (kind IN ('void', 'refund')),
  amount             bigint NOT NULL CHECK (amount > 0 AND amount < 1000000000000),
  currency           text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  reason             text CHECK (length(reason) BETWEEN 1 AND 200),
  status             text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'completed', 'declined', 'failed')),
  stan               integer NOT NULL CHECK (stan BETWEEN 1 AND 999999),
  transmission_time  text NOT NULL CHECK (transmission_time ~ '^[0-9]{10}$'),
  attempts           integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at    timestamptz,
  response_code      text CHECK (response_code ~ '^[0-9A-Z]{2}$'),
  outcome_reason     text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  ended_at           timestamptz,
  CHECK ((status = 'pending') = (ended_at IS NULL)),
  CHECK (status <> 'pending' OR next_attempt_at IS NOT NULL),
  CHECK (status <> 'completed' OR response_code = '00')
);
COMMENT ON TABLE gateway.refunds IS
  'refunds and voids of completed payments (issue 15): recorded pending before the 0220/0400 is sent, then completed '
  '(00), declined (any other answer) or failed (no answer by PAYGW_REFUND_GIVE_UP_S)';
COMMENT ON COLUMN gateway.refunds.refund_id IS 'the public ID: rf_ and 22 base64url characters (16 random bytes)';
COMMENT ON COLUMN gateway.refunds.user_id IS 'the payment''s user ID, copied (the shard key, as every row a payment touches)';
COMMENT ON COLUMN gateway.refunds.terminal_id IS 'the terminal that asked for it (any terminal of the payment''s merchant)';
COMMENT ON COLUMN gateway.refunds.kind IS
  'void: the whole amount before the day''s cut-off, a reversal (0400/0401) of the authorization; refund: a refund '
  'advice (0220/0221)';
COMMENT ON COLUMN gateway.refunds.amount IS 'minor units of currency (the payment''s)';
COMMENT ON COLUMN gateway.refunds.stan IS
  'field 11: a refund''s own (gateway.stan_seq); a void''s is the original authorization''s';
COMMENT ON COLUMN gateway.refunds.transmission_time IS
  'field 7 (MMDDhhmmss UTC): a refund''s own, kept for its repeats; a void''s is the original authorization''s';
COMMENT ON COLUMN gateway.refunds.attempts IS 'messages sent or claimed for sending so far (1 = the first, 0220 or 0400)';
COMMENT ON COLUMN gateway.refunds.next_attempt_at IS
  'while pending: when the sweeper may send the next repeat (0221 / 0401); a claim moves it past the attempt';
COMMENT ON COLUMN gateway.refunds.response_code IS 'the credit server''s field 39, once answered';
COMMENT ON COLUMN gateway.refunds.outcome_reason IS 'why it was declined or failed, in English (shown to the merchant)';
CREATE INDEX refunds_transaction_idx ON gateway.refunds (transaction_id, created_at);
CREATE INDEX refunds_due_idx ON gateway.refunds (next_attempt_at) WHERE status = 'pending';

-- --- rights, by name (sql/0006) ------------------------------------------------
-- The gateway records and moves refunds, never deletes them; the history
-- shows a user's payments with their refunds (read only).
REVOKE ALL ON gateway.refunds FROM paygw_gateway;
GRANT SELECT, INSERT, UPDATE ON gateway.refunds TO paygw_gateway;
GRANT USAGE, SELECT ON SEQUENCE gateway.refunds_id_seq TO paygw_gateway;
GRANT SELECT ON gateway.refunds TO paygw_history;
