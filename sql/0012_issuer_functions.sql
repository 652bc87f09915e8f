-- 0012_issuer_functions.sql — the credit server's two state changes, each one
-- statement (one round trip, one commit) instead of a transaction of four to
-- six statements sent one by one (docs/credit-server.md, "The database"):
--  * issuer.decide(...): the decision on a 0100 (figure 24B's checks), pure,
--    so a test walks every response code by calling it alone;
--  * issuer.do_authorize(...): a whole 0100: the account row locked, the
--    merchant's methods for the card's issuer read, issuer.decide, the
--    answer recorded under the key (STAN, terminal, full transmission time)
--    and only then the charge; a key already held answers the stored answer
--    (same request) or 94 (another card, amount, merchant or currency);
--  * issuer.do_reverse(...): a 0400/0401: the original found by its key and
--    undone exactly once (guarded UPDATE, then the refund), or a void row
--    recorded when the original was never seen.
-- The rules are those the credit server applied in C until now, unchanged.
-- Both do_* functions are re-sendable after a lost connection: called again
-- with the same parameters they meet their own row under the key and answer
-- as the first time (the credit server marks them DB_REPEATABLE).
-- SECURITY INVOKER (the default): they run with paygw_issuer's own table
-- rights (sql/0006), so they can do nothing the role could not.

-- The decision, first match wins: unknown card 14; expired at the issuer
-- (its YYMM before the month of p_now, UTC) or field 14 not the issuer's
-- expiry 54; blocked account or field 49 not the account's currency 05;
-- merchant unknown or disabled 03; no methods row for (merchant, card
-- issuer), method not listed, or installments not allowed 57; amount over
-- limit - balance 51; else 00.  p_methods NULL: no methods row.
CREATE FUNCTION issuer.decide(
  p_card_found boolean, p_card_expiry text, p_card_blocked boolean, p_card_currency text,
  p_credit_limit bigint, p_balance bigint,
  p_merchant_found boolean, p_merchant_disabled boolean, p_methods text[], p_installment_counts smallint[],
  p_expiry text, p_amount bigint, p_currency text, p_method text, p_installments integer,
  p_now timestamptz)
RETURNS text
LANGUAGE plpgsql STABLE AS $$
BEGIN
  IF NOT p_card_found THEN
    RETURN '14';
  END IF;
  IF (2000 + substr(p_card_expiry, 1, 2)::integer) * 100 + substr(p_card_expiry, 3, 2)::integer
       < to_char(p_now AT TIME ZONE 'UTC', 'YYYYMM')::integer
     OR p_card_expiry IS DISTINCT FROM p_expiry THEN
    RETURN '54';
  END IF;
  IF p_card_blocked OR p_card_currency IS DISTINCT FROM p_currency THEN
    RETURN '05';
  END IF;
  IF NOT p_merchant_found OR p_merchant_disabled THEN
    RETURN '03';
  END IF;
  IF p_methods IS NULL OR NOT (p_method = ANY (p_methods))
     OR (p_method <> 'I' AND p_installments <> 0)
     OR (p_method = 'I' AND NOT (p_installments = ANY (coalesce(p_installment_counts, '{}')))) THEN
    RETURN '57';
  END IF;
  -- written so that it cannot overflow: amount <= limit - balance
  IF p_amount > p_credit_limit - p_balance THEN
    RETURN '51';
  END IF;
  RETURN '00';
END $$;
COMMENT ON FUNCTION issuer.decide(boolean, text, boolean, text, bigint, bigint, boolean, boolean, text[], smallint[],
                                  text, bigint, text, text, integer, timestamptz) IS
  'the issuer''s decision on a 0100 (figure 24B), first match wins: card unknown 14, expired or field 14 differs 54, blocked or other currency 05, merchant unknown or disabled 03, method not allowed 57, over the limit 51, else 00; pure (called by do_authorize, and alone by tests)';

CREATE FUNCTION issuer.do_authorize(
  p_card_hash text, p_expiry text, p_amount bigint, p_currency text,
  p_stan text, p_terminal_id text, p_transmission_time text, p_transmitted_at timestamptz,
  p_merchant_code text, p_method text, p_installments integer,
  p_approval_code text, p_now timestamptz,
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
  v_stored record;
BEGIN
  differs := 0;
  charged := false;
  -- the account row is held until the end, so two 0100s of one card are
  -- decided one after the other on the balance the first left
  SELECT a.id, a.issuer_code, a.expiry, a.credit_limit, a.balance, a.currency, a.status
    INTO v_account_id, v_issuer_code, v_card_expiry, v_credit_limit, v_balance, v_card_currency, v_card_status
    FROM issuer.card_accounts a WHERE a.card_lookup_hash = p_card_hash FOR UPDATE;
  IF v_account_id IS NOT NULL THEN
    SELECT m.status, mm.methods, mm.installment_counts
      INTO v_merchant_status, v_methods, v_counts
      FROM issuer.merchants m
      LEFT JOIN issuer.merchant_methods mm ON mm.merchant_id = m.id AND mm.issuer_code = v_issuer_code
     WHERE m.merchant_code = p_merchant_code;
  END IF;
  v_code := issuer.decide(v_account_id IS NOT NULL, v_card_expiry, v_card_status IS DISTINCT FROM 'active',
                          v_card_currency, v_credit_limit, v_balance,
                          v_merchant_status IS NOT NULL, v_merchant_status IS DISTINCT FROM 'active',
                          v_methods, v_counts, p_expiry, p_amount, p_currency, p_method, p_installments, p_now);

  -- the answer is recorded under the key before anything is charged; a
  -- key already held (a duplicate, a void row, this call sent again after
  -- a lost connection) records and charges nothing
  INSERT INTO issuer.authorizations AS au (account_id, stan, terminal_id, transmission_time, merchant_code,
      amount, currency, method, installments, approval_code, response_code, status, card_lookup_hash,
      transmitted_at)
  VALUES (v_account_id, p_stan, p_terminal_id, p_transmission_time, p_merchant_code, p_amount, p_currency,
          p_method, p_installments, CASE WHEN v_code = '00' THEN p_approval_code END, v_code,
          CASE WHEN v_code = '00' THEN 'approved' ELSE 'declined' END, p_card_hash, p_transmitted_at)
  ON CONFLICT (stan, terminal_id, transmitted_at) DO NOTHING
  RETURNING au.id INTO v_new_id;

  IF v_new_id IS NOT NULL THEN
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
    RETURN;
  END IF;

  SELECT au.status::text, au.response_code::text, coalesce(au.approval_code, '')::text AS approval_code,
         coalesce(au.card_lookup_hash, '')::text AS card_lookup_hash, au.amount::bigint, au.merchant_code::text,
         au.currency::text
    INTO v_stored
    FROM issuer.authorizations au
   WHERE au.stan = p_stan AND au.terminal_id = p_terminal_id AND au.transmitted_at = p_transmitted_at
     FOR UPDATE;
  IF NOT FOUND THEN
    -- the conflicting row is gone (rows are never deleted): run it again
    RAISE EXCEPTION 'the authorization under the key vanished' USING ERRCODE = 'serialization_failure';
  END IF;
  -- what differs, as a mask: 1 card (a void row never knew the card),
  -- 2 amount, 4 merchant, 8 currency
  differs := CASE WHEN v_stored.card_lookup_hash <> '' AND v_stored.card_lookup_hash <> p_card_hash THEN 1 ELSE 0 END
           | CASE WHEN v_stored.amount <> p_amount THEN 2 ELSE 0 END
           | CASE WHEN v_stored.merchant_code <> p_merchant_code THEN 4 ELSE 0 END
           | CASE WHEN v_stored.currency <> p_currency THEN 8 ELSE 0 END;
  IF differs <> 0 THEN
    -- not a repeat of the stored request: neither its answer nor a charge
    outcome := 'conflict';
    response_code := '94';
    approval_code := '';
  ELSIF v_stored.status = 'reversed' THEN
    -- the approval is no longer held: refused like an original that comes
    -- after its reversal (a void row)
    outcome := 'replayed';
    response_code := '05';
    approval_code := '';
  ELSE
    outcome := 'replayed';
    response_code := v_stored.response_code;
    approval_code := v_stored.approval_code;
  END IF;
END $$;
COMMENT ON FUNCTION issuer.do_authorize(text, text, bigint, text, text, text, text, timestamptz, text, text, integer,
                                        text, timestamptz) IS
  'a 0100 in one statement: locks the card''s account (by lookup hash), reads the merchant''s methods for the card''s issuer, decides (issuer.decide at p_now), records the answer under (stan, terminal, transmitted_at) and charges an approval (p_approval_code is used only then). Returns outcome decided (charged says whether the balance moved), replayed (the key holds this same request: its stored answer, 05 if reversed since) or conflict (the key holds another card, amount, merchant or currency: 94, differs = 1 card | 2 amount | 4 merchant | 8 currency). Sent again with the same parameters it answers replayed: re-sendable';

CREATE FUNCTION issuer.do_reverse(
  p_stan text, p_terminal_id text, p_transmission_time text, p_transmitted_at timestamptz,
  p_merchant_code text, p_currency text, p_amount bigint,
  OUT outcome text)
LANGUAGE plpgsql AS $$
DECLARE
  v_found record;
  v_new_id bigint;
BEGIN
  -- two rounds: when the void insert loses to an original committed in
  -- between, the second look (a new snapshot: each statement of a VOLATILE
  -- function takes one) finds that original
  FOR round IN 1..2 LOOP
    SELECT au.id::bigint, au.account_id::bigint, au.amount::bigint, au.status::text INTO v_found
      FROM issuer.authorizations au
     WHERE au.stan = p_stan AND au.terminal_id = p_terminal_id AND au.transmitted_at = p_transmitted_at
       FOR UPDATE;
    IF FOUND THEN
      IF v_found.status = 'void' THEN
        outcome := 'not_found';          -- a repeat of a reversal of nothing
        RETURN;
      END IF;
      IF v_found.status = 'approved' THEN
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
    INSERT INTO issuer.authorizations AS au (stan, terminal_id, transmission_time, merchant_code, amount, currency,
        response_code, status, reversed_at, transmitted_at)
    VALUES (p_stan, p_terminal_id, p_transmission_time, p_merchant_code, p_amount, p_currency, '05', 'void', now(),
            p_transmitted_at)
    ON CONFLICT (stan, terminal_id, transmitted_at) DO NOTHING
    RETURNING au.id INTO v_new_id;
    IF v_new_id IS NOT NULL THEN
      outcome := 'not_found';
      RETURN;
    END IF;
  END LOOP;
  RAISE EXCEPTION 'the authorization under the key vanished' USING ERRCODE = 'serialization_failure';
END $$;
COMMENT ON FUNCTION issuer.do_reverse(text, text, text, timestamptz, text, text, bigint) IS
  'a 0400/0401 in one statement: finds the original 0100 by its key (stan, terminal, transmitted_at) and undoes an approved one exactly once (guarded UPDATE, then the refund). Returns outcome undone (done now), already (reversed before, or declined: nothing to undo) or not_found (never seen: a void row is recorded so a late original is refused; a void row found again answers not_found too). Sent again it answers already or not_found as the first call''s effect dictates: re-sendable';

-- only the credit server's role calls them (the schema is closed to PUBLIC
-- already; functions are executable by PUBLIC by default, so say it here)
REVOKE EXECUTE ON FUNCTION
  issuer.decide(boolean, text, boolean, text, bigint, bigint, boolean, boolean, text[], smallint[],
                text, bigint, text, text, integer, timestamptz),
  issuer.do_authorize(text, text, bigint, text, text, text, text, timestamptz, text, text, integer, text, timestamptz),
  issuer.do_reverse(text, text, text, timestamptz, text, text, bigint)
  FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
  issuer.decide(boolean, text, boolean, text, bigint, bigint, boolean, boolean, text[], smallint[],
                text, bigint, text, text, integer, timestamptz),
  issuer.do_authorize(text, text, bigint, text, text, text, text, timestamptz, text, text, integer, text, timestamptz),
  issuer.do_reverse(text, text, text, timestamptz, text, text, bigint)
  TO paygw_issuer;
