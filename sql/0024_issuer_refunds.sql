-- 0024_issuer_refunds.sql — refunds at the issuer (issue 15,
-- docs/iso8583.md "Refunds", docs/credit-server.md "Refunds"):
--  * issuer.authorizations.refunded: how much of an approved authorization
--    refunds have given back so far (never more than its amount);
--  * issuer.refunds: every refund advice (0220/0221) the issuer decided,
--    keyed like an authorization by peer + its own STAN + terminal +
--    transmission time, so a repeat gets the first answer and refunds
--    nothing twice;
--  * issuer.do_refund: a 0220/0221 in one statement (the one-statement rule
--    of tests/api/credit_one_statement.t), under a row lock of the original;
--  * issuer.do_reverse: a void (0400/0401) of an approved authorization
--    gives back what refunds have not (all of it when none);
--  * fig 24D: issuer.merchant_sales gains one row per refund (type
--    'refund', sales negative), so issuer.merchant_sales_daily's total is
--    the day's net sales; it gains sales_count, gross, refunds, refunded.
-- Rights: paygw_issuer only (no DELETE, as sql/0006).

-- --- what an authorization has left --------------------------------------------
ALTER TABLE issuer.authorizations
  ADD COLUMN refunded bigint NOT NULL DEFAULT 0,
  ADD CONSTRAINT authorizations_refunded_check CHECK (refunded >= 0 AND refunded <= amount);
COMMENT ON COLUMN issuer.authorizations.refunded IS
  'the sum of the refunds (0220/0221 answered 00) of this approved authorization: it has amount - refunded left to refund';

-- --- the refunds -------------------------------------------------------------------
CREATE TABLE issuer.refunds (
  id                          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  peer                        text NOT NULL CHECK (peer = 'acquirer' OR peer ~ '^merchant-[0-9A-Za-z]{1,15}$'),
  stan                        text NOT NULL CHECK (stan ~ '^[0-9]{6}$'),
  terminal_id                 text NOT NULL CHECK (length(terminal_id) BETWEEN 1 AND 8),
  transmission_time           text NOT NULL CHECK (transmission_time ~ '^[0-9]{10}$'),
  transmitted_at              timestamptz NOT NULL,
  original_stan               text NOT NULL CHECK (original_stan ~ '^[0-9]{6}$'),
  original_transmitted_at     timestamptz NOT NULL,
  authorization_id            bigint REFERENCES issuer.authorizations,
  amount                      bigint NOT NULL CHECK (amount > 0 AND amount <= 999999999999),
  currency                    text NOT NULL CHECK (currency ~ '^[0-9]{3}$'),
  merchant_code               text NOT NULL,
  response_code               text NOT NULL CHECK (response_code ~ '^[0-9A-Z]{2}$'),
  status                      text NOT NULL CHECK (status IN ('refunded', 'refused')),
  created_at                  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT refunds_key UNIQUE (peer, stan, terminal_id, transmitted_at),
  CHECK ((status = 'refunded') = (response_code = '00')),
  CHECK (status = 'refused' OR authorization_id IS NOT NULL)
);
COMMENT ON TABLE issuer.refunds IS
  'every refund advice (0220, repeats 0221) the issuer decided, under its own key (peer, stan, terminal_id, transmitted_at) like an authorization''s: a repeat gets the stored answer';
COMMENT ON COLUMN issuer.refunds.stan IS 'the refund''s own field 11 (not the original''s)';
COMMENT ON COLUMN issuer.refunds.transmission_time IS 'the refund''s own field 7 (MMDDhhmmss), placed in its year as transmitted_at';
COMMENT ON COLUMN issuer.refunds.original_stan IS 'field 90''s STAN: the 0100 refunded (compared when the key comes again)';
COMMENT ON COLUMN issuer.refunds.original_transmitted_at IS 'field 90''s transmission time, placed in its year';
COMMENT ON COLUMN issuer.refunds.authorization_id IS 'the original authorization; NULL when it was not found (refused 25)';
COMMENT ON COLUMN issuer.refunds.amount IS 'field 4: minor units of currency';
COMMENT ON COLUMN issuer.refunds.response_code IS
  'the answer: 00 refunded (the account''s balance lowered by amount), 13 more than the original has left, 25 original not found, not approved or reversed';
COMMENT ON COLUMN issuer.refunds.status IS 'refunded (00) or refused (any other answer): a refused refund moved nothing';
CREATE INDEX refunds_authorization ON issuer.refunds (authorization_id) WHERE authorization_id IS NOT NULL;

-- --- a 0220/0221 -----------------------------------------------------------------
CREATE FUNCTION issuer.do_refund(
  p_peer text, p_stan text, p_terminal_id text, p_transmission_time text, p_transmitted_at timestamptz,
  p_original_stan text, p_original_transmitted_at timestamptz,
  p_merchant_code text, p_currency text, p_amount bigint,
  OUT outcome text, OUT response_code text)
LANGUAGE plpgsql AS $$
DECLARE
  v_seen record;
  v_orig record;
  v_code text;
  v_new_id bigint;
BEGIN
  -- two rounds: when the insert loses to the same key committed in between,
  -- the second look (a new snapshot) finds that refund and answers as it did
  FOR round IN 1..2 LOOP
    SELECT r.original_stan::text AS original_stan, r.original_transmitted_at::timestamptz AS original_transmitted_at,
           r.merchant_code::text AS merchant_code, r.currency::text AS currency, r.amount::bigint AS amount,
           r.response_code::text AS code INTO v_seen
      FROM issuer.refunds r
     WHERE r.peer = p_peer AND r.stan = p_stan AND r.terminal_id = p_terminal_id
       AND r.transmitted_at = p_transmitted_at;
    IF FOUND THEN
      IF v_seen.original_stan = p_original_stan AND v_seen.original_transmitted_at = p_original_transmitted_at
         AND v_seen.merchant_code = p_merchant_code AND v_seen.currency = p_currency
         AND v_seen.amount = p_amount THEN
        outcome := 'replayed';
        response_code := v_seen.code;
      ELSE
        outcome := 'conflict';           -- another refund under this key: 94, nothing stored
        response_code := '94';
      END IF;
      RETURN;
    END IF;

    -- the original, locked: concurrent refunds of it are decided one by one
    SELECT au.id::bigint AS id, au.account_id::bigint AS account_id, au.amount::bigint AS amount,
           au.refunded::bigint AS refunded, au.status::text AS status, au.merchant_code::text AS merchant_code,
           au.currency::text AS currency INTO v_orig
      FROM issuer.authorizations au
     WHERE au.peer = p_peer AND au.stan = p_original_stan AND au.terminal_id = p_terminal_id
       AND au.transmitted_at = p_original_transmitted_at
       FOR UPDATE;
    IF NOT FOUND OR v_orig.status <> 'approved' OR v_orig.merchant_code <> p_merchant_code
       OR v_orig.currency <> p_currency THEN
      v_code := '25';                    -- not found, declined, reversed or void, or not this sale
    ELSIF p_amount > v_orig.amount - v_orig.refunded THEN
      v_code := '13';
    ELSE
      v_code := '00';
    END IF;

    INSERT INTO issuer.refunds AS r (peer, stan, terminal_id, transmission_time, transmitted_at, original_stan,
        original_transmitted_at, authorization_id, amount, currency, merchant_code, response_code, status)
    VALUES (p_peer, p_stan, p_terminal_id, p_transmission_time, p_transmitted_at, p_original_stan,
            p_original_transmitted_at, v_orig.id, p_amount, p_currency, p_merchant_code, v_code,
            CASE WHEN v_code = '00' THEN 'refunded' ELSE 'refused' END)
    ON CONFLICT ON CONSTRAINT refunds_key DO NOTHING
    RETURNING r.id INTO v_new_id;
    IF v_new_id IS NOT NULL THEN
      IF v_code = '00' THEN
        UPDATE issuer.authorizations SET refunded = refunded + p_amount
         WHERE id = v_orig.id AND status = 'approved' AND refunded + p_amount <= amount;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'the locked authorization % changed under its lock', v_orig.id;
        END IF;
        UPDATE issuer.card_accounts SET balance = balance - p_amount WHERE id = v_orig.account_id;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'the account % of a refunded authorization is gone', v_orig.account_id;
        END IF;
      END IF;
      outcome := 'decided';
      response_code := v_code;
      RETURN;
    END IF;
  END LOOP;
  RAISE EXCEPTION 'the refund under the key vanished' USING ERRCODE = 'serialization_failure';
END $$;
COMMENT ON FUNCTION issuer.do_refund(text, text, text, text, timestamptz, text, timestamptz, text, text, bigint) IS
  'a 0220/0221 from p_peer in one statement: under its own key (peer, stan, terminal, transmitted_at) the stored answer again (replayed) or 94 for other content (conflict); else the original 0100 (peer, original stan, terminal, original transmitted_at) locked and the refund decided: 00 (balance lowered, authorization''s refunded raised), 13 (more than amount - refunded), 25 (not found, not approved, other merchant or currency); recorded (decided). Re-sendable';

-- --- a 0400/0401: a void gives back what refunds have not ---------------------------
CREATE OR REPLACE FUNCTION issuer.do_reverse(
  p_peer text, p_stan text, p_terminal_id text, p_transmission_time text, p_transmitted_at timestamptz,
  p_merchant_code text, p_currency text, p_amount bigint,
  OUT outcome text)
LANGUAGE plpgsql AS $$
DECLARE
  v_found record;
  v_new_id bigint;
BEGIN
  -- two rounds: when the void insert loses to an original committed in
  -- between, the second look (a new snapshot) finds that original
  FOR round IN 1..2 LOOP
    SELECT au.id::bigint, au.account_id::bigint, au.amount::bigint, au.refunded::bigint, au.status::text
      INTO v_found
      FROM issuer.authorizations au
     WHERE au.peer = p_peer AND au.stan = p_stan AND au.terminal_id = p_terminal_id
       AND au.transmitted_at = p_transmitted_at
       FOR UPDATE;
    IF FOUND THEN
      IF v_found.status = 'void' THEN
        outcome := 'not_found';          -- a repeat of a reversal of nothing
        RETURN;
      END IF;
      IF v_found.status = 'approved' THEN
        -- a token sale's token stays spent: only the charge is undone, less
        -- what refunds already gave back
        UPDATE issuer.authorizations SET status = 'reversed', reversed_at = now()
         WHERE id = v_found.id AND status = 'approved';
        IF FOUND THEN
          UPDATE issuer.card_accounts SET balance = balance - (v_found.amount - v_found.refunded)
           WHERE id = v_found.account_id;
          IF NOT FOUND THEN
            RAISE EXCEPTION 'the account % of a reversed authorization is gone', v_found.account_id;
          END IF;
          outcome := 'undone';
          RETURN;
        END IF;
      END IF;
      outcome := 'already';              -- reversed before, or declined: nothing to undo
      RETURN;
    END IF;
    -- never seen: a void row under its key, so that the original, arriving
    -- late, is refused (05) and never charged
    INSERT INTO issuer.authorizations AS au (peer, stan, terminal_id, transmission_time, merchant_code, amount,
        currency, response_code, status, reversed_at, transmitted_at)
    VALUES (p_peer, p_stan, p_terminal_id, p_transmission_time, p_merchant_code, p_amount, p_currency, '05', 'void',
            now(), p_transmitted_at)
    ON CONFLICT (peer, stan, terminal_id, transmitted_at) DO NOTHING
    RETURNING au.id INTO v_new_id;
    IF v_new_id IS NOT NULL THEN
      outcome := 'not_found';
      RETURN;
    END IF;
  END LOOP;
  RAISE EXCEPTION 'the authorization under the key vanished' USING ERRCODE = 'serialization_failure';
END $$;
COMMENT ON FUNCTION issuer.do_reverse(text, text, text, text, timestamptz, text, text, bigint) IS
  'a 0400/0401 from p_peer in one statement: finds the original 0100 by its key (peer, stan, terminal, transmitted_at) and undoes an approved one exactly once, giving back amount - refunded (a token sale''s token stays spent). Returns outcome undone, already (reversed before, or declined: answered 00 again) or not_found (a void row is recorded so a late original is refused). Re-sendable';

-- --- fig 24D: refunds are negative sales -----------------------------------------------
-- A refund row counts on the day of the refund; like its sale it leaves the
-- view when the original is reversed (the sale is gone, and so is what was
-- given back of it).
CREATE OR REPLACE VIEW issuer.merchant_sales AS
SELECT a.merchant_code, 'sale'::text AS type, a.created_at::date AS date, a.amount AS sales, a.currency,
       c.card_masked, a.method, a.installments, a.approval_code, a.stan,
       coalesce(t.ecn, c.card_masked) AS card_number, a.token_key_id
  FROM issuer.authorizations a JOIN issuer.card_accounts c ON c.id = a.account_id
  LEFT JOIN issuer.token_keys t ON t.key_id = a.token_key_id
 WHERE a.status = 'approved'
UNION ALL
SELECT r.merchant_code, 'refund'::text AS type, r.created_at::date AS date, -r.amount AS sales, r.currency,
       c.card_masked, a.method, a.installments, a.approval_code, r.stan,
       coalesce(t.ecn, c.card_masked) AS card_number, a.token_key_id
  FROM issuer.refunds r JOIN issuer.authorizations a ON a.id = r.authorization_id
  JOIN issuer.card_accounts c ON c.id = a.account_id
  LEFT JOIN issuer.token_keys t ON t.key_id = a.token_key_id
 WHERE r.status = 'refunded' AND a.status = 'approved';
COMMENT ON VIEW issuer.merchant_sales IS
  'fig 24D: each shop''s sales (type sale, sales positive: approved, not reversed) and refunds of them (type refund, sales negative, on the refund''s day; stan is the refund''s own, approval_code the original''s); card_number is the masked card for the gateway''s sales and the encrypted card number (the ecn the merchant holds) for token sales';

-- total keeps its meaning of "what the day brought": now the net of sales
-- and refunds; count now counts sales and refunds (rows), as before rows
CREATE OR REPLACE VIEW issuer.merchant_sales_daily AS
SELECT merchant_code, date, currency, method, count(*) AS count, sum(sales) AS total,
       count(*) FILTER (WHERE type = 'sale') AS sales_count,
       coalesce(sum(sales) FILTER (WHERE type = 'sale'), 0)::numeric AS gross,
       count(*) FILTER (WHERE type = 'refund') AS refunds,
       coalesce(-sum(sales) FILTER (WHERE type = 'refund'), 0)::numeric AS refunded
  FROM issuer.merchant_sales GROUP BY merchant_code, date, currency, method;
COMMENT ON VIEW issuer.merchant_sales_daily IS
  'fig 24D totals per merchant, day, currency and method: count rows (sales and refunds), total the net sales (gross - refunded), sales_count and gross the sales, refunds and refunded the refunds (a positive amount)';

-- --- rights --------------------------------------------------------------------
REVOKE ALL ON issuer.refunds FROM PUBLIC;
REVOKE ALL ON issuer.refunds FROM paygw_issuer;
GRANT SELECT, INSERT ON issuer.refunds TO paygw_issuer;
-- as sql/0006 grants every issuer sequence (whoever runs the migration: the
-- default privileges belong to the stack's owner only)
GRANT USAGE, SELECT ON SEQUENCE issuer.refunds_id_seq TO paygw_issuer;
GRANT SELECT ON issuer.merchant_sales, issuer.merchant_sales_daily TO paygw_issuer;
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON issuer.merchant_sales, issuer.merchant_sales_daily FROM paygw_issuer;
REVOKE EXECUTE ON FUNCTION
  issuer.do_refund(text, text, text, text, timestamptz, text, timestamptz, text, text, bigint)
  FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
  issuer.do_refund(text, text, text, text, timestamptz, text, timestamptz, text, text, bigint)
  TO paygw_issuer;
