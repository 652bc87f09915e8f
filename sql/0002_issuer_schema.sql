-- 0002_issuer_schema.sql — the reference issuer's own tables (credit server
-- 13, figures 24A-24D): credit merchants and the methods they may take, card
-- accounts (card number encrypted), authorizations, and per-merchant sales.
-- Applied by scripts/migrate as a superuser; only the role paygw_issuer gets
-- rights here, the gateway's role gets nothing (two companies, two schemas).

CREATE SCHEMA issuer;
COMMENT ON SCHEMA issuer IS 'reference issuer host (credit server 13): figures 24A-24D';

CREATE TABLE issuer.issuers (
  code        text PRIMARY KEY CHECK (code ~ '^[0-9A-Za-z]{1,16}$'),
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 80)
);
COMMENT ON TABLE issuer.issuers IS
  'the card brands this credit server answers for (one reference host serves every demo issuer)';

CREATE TABLE issuer.card_ranges (
  low          text NOT NULL CHECK (low ~ '^[0-9]{1,19}$'),
  high         text NOT NULL CHECK (high ~ '^[0-9]{1,19}$'),
  issuer_code  text NOT NULL REFERENCES issuer.issuers,
  PRIMARY KEY (low, high),
  CHECK (rpad(low, 19, '0') <= rpad(high, 19, '9'))
);
COMMENT ON TABLE issuer.card_ranges IS
  'card-number prefixes per issuer, used at enrolment to find the issuer of an account (bounds are prefixes)';

-- figure 24A: merchant code for credit, payment method, merchant code
CREATE TABLE issuer.merchants (
  id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  merchant_code         text NOT NULL UNIQUE CHECK (merchant_code ~ '^[0-9A-Za-z]{1,15}$'),
  credit_merchant_code  text NOT NULL UNIQUE CHECK (credit_merchant_code ~ '^[0-9A-Za-z-]{1,32}$'),
  name                  text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
  status                text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  created_at            timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE issuer.merchants IS 'fig 24A: merchants the issuer takes credit payments from';
COMMENT ON COLUMN issuer.merchants.merchant_code IS 'the merchant code as sent in ISO 8583 field 42 (trailing spaces removed)';
COMMENT ON COLUMN issuer.merchants.credit_merchant_code IS 'fig 24A "merchant code for credit": the issuer''s own id of the shop';

CREATE TABLE issuer.merchant_methods (
  merchant_id         bigint NOT NULL REFERENCES issuer.merchants,
  issuer_code         text NOT NULL REFERENCES issuer.issuers,
  methods             text[] NOT NULL CHECK (methods <@ ARRAY['L', 'I', 'B', 'pB', 'R']),
  installment_counts  smallint[] NOT NULL DEFAULT '{}'
                      CHECK (installment_counts <@ ARRAY[2,3,4,5,6,10,12,15,18,20,24,30,36]::smallint[]),
  PRIMARY KEY (merchant_id, issuer_code),
  CHECK ('I' = ANY (methods) OR cardinality(installment_counts) = 0)
);
COMMENT ON TABLE issuer.merchant_methods IS
  'fig 24A payment methods, per merchant and card issuer: L lump sum, I installments (with the allowed counts), B bonus, pB partial bonus, R revolving';

-- figure 24B: user name, address, card number, expiration, credit limit
CREATE TABLE issuer.card_accounts (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  issuer_code       text NOT NULL REFERENCES issuer.issuers,
  holder            text NOT NULL CHECK (length(holder) BETWEEN 1 AND 80),
  address           text NOT NULL CHECK (length(address) BETWEEN 1 AND 200),
  card_ciphertext   bytea NOT NULL,
  card_key_id       integer NOT NULL CHECK (card_key_id > 0),
  card_lookup_hash  text NOT NULL UNIQUE CHECK (card_lookup_hash ~ '^[0-9a-f]{64}$'),
  first6            text NOT NULL CHECK (first6 ~ '^[0-9]{6}$'),
  last4             text NOT NULL CHECK (last4 ~ '^[0-9]{4}$'),
  expiry            text NOT NULL CHECK (expiry ~ '^[0-9]{2}(0[1-9]|1[0-2])$'),
  credit_limit      bigint NOT NULL CHECK (credit_limit >= 0),
  balance           bigint NOT NULL DEFAULT 0,
  currency          text NOT NULL DEFAULT '392' CHECK (currency ~ '^[0-9]{3}$'),
  status            text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'blocked')),
  created_at        timestamptz NOT NULL DEFAULT now(),
  -- the database itself refuses an overdrawn account, whatever the C code does
  CHECK (balance >= 0 AND balance <= credit_limit)
);
COMMENT ON TABLE issuer.card_accounts IS 'fig 24B: card holders and their credit; the card number only encrypted';
COMMENT ON COLUMN issuer.card_accounts.card_ciphertext IS
  'AES-256-GCM iv||ciphertext||tag of the card number under data key card_key_id of PAYGW_ISSUER_CARD_KEY_FILE';
COMMENT ON COLUMN issuer.card_accounts.card_lookup_hash IS 'HMAC-SHA256 of the card number under the issuer''s lookup key';
COMMENT ON COLUMN issuer.card_accounts.expiry IS 'YYMM the issuer holds; a 0100 whose field 14 differs is declined 54';
COMMENT ON COLUMN issuer.card_accounts.balance IS 'credit in use, minor units of currency (ISO 4217 numeric)';

-- figure 24C: the history of authorizations
CREATE TABLE issuer.authorizations (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id         bigint REFERENCES issuer.card_accounts,
  stan               text NOT NULL CHECK (stan ~ '^[0-9]{6}$'),
  terminal_id        text NOT NULL CHECK (length(terminal_id) BETWEEN 1 AND 8),
  transmission_time  text NOT NULL CHECK (transmission_time ~ '^[0-9]{10}$'),
  merchant_code      text NOT NULL,
  amount             bigint NOT NULL CHECK (amount >= 0),
  currency           text NOT NULL CHECK (currency ~ '^[0-9]{3}$'),
  method             text CHECK (method IN ('L', 'I', 'B', 'pB', 'R')),
  installments       smallint NOT NULL DEFAULT 0 CHECK (installments BETWEEN 0 AND 99),
  approval_code      text CHECK (approval_code ~ '^[0-9A-Z]{6}$'),
  response_code      text NOT NULL CHECK (response_code ~ '^[0-9A-Z]{2}$'),
  status             text NOT NULL CHECK (status IN ('approved', 'declined', 'reversed', 'void')),
  created_at         timestamptz NOT NULL DEFAULT now(),
  reversed_at        timestamptz,
  UNIQUE (stan, terminal_id, transmission_time),
  CHECK ((status IN ('approved', 'reversed')) = (approval_code IS NOT NULL)),
  CHECK ((status = 'reversed') = (reversed_at IS NOT NULL) OR status = 'void')
);
COMMENT ON TABLE issuer.authorizations IS
  'fig 24C: every 0100 the issuer decided, keyed like ISO 8583 by STAN + terminal + transmission time (duplicates answer the first answer)';
COMMENT ON COLUMN issuer.authorizations.status IS
  'approved (balance charged), declined, reversed (charge undone by a 0400/0401), void (a reversal came before its original: the original, if it ever arrives, is refused)';
COMMENT ON COLUMN issuer.authorizations.account_id IS 'NULL when the card is unknown (14) or for a void row';

CREATE INDEX authorizations_account ON issuer.authorizations (account_id);
CREATE INDEX authorizations_merchant ON issuer.authorizations (merchant_code, created_at);

-- figure 24D: sales per merchant (approved and not reversed), one row per sale
CREATE VIEW issuer.merchant_sales AS
SELECT a.merchant_code, 'sale'::text AS type, a.created_at::date AS date, a.amount AS sales, a.currency,
       c.first6 || '******' || c.last4 AS card_masked, a.method, a.installments, a.approval_code, a.stan
  FROM issuer.authorizations a JOIN issuer.card_accounts c ON c.id = a.account_id
 WHERE a.status = 'approved';
COMMENT ON VIEW issuer.merchant_sales IS 'fig 24D: each shop''s sales (card number masked)';

CREATE VIEW issuer.merchant_sales_daily AS
SELECT merchant_code, date, currency, method, count(*) AS count, sum(sales) AS total
  FROM issuer.merchant_sales GROUP BY merchant_code, date, currency, method;
COMMENT ON VIEW issuer.merchant_sales_daily IS 'fig 24D totals per merchant, day, currency and method';

GRANT USAGE ON SCHEMA issuer TO paygw_issuer;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA issuer TO paygw_issuer;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA issuer TO paygw_issuer;
REVOKE ALL ON SCHEMA issuer FROM PUBLIC;
ALTER DEFAULT PRIVILEGES IN SCHEMA issuer GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO paygw_issuer;
ALTER DEFAULT PRIVILEGES IN SCHEMA issuer GRANT USAGE, SELECT ON SEQUENCES TO paygw_issuer;
