-- 0003_transactions.sql — the payment flow of figure 11: transactions and
-- their items, the direction server's mailbox, merchants' idempotency keys,
-- and the authorizations sent to the credit server (recorded before they
-- are sent, so none is ever lost or sent twice).
--
-- Every row a payment touches carries the user ID, the future shard key.

CREATE SEQUENCE gateway.stan_seq MINVALUE 1 MAXVALUE 999999 CYCLE;
COMMENT ON SEQUENCE gateway.stan_seq IS 'ISO 8583 field 11 (system trace audit number) for messages to the credit server';

CREATE TABLE gateway.transactions (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  number           text NOT NULL UNIQUE CHECK (number ~ '^[0-9A-Z]{16}$'),
  user_id          text NOT NULL REFERENCES gateway.users,
  card_id          bigint NOT NULL REFERENCES gateway.cards,
  device_id        bigint NOT NULL REFERENCES gateway.devices,
  merchant_id      bigint NOT NULL REFERENCES gateway.merchants,
  terminal_id      bigint NOT NULL REFERENCES gateway.terminals,
  status           text NOT NULL DEFAULT 'awaiting_device' CHECK (status IN (
                     'awaiting_device', 'awaiting_confirmation', 'awaiting_method', 'authorizing',
                     'completed', 'declined', 'failed', 'canceled', 'expired')),
  -- when the current waiting state ends (NULL once none is waiting)
  deadline         timestamptz,
  currency         text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  total            bigint NOT NULL CHECK (total >= 0 AND total < 1000000000000),
  tax_total        bigint NOT NULL CHECK (tax_total >= 0 AND tax_total <= total),
  items            jsonb NOT NULL,
  reference        text CHECK (length(reference) BETWEEN 1 AND 64),
  binding_code     text NOT NULL CHECK (binding_code ~ '^[A-Z0-9]{4}$'),
  -- the live device-auth challenge (base64url of 32 random bytes), used once
  challenge        text NOT NULL,
  challenge_used   boolean NOT NULL DEFAULT false,
  -- SHA-256 of the bearer token handed to the handset by device-auth
  session_hash     bytea CHECK (length(session_hash) = 32),
  issuer_id        bigint REFERENCES gateway.issuers,
  method           text CHECK (method IN ('L', 'I', 'B', 'pB', 'R')),
  installments     smallint NOT NULL DEFAULT 0 CHECK (installments BETWEEN 0 AND 99),
  approval_code    text,
  response_code    text,
  outcome_reason   text,
  card_masked      text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  completed_at     timestamptz
);
COMMENT ON TABLE gateway.transactions IS
  'one payment (fig 11), a state machine moved only by guarded UPDATEs (WHERE status = expected)';
CREATE INDEX transactions_user_idx ON gateway.transactions (user_id, created_at);
CREATE INDEX transactions_waiting_idx ON gateway.transactions (deadline)
  WHERE status IN ('awaiting_device', 'awaiting_confirmation', 'awaiting_method');

CREATE TABLE gateway.mailbox (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  device_id       bigint NOT NULL REFERENCES gateway.devices,
  user_id         text NOT NULL,
  transaction_id  bigint REFERENCES gateway.transactions,
  kind            text NOT NULL CHECK (kind IN ('payment_command', 'completion')),
  message         text NOT NULL,            -- the JSON text, signed byte for byte
  signature       text NOT NULL,            -- base64url Ed25519 by the message key
  created_at      timestamptz NOT NULL DEFAULT now(),
  expires_at      timestamptz,
  delivered_at    timestamptz
);
COMMENT ON TABLE gateway.mailbox IS 'the direction server (160): signed messages waiting for a handset to poll';
CREATE INDEX mailbox_pending_idx ON gateway.mailbox (device_id, id) WHERE delivered_at IS NULL;

CREATE TABLE gateway.idempotency_keys (
  terminal_id      bigint NOT NULL REFERENCES gateway.terminals,
  key              text NOT NULL CHECK (key ~ '^[A-Za-z0-9_-]{1,64}$'),
  request_hash     bytea NOT NULL CHECK (length(request_hash) = 32),
  response_status  integer,
  response_body    text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (terminal_id, key)
);
COMMENT ON TABLE gateway.idempotency_keys IS
  'merchant Idempotency-Key values, kept at least 24 h: same key + same request = the first answer';

CREATE TABLE gateway.authorizations (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  transaction_id     bigint NOT NULL UNIQUE REFERENCES gateway.transactions,
  user_id            text NOT NULL,
  stan               integer NOT NULL CHECK (stan BETWEEN 1 AND 999999),
  transmission_time  text NOT NULL CHECK (transmission_time ~ '^[0-9]{10}$'),
  terminal_code      text NOT NULL,
  status             text NOT NULL DEFAULT 'sent' CHECK (status IN ('sent', 'answered', 'reversal_pending', 'reversed')),
  response_code      text,
  approval_code      text,
  reversal_attempts  integer NOT NULL DEFAULT 0,
  created_at         timestamptz NOT NULL DEFAULT now(),
  answered_at        timestamptz,
  reversed_at        timestamptz
);
COMMENT ON TABLE gateway.authorizations IS
  'ISO 8583 0100s, recorded before sending: sent -> answered, or -> reversal_pending -> reversed (0400/0401)';
CREATE INDEX authorizations_open_idx ON gateway.authorizations (created_at) WHERE status IN ('sent', 'reversal_pending');

ALTER TABLE gateway.devices
  ADD COLUMN last_poll_ms bigint NOT NULL DEFAULT 0,
  ADD COLUMN last_poll_at timestamptz;
COMMENT ON COLUMN gateway.devices.last_poll_ms IS
  'timestamp of the last accepted signed mailbox poll; an older or equal one is a replay';

GRANT USAGE ON SEQUENCE gateway.stan_seq TO paygw_gateway;
