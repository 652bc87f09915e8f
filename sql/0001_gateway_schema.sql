-- 0001_gateway_schema.sql — the gateway's tables of figures 7-10: subscribers,
-- user IDs (one per card, [0052]), devices, cards (encrypted), issuers and
-- their card-number ranges, merchants, terminals, and the merchant x issuer
-- payment methods.  Applied by scripts/migrate as a superuser; the role
-- paygw_gateway (created by scripts/stack) gets DML on this schema only.

CREATE SCHEMA gateway;
COMMENT ON SCHEMA gateway IS 'payment gateway (payment server 150 + direction server 160)';

CREATE TABLE gateway.issuers (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code        text NOT NULL UNIQUE CHECK (code ~ '^[0-9A-Za-z]{1,16}$'),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
  status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  created_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE gateway.issuers IS 'credit companies whose cards the service takes (fig 9 issuer code and name)';

CREATE TABLE gateway.issuer_ranges (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  issuer_id   bigint NOT NULL REFERENCES gateway.issuers,
  low         text NOT NULL CHECK (low ~ '^[0-9]{1,19}$'),
  high        text NOT NULL CHECK (high ~ '^[0-9]{1,19}$'),
  -- comparing the padded forms keeps ranges of differing lengths (fig 9) sane
  CHECK (rpad(low, 19, '0') <= rpad(high, 19, '9')),
  UNIQUE (low, high)
);
COMMENT ON TABLE gateway.issuer_ranges IS 'card-number ranges per issuer (fig 9); bounds may differ in length';
COMMENT ON COLUMN gateway.issuer_ranges.low IS
  'a card number n is in the range when rpad(low,19,''0'') <= rpad(n,19,''0'') <= rpad(high,19,''9''), i.e. bounds are prefixes';

CREATE TABLE gateway.merchants (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code        text NOT NULL UNIQUE CHECK (code ~ '^[0-9]{1,15}$'),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
  shop_name   text NOT NULL CHECK (length(shop_name) BETWEEN 1 AND 80),
  status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  created_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE gateway.merchants IS 'merchants (fig 10 merchant code and name) and the shop name shown to the shopper';

CREATE TABLE gateway.terminals (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  merchant_id      bigint NOT NULL REFERENCES gateway.merchants,
  code             text NOT NULL UNIQUE CHECK (code ~ '^[0-9A-Za-z_-]{1,32}$'),
  credential_hash  bytea NOT NULL CHECK (length(credential_hash) = 32),
  status           text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  created_at       timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE gateway.terminals IS 'POS terminals and shop servers that request transaction numbers';
COMMENT ON COLUMN gateway.terminals.credential_hash IS
  'SHA-256 of the 256-bit random secret; the secret itself is shown once at enrolment and never stored';

CREATE TABLE gateway.merchant_methods (
  merchant_id         bigint NOT NULL REFERENCES gateway.merchants,
  issuer_id           bigint NOT NULL REFERENCES gateway.issuers,
  lump_sum            boolean NOT NULL DEFAULT false,
  installments        boolean NOT NULL DEFAULT false,
  bonus               boolean NOT NULL DEFAULT false,
  partial_bonus       boolean NOT NULL DEFAULT false,
  revolving           boolean NOT NULL DEFAULT false,
  installment_counts  smallint[] NOT NULL DEFAULT '{}'
                      CHECK (installment_counts <@ ARRAY[2,3,4,5,6,10,12,15,18,20,24,30,36]::smallint[]),
  PRIMARY KEY (merchant_id, issuer_id),
  CHECK (installments OR cardinality(installment_counts) = 0)
);
COMMENT ON TABLE gateway.merchant_methods IS
  'fig 10: payment methods per merchant and issuer: L lump sum, I installments, B bonus, pB partial bonus, R revolving';

CREATE TABLE gateway.subscribers (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  code        text NOT NULL UNIQUE CHECK (code ~ '^[0-9A-Za-z_-]{1,32}$'),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
  status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  created_at  timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE gateway.subscribers IS 'people who subscribed to the service; each holds devices, cards and user IDs';

CREATE TABLE gateway.devices (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  subscriber_id     bigint NOT NULL REFERENCES gateway.subscribers,
  code              text NOT NULL UNIQUE CHECK (code ~ '^[0-9A-Za-z_-]{1,32}$'),
  public_key        bytea NOT NULL CHECK (length(public_key) = 32),
  cert_fingerprint  text UNIQUE CHECK (cert_fingerprint ~ '^[0-9a-f]{64}$'),
  status            text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  created_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (id, subscriber_id)
);
COMMENT ON TABLE gateway.devices IS 'handsets (fig 7 device ID) with the enrolled Ed25519 public key';
COMMENT ON COLUMN gateway.devices.cert_fingerprint IS
  'SHA-256 of a client TLS certificate, for devices that authenticate with one ([0115])';

CREATE TABLE gateway.cards (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  subscriber_id   bigint NOT NULL REFERENCES gateway.subscribers,
  pan_ciphertext  bytea NOT NULL CHECK (length(pan_ciphertext) BETWEEN 40 AND 60),
  key_id          integer NOT NULL CHECK (key_id > 0),
  pan_lookup      text NOT NULL UNIQUE CHECK (pan_lookup ~ '^[0-9a-f]{64}$'),
  first6          text NOT NULL CHECK (first6 ~ '^[0-9]{6}$'),
  last4           text NOT NULL CHECK (last4 ~ '^[0-9]{4}$'),
  pan_length      smallint NOT NULL CHECK (pan_length BETWEEN 12 AND 19),
  expiry          text NOT NULL CHECK (expiry ~ '^[0-9]{2}(0[1-9]|1[0-2])$'),
  label           text NOT NULL CHECK (length(label) BETWEEN 1 AND 40),
  status          text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  created_at      timestamptz NOT NULL DEFAULT now(),
  UNIQUE (id, subscriber_id)
);
COMMENT ON TABLE gateway.cards IS 'credit cards (fig 7 card number), never stored in clear';
COMMENT ON COLUMN gateway.cards.pan_ciphertext IS 'AES-256-GCM: 12-byte IV || ciphertext || 16-byte tag, AAD names key_id';
COMMENT ON COLUMN gateway.cards.key_id IS 'which data key of the card key file encrypted this row (rotation)';
COMMENT ON COLUMN gateway.cards.pan_lookup IS 'HMAC-SHA256 of the card number under the lookup key: duplicate checks without the number';
COMMENT ON COLUMN gateway.cards.expiry IS 'YYMM as printed on the card';

CREATE TABLE gateway.users (
  user_id          text PRIMARY KEY CHECK (user_id ~ '^[0-9A-Za-z_-]{1,32}$'),
  subscriber_id    bigint NOT NULL REFERENCES gateway.subscribers,
  card_id          bigint NOT NULL UNIQUE,
  device_id        bigint NOT NULL,
  password_hash    text NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
  failed_attempts  integer NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
  locked_until     timestamptz,
  status           text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  created_at       timestamptz NOT NULL DEFAULT now(),
  -- a user's card and device belong to that user's subscriber
  FOREIGN KEY (card_id, subscriber_id) REFERENCES gateway.cards (id, subscriber_id),
  FOREIGN KEY (device_id, subscriber_id) REFERENCES gateway.devices (id, subscriber_id)
);
COMMENT ON TABLE gateway.users IS 'fig 7 user table: one user ID and password per card ([0052]), bound to one device ([0068])';
CREATE INDEX users_subscriber_idx ON gateway.users (subscriber_id);

CREATE TABLE gateway.admin_log (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  actor       text NOT NULL,
  action      text NOT NULL,
  subject     text NOT NULL
);
COMMENT ON TABLE gateway.admin_log IS 'every enrolment change made by paygw-admin (who, what, on which ID; never a secret)';

GRANT USAGE ON SCHEMA gateway TO paygw_gateway;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA gateway TO paygw_gateway;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA gateway TO paygw_gateway;
-- tables added by later migrations get the same grants
ALTER DEFAULT PRIVILEGES IN SCHEMA gateway GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO paygw_gateway;
ALTER DEFAULT PRIVILEGES IN SCHEMA gateway GRANT USAGE, SELECT ON SEQUENCES TO paygw_gateway;
ALTER DEFAULT PRIVILEGES IN SCHEMA gateway GRANT EXECUTE ON FUNCTIONS TO paygw_gateway;
