-- 0014_gateway_do.sql — one round trip per request (issue 19): each
-- endpoint's work at the database is one call of a gateway.do_* function,
-- written in cgi/gateway/db/ as one typed C operation per file.
--
-- Every function keeps the guards of the statements it replaces (the
-- `WHERE status = ...` of each state change, the unique keys, the
-- idempotency rules) and answers a status column `outcome` that the C side
-- maps to the HTTP answer.  They run as SECURITY INVOKER: the gateway's
-- role keeps exactly the table rights sql/0006 gave it, and EXECUTE is
-- granted to it by name and revoked from PUBLIC.
--
-- A function that may be sent again after its answer was lost recognises
-- its own earlier effect by a key the caller chose (a transaction number)
-- and answers the same again; its C operation is marked DB_REPEATABLE.
-- In READ COMMITTED each statement of a (volatile) PL/pgSQL function takes
-- a new snapshot, so a statement after a lock wait sees what the
-- transaction it waited for committed, as the separate statements did.

-- POST /v1/transactions: the terminal's allowance, the Idempotency-Key, the
-- user's row locked and its open transactions counted, the new transaction
-- with its signed payment command and the answer kept for replays.
CREATE FUNCTION gateway.do_create_transaction(
  p_terminal_id bigint, p_merchant_id bigint,
  p_rate_interval_s double precision, p_rate_tolerance_s double precision,
  p_idem_key text, p_request_hash text,
  p_user_id text, p_device_code text, p_max_open integer,
  p_number text, p_deadline timestamptz, p_currency text, p_total bigint, p_tax_total bigint,
  p_items jsonb, p_reference text, p_binding_code text, p_challenge text,
  p_command text, p_signature text, p_answer text)
RETURNS TABLE (outcome text, device_code text, wait_s double precision, open_count bigint,
               replay_status integer, replay_body text)
LANGUAGE plpgsql AS $$
DECLARE
  v_code text;
  v_user record;
  v_key record;
  v_open bigint;
  v_found boolean;
BEGIN
  -- the user's row first: a creation for the user still committing (this
  -- very call, sent again after its answer was lost) is waited for, so the
  -- look for the number below sees it
  PERFORM 1 FROM gateway.users u WHERE u.user_id = p_user_id FOR NO KEY UPDATE;
  -- sent again after its answer was lost: the caller's number says it was made
  IF EXISTS (SELECT 1 FROM gateway.transactions t WHERE t.number = p_number AND t.terminal_id = p_terminal_id) THEN
    RETURN QUERY SELECT 'created'::text, p_device_code, NULL::double precision, NULL::bigint, NULL::integer, NULL::text;
    RETURN;
  END IF;
  -- the payment command, signed by the caller, names the user's handset: a
  -- caller that guessed another one signs again (nothing spent yet)
  SELECT d.code INTO v_code FROM gateway.users u JOIN gateway.devices d ON d.id = u.device_id
   WHERE u.user_id = p_user_id;
  IF FOUND AND v_code IS DISTINCT FROM p_device_code THEN
    RETURN QUERY SELECT 'sign_again'::text, v_code, NULL::double precision, NULL::bigint, NULL::integer, NULL::text;
    RETURN;
  END IF;

  -- the terminal's allowance (GCRA on gateway.terminal_rate, sql/0009):
  -- spent first, and kept whatever comes of the rest, as before
  INSERT INTO gateway.terminal_rate AS r (terminal_id, tat)
  VALUES (p_terminal_id, now() + make_interval(secs => p_rate_interval_s))
  ON CONFLICT (terminal_id) DO UPDATE
    SET tat = greatest(r.tat, now()) + make_interval(secs => p_rate_interval_s)
  WHERE r.tat <= now() + make_interval(secs => p_rate_tolerance_s);
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'rate_limited'::text, NULL::text,
      ceil(coalesce(extract(epoch FROM (SELECT tat FROM gateway.terminal_rate WHERE terminal_id = p_terminal_id) - now()), 0)
           - p_rate_tolerance_s)::double precision,
      NULL::bigint, NULL::integer, NULL::text;
    RETURN;
  END IF;

  -- the Idempotency-Key: claimed, or the first answer (same request) or a conflict
  IF p_idem_key IS NOT NULL THEN
    INSERT INTO gateway.idempotency_keys (terminal_id, key, request_hash)
    VALUES (p_terminal_id, p_idem_key, decode(p_request_hash, 'hex')) ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
      SELECT encode(k.request_hash, 'hex') AS hash, k.response_status::integer, k.response_body::text INTO v_key
        FROM gateway.idempotency_keys k WHERE k.terminal_id = p_terminal_id AND k.key = p_idem_key;
      IF NOT FOUND THEN
        RETURN QUERY SELECT 'key_lost'::text, NULL::text, NULL::double precision, NULL::bigint, NULL::integer, NULL::text;
      ELSIF v_key.hash <> p_request_hash THEN
        RETURN QUERY SELECT 'conflict'::text, NULL::text, NULL::double precision, NULL::bigint, NULL::integer, NULL::text;
      ELSE
        RETURN QUERY SELECT 'replayed'::text, NULL::text, NULL::double precision, NULL::bigint,
                            v_key.response_status::integer, v_key.response_body::text;
      END IF;
      RETURN;
    END IF;
  END IF;

  -- the user, locked (above) until the commit: concurrent creations for one
  -- user take turns, so each counts what the one before it committed (NO
  -- KEY UPDATE leaves the foreign-key checks of other inserts free)
  SELECT u.user_id::text, u.card_id::bigint, u.device_id::bigint, d.code::text AS device_code INTO v_user
    FROM gateway.users u JOIN gateway.cards c ON c.id = u.card_id
    JOIN gateway.devices d ON d.id = u.device_id JOIN gateway.subscribers s ON s.id = u.subscriber_id
   WHERE u.user_id = p_user_id AND u.status = 'active' AND c.status = 'active' AND d.status = 'active'
     AND s.status = 'active'
     FOR NO KEY UPDATE OF u;
  v_found := FOUND;
  IF NOT v_found OR v_user.device_code IS DISTINCT FROM p_device_code THEN
    -- refused: the key is not kept (what the rollback of the claim did)
    DELETE FROM gateway.idempotency_keys k WHERE k.terminal_id = p_terminal_id AND k.key = p_idem_key;
    RETURN QUERY SELECT CASE WHEN v_found THEN 'sign_again' ELSE 'unknown_user' END::text,
      CASE WHEN v_found THEN v_user.device_code::text END, NULL::double precision, NULL::bigint, NULL::integer,
      NULL::text;
    RETURN;
  END IF;

  -- its open transactions (issue 4; the status list is transactions_open_idx's)
  SELECT count(*) INTO v_open FROM gateway.transactions t
   WHERE t.user_id = p_user_id
     AND t.status IN ('awaiting_device', 'awaiting_confirmation', 'awaiting_method', 'authorizing')
     AND (t.status = 'authorizing' OR t.deadline >= now());
  IF v_open >= p_max_open THEN
    DELETE FROM gateway.idempotency_keys k WHERE k.terminal_id = p_terminal_id AND k.key = p_idem_key;
    RETURN QUERY SELECT 'too_many_open'::text, NULL::text, NULL::double precision, v_open, NULL::integer, NULL::text;
    RETURN;
  END IF;

  WITH t AS (
    INSERT INTO gateway.transactions (number, user_id, card_id, device_id, merchant_id, terminal_id, deadline,
                                      currency, total, tax_total, items, reference, binding_code, challenge)
    VALUES (p_number, v_user.user_id, v_user.card_id, v_user.device_id, p_merchant_id, p_terminal_id, p_deadline,
            p_currency, p_total, p_tax_total, p_items, p_reference, p_binding_code, p_challenge)
    RETURNING id, device_id, user_id)
  INSERT INTO gateway.mailbox (device_id, user_id, transaction_id, kind, message, signature, expires_at)
  SELECT t.device_id, t.user_id, t.id, 'payment_command', p_command, p_signature, p_deadline FROM t;
  IF p_idem_key IS NOT NULL THEN
    UPDATE gateway.idempotency_keys k SET response_status = 201, response_body = p_answer
     WHERE k.terminal_id = p_terminal_id AND k.key = p_idem_key;
  END IF;
  RETURN QUERY SELECT 'created'::text, p_device_code, NULL::double precision, NULL::bigint, NULL::integer, NULL::text;
END
$$;
COMMENT ON FUNCTION gateway.do_create_transaction(bigint, bigint, double precision, double precision, text, text, text,
  text, integer, text, timestamptz, text, bigint, bigint, jsonb, text, text, text, text, text, text) IS
  'POST /v1/transactions in one call: outcome created (also when p_number exists: a re-sent call), sign_again '
  '(device_code: the user''s handset, the command must name it), rate_limited (wait_s), replayed (replay_status, '
  'replay_body), conflict, unknown_user, too_many_open (open_count) or key_lost; only created and the spent '
  'allowance change anything';
REVOKE ALL ON FUNCTION gateway.do_create_transaction(bigint, bigint, double precision, double precision, text, text,
  text, text, integer, text, timestamptz, text, bigint, bigint, jsonb, text, text, text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gateway.do_create_transaction(bigint, bigint, double precision, double precision, text, text,
  text, text, integer, text, timestamptz, text, bigint, bigint, jsonb, text, text, text, text, text, text)
  TO paygw_gateway;
