-- 0021_tokens.sql — the second embodiment's token requests at the gateway
-- (issue 14, the patent's [0128]-[0169]; cgi/gateway/ep_token*.c, docs/api.md
-- "Tokens"): a POS asks for an encrypted card number for one sale
-- (POST /v1/tokens), the shopper agrees on the handset and replies with the
-- web password (POST /v1/tokens/{id}/reply), the gateway makes a fresh key,
-- encrypts the card number under it (lib/common/tokencrypt), gives the key to
-- the issuer's credit server (ISO 8583 0600) and, once it is stored there,
-- the encrypted number to the POS.
--
-- The key itself is never stored here: it lives in the worker's memory
-- between its making and the 0600.  What is stored is what the POS may see
-- (key ID, encrypted number, expiry, the card's last four digits).
--
-- The rules of sql/0014 hold: one gateway.do_* call per request, each
-- keeping the guards of a state machine moved only by guarded UPDATEs,
-- answering an `outcome` the C side maps (cgi/gateway/db/token_*.c),
-- SECURITY INVOKER with EXECUTE granted to paygw_gateway by name.
--
--   awaiting_reply -> delivering -> issued | failed
--   awaiting_reply -> canceled | expired
--   rejected (at creation, or at the reply when the card went meanwhile)

CREATE TABLE gateway.token_requests (
  id                     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  token                  text NOT NULL UNIQUE CHECK (token ~ '^tk_[A-Za-z0-9_-]{22}$'),
  terminal_id            bigint NOT NULL REFERENCES gateway.terminals,
  merchant_id            bigint NOT NULL REFERENCES gateway.merchants,
  user_id                text NOT NULL REFERENCES gateway.users,
  card_id                bigint NOT NULL REFERENCES gateway.cards,
  device_id              bigint NOT NULL REFERENCES gateway.devices,
  status                 text NOT NULL CHECK (status IN ('awaiting_reply', 'delivering', 'issued', 'failed',
                                                         'canceled', 'expired', 'rejected')),
  reason                 text CHECK (reason IN ('user_locked', 'no_card', 'card_expired', 'not_agreed',
                                                'wrong_password', 'wrong_device', 'no_reply', 'issuer_refused',
                                                'issuer_unavailable', 'canceled_by_pos')),
  currency               text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  currency_numeric       text NOT NULL CHECK (currency_numeric ~ '^[0-9]{3}$'),
  total                  bigint NOT NULL CHECK (total > 0 AND total < 1000000000000),
  tax_total              bigint NOT NULL CHECK (tax_total >= 0 AND tax_total <= total),
  items                  jsonb NOT NULL,
  reference              text CHECK (length(reference) BETWEEN 1 AND 64),
  binding_code           text NOT NULL CHECK (binding_code ~ '^[A-Z0-9]{4}$'),
  idem_key               text NOT NULL CHECK (idem_key ~ '^[A-Za-z0-9_-]{1,64}$'),
  reply_deadline         timestamptz NOT NULL,
  stan                   integer CHECK (stan BETWEEN 1 AND 999999),
  transmission_time      text CHECK (transmission_time ~ '^[0-9]{10}$'),
  response_code          text CHECK (response_code ~ '^[0-9A-Z]{2}$'),
  key_id                 text UNIQUE CHECK (key_id ~ '^[A-Za-z0-9_-]{22}$'),
  encrypted_card_number  text CHECK (encrypted_card_number ~ '^[A-Za-z0-9_-]{55,63}$'),
  expiry                 text CHECK (expiry ~ '^[0-9]{14}$'),
  card_last4             text CHECK (card_last4 ~ '^[0-9]{4}$'),
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now(),
  UNIQUE (terminal_id, idem_key),
  -- a reason says why a request ended otherwise than issued, and only then
  CHECK ((status IN ('awaiting_reply', 'delivering', 'issued')) = (reason IS NULL)),
  CHECK (status <> 'issued' OR (key_id IS NOT NULL AND encrypted_card_number IS NOT NULL AND expiry IS NOT NULL
                                AND card_last4 IS NOT NULL))
);
COMMENT ON TABLE gateway.token_requests IS
  'second embodiment: one POST /v1/tokens, a sale waiting for the shopper''s reply, then the encrypted card number '
  'handed to the POS once its key is stored at the issuer (0600/0610).  No key column: the key is never stored here';
COMMENT ON COLUMN gateway.token_requests.token IS 'the request''s ID in the API: tk_ and 22 base64url characters (128 random bits)';
COMMENT ON COLUMN gateway.token_requests.card_id IS 'the user''s card when the request was made; the reply checks the user''s card again';
COMMENT ON COLUMN gateway.token_requests.currency_numeric IS 'ISO 4217 numeric code (field 49), as the POS sends it';
COMMENT ON COLUMN gateway.token_requests.idem_key IS 'the POS''s Idempotency-Key (its answer is kept in gateway.idempotency_keys)';
COMMENT ON COLUMN gateway.token_requests.reply_deadline IS
  'no reply by then: expired/no_reply (PAYGW_TOKEN_REPLY_S, 120 s, [0155])';
COMMENT ON COLUMN gateway.token_requests.stan IS 'field 11 of the 0600 (gateway.stan_seq), from delivering on';
COMMENT ON COLUMN gateway.token_requests.key_id IS 'tokencrypt key ID (field 60); the key is held by the issuer only';
COMMENT ON COLUMN gateway.token_requests.encrypted_card_number IS
  'tokencrypt''s AES-256-GCM encrypted card number (field 61): what the POS gets, unreadable without the issuer''s key';
COMMENT ON COLUMN gateway.token_requests.expiry IS 'the token''s own expiry, YYYYMMDDhhmmss UTC (field 62), issue time + PAYGW_TOKEN_TTL_S';
COMMENT ON COLUMN gateway.token_requests.card_last4 IS 'the last four digits of the card, for the receipt: never more of it';
CREATE INDEX token_requests_waiting_idx ON gateway.token_requests (reply_deadline) WHERE status = 'awaiting_reply';
CREATE INDEX token_requests_delivering_idx ON gateway.token_requests (updated_at) WHERE status = 'delivering';
CREATE INDEX token_requests_user_idx ON gateway.token_requests (user_id, created_at);

-- the handset's confirmation goes through the direction server like a payment command
ALTER TABLE gateway.mailbox DROP CONSTRAINT mailbox_kind_check,
  ADD CONSTRAINT mailbox_kind_check CHECK (kind IN ('payment_command', 'completion', 'token_confirmation')),
  ADD COLUMN token_request_id bigint REFERENCES gateway.token_requests;
COMMENT ON COLUMN gateway.mailbox.token_request_id IS 'the token request a token_confirmation asks the shopper about';

-- The answer the POS gets for a token request (201 at creation, kept for an
-- Idempotency-Key replay; 200 for GET): one place builds it.  json, not
-- jsonb, so the members keep this order.
CREATE FUNCTION gateway.token_json(p_id bigint) RETURNS text
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (
    SELECT json_build_object(
      'id', r.token::text, 'status', r.status::text, 'reason', r.reason::text, 'user_id', r.user_id::text,
      'merchant', m.code::text, 'shop', m.shop_name::text, 'terminal', tm.code::text,
      'iso_terminal_id', tm.iso_terminal_id::text, 'currency', r.currency::text,
      'currency_numeric', r.currency_numeric::text, 'total', r.total::bigint, 'tax_total', r.tax_total::bigint,
      'items', r.items::jsonb, 'reference', r.reference::text, 'binding_code', r.binding_code::text,
      'created_at', to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
      'reply_deadline', to_char(r.reply_deadline AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
      'token', CASE WHEN r.status = 'issued' THEN json_build_object(
        'key_id', r.key_id::text, 'encrypted_card_number', r.encrypted_card_number::text,
        'expires_at', to_char(to_timestamp(r.expiry::text, 'YYYYMMDDHH24MISS'), 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
        'expiry', r.expiry::text, 'card_last4', r.card_last4::text) END)::text
      FROM gateway.token_requests r JOIN gateway.merchants m ON m.id = r.merchant_id
      JOIN gateway.terminals tm ON tm.id = r.terminal_id
     WHERE r.id = p_id);
END
$$;
COMMENT ON FUNCTION gateway.token_json(bigint) IS
  'the token request p_id as the POS sees it (JSON text; token null unless issued, and then only key ID, encrypted '
  'number, expiry and last four digits)';

-- A request whose reply time has run out is expired before anything else
-- is done with it, on the row the caller has locked.  True when it did.
CREATE FUNCTION gateway.token_expire_if_overdue(p_id bigint) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE gateway.token_requests r SET status = 'expired', reason = 'no_reply', updated_at = now()
   WHERE r.id = p_id AND r.status = 'awaiting_reply' AND r.reply_deadline < now();
  RETURN FOUND;
END
$$;
COMMENT ON FUNCTION gateway.token_expire_if_overdue(bigint) IS
  'moves token request p_id to expired/no_reply when its reply time has run out; true when it did';

-- POST /v1/tokens: the terminal's allowance (as POST /v1/transactions), the
-- Idempotency-Key (its hash is taken over the path too, so a key used for a
-- transaction is a conflict here, never its answer), the user (unknown or
-- disabled: nothing kept), then the request stored — rejected when the
-- user is locked (the history's web-password lock), the card not active
-- (no_card) or past its month (card_expired), else awaiting_reply with
-- the signed token_confirmation in the handset's mailbox.  The confirmation
-- names the user's handset: a caller that guessed another one is told
-- sign_again (device_code) before anything is spent.  Sent again after a
-- lost answer, the caller's token ID says it was made.
CREATE FUNCTION gateway.do_create_token(
  p_terminal_id bigint, p_merchant_id bigint,
  p_rate_interval_s double precision, p_rate_tolerance_s double precision,
  p_idem_key text, p_request_hash text, p_user_id text, p_device_code text,
  p_token text, p_reply_deadline timestamptz, p_currency text, p_currency_numeric text,
  p_total bigint, p_tax_total bigint, p_items jsonb, p_reference text, p_binding_code text,
  p_message text, p_signature text)
RETURNS TABLE (outcome text, device_code text, wait_s double precision, replay_status integer, body text)
LANGUAGE plpgsql AS $$
DECLARE
  v_id bigint;
  v_user record;
  v_key record;
  v_status text := 'awaiting_reply';
  v_reason text;
  v_body text;
BEGIN
  SELECT r.id::bigint INTO v_id FROM gateway.token_requests r WHERE r.token = p_token AND r.terminal_id = p_terminal_id;
  IF FOUND THEN
    RETURN QUERY SELECT 'created'::text, p_device_code, NULL::double precision, NULL::integer,
                        gateway.token_json(v_id)::text;
    RETURN;
  END IF;
  SELECT u.user_id::text, u.card_id::bigint, u.device_id::bigint, d.code::text AS device_code,
         coalesce(u.locked_until > now(), false)::boolean AS locked, c.status::text AS card_status,
         c.expiry::text < to_char(now() AT TIME ZONE 'UTC', 'YYMM') AS card_expired
    INTO v_user
    FROM gateway.users u JOIN gateway.cards c ON c.id = u.card_id
    JOIN gateway.devices d ON d.id = u.device_id JOIN gateway.subscribers s ON s.id = u.subscriber_id
   WHERE u.user_id = p_user_id AND u.status = 'active' AND d.status = 'active' AND s.status = 'active';
  IF FOUND AND v_user.device_code IS DISTINCT FROM p_device_code THEN
    RETURN QUERY SELECT 'sign_again'::text, v_user.device_code::text, NULL::double precision, NULL::integer, NULL::text;
    RETURN;
  END IF;

  -- the terminal's allowance (sql/0009's GCRA), spent first and kept
  INSERT INTO gateway.terminal_rate AS t (terminal_id, tat)
  VALUES (p_terminal_id, now() + make_interval(secs => p_rate_interval_s))
  ON CONFLICT (terminal_id) DO UPDATE
    SET tat = greatest(t.tat, now()) + make_interval(secs => p_rate_interval_s)
  WHERE t.tat <= now() + make_interval(secs => p_rate_tolerance_s);
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'rate_limited'::text, NULL::text,
      ceil(coalesce(extract(epoch FROM (SELECT t.tat FROM gateway.terminal_rate t WHERE t.terminal_id = p_terminal_id)
                                        - now()), 0) - p_rate_tolerance_s)::double precision,
      NULL::integer, NULL::text;
    RETURN;
  END IF;

  INSERT INTO gateway.idempotency_keys (terminal_id, key, request_hash)
  VALUES (p_terminal_id, p_idem_key, decode(p_request_hash, 'hex')) ON CONFLICT DO NOTHING;
  IF NOT FOUND THEN
    SELECT encode(k.request_hash, 'hex') AS hash, k.response_status::integer AS response_status,
           k.response_body::text AS response_body INTO v_key
      FROM gateway.idempotency_keys k WHERE k.terminal_id = p_terminal_id AND k.key = p_idem_key;
    IF NOT FOUND THEN
      RETURN QUERY SELECT 'key_lost'::text, NULL::text, NULL::double precision, NULL::integer, NULL::text;
    ELSIF v_key.hash <> p_request_hash OR v_key.response_status IS NULL THEN
      RETURN QUERY SELECT 'conflict'::text, NULL::text, NULL::double precision, NULL::integer, NULL::text;
    ELSE
      RETURN QUERY SELECT 'replayed'::text, NULL::text, NULL::double precision, v_key.response_status::integer,
                          v_key.response_body::text;
    END IF;
    RETURN;
  END IF;

  IF v_user.user_id IS NULL THEN
    DELETE FROM gateway.idempotency_keys k WHERE k.terminal_id = p_terminal_id AND k.key = p_idem_key;
    RETURN QUERY SELECT 'unknown_user'::text, NULL::text, NULL::double precision, NULL::integer, NULL::text;
    RETURN;
  END IF;
  -- [0152], [0157]-[0158]: checked before the shopper is asked anything
  IF v_user.locked THEN
    v_status := 'rejected'; v_reason := 'user_locked';
  ELSIF v_user.card_status <> 'active' THEN
    v_status := 'rejected'; v_reason := 'no_card';
  ELSIF v_user.card_expired THEN
    v_status := 'rejected'; v_reason := 'card_expired';
  END IF;
  INSERT INTO gateway.token_requests (token, terminal_id, merchant_id, user_id, card_id, device_id, status, reason,
                                      currency, currency_numeric, total, tax_total, items, reference, binding_code,
                                      idem_key, reply_deadline)
  VALUES (p_token, p_terminal_id, p_merchant_id, v_user.user_id, v_user.card_id, v_user.device_id, v_status,
          v_reason, p_currency, p_currency_numeric, p_total, p_tax_total, p_items, p_reference, p_binding_code,
          p_idem_key, p_reply_deadline)
  RETURNING id INTO v_id;
  IF v_status = 'awaiting_reply' THEN
    INSERT INTO gateway.mailbox (device_id, user_id, token_request_id, kind, message, signature, expires_at)
    VALUES (v_user.device_id, v_user.user_id, v_id, 'token_confirmation', p_message, p_signature, p_reply_deadline);
  END IF;
  v_body := gateway.token_json(v_id)::text;
  UPDATE gateway.idempotency_keys k SET response_status = 201, response_body = v_body
   WHERE k.terminal_id = p_terminal_id AND k.key = p_idem_key;
  RETURN QUERY SELECT 'created'::text, p_device_code, NULL::double precision, NULL::integer, v_body;
END
$$;
COMMENT ON FUNCTION gateway.do_create_token(bigint, bigint, double precision, double precision, text, text, text, text,
  text, timestamptz, text, text, bigint, bigint, jsonb, text, text, text, text) IS
  'POST /v1/tokens in one call: outcome created (body: the answer; awaiting_reply with the confirmation in the '
  'mailbox, or rejected; also when p_token exists: a re-sent call), sign_again (device_code), rate_limited (wait_s), '
  'replayed (replay_status, body), conflict, unknown_user or key_lost; only created and the spent allowance change '
  'anything';

-- GET /v1/tokens/{id} for the terminal that made it: expired first when
-- overdue (a repeat finds it done), then its answer.
CREATE FUNCTION gateway.do_token_view(p_token text, p_terminal_id bigint)
RETURNS TABLE (outcome text, token_status text, body text)
LANGUAGE plpgsql AS $$
DECLARE
  v_id bigint;
BEGIN
  SELECT r.id::bigint INTO v_id FROM gateway.token_requests r WHERE r.token = p_token AND r.terminal_id = p_terminal_id;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'unknown_token'::text, NULL::text, NULL::text;
    RETURN;
  END IF;
  PERFORM gateway.token_expire_if_overdue(v_id);
  RETURN QUERY SELECT 'found'::text, r.status::text, gateway.token_json(v_id)::text
    FROM gateway.token_requests r WHERE r.id = v_id;
END
$$;
COMMENT ON FUNCTION gateway.do_token_view(text, bigint) IS
  'GET /v1/tokens/{id}: outcome found (token_status, body) or unknown_token (none, or another terminal''s); changes '
  'nothing but an overdue request''s expiry';

-- POST /v1/tokens/{id}/cancel by the terminal that made it: only while it
-- awaits the reply; its confirmation, if the handset has not picked it up,
-- is dropped from the mailbox.  Sent again (or asked twice), a request it canceled
-- answers canceled again and changes nothing.
CREATE FUNCTION gateway.do_token_cancel(p_token text, p_terminal_id bigint)
RETURNS TABLE (outcome text, token_status text, body text)
LANGUAGE plpgsql AS $$
DECLARE
  v_r record;
BEGIN
  SELECT r.id::bigint, r.status::text, r.reason::text INTO v_r FROM gateway.token_requests r
   WHERE r.token = p_token AND r.terminal_id = p_terminal_id FOR UPDATE;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'unknown_token'::text, NULL::text, NULL::text;
    RETURN;
  END IF;
  IF gateway.token_expire_if_overdue(v_r.id) THEN
    v_r.status := 'expired';
  END IF;
  IF v_r.status = 'canceled' AND v_r.reason = 'canceled_by_pos' THEN
    NULL;
  ELSIF v_r.status <> 'awaiting_reply' THEN
    RETURN QUERY SELECT 'wrong_state'::text, v_r.status::text, NULL::text;
    RETURN;
  ELSE
    UPDATE gateway.token_requests r SET status = 'canceled', reason = 'canceled_by_pos', updated_at = now()
     WHERE r.id = v_r.id AND r.status = 'awaiting_reply';
    -- a confirmation not yet picked up is never shown: there is nothing to agree to
    UPDATE gateway.mailbox mb SET dropped_at = now()
     WHERE mb.token_request_id = v_r.id AND mb.delivered_at IS NULL AND mb.dropped_at IS NULL;
  END IF;
  RETURN QUERY SELECT 'canceled'::text, 'canceled'::text, gateway.token_json(v_r.id)::text;
END
$$;
COMMENT ON FUNCTION gateway.do_token_cancel(text, bigint) IS
  'POST /v1/tokens/{id}/cancel: outcome canceled (body; also for one this terminal canceled before), unknown_token '
  'or wrong_state (token_status); only canceled and an expiry change anything';

-- POST /v1/tokens/{id}/reply, after the worker judged it (db/token_reply.c
-- reads what it needs: the device and its key, the web-password hash and
-- the lock).  p_verdict is the worker's: wrong_device, not_agreed,
-- user_locked, wrong_password or right_password.  A wrong password counts
-- toward the history's lock (the same failed_attempts and locked_until:
-- one counter for every door) whatever the request's state, so parallel
-- replies cannot try passwords uncounted; the p_lock_after-th in a row
-- locks the user ID for p_lock_s and starts the count again, as the
-- history's sign-in does.  A right one resets the count, then the user's
-- card is checked again; a request that passes moves to delivering with
-- its STAN, and the card's ciphertext is answered for the worker to
-- decrypt (the database never sees a card number).
-- Outcomes: unknown_token, wrong_state (token_status), ended (token_status,
-- reason), locked (locked_until: the request canceled, the user locked),
-- deliver (the 0600's fields and the card).
CREATE FUNCTION gateway.do_token_reply(p_token text, p_verdict text, p_lock_after integer, p_lock_s integer)
RETURNS TABLE (outcome text, token_status text, reason text, locked_until text, id bigint, merchant_code text,
               total bigint, currency_numeric text, iso_terminal_id text, stan integer, card_id bigint,
               ciphertext text, key_id integer, pan_aad integer, pan_lookup text, card_expiry text)
LANGUAGE plpgsql AS $$
DECLARE
  v_r record;
  v_u record;
  v_end text;
BEGIN
  SELECT r.id::bigint, r.status::text, r.reason::text, r.user_id::text INTO v_r
    FROM gateway.token_requests r WHERE r.token = p_token FOR UPDATE;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'unknown_token'::text, NULL::text, NULL::text, NULL::text, NULL::bigint, NULL::text,
      NULL::bigint, NULL::text, NULL::text, NULL::integer, NULL::bigint, NULL::text, NULL::integer, NULL::integer,
      NULL::text, NULL::text;
    RETURN;
  END IF;
  IF gateway.token_expire_if_overdue(v_r.id) THEN
    v_r.status := 'expired';
    v_r.reason := 'no_reply';
  END IF;
  IF p_verdict = 'wrong_password' THEN
    UPDATE gateway.users u
       SET failed_attempts = CASE WHEN u.failed_attempts + 1 >= p_lock_after THEN 0 ELSE u.failed_attempts + 1 END,
           locked_until = CASE WHEN u.failed_attempts + 1 >= p_lock_after
                               THEN now() + make_interval(secs => p_lock_s) ELSE u.locked_until END
     WHERE u.user_id = v_r.user_id;
  END IF;
  SELECT coalesce(u.locked_until > now(), false)::boolean AS locked,
         to_char(u.locked_until AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS locked_until,
         u.card_id::bigint AS card_id, c.status::text AS card_status,
         c.expiry::text < to_char(now() AT TIME ZONE 'UTC', 'YYMM') AS card_expired
    INTO v_u FROM gateway.users u JOIN gateway.cards c ON c.id = u.card_id WHERE u.user_id = v_r.user_id
     FOR NO KEY UPDATE OF u;
  IF v_r.status <> 'awaiting_reply' THEN
    RETURN QUERY SELECT 'wrong_state'::text, v_r.status::text, v_r.reason::text, v_u.locked_until::text,
      NULL::bigint, NULL::text, NULL::bigint, NULL::text, NULL::text, NULL::integer, NULL::bigint, NULL::text,
      NULL::integer, NULL::integer, NULL::text, NULL::text;
    RETURN;
  END IF;
  IF p_verdict = 'right_password' AND NOT v_u.locked THEN
    UPDATE gateway.users u SET failed_attempts = 0, locked_until = NULL
     WHERE u.user_id = v_r.user_id AND (u.failed_attempts <> 0 OR u.locked_until IS NOT NULL);
    IF v_u.card_status <> 'active' OR v_u.card_expired THEN
      IF v_u.card_status <> 'active' THEN
        v_end := 'no_card';
      ELSE
        v_end := 'card_expired';
      END IF;
      UPDATE gateway.token_requests r SET status = 'rejected', reason = v_end, updated_at = now()
       WHERE r.id = v_r.id AND r.status = 'awaiting_reply';
      RETURN QUERY SELECT 'ended'::text, r.status::text, r.reason::text, NULL::text, r.id::bigint, NULL::text,
        NULL::bigint, NULL::text, NULL::text, NULL::integer, NULL::bigint, NULL::text, NULL::integer, NULL::integer,
        NULL::text, NULL::text FROM gateway.token_requests r WHERE r.id = v_r.id;
      RETURN;
    END IF;
    UPDATE gateway.token_requests r SET status = 'delivering', card_id = v_u.card_id,
           stan = nextval('gateway.stan_seq'), updated_at = now()
     WHERE r.id = v_r.id AND r.status = 'awaiting_reply';
    RETURN QUERY
      SELECT 'deliver'::text, r.status::text, NULL::text, NULL::text, r.id::bigint, m.code::text, r.total::bigint,
             r.currency_numeric::text, tm.iso_terminal_id::text, r.stan::integer, c.id::bigint,
             encode(c.pan_ciphertext, 'hex'), c.key_id::integer, c.pan_aad::integer, c.pan_lookup::text,
             c.expiry::text
        FROM gateway.token_requests r JOIN gateway.merchants m ON m.id = r.merchant_id
        JOIN gateway.terminals tm ON tm.id = r.terminal_id JOIN gateway.cards c ON c.id = r.card_id
       WHERE r.id = v_r.id;
    RETURN;
  END IF;
  IF p_verdict IN ('right_password', 'user_locked') THEN
    v_end := 'user_locked';                  -- locked meanwhile, or before: no password was taken
  ELSIF p_verdict IN ('wrong_device', 'not_agreed', 'wrong_password') THEN
    v_end := p_verdict;
  ELSE
    RAISE EXCEPTION 'do_token_reply: unknown verdict %', p_verdict;
  END IF;
  UPDATE gateway.token_requests r SET status = 'canceled', reason = v_end, updated_at = now()
   WHERE r.id = v_r.id AND r.status = 'awaiting_reply';
  RETURN QUERY SELECT CASE WHEN v_u.locked AND p_verdict IN ('right_password', 'user_locked', 'wrong_password')
                           THEN 'locked' ELSE 'ended' END::text,
    'canceled'::text, v_end, v_u.locked_until::text, v_r.id::bigint, NULL::text, NULL::bigint, NULL::text,
    NULL::text, NULL::integer, NULL::bigint, NULL::text, NULL::integer, NULL::integer, NULL::text, NULL::text;
END
$$;
COMMENT ON FUNCTION gateway.do_token_reply(text, text, integer, integer) IS
  'POST /v1/tokens/{id}/reply after the worker''s checks (p_verdict): outcome deliver (delivering; the 0600''s '
  'fields and the card''s ciphertext), ended (canceled or rejected: token_status, reason), locked (canceled, the '
  'user locked until locked_until), wrong_state or unknown_token.  A wrong password is counted in every case';

-- The 0600's end, on a request still delivering: issued with what the POS
-- gets, or failed (issuer_refused / issuer_unavailable).  Sent again after
-- a lost answer, the stored status says it was done.
CREATE FUNCTION gateway.do_token_delivered(p_id bigint, p_status text, p_reason text, p_transmission_time text,
                                           p_response_code text, p_key_id text, p_ecn text, p_expiry text,
                                           p_last4 text)
RETURNS TABLE (outcome text, token_status text, reason text)
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE gateway.token_requests r SET status = p_status, reason = p_reason, transmission_time = p_transmission_time,
         response_code = p_response_code, key_id = p_key_id, encrypted_card_number = p_ecn, expiry = p_expiry,
         card_last4 = p_last4, updated_at = now()
   WHERE r.id = p_id AND r.status = 'delivering';
  RETURN QUERY SELECT CASE WHEN r.status = p_status AND r.key_id IS NOT DISTINCT FROM p_key_id THEN 'recorded'
                           ELSE 'wrong_state' END::text, r.status::text, r.reason::text
    FROM gateway.token_requests r WHERE r.id = p_id;
END
$$;
COMMENT ON FUNCTION gateway.do_token_delivered(bigint, text, text, text, text, text, text, text, text) IS
  'records the 0610 (or its absence) of token request p_id: outcome recorded, or wrong_state (the sweeper ended it '
  'first: token_status, reason)';

-- The sweeper's part (sweep.c): requests whose reply time ran out expired
-- (no_reply), and requests left delivering by a worker that died before
-- the 0610 (older than p_stuck_s) failed as issuer_unavailable: the key
-- died with the worker, so the POS never gets their encrypted number.
CREATE FUNCTION gateway.do_token_sweep(p_stuck_s double precision)
RETURNS TABLE (expired bigint, failed bigint)
LANGUAGE plpgsql AS $$
DECLARE
  v_expired bigint;
  v_failed bigint;
BEGIN
  WITH e AS (
    UPDATE gateway.token_requests r SET status = 'expired', reason = 'no_reply', updated_at = now()
     WHERE r.id IN (SELECT x.id FROM gateway.token_requests x
                     WHERE x.status = 'awaiting_reply' AND x.reply_deadline < now()
                     ORDER BY x.reply_deadline LIMIT 200 FOR UPDATE SKIP LOCKED)
    RETURNING r.id)
  SELECT count(*) INTO v_expired FROM e;
  WITH f AS (
    UPDATE gateway.token_requests r SET status = 'failed', reason = 'issuer_unavailable', updated_at = now()
     WHERE r.id IN (SELECT x.id FROM gateway.token_requests x
                     WHERE x.status = 'delivering' AND x.updated_at < now() - make_interval(secs => p_stuck_s)
                     ORDER BY x.updated_at LIMIT 200 FOR UPDATE SKIP LOCKED)
    RETURNING r.id)
  SELECT count(*) INTO v_failed FROM f;
  RETURN QUERY SELECT v_expired, v_failed;
END
$$;
COMMENT ON FUNCTION gateway.do_token_sweep(double precision) IS
  'the sweeper: up to 200 overdue token requests expired (no_reply) and up to 200 left delivering longer than '
  'p_stuck_s failed (issuer_unavailable); answers how many of each';

-- rights: the gateway's role only (the history's role gets nothing here)
GRANT SELECT, INSERT, UPDATE ON gateway.token_requests TO paygw_gateway;
GRANT USAGE, SELECT ON SEQUENCE gateway.token_requests_id_seq TO paygw_gateway;
REVOKE ALL ON FUNCTION gateway.token_json(bigint), gateway.token_expire_if_overdue(bigint),
  gateway.do_create_token(bigint, bigint, double precision, double precision, text, text, text, text, text,
                          timestamptz, text, text, bigint, bigint, jsonb, text, text, text, text),
  gateway.do_token_view(text, bigint), gateway.do_token_cancel(text, bigint),
  gateway.do_token_reply(text, text, integer, integer),
  gateway.do_token_delivered(bigint, text, text, text, text, text, text, text, text),
  gateway.do_token_sweep(double precision) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gateway.token_json(bigint), gateway.token_expire_if_overdue(bigint),
  gateway.do_create_token(bigint, bigint, double precision, double precision, text, text, text, text, text,
                          timestamptz, text, text, bigint, bigint, jsonb, text, text, text, text),
  gateway.do_token_view(text, bigint), gateway.do_token_cancel(text, bigint),
  gateway.do_token_reply(text, text, integer, integer),
  gateway.do_token_delivered(bigint, text, text, text, text, text, text, text, text),
  gateway.do_token_sweep(double precision) TO paygw_gateway;
