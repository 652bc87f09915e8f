-- 0022_issuer_tokens.sql — the issuer's side of the second embodiment
-- (issue 14, [0128]-[0169], docs/tokens.md, docs/iso8583.md "Token sales"):
--  * issuer.token_keys: figure 24C's decryption-key column — each key the
--    gateway delivered in a 0600, sealed under the issuer's own data key
--    (never in clear), with the encrypted card number it opens and what
--    that number is bound to (merchant, amount, currency, expiry), the card
--    account it opened to, and when and by which authorization it was used;
--  * issuer.authorizations.peer: who sent the 0100, part of its key, so a
--    merchant POS's STAN and the gateway's STAN for the same field 41 never
--    meet ('acquirer' for every acquirer: they keep sharing one key space,
--    as before; 'merchant-<code>' for a merchant's POS);
--  * issuer.authorizations.token_key_id: the token a token 0100 used;
--  * issuer.do_token_key_put: a 0600 in one statement;
--  * issuer.do_authorize / do_reverse gain the peer (and do_authorize the
--    token's key ID); the old signatures stay, as the acquirers' calls;
--  * issuer.merchant_sales (fig 24D): card_number is the encrypted number
--    for token sales, the masked card for the gateway's.
-- Rights: paygw_issuer only (no DELETE, as sql/0006).

-- --- the keys ----------------------------------------------------------------
CREATE TABLE issuer.token_keys (
  key_id           text PRIMARY KEY CHECK (key_id ~ '^[A-Za-z0-9_-]{22}$'),
  key_sealed       bytea NOT NULL CHECK (length(key_sealed) = 12 + 32 + 16),
  key_data_key_id  integer NOT NULL CHECK (key_data_key_id > 0),
  ecn              text NOT NULL CHECK (ecn ~ '^[A-Za-z0-9_-]{51,63}$'),
  merchant_code    text NOT NULL CHECK (merchant_code ~ '^[0-9A-Za-z]{1,15}$'),
  amount           bigint NOT NULL CHECK (amount > 0 AND amount <= 999999999999),
  currency         text NOT NULL CHECK (currency ~ '^[0-9]{3}$'),
  expiry           timestamptz NOT NULL,
  card_account_id  bigint NOT NULL REFERENCES issuer.card_accounts,
  delivered_at     timestamptz NOT NULL DEFAULT now(),
  used_at          timestamptz,
  authorization_id bigint UNIQUE REFERENCES issuer.authorizations,
  CHECK ((used_at IS NULL) = (authorization_id IS NULL))
);
COMMENT ON TABLE issuer.token_keys IS
  'fig 24C decryption keys (second embodiment): one row per 0600 the gateway delivered; the key sealed under the issuer''s data key, never in clear';
COMMENT ON COLUMN issuer.token_keys.key_id IS 'field 60: the key''s identifier (tokencrypt: base64url of 16 random bytes)';
COMMENT ON COLUMN issuer.token_keys.key_sealed IS
  'the 256-bit token key, AES-256-GCM iv||ciphertext||tag under data key key_data_key_id of PAYGW_ISSUER_CARD_KEY_FILE, AAD "paygw-token-key|" || key_id (cardkeys_seal)';
COMMENT ON COLUMN issuer.token_keys.ecn IS
  'field 61: the encrypted card number the merchant holds (fig 24D''s card number for its token sale)';
COMMENT ON COLUMN issuer.token_keys.expiry IS 'field 62: the token''s own expiry (issue time + 15 min); a token 0100 after it is declined 54';
COMMENT ON COLUMN issuer.token_keys.card_account_id IS 'the account the encrypted number opened to when the key was delivered';
COMMENT ON COLUMN issuer.token_keys.used_at IS
  'when the first token 0100 reached the card rules with it (approved or declined by them): single use, a later one is declined 63';
COMMENT ON COLUMN issuer.token_keys.authorization_id IS 'that 0100''s authorization';
CREATE INDEX token_keys_account ON issuer.token_keys (card_account_id);

-- --- authorizations: the peer in the key, the token used ---------------------
ALTER TABLE issuer.authorizations
  ADD COLUMN peer text NOT NULL DEFAULT 'acquirer'
    CONSTRAINT authorizations_peer_check CHECK (peer = 'acquirer' OR peer ~ '^merchant-[0-9A-Za-z]{1,15}$'),
  ADD COLUMN token_key_id text REFERENCES issuer.token_keys;
ALTER TABLE issuer.authorizations
  DROP CONSTRAINT authorizations_key,
  ADD CONSTRAINT authorizations_key UNIQUE (peer, stan, terminal_id, transmitted_at);
CREATE INDEX authorizations_token ON issuer.authorizations (token_key_id) WHERE token_key_id IS NOT NULL;
COMMENT ON COLUMN issuer.authorizations.peer IS
  'who sent the 0100 (part of its key with stan, terminal_id, transmitted_at): ''acquirer'' for every acquirer of PAYGW_CREDIT_ACQUIRERS (one key space, as before 0022), ''merchant-<code>'' for a merchant''s POS (its certificate''s name)';
COMMENT ON COLUMN issuer.authorizations.token_key_id IS
  'fig 24C''s key column: the token key a token 0100 (fields 60-62) used; NULL for the gateway''s sales';

-- --- fig 24D: the encrypted number for token sales ---------------------------
CREATE OR REPLACE VIEW issuer.merchant_sales AS
SELECT a.merchant_code, 'sale'::text AS type, a.created_at::date AS date, a.amount AS sales, a.currency,
       c.card_masked, a.method, a.installments, a.approval_code, a.stan,
       coalesce(t.ecn, c.card_masked) AS card_number, a.token_key_id
  FROM issuer.authorizations a JOIN issuer.card_accounts c ON c.id = a.account_id
  LEFT JOIN issuer.token_keys t ON t.key_id = a.token_key_id
 WHERE a.status = 'approved';
COMMENT ON VIEW issuer.merchant_sales IS
  'fig 24D: each shop''s sales; card_number is the masked card for the gateway''s sales and the encrypted card number (the ecn the merchant holds) for token sales';

-- --- a 0600 ------------------------------------------------------------------
-- The credit server has opened the encrypted number with the delivered key
-- and sealed the key; this finds the account by the number's lookup hash
-- and the merchant, and stores the row, or meets the key ID already stored.
CREATE FUNCTION issuer.do_token_key_put(
  p_key_id text, p_key_sealed bytea, p_data_key_id integer, p_ecn text, p_merchant_code text,
  p_amount bigint, p_currency text, p_expiry timestamptz, p_card_hash text,
  OUT outcome text, OUT stored_key_sealed text, OUT stored_data_key_id integer)
LANGUAGE plpgsql AS $$
DECLARE
  v_account_id bigint;
  v_inserted text;
  v_stored record;
BEGIN
  stored_key_sealed := '';
  stored_data_key_id := 0;
  SELECT a.id INTO v_account_id FROM issuer.card_accounts a WHERE a.card_lookup_hash = p_card_hash;
  IF v_account_id IS NULL THEN
    outcome := 'no_card';
    RETURN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM issuer.merchants m WHERE m.merchant_code = p_merchant_code AND m.status = 'active') THEN
    outcome := 'no_merchant';
    RETURN;
  END IF;
  INSERT INTO issuer.token_keys AS tk (key_id, key_sealed, key_data_key_id, ecn, merchant_code, amount, currency,
                                       expiry, card_account_id)
  VALUES (p_key_id, p_key_sealed, p_data_key_id, p_ecn, p_merchant_code, p_amount, p_currency, p_expiry,
          v_account_id)
  ON CONFLICT (key_id) DO NOTHING
  RETURNING tk.key_id INTO v_inserted;
  IF v_inserted IS NOT NULL THEN
    outcome := 'stored';
    RETURN;
  END IF;
  SELECT tk.ecn::text, tk.merchant_code::text, tk.amount::bigint, tk.currency::text, tk.expiry::timestamptz,
         tk.card_account_id::bigint, encode(tk.key_sealed, 'hex')::text AS key_sealed,
         tk.key_data_key_id::integer AS key_data_key_id
    INTO v_stored
    FROM issuer.token_keys tk WHERE tk.key_id = p_key_id;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'the token key under the key ID vanished' USING ERRCODE = 'serialization_failure';
  END IF;
  IF v_stored.ecn = p_ecn AND v_stored.merchant_code = p_merchant_code AND v_stored.amount = p_amount
     AND v_stored.currency = p_currency AND v_stored.expiry = p_expiry AND v_stored.card_account_id = v_account_id THEN
    -- the same content: the caller compares the key itself (it alone can open it)
    outcome := 'same';
    stored_key_sealed := v_stored.key_sealed;
    stored_data_key_id := v_stored.key_data_key_id;
  ELSE
    outcome := 'conflict';
  END IF;
END $$;
COMMENT ON FUNCTION issuer.do_token_key_put(text, bytea, integer, text, text, bigint, text, timestamptz, text) IS
  'a 0600 in one statement: outcome no_card (no account has the opened number''s lookup hash: 14), no_merchant (03), stored (00), same (the key ID holds this content: the caller opens stored_key_sealed and compares the key: 00 again, else 94) or conflict (other content under the key ID: 94). Re-sendable';

-- --- a 0100 (the gateway's, or a merchant's with a token) --------------------
-- The stored answer of a key already held: NULL outcome when the key is free.
CREATE FUNCTION issuer.authorization_replay(
  p_peer text, p_stan text, p_terminal_id text, p_transmitted_at timestamptz,
  p_card_hash text, p_amount bigint, p_merchant_code text, p_currency text,
  OUT outcome text, OUT response_code text, OUT approval_code text, OUT differs integer)
LANGUAGE plpgsql AS $$
DECLARE
  v_stored record;
BEGIN
  SELECT au.status::text, au.response_code::text, coalesce(au.approval_code, '')::text AS approval_code,
         coalesce(au.card_lookup_hash, '')::text AS card_lookup_hash, au.amount::bigint, au.merchant_code::text,
         au.currency::text
    INTO v_stored
    FROM issuer.authorizations au
   WHERE au.peer = p_peer AND au.stan = p_stan AND au.terminal_id = p_terminal_id
     AND au.transmitted_at = p_transmitted_at
     FOR UPDATE;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  -- what differs, as a mask: 1 card (a void row never knew the card),
  -- 2 amount, 4 merchant, 8 currency
  differs := CASE WHEN v_stored.card_lookup_hash <> '' AND v_stored.card_lookup_hash <> p_card_hash THEN 1 ELSE 0 END
           | CASE WHEN v_stored.amount <> p_amount THEN 2 ELSE 0 END
           | CASE WHEN v_stored.merchant_code <> p_merchant_code THEN 4 ELSE 0 END
           | CASE WHEN v_stored.currency <> p_currency THEN 8 ELSE 0 END;
  IF differs <> 0 THEN
    outcome := 'conflict';
    response_code := '94';
    approval_code := '';
  ELSIF v_stored.status = 'reversed' THEN
    outcome := 'replayed';
    response_code := '05';
    approval_code := '';
  ELSE
    outcome := 'replayed';
    response_code := v_stored.response_code;
    approval_code := v_stored.approval_code;
  END IF;
END $$;
COMMENT ON FUNCTION issuer.authorization_replay(text, text, text, timestamptz, text, bigint, text, text) IS
  'inside do_authorize: the stored answer under a key (peer, stan, terminal, transmitted_at), locked: replayed (the same request: its answer, 05 if reversed since) or conflict (94 with the differs mask); outcome NULL when no row holds the key';

-- The token's own checks, in the order of docs/iso8583.md ("Token sales"),
-- after the credit server has found the key and opened the number (14 is
-- its): used 63, another merchant 03, another amount or currency 13,
-- expired 54; NULL when the card rules are next.  Pure.
CREATE FUNCTION issuer.token_decide(
  p_used boolean, p_token_merchant text, p_token_amount bigint, p_token_currency text, p_token_expiry timestamptz,
  p_merchant_code text, p_amount bigint, p_currency text, p_now timestamptz)
RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  IF p_used THEN
    RETURN '63';
  END IF;
  IF p_token_merchant IS DISTINCT FROM p_merchant_code THEN
    RETURN '03';
  END IF;
  IF p_token_amount IS DISTINCT FROM p_amount OR p_token_currency IS DISTINCT FROM p_currency THEN
    RETURN '13';
  END IF;
  IF p_token_expiry <= p_now THEN
    RETURN '54';
  END IF;
  RETURN NULL;
END $$;
COMMENT ON FUNCTION issuer.token_decide(boolean, text, bigint, text, timestamptz, text, bigint, text, timestamptz) IS
  'a token 0100''s own checks, first match wins: already used 63, field 42 not the token''s merchant 03, field 4 or 49 not its amount or currency 13, its expiry passed 54; NULL: on to the card rules (issuer.decide). Pure';

CREATE FUNCTION issuer.do_authorize(
  p_peer text, p_card_hash text, p_expiry text, p_amount bigint, p_currency text,
  p_stan text, p_terminal_id text, p_transmission_time text, p_transmitted_at timestamptz,
  p_merchant_code text, p_method text, p_installments integer,
  p_approval_code text, p_now timestamptz, p_token_key_id text,
  OUT outcome text, OUT response_code text, OUT approval_code text, OUT differs integer, OUT charged boolean)
LANGUAGE plpgsql AS $$
DECLARE
  v_account_id bigint;
  v_issuer_code text;
  v_card_expiry text;
  v_credit_limit bigint;
  v_balance bigint;
  v_card_currency text;
  v_card_status text;
  v_merchant_status text;
  v_methods text[];
  v_counts smallint[];
  v_code text;
  v_new_id bigint;
  v_token record;
  v_token_account_id bigint;
  v_spend boolean := false;
  v_replay record;
BEGIN
  differs := 0;
  charged := false;
  -- a key already held answers first: a retransmitted token 0100 gets its
  -- first answer, never 63 for the use it made itself
  SELECT r.outcome::text AS outcome, r.response_code::text AS response_code, r.approval_code::text AS approval_code,
         r.differs::integer AS differs INTO v_replay
    FROM issuer.authorization_replay(p_peer, p_stan, p_terminal_id, p_transmitted_at, p_card_hash, p_amount,
                                     p_merchant_code, p_currency) r;
  IF v_replay.outcome IS NOT NULL THEN
    outcome := v_replay.outcome;
    response_code := v_replay.response_code;
    approval_code := v_replay.approval_code;
    differs := v_replay.differs;
    RETURN;
  END IF;

  -- a token: its row held until the end, so of two 0100s with one token
  -- the second sees the first's use
  IF p_token_key_id IS NOT NULL THEN
    SELECT tk.used_at IS NOT NULL AS used, tk.merchant_code::text, tk.amount::bigint, tk.currency::text,
           tk.expiry::timestamptz, tk.card_account_id::bigint
      INTO v_token
      FROM issuer.token_keys tk WHERE tk.key_id = p_token_key_id FOR UPDATE;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'a token 0100 for key ID % that is not stored', p_token_key_id;
    END IF;
    v_code := issuer.token_decide(v_token.used, v_token.merchant_code, v_token.amount, v_token.currency,
                                  v_token.expiry, p_merchant_code, p_amount, p_currency, p_now);
    v_token_account_id := v_token.card_account_id;
  END IF;

  -- the account row is held until the end, so two 0100s of one card are
  -- decided one after the other on the balance the first left
  SELECT a.id, a.issuer_code, a.expiry, a.credit_limit, a.balance, a.currency, a.status
    INTO v_account_id, v_issuer_code, v_card_expiry, v_credit_limit, v_balance, v_card_currency, v_card_status
    FROM issuer.card_accounts a WHERE a.card_lookup_hash = p_card_hash FOR UPDATE;
  IF p_token_key_id IS NOT NULL AND v_account_id IS DISTINCT FROM v_token_account_id THEN
    RAISE EXCEPTION 'the number of token % opened to another account than at its delivery', p_token_key_id;
  END IF;
  IF v_code IS NULL THEN
    IF v_account_id IS NOT NULL THEN
      SELECT m.status, mm.methods, mm.installment_counts
        INTO v_merchant_status, v_methods, v_counts
        FROM issuer.merchants m
        LEFT JOIN issuer.merchant_methods mm ON mm.merchant_id = m.id AND mm.issuer_code = v_issuer_code
       WHERE m.merchant_code = p_merchant_code;
    END IF;
    -- a token 0100 has no field 14: the card's own expiry is judged, not a copy of it
    v_code := issuer.decide(v_account_id IS NOT NULL, v_card_expiry, v_card_status IS DISTINCT FROM 'active',
                            v_card_currency, v_credit_limit, v_balance,
                            v_merchant_status IS NOT NULL, v_merchant_status IS DISTINCT FROM 'active',
                            v_methods, v_counts, CASE WHEN p_token_key_id IS NULL THEN p_expiry ELSE v_card_expiry END,
                            p_amount, p_currency, p_method, p_installments, p_now);
    -- reached the card rules: a token is spent, approved or declined by them
    -- (refused by its own checks above, it is not)
    v_spend := p_token_key_id IS NOT NULL;
  END IF;

  -- the answer is recorded under the key before anything is charged; a key
  -- taken meanwhile (a twin sent at once) records and charges nothing
  INSERT INTO issuer.authorizations AS au (peer, account_id, stan, terminal_id, transmission_time, merchant_code,
      amount, currency, method, installments, approval_code, response_code, status, card_lookup_hash,
      transmitted_at, token_key_id)
  VALUES (p_peer, v_account_id, p_stan, p_terminal_id, p_transmission_time, p_merchant_code, p_amount, p_currency,
          p_method, p_installments, CASE WHEN v_code = '00' THEN p_approval_code END, v_code,
          CASE WHEN v_code = '00' THEN 'approved' ELSE 'declined' END, p_card_hash, p_transmitted_at, p_token_key_id)
  ON CONFLICT (peer, stan, terminal_id, transmitted_at) DO NOTHING
  RETURNING au.id INTO v_new_id;

  IF v_new_id IS NULL THEN
    SELECT r.outcome::text AS outcome, r.response_code::text AS response_code, r.approval_code::text AS approval_code,
           r.differs::integer AS differs INTO v_replay
      FROM issuer.authorization_replay(p_peer, p_stan, p_terminal_id, p_transmitted_at, p_card_hash, p_amount,
                                       p_merchant_code, p_currency) r;
    IF v_replay.outcome IS NULL THEN
      -- the conflicting row is gone (rows are never deleted): run it again
      RAISE EXCEPTION 'the authorization under the key vanished' USING ERRCODE = 'serialization_failure';
    END IF;
    outcome := v_replay.outcome;
    response_code := v_replay.response_code;
    approval_code := v_replay.approval_code;
    differs := v_replay.differs;
    RETURN;
  END IF;

  IF v_spend THEN
    UPDATE issuer.token_keys SET used_at = p_now, authorization_id = v_new_id
     WHERE key_id = p_token_key_id AND used_at IS NULL;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'token % was used meanwhile although its row was held', p_token_key_id;
    END IF;
  END IF;
  IF v_code = '00' THEN
    UPDATE issuer.card_accounts SET balance = balance + p_amount WHERE id = v_account_id;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'the account % of an approved authorization is gone', v_account_id;
    END IF;
    charged := true;
  END IF;
  outcome := 'decided';
  response_code := v_code;
  approval_code := CASE WHEN v_code = '00' THEN p_approval_code ELSE '' END;
END $$;
COMMENT ON FUNCTION issuer.do_authorize(text, text, text, bigint, text, text, text, text, timestamptz, text, text,
                                        integer, text, timestamptz, text) IS
  'a 0100 in one statement, from p_peer (''acquirer'' or ''merchant-<code>''): a key (peer, stan, terminal, transmitted_at) already held answers its stored answer (replayed, 05 if reversed since) or 94 (conflict); else, for a token 0100 (p_token_key_id, p_expiry NULL), the token''s row is locked and issuer.token_decide judged (63 03 13 54, recorded, token not spent); else the card''s account is locked, issuer.decide judged (a token 0100 with the card''s own expiry), the answer recorded, the token marked used (approved or declined) and an approval charged. Re-sendable';

-- the acquirers' call of sql/0012, kept: the same 0100 from ''acquirer''
CREATE OR REPLACE FUNCTION issuer.do_authorize(
  p_card_hash text, p_expiry text, p_amount bigint, p_currency text,
  p_stan text, p_terminal_id text, p_transmission_time text, p_transmitted_at timestamptz,
  p_merchant_code text, p_method text, p_installments integer,
  p_approval_code text, p_now timestamptz,
  OUT outcome text, OUT response_code text, OUT approval_code text, OUT differs integer, OUT charged boolean)
LANGUAGE sql AS $$
  SELECT d.outcome, d.response_code, d.approval_code, d.differs, d.charged
    FROM issuer.do_authorize('acquirer', p_card_hash, p_expiry, p_amount, p_currency, p_stan, p_terminal_id,
                             p_transmission_time, p_transmitted_at, p_merchant_code, p_method, p_installments,
                             p_approval_code, p_now, NULL) d
$$;

-- --- a 0400/0401 -------------------------------------------------------------
CREATE FUNCTION issuer.do_reverse(
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
    SELECT au.id::bigint, au.account_id::bigint, au.amount::bigint, au.status::text INTO v_found
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
        -- a token sale's token stays spent: only the charge is undone
        UPDATE issuer.authorizations SET status = 'reversed', reversed_at = now()
         WHERE id = v_found.id AND status = 'approved';
        IF FOUND THEN
          UPDATE issuer.card_accounts SET balance = balance - v_found.amount WHERE id = v_found.account_id;
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
  'a 0400/0401 from p_peer in one statement: finds the original 0100 by its key (peer, stan, terminal, transmitted_at) and undoes an approved one exactly once (a token sale''s token stays spent). Returns outcome undone, already or not_found (a void row is recorded so a late original is refused). Re-sendable';

CREATE OR REPLACE FUNCTION issuer.do_reverse(
  p_stan text, p_terminal_id text, p_transmission_time text, p_transmitted_at timestamptz,
  p_merchant_code text, p_currency text, p_amount bigint,
  OUT outcome text)
LANGUAGE sql AS $$
  SELECT d.outcome FROM issuer.do_reverse('acquirer', p_stan, p_terminal_id, p_transmission_time, p_transmitted_at,
                                          p_merchant_code, p_currency, p_amount) d
$$;

-- --- a merchant's POS at connection -------------------------------------------
CREATE FUNCTION issuer.merchant_active(p_merchant_code text) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM issuer.merchants m WHERE m.merchant_code = p_merchant_code AND m.status = 'active')
$$;
COMMENT ON FUNCTION issuer.merchant_active(text) IS
  'whether the issuer takes payments from this merchant: a POS certificate naming another is refused after the handshake';

-- --- rights --------------------------------------------------------------------
REVOKE ALL ON issuer.token_keys FROM PUBLIC;
REVOKE DELETE, TRUNCATE ON issuer.token_keys FROM paygw_issuer;
GRANT SELECT, INSERT, UPDATE ON issuer.token_keys TO paygw_issuer;
GRANT SELECT ON issuer.merchant_sales, issuer.merchant_sales_daily TO paygw_issuer;
REVOKE EXECUTE ON FUNCTION
  issuer.do_token_key_put(text, bytea, integer, text, text, bigint, text, timestamptz, text),
  issuer.authorization_replay(text, text, text, timestamptz, text, bigint, text, text),
  issuer.token_decide(boolean, text, bigint, text, timestamptz, text, bigint, text, timestamptz),
  issuer.do_authorize(text, text, text, bigint, text, text, text, text, timestamptz, text, text, integer, text,
                      timestamptz, text),
  issuer.do_reverse(text, text, text, text, timestamptz, text, text, bigint),
  issuer.merchant_active(text)
  FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
  issuer.do_token_key_put(text, bytea, integer, text, text, bigint, text, timestamptz, text),
  issuer.authorization_replay(text, text, text, timestamptz, text, bigint, text, text),
  issuer.token_decide(boolean, text, bigint, text, timestamptz, text, bigint, text, timestamptz),
  issuer.do_authorize(text, text, text, bigint, text, text, text, text, timestamptz, text, text, integer, text,
                      timestamptz, text),
  issuer.do_reverse(text, text, text, text, timestamptz, text, text, bigint),
  issuer.merchant_active(text)
  TO paygw_issuer;
