-- 0015_gateway_do_flow.sql — the rest of the payment flow as one call per
-- request (issue 19, after sql/0014): the handset's mailbox poll, its
-- device authentication, the confirmation, the methods, the authorization
-- recorded before it is sent and its answer, and the terminal's reads and
-- cancel.  The rules of 0014 hold: each function keeps the guards of the
-- statements it replaces, answers an `outcome` column the C side maps to
-- the HTTP answer (cgi/gateway/db/*.c), runs as SECURITY INVOKER with
-- EXECUTE granted to paygw_gateway by name, and one that may be sent again
-- after a lost answer recognises its own earlier effect by a key the caller
-- chose.

-- The workers keep the handsets' public keys (GET /v1/mailbox) and the
-- users' handsets with their keys (POST /v1/device-auth, for a user, card,
-- handset and subscriber all active) in their cache (cgi/gateway/cache.c):
-- a change to those rows is announced on paygw_enrolment like 0004's tables.
-- A poll rewrites last_poll_* on every request, so the devices' trigger
-- fires only for the columns the cache holds.
CREATE TRIGGER announce_change AFTER INSERT OR DELETE OR TRUNCATE ON gateway.devices
  FOR EACH STATEMENT EXECUTE FUNCTION gateway.announce_enrolment_change();
CREATE TRIGGER announce_key_change AFTER UPDATE OF code, public_key, status ON gateway.devices
  FOR EACH STATEMENT EXECUTE FUNCTION gateway.announce_enrolment_change();
CREATE TRIGGER announce_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON gateway.users
  FOR EACH STATEMENT EXECUTE FUNCTION gateway.announce_enrolment_change();
CREATE TRIGGER announce_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON gateway.cards
  FOR EACH STATEMENT EXECUTE FUNCTION gateway.announce_enrolment_change();
CREATE TRIGGER announce_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON gateway.subscribers
  FOR EACH STATEMENT EXECUTE FUNCTION gateway.announce_enrolment_change();

-- A poll's answer may be lost after its commit; the worker's call, sent
-- again, must then answer the same messages (they are marked delivered and
-- will not be picked again), while a captured poll replayed by anyone else
-- is still refused.  The worker names each poll with a random key.
ALTER TABLE gateway.devices ADD COLUMN last_poll_key text,
  ADD COLUMN last_poll_taken bigint[];
COMMENT ON COLUMN gateway.devices.last_poll_key IS
  'the random key the worker gave the poll last accepted: the same call sent again after a lost answer is told '
  'the same messages (gateway.do_mailbox_poll)';
COMMENT ON COLUMN gateway.devices.last_poll_taken IS
  'gateway.mailbox ids delivered by the poll last accepted, in the order answered';

-- GET /v1/mailbox (the signature was checked by the worker with the key of
-- its cache): the device still active, the poll newer than the last one
-- accepted and not within p_window_s of it, then recorded; the device's
-- messages whose time ran out marked dropped; up to 20 live ones marked
-- delivered and answered, payment commands newest first (the sale in front
-- of the shopper now), then the others (completions) oldest first.
-- Outcomes: taken (one row per message; one row of NULLs for none),
-- unknown_device, replayed (timestamp not newer), too_soon, raced (a
-- concurrent poll with this timestamp or a newer one was recorded first).
CREATE FUNCTION gateway.do_mailbox_poll(p_device_code text, p_poll_ms bigint, p_poll_key text,
                                        p_window_s double precision)
RETURNS TABLE (outcome text, message text, signature text)
LANGUAGE plpgsql AS $$
DECLARE
  v_dev record;
  v_taken bigint[];
BEGIN
  SELECT d.id::bigint, d.last_poll_ms::bigint, d.last_poll_key::text, d.last_poll_taken::bigint[],
         (d.last_poll_at IS NOT NULL AND d.last_poll_at > now() - make_interval(secs => p_window_s)) AS too_soon
    INTO v_dev FROM gateway.devices d WHERE d.code = p_device_code AND d.status = 'active';
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'unknown_device'::text, NULL::text, NULL::text;
    RETURN;
  END IF;
  IF v_dev.last_poll_ms = p_poll_ms AND v_dev.last_poll_key = p_poll_key THEN
    v_taken := v_dev.last_poll_taken;       -- this very call, sent again: the same answer
  ELSIF p_poll_ms <= v_dev.last_poll_ms THEN
    RETURN QUERY SELECT 'replayed'::text, NULL::text, NULL::text;
    RETURN;
  ELSIF v_dev.too_soon THEN
    RETURN QUERY SELECT 'too_soon'::text, NULL::text, NULL::text;
    RETURN;
  ELSE
    -- the guard: only a newer timestamp is recorded (a concurrent poll holding
    -- the row is waited for, and its timestamp seen)
    UPDATE gateway.devices d SET last_poll_ms = p_poll_ms, last_poll_at = now(), last_poll_key = p_poll_key
     WHERE d.id = v_dev.id AND d.last_poll_ms < p_poll_ms;
    IF NOT FOUND THEN
      RETURN QUERY SELECT 'raced'::text, NULL::text, NULL::text;
      RETURN;
    END IF;
    UPDATE gateway.mailbox mb SET dropped_at = now()
     WHERE mb.device_id = v_dev.id AND mb.delivered_at IS NULL AND mb.dropped_at IS NULL AND mb.expires_at <= now();
    WITH pick AS (
      SELECT mb.id FROM gateway.mailbox mb
       WHERE mb.device_id = v_dev.id AND mb.delivered_at IS NULL AND mb.dropped_at IS NULL
         AND (mb.expires_at IS NULL OR mb.expires_at > now())
       ORDER BY (mb.kind = 'payment_command') DESC, CASE WHEN mb.kind = 'payment_command' THEN -mb.id ELSE mb.id END
       LIMIT 20 FOR UPDATE OF mb SKIP LOCKED),
    taken AS (
      UPDATE gateway.mailbox mb SET delivered_at = now() FROM pick WHERE mb.id = pick.id RETURNING mb.id, mb.kind)
    SELECT array_agg(t.id ORDER BY (t.kind = 'payment_command') DESC,
                                   CASE WHEN t.kind = 'payment_command' THEN -t.id ELSE t.id END)
      INTO v_taken FROM taken t;
    UPDATE gateway.devices d SET last_poll_taken = v_taken WHERE d.id = v_dev.id;
  END IF;
  RETURN QUERY SELECT 'taken'::text, mb.message::text, mb.signature::text
    FROM unnest(coalesce(v_taken, '{}'::bigint[])) WITH ORDINALITY AS u(id, n) JOIN gateway.mailbox mb ON mb.id = u.id
   ORDER BY u.n;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'taken'::text, NULL::text, NULL::text;
  END IF;
END
$$;
COMMENT ON FUNCTION gateway.do_mailbox_poll(text, bigint, text, double precision) IS
  'GET /v1/mailbox in one call: outcome taken (a row per message delivered, newest payment command first; one row '
  'of NULLs for none; the same rows again for the same p_poll_key), unknown_device, replayed, too_soon or raced; '
  'only taken changes anything';
REVOKE ALL ON FUNCTION gateway.do_mailbox_poll(text, bigint, text, double precision) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gateway.do_mailbox_poll(text, bigint, text, double precision) TO paygw_gateway;

-- A waiting transaction whose time ran out is expired before anything else
-- is done with it (what the C side's txn_fetch did with q_txn_expire), on
-- the row the caller has locked.  True when it expired it now.
CREATE FUNCTION gateway.txn_expire_if_overdue(p_id bigint) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE gateway.transactions t SET status = 'expired', deadline = NULL, updated_at = now(),
         outcome_reason = 'not answered in time'
   WHERE t.id = p_id AND t.status IN ('awaiting_device', 'awaiting_confirmation', 'awaiting_method')
     AND t.deadline < now();
  RETURN FOUND;
END
$$;
COMMENT ON FUNCTION gateway.txn_expire_if_overdue(bigint) IS
  'moves transaction p_id to expired when its waiting state has run out; true when it did';
REVOKE ALL ON FUNCTION gateway.txn_expire_if_overdue(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gateway.txn_expire_if_overdue(bigint) TO paygw_gateway;

-- POST /v1/device-auth (S6-S8), after the worker checked the auth result
-- and the device's signature with the user's handset and key from its
-- cache: the user's rows still what the worker checked (else stale: the
-- worker reads them again), the transaction locked (expired first when
-- overdue, which a refusal keeps), for this user, its challenge live and
-- unused, awaiting_device; then awaiting_confirmation with the session's
-- hash and the confirmation deadline, answering what the handset shows
-- (fig 16).  The challenge is compared by its SHA-256, so the time taken
-- says nothing about how much of it was right.  Sent again after a lost
-- answer, the session hash (the worker's random session) says it was done.
-- The worker decrypted the user's card when it cached the user: p_card_digest
-- (NULL when the card did not decrypt) and p_issuer_id (NULL when no range
-- holds the number) are kept as the transaction's card_checked and issuer
-- when the digest is still its card's, so the confirmation needs no read.
CREATE FUNCTION gateway.do_device_auth(p_number text, p_user_id text, p_device_code text, p_public_key text,
                                       p_challenge text, p_session_hash text, p_deadline timestamptz,
                                       p_card_digest text, p_issuer_id bigint)
RETURNS TABLE (outcome text, txn_status text, merchant_code text, merchant_name text, shop_name text,
               items text, tax_total bigint, total bigint, currency text, binding_code text,
               card_label text, card_masked text)
LANGUAGE plpgsql AS $$
DECLARE
  v_t record;
BEGIN
  PERFORM 1 FROM gateway.users u JOIN gateway.cards c ON c.id = u.card_id
    JOIN gateway.devices d ON d.id = u.device_id JOIN gateway.subscribers s ON s.id = u.subscriber_id
   WHERE u.user_id = p_user_id AND u.status = 'active' AND c.status = 'active' AND d.status = 'active'
     AND s.status = 'active' AND d.code = p_device_code AND d.public_key = decode(p_public_key, 'hex');
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'stale'::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::bigint,
                        NULL::bigint, NULL::text, NULL::text, NULL::text, NULL::text;
    RETURN;
  END IF;
  SELECT t.id::bigint, t.status::text, t.user_id::text, t.challenge_used::boolean,
         encode(t.session_hash, 'hex') AS session_hash,
         sha256(convert_to(t.challenge, 'UTF8')) = sha256(convert_to(p_challenge, 'UTF8')) AS challenge_ok
    INTO v_t FROM gateway.transactions t WHERE t.number = p_number FOR UPDATE;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'unknown_txn'::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::bigint,
                        NULL::bigint, NULL::text, NULL::text, NULL::text, NULL::text;
    RETURN;
  END IF;
  IF gateway.txn_expire_if_overdue(v_t.id) THEN
    v_t.status := 'expired';
  END IF;
  IF NOT (v_t.status = 'awaiting_confirmation' AND v_t.session_hash IS NOT DISTINCT FROM p_session_hash) THEN
    IF v_t.user_id <> p_user_id OR v_t.challenge_used OR NOT v_t.challenge_ok OR v_t.status <> 'awaiting_device' THEN
      RETURN QUERY SELECT CASE WHEN v_t.user_id <> p_user_id THEN 'other_user'::text
                               WHEN v_t.challenge_used OR NOT v_t.challenge_ok THEN 'challenge'
                               ELSE 'wrong_state' END,
                          v_t.status::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::bigint,
                          NULL::bigint, NULL::text, NULL::text, NULL::text, NULL::text;
      RETURN;
    END IF;
    UPDATE gateway.transactions t SET status = 'awaiting_confirmation', challenge_used = true,
           session_hash = decode(p_session_hash, 'hex'), deadline = p_deadline, updated_at = now(),
           card_checked = CASE WHEN p_card_digest = gateway.card_digest(t.card_id) THEN p_card_digest END,
           issuer_id = CASE WHEN p_card_digest = gateway.card_digest(t.card_id) THEN p_issuer_id END
     WHERE t.id = v_t.id AND t.status = 'awaiting_device' AND NOT t.challenge_used AND t.deadline >= now();
    IF NOT FOUND THEN
      RETURN QUERY SELECT 'wrong_state'::text, v_t.status::text, NULL::text, NULL::text, NULL::text, NULL::text,
                          NULL::bigint, NULL::bigint, NULL::text, NULL::text, NULL::text, NULL::text;
      RETURN;
    END IF;
  END IF;
  RETURN QUERY
    SELECT 'authenticated'::text, 'awaiting_confirmation'::text, m.code::text, m.name::text, m.shop_name::text,
           t.items::text, t.tax_total::bigint, t.total::bigint, t.currency::text, t.binding_code::text,
           c.label::text, c.pan_masked::text
      FROM gateway.transactions t JOIN gateway.merchants m ON m.id = t.merchant_id
      JOIN gateway.cards c ON c.id = t.card_id
     WHERE t.id = v_t.id;
END
$$;
COMMENT ON FUNCTION gateway.do_device_auth(text, text, text, text, text, text, timestamptz, text, bigint) IS
  'POST /v1/device-auth in one call: outcome authenticated (with what the handset shows; also when the transaction '
  'already holds p_session_hash: a re-sent call), stale (the user''s rows are not what the worker checked), '
  'unknown_txn, other_user, challenge or wrong_state (txn_status); only authenticated and an expiry change anything; '
  'p_card_digest and p_issuer_id, the user''s card as the worker decrypted it, become card_checked and issuer_id '
  'when the digest is still the transaction''s card''s';
REVOKE ALL ON FUNCTION gateway.do_device_auth(text, text, text, text, text, text, timestamptz, text, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gateway.do_device_auth(text, text, text, text, text, text, timestamptz, text, bigint) TO paygw_gateway;

-- The card a transaction will be paid with, as the worker decrypted it: a
-- digest of what its decryption depends on (ciphertext, data key, AAD
-- format and the lookup hash it is bound to).  The confirmation stores the
-- digest of the card it decrypted (transactions.card_checked); the
-- authorization may be recorded before the card is decrypted again only
-- while the card row still has that digest, so a card re-encrypted or
-- swapped in between is read and decrypted again first.
-- PL/pgSQL, not LANGUAGE sql: a SQL function with a FROM clause is not
-- inlined, and PostgreSQL parses and plans its body again at every call
-- (7 % of the database's CPU in the benchmark's profile), where PL/pgSQL
-- keeps its plan for the session.
CREATE FUNCTION gateway.card_digest(p_card_id bigint) RETURNS text
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (SELECT encode(sha256(c.pan_ciphertext || int4send(c.key_id::integer) || int4send(c.pan_aad::integer)
                               || convert_to(c.pan_lookup::text, 'UTF8')), 'hex')
            FROM gateway.cards c WHERE c.id = p_card_id);
END
$$;
COMMENT ON FUNCTION gateway.card_digest(bigint) IS
  'SHA-256 (hex) of what decrypting card p_card_id depends on: ciphertext, key_id, pan_aad, pan_lookup';
REVOKE ALL ON FUNCTION gateway.card_digest(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gateway.card_digest(bigint) TO paygw_gateway;

ALTER TABLE gateway.transactions ADD COLUMN card_checked text, ADD COLUMN change_key text;
COMMENT ON COLUMN gateway.transactions.change_key IS
  'the random key of the worker''s call that made the last state change (do_confirm, do_begin_authorization): the '
  'same call sent again after its answer was lost answers what it did';
COMMENT ON COLUMN gateway.transactions.card_checked IS
  'gateway.card_digest of the card the worker decrypted at the confirmation: the payment-method call records the '
  'authorization before decrypting it again only while the card row still has this digest';

-- The end of a waiting transaction with the handset told (a signed
-- completion message, NULL for none), on the row the caller has locked and
-- checked to be in p_from.
CREATE FUNCTION gateway.txn_end(p_id bigint, p_from text, p_status text, p_code text, p_reason text,
                                p_message text, p_signature text) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
  WITH t AS (
    UPDATE gateway.transactions t SET status = p_status, deadline = NULL, response_code = p_code,
           outcome_reason = p_reason, approval_code = NULL, completed_at = now(), updated_at = now()
     WHERE t.id = p_id AND t.status = p_from RETURNING t.id, t.device_id, t.user_id)
  INSERT INTO gateway.mailbox (device_id, user_id, transaction_id, kind, message, signature)
  SELECT t.device_id, t.user_id, t.id, 'completion', p_message, p_signature FROM t WHERE p_message IS NOT NULL;
  RETURN EXISTS (SELECT 1 FROM gateway.transactions t WHERE t.id = p_id AND t.status = p_status);
END
$$;
COMMENT ON FUNCTION gateway.txn_end(bigint, text, text, text, text, text, text) IS
  'ends transaction p_id (status p_from -> p_status, code and reason) and puts the signed completion p_message in '
  'the handset''s mailbox when it is not NULL; true when the transaction is now p_status';
REVOKE ALL ON FUNCTION gateway.txn_end(bigint, text, text, text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gateway.txn_end(bigint, text, text, text, text, text, text) TO paygw_gateway;

-- POST /v1/transactions/{number}/confirmation ([0087]): the transaction
-- locked (expired when overdue, which a refusal keeps), its session and
-- state checked; not agreeing cancels; agreeing takes what the worker made
-- of the card it read (db/txn_card.c) — p_card_digest must still be the
-- card's, else card_unchecked and the worker reads it again — and fails
-- the transaction when the card did not decrypt, declines it when this
-- merchant takes nothing of the card's issuer (fig 10), or moves it to
-- awaiting_method with that issuer and answers the methods.  p_code,
-- p_reason, p_message and p_signature are the ending the worker prepared
-- for the case it knew (canceled, failed or declined).
-- Agreeing with p_card_digest NULL, the worker read no card: the card and
-- issuer device-auth recorded (card_checked, issuer_id) are taken while the
-- digest is still the card's.  That is the common case, one call; when
-- there is none, or the ending needs a signed completion the worker did not
-- prepare (a decline), the answer is card_unchecked and nothing is done.
CREATE FUNCTION gateway.do_confirm(p_number text, p_session_hash text, p_agree boolean, p_card_digest text,
                                   p_card_readable boolean, p_issuer_id bigint, p_deadline timestamptz,
                                   p_code text, p_reason text, p_message text, p_signature text,
                                   p_call_key text)
RETURNS TABLE (outcome text, txn_status text, lump_sum boolean, installments boolean, bonus boolean,
               partial_bonus boolean, revolving boolean, counts text)
LANGUAGE plpgsql AS $$
DECLARE
  v_t record;
  v_m record;
  v_digest text := p_card_digest;
  v_readable boolean := p_card_readable;
  v_issuer bigint := p_issuer_id;
  v_offered boolean;
BEGIN
  SELECT t.id::bigint, t.status::text, t.card_id::bigint, t.merchant_id::bigint, t.issuer_id::bigint,
         t.change_key::text, t.card_checked::text, encode(t.session_hash, 'hex') AS session_hash
    INTO v_t FROM gateway.transactions t WHERE t.number = p_number FOR UPDATE;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'unknown_txn'::text, NULL::text, NULL::boolean, NULL::boolean, NULL::boolean,
                        NULL::boolean, NULL::boolean, NULL::text;
    RETURN;
  END IF;
  IF v_t.change_key = p_call_key THEN       -- this very call, sent again: what it did
    SELECT mm.lump_sum::boolean, mm.installments::boolean, mm.bonus::boolean, mm.partial_bonus::boolean,
           mm.revolving::boolean,
           array_to_string(mm.installment_counts, ',') AS counts
      INTO v_m FROM gateway.merchant_methods mm WHERE mm.merchant_id = v_t.merchant_id AND mm.issuer_id = v_t.issuer_id;
    RETURN QUERY SELECT CASE v_t.status WHEN 'canceled' THEN 'canceled' WHEN 'failed' THEN 'card_unreadable'
                                        WHEN 'declined' THEN 'declined' ELSE 'confirmed' END,
                        v_t.status::text, v_m.lump_sum::boolean, v_m.installments::boolean, v_m.bonus::boolean,
                        v_m.partial_bonus::boolean, v_m.revolving::boolean, v_m.counts::text;
    RETURN;
  END IF;
  IF gateway.txn_expire_if_overdue(v_t.id) THEN
    v_t.status := 'expired';
  END IF;
  IF v_t.session_hash IS DISTINCT FROM p_session_hash OR v_t.status <> 'awaiting_confirmation' THEN
    RETURN QUERY SELECT CASE WHEN v_t.session_hash IS DISTINCT FROM p_session_hash THEN 'bad_session'
                             ELSE 'wrong_state' END,
                        v_t.status::text, NULL::boolean, NULL::boolean, NULL::boolean, NULL::boolean, NULL::boolean,
                        NULL::text;
    RETURN;
  END IF;
  IF NOT p_agree THEN
    UPDATE gateway.transactions t SET change_key = p_call_key WHERE t.id = v_t.id;
    PERFORM gateway.txn_end(v_t.id, 'awaiting_confirmation', 'canceled', p_code, p_reason, p_message, p_signature);
    RETURN QUERY SELECT 'canceled'::text, 'canceled'::text, NULL::boolean, NULL::boolean, NULL::boolean,
                        NULL::boolean, NULL::boolean, NULL::text;
    RETURN;
  END IF;
  IF v_digest IS NULL THEN                  -- no card read: the one device-auth checked
    v_digest := v_t.card_checked;
    v_readable := true;
    v_issuer := v_t.issuer_id;
  END IF;
  SELECT mm.lump_sum::boolean, mm.installments::boolean, mm.bonus::boolean, mm.partial_bonus::boolean,
           mm.revolving::boolean,
         array_to_string(mm.installment_counts, ',') AS counts
    INTO v_m FROM gateway.merchant_methods mm WHERE mm.merchant_id = v_t.merchant_id AND mm.issuer_id = v_issuer;
  v_offered := FOUND AND (v_m.lump_sum OR v_m.installments OR v_m.bonus OR v_m.partial_bonus OR v_m.revolving);
  IF v_digest IS NULL OR v_digest IS DISTINCT FROM gateway.card_digest(v_t.card_id)
     OR (p_message IS NULL AND NOT (v_readable AND v_offered)) THEN
    RETURN QUERY SELECT 'card_unchecked'::text, v_t.status::text, NULL::boolean, NULL::boolean, NULL::boolean,
                        NULL::boolean, NULL::boolean, NULL::text;
    RETURN;
  END IF;
  UPDATE gateway.transactions t SET change_key = p_call_key WHERE t.id = v_t.id;
  IF NOT v_readable THEN
    PERFORM gateway.txn_end(v_t.id, 'awaiting_confirmation', 'failed', p_code, p_reason, p_message, p_signature);
    RETURN QUERY SELECT 'card_unreadable'::text, 'failed'::text, NULL::boolean, NULL::boolean, NULL::boolean,
                        NULL::boolean, NULL::boolean, NULL::text;
    RETURN;
  END IF;
  IF NOT v_offered THEN
    PERFORM gateway.txn_end(v_t.id, 'awaiting_confirmation', 'declined', p_code, p_reason, p_message, p_signature);
    RETURN QUERY SELECT 'declined'::text, 'declined'::text, NULL::boolean, NULL::boolean, NULL::boolean,
                        NULL::boolean, NULL::boolean, NULL::text;
    RETURN;
  END IF;
  UPDATE gateway.transactions t SET status = 'awaiting_method', issuer_id = v_issuer, deadline = p_deadline,
         card_checked = v_digest, updated_at = now()
   WHERE t.id = v_t.id AND t.status = 'awaiting_confirmation' AND t.deadline >= now();
  RETURN QUERY SELECT 'confirmed'::text, 'awaiting_method'::text, v_m.lump_sum::boolean, v_m.installments::boolean,
                      v_m.bonus::boolean, v_m.partial_bonus::boolean, v_m.revolving::boolean, v_m.counts::text;
END
$$;
COMMENT ON FUNCTION gateway.do_confirm(text, text, boolean, text, boolean, bigint, timestamptz, text, text, text, text, text) IS
  'POST .../confirmation in one call: outcome confirmed (awaiting_method, with the merchant''s methods for the '
  'issuer), canceled, declined, card_unreadable (failed), card_unchecked (the card changed since the worker read '
  'it: nothing done), unknown_txn, bad_session or wrong_state (txn_status); the same p_call_key again answers what '
  'the call did';
REVOKE ALL ON FUNCTION gateway.do_confirm(text, text, boolean, text, boolean, bigint, timestamptz, text, text, text, text, text)
  FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gateway.do_confirm(text, text, boolean, text, boolean, bigint, timestamptz, text, text, text, text, text)
  TO paygw_gateway;

-- GET /v1/transactions/{number}/payment-methods (fig 17): the transaction
-- (expired first when overdue), its session, awaiting_method, and the
-- merchant's row for its issuer.  A read but for the expiry, which a
-- repeat finds done: re-sendable.
CREATE FUNCTION gateway.do_payment_methods(p_number text, p_session_hash text)
RETURNS TABLE (outcome text, txn_status text, lump_sum boolean, installments boolean, bonus boolean,
               partial_bonus boolean, revolving boolean, counts text)
LANGUAGE plpgsql AS $$
DECLARE
  v_t record;
BEGIN
  SELECT t.id::bigint, t.status::text, t.merchant_id::bigint, t.issuer_id::bigint,
         encode(t.session_hash, 'hex') AS session_hash
    INTO v_t FROM gateway.transactions t WHERE t.number = p_number;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'unknown_txn'::text, NULL::text, NULL::boolean, NULL::boolean, NULL::boolean,
                        NULL::boolean, NULL::boolean, NULL::text;
    RETURN;
  END IF;
  IF gateway.txn_expire_if_overdue(v_t.id) THEN
    v_t.status := 'expired';
  END IF;
  IF v_t.session_hash IS DISTINCT FROM p_session_hash OR v_t.status <> 'awaiting_method' THEN
    RETURN QUERY SELECT CASE WHEN v_t.session_hash IS DISTINCT FROM p_session_hash THEN 'bad_session'
                             ELSE 'wrong_state' END,
                        v_t.status::text, NULL::boolean, NULL::boolean, NULL::boolean, NULL::boolean, NULL::boolean,
                        NULL::text;
    RETURN;
  END IF;
  RETURN QUERY SELECT 'offered'::text, v_t.status::text, mm.lump_sum::boolean, mm.installments::boolean,
                      mm.bonus::boolean, mm.partial_bonus::boolean, mm.revolving::boolean,
                      array_to_string(mm.installment_counts, ',')
    FROM (SELECT 1) AS one LEFT JOIN gateway.merchant_methods mm
      ON mm.merchant_id = v_t.merchant_id AND mm.issuer_id = v_t.issuer_id;
END
$$;
COMMENT ON FUNCTION gateway.do_payment_methods(text, text) IS
  'GET .../payment-methods in one call: outcome offered (the merchant''s methods for the issuer, NULL for none), '
  'unknown_txn, bad_session or wrong_state (txn_status); changes nothing but an overdue transaction''s expiry';
REVOKE ALL ON FUNCTION gateway.do_payment_methods(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gateway.do_payment_methods(text, text) TO paygw_gateway;

-- POST /v1/transactions/{number}/payment-method, step 1 of the exactly-once
-- rule (ep_payment_method_post.c): the transaction locked (expired first
-- when overdue, which a refusal keeps), its session and state checked, the
-- method one the merchant takes for the card's issuer (methods.c's rules:
-- I with 2-99 installments, or one of the stored counts; the others
-- without), every party still active (issue 6: the shopper's rows locked
-- FOR SHARE until the commit; any other answer party_disabled with their
-- statuses and changes nothing: the worker declines with the reason), and
-- the card still the one the worker decrypted (p_card_digest, or the
-- confirmation's card_checked; else card_unchecked: the worker reads and
-- decrypts it again); then authorizing and the authorization recorded
-- (STAN, time, field 41) BEFORE anything is sent, answering what the 0100
-- needs, the card's ciphertext included (decrypted by the worker).  Sent
-- again after a lost answer, the call's random key (change_key) finds its
-- authorization and answers it again.
CREATE FUNCTION gateway.do_begin_authorization(p_number text, p_session_hash text, p_method text,
                                               p_installments integer, p_transmission_time text,
                                               p_card_digest text, p_call_key text)
RETURNS TABLE (outcome text, txn_status text, id bigint, user_id text, device_id bigint, currency text,
               total bigint, merchant_code text, stan integer, transmission_time text, terminal_field text,
               card_id bigint, ciphertext text, key_id integer, pan_aad integer, pan_lookup text, expiry text,
               card_status text, user_status text, device_status text, subscriber_status text,
               issuer_status text, merchant_status text, terminal_status text)
LANGUAGE plpgsql AS $$
DECLARE
  v_t record;
  v_m record;
  v_p record;
  v_ok boolean;
BEGIN
  SELECT t.id::bigint, t.status::text, t.user_id::text, t.card_id::bigint, t.merchant_id::bigint,
         t.issuer_id::bigint, t.change_key::text, t.card_checked::text, encode(t.session_hash, 'hex') AS session_hash
    INTO v_t FROM gateway.transactions t WHERE t.number = p_number FOR UPDATE;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'unknown_txn'::text, NULL::text, NULL::bigint, NULL::text, NULL::bigint, NULL::text,
      NULL::bigint, NULL::text, NULL::integer, NULL::text, NULL::text, NULL::bigint, NULL::text, NULL::integer,
      NULL::integer, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text,
      NULL::text;
    RETURN;
  END IF;
  IF NOT (v_t.change_key = p_call_key AND v_t.status = 'authorizing') THEN
    IF gateway.txn_expire_if_overdue(v_t.id) THEN
      v_t.status := 'expired';
    END IF;
    IF v_t.session_hash IS DISTINCT FROM p_session_hash OR v_t.status <> 'awaiting_method' THEN
      RETURN QUERY SELECT CASE WHEN v_t.session_hash IS DISTINCT FROM p_session_hash THEN 'bad_session'
                               ELSE 'wrong_state' END,
        v_t.status::text, NULL::bigint, NULL::text, NULL::bigint, NULL::text, NULL::bigint, NULL::text, NULL::integer,
        NULL::text, NULL::text, NULL::bigint, NULL::text, NULL::integer, NULL::integer, NULL::text, NULL::text,
        NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text;
      RETURN;
    END IF;
    SELECT mm.lump_sum::boolean, mm.installments::boolean, mm.bonus::boolean, mm.partial_bonus::boolean,
           mm.revolving::boolean, mm.installment_counts::smallint[]
      INTO v_m FROM gateway.merchant_methods mm
     WHERE mm.merchant_id = v_t.merchant_id AND mm.issuer_id = v_t.issuer_id;
    v_ok := FOUND AND CASE
      WHEN p_method <> 'I' AND p_installments <> 0 THEN false
      WHEN p_method = 'L' THEN v_m.lump_sum
      WHEN p_method = 'B' THEN v_m.bonus
      WHEN p_method = 'pB' THEN v_m.partial_bonus
      WHEN p_method = 'R' THEN v_m.revolving
      WHEN p_method <> 'I' OR NOT v_m.installments OR p_installments < 2 THEN false
      WHEN cardinality(v_m.installment_counts) = 0 THEN p_installments <= 99   -- no counts stored: any the issuer takes
      ELSE p_installments = ANY (v_m.installment_counts) END;
    IF NOT v_ok THEN
      RETURN QUERY SELECT 'not_offered'::text, v_t.status::text, NULL::bigint, NULL::text, NULL::bigint, NULL::text,
        NULL::bigint, NULL::text, NULL::integer, NULL::text, NULL::text, NULL::bigint, NULL::text, NULL::integer,
        NULL::integer, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text,
        NULL::text, NULL::text;
      RETURN;
    END IF;
    SELECT c.status::text AS card_status, u.status::text AS user_status, d.status::text AS device_status,
           s.status::text AS subscriber_status, i.status::text AS issuer_status, m.status::text AS merchant_status,
           tm.status::text AS terminal_status INTO v_p
      FROM gateway.transactions t JOIN gateway.users u ON u.user_id = t.user_id
      JOIN gateway.cards c ON c.id = t.card_id JOIN gateway.devices d ON d.id = t.device_id
      JOIN gateway.subscribers s ON s.id = u.subscriber_id JOIN gateway.issuers i ON i.id = t.issuer_id
      JOIN gateway.merchants m ON m.id = t.merchant_id JOIN gateway.terminals tm ON tm.id = t.terminal_id
     WHERE t.id = v_t.id FOR SHARE OF c, u, d, s;
    IF NOT (v_p.card_status = 'active' AND v_p.user_status = 'active' AND v_p.device_status = 'active'
            AND v_p.subscriber_status = 'active' AND v_p.issuer_status = 'active'
            AND v_p.merchant_status = 'active' AND v_p.terminal_status = 'active') THEN
      RETURN QUERY SELECT 'party_disabled'::text, v_t.status::text, NULL::bigint, v_t.user_id::text, NULL::bigint,
        NULL::text, NULL::bigint, NULL::text, NULL::integer, NULL::text, NULL::text, NULL::bigint, NULL::text,
        NULL::integer, NULL::integer, NULL::text, NULL::text, v_p.card_status::text, v_p.user_status::text,
        v_p.device_status::text, v_p.subscriber_status::text, v_p.issuer_status::text, v_p.merchant_status::text,
        v_p.terminal_status::text;
      RETURN;
    END IF;
    IF coalesce(p_card_digest, v_t.card_checked) IS DISTINCT FROM gateway.card_digest(v_t.card_id) THEN
      RETURN QUERY SELECT 'card_unchecked'::text, v_t.status::text, NULL::bigint, NULL::text, NULL::bigint, NULL::text,
        NULL::bigint, NULL::text, NULL::integer, NULL::text, NULL::text, NULL::bigint, NULL::text, NULL::integer,
        NULL::integer, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text,
        NULL::text, NULL::text;
      RETURN;
    END IF;
    UPDATE gateway.transactions t SET status = 'authorizing', method = p_method, installments = p_installments,
           card_masked = (SELECT c.pan_masked FROM gateway.cards c WHERE c.id = v_t.card_id),
           deadline = NULL, updated_at = now(), change_key = p_call_key
     WHERE t.id = v_t.id AND t.status = 'awaiting_method' AND t.deadline >= now();
    INSERT INTO gateway.authorizations (transaction_id, user_id, stan, transmission_time, terminal_code)
    SELECT t.id, t.user_id, nextval('gateway.stan_seq'), p_transmission_time,
           rpad(coalesce(tm.iso_terminal_id, ''), 8)
      FROM gateway.transactions t JOIN gateway.terminals tm ON tm.id = t.terminal_id WHERE t.id = v_t.id;
  END IF;
  RETURN QUERY
    SELECT 'recorded'::text, t.status::text, t.id::bigint, t.user_id::text, t.device_id::bigint, t.currency::text,
           t.total::bigint, m.code::text, a.stan::integer, a.transmission_time::text, a.terminal_code::text,
           c.id::bigint, encode(c.pan_ciphertext, 'hex'), c.key_id::integer, c.pan_aad::integer,
           c.pan_lookup::text, c.expiry::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text,
           NULL::text
      FROM gateway.transactions t JOIN gateway.authorizations a ON a.transaction_id = t.id
      JOIN gateway.merchants m ON m.id = t.merchant_id JOIN gateway.cards c ON c.id = t.card_id
     WHERE t.id = v_t.id;
END
$$;
COMMENT ON FUNCTION gateway.do_begin_authorization(text, text, text, integer, text, text, text) IS
  'POST .../payment-method, recorded before sending, in one call: outcome recorded (authorizing, the authorization '
  'stored; what the 0100 needs, the card''s ciphertext included; also for the same p_call_key again), not_offered, '
  'party_disabled (the parties'' statuses), card_unchecked (the card changed since the worker decrypted it), '
  'unknown_txn, bad_session or wrong_state (txn_status); only recorded and an expiry change anything';
REVOKE ALL ON FUNCTION gateway.do_begin_authorization(text, text, text, integer, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gateway.do_begin_authorization(text, text, text, integer, text, text, text) TO paygw_gateway;

-- A waiting transaction ended by the handset's request, the handset told:
-- a method choice declined for a party disabled since device-auth
-- (enrolment_disabled), or failed for a card that did not decrypt.  The
-- transaction locked, its session checked, and moved only from p_from.
CREATE FUNCTION gateway.do_end_waiting(p_number text, p_session_hash text, p_from text, p_status text,
                                       p_code text, p_reason text, p_message text, p_signature text)
RETURNS TABLE (outcome text, txn_status text)
LANGUAGE plpgsql AS $$
DECLARE
  v_t record;
BEGIN
  SELECT t.id::bigint, t.status::text, encode(t.session_hash, 'hex') AS session_hash
    INTO v_t FROM gateway.transactions t WHERE t.number = p_number FOR UPDATE;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'unknown_txn'::text, NULL::text;
    RETURN;
  END IF;
  IF v_t.session_hash IS DISTINCT FROM p_session_hash THEN
    IF gateway.txn_expire_if_overdue(v_t.id) THEN
      v_t.status := 'expired';
    END IF;
    RETURN QUERY SELECT 'bad_session'::text, v_t.status::text;
  ELSIF v_t.status = p_status THEN           -- sent again after a lost answer
    RETURN QUERY SELECT 'ended'::text, v_t.status::text;
  ELSIF gateway.txn_expire_if_overdue(v_t.id) THEN
    RETURN QUERY SELECT 'wrong_state'::text, 'expired'::text;
  ELSIF gateway.txn_end(v_t.id, p_from, p_status, p_code, p_reason, p_message, p_signature) THEN
    RETURN QUERY SELECT 'ended'::text, p_status;
  ELSE
    RETURN QUERY SELECT 'wrong_state'::text, v_t.status::text;
  END IF;
END
$$;
COMMENT ON FUNCTION gateway.do_end_waiting(text, text, text, text, text, text, text, text) IS
  'ends a transaction in p_from as p_status (code, reason) and puts the signed completion in the handset''s '
  'mailbox: outcome ended, unknown_txn, bad_session or wrong_state (txn_status)';
REVOKE ALL ON FUNCTION gateway.do_end_waiting(text, text, text, text, text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gateway.do_end_waiting(text, text, text, text, text, text, text, text) TO paygw_gateway;

-- GET /v1/transactions/{number} for the terminal's merchant: the
-- transaction (expired first when overdue, which a repeat finds done) as
-- the terminal sees it.  Outcomes: found, unknown_txn (none, or another
-- merchant's).
CREATE FUNCTION gateway.do_transaction_view(p_number text, p_merchant_id bigint)
RETURNS TABLE (outcome text, txn_status text, binding_code text, total bigint, tax_total bigint, currency text,
               reference text, created_at text, deadline text, items text, completed_at text,
               approval_code text, method text, installments integer, card_masked text, response_code text,
               outcome_reason text)
LANGUAGE plpgsql AS $$
DECLARE
  v_id bigint;
BEGIN
  SELECT t.id INTO v_id FROM gateway.transactions t WHERE t.number = p_number AND t.merchant_id = p_merchant_id;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'unknown_txn'::text, NULL::text, NULL::text, NULL::bigint, NULL::bigint, NULL::text,
      NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::integer, NULL::text,
      NULL::text, NULL::text;
    RETURN;
  END IF;
  PERFORM gateway.txn_expire_if_overdue(v_id);
  RETURN QUERY
    SELECT 'found'::text, t.status::text, t.binding_code::text, t.total::bigint, t.tax_total::bigint,
           t.currency::text, t.reference::text,
           to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
           to_char(t.deadline AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), t.items::text,
           to_char(t.completed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), t.approval_code::text,
           t.method::text, t.installments::integer, t.card_masked::text, t.response_code::text,
           t.outcome_reason::text
      FROM gateway.transactions t WHERE t.id = v_id;
END
$$;
COMMENT ON FUNCTION gateway.do_transaction_view(text, bigint) IS
  'GET /v1/transactions/{number} in one call: outcome found (the terminal''s view; an overdue transaction expired '
  'first) or unknown_txn';
REVOKE ALL ON FUNCTION gateway.do_transaction_view(text, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gateway.do_transaction_view(text, bigint) TO paygw_gateway;

-- POST /v1/transactions/{number}/cancel by the merchant's terminal: the
-- transaction locked (expired first when overdue, which a refusal keeps),
-- the merchant's, still awaiting something; the handset's completion names
-- its user, so a first call without p_message answers sign (user_id) and
-- changes nothing but an expiry; the call with the signed message cancels
-- and puts it in the mailbox.  Sent again after a lost answer, the message
-- found in the mailbox says it was done.
CREATE FUNCTION gateway.do_cancel(p_number text, p_merchant_id bigint, p_reason text, p_message text,
                                  p_signature text)
RETURNS TABLE (outcome text, txn_status text, user_id text)
LANGUAGE plpgsql AS $$
DECLARE
  v_t record;
  v_found boolean;
BEGIN
  SELECT t.id::bigint, t.status::text, t.user_id::text, t.merchant_id::bigint INTO v_t FROM gateway.transactions t
   WHERE t.number = p_number FOR UPDATE;
  v_found := FOUND;
  IF v_found AND gateway.txn_expire_if_overdue(v_t.id) THEN
    v_t.status := 'expired';
  END IF;
  IF NOT v_found OR v_t.merchant_id <> p_merchant_id THEN
    RETURN QUERY SELECT 'unknown_txn'::text, NULL::text, NULL::text;
  ELSIF v_t.status = 'canceled' AND EXISTS (SELECT 1 FROM gateway.mailbox mb
                                             WHERE mb.transaction_id = v_t.id AND mb.message = p_message) THEN
    RETURN QUERY SELECT 'canceled'::text, v_t.status::text, v_t.user_id::text;     -- this very call, sent again
  ELSIF v_t.status NOT LIKE 'awaiting\_%' THEN
    RETURN QUERY SELECT 'wrong_state'::text, v_t.status::text, v_t.user_id::text;
  ELSIF p_message IS NULL THEN
    RETURN QUERY SELECT 'sign'::text, v_t.status::text, v_t.user_id::text;
  ELSE
    PERFORM gateway.txn_end(v_t.id, v_t.status, 'canceled', NULL, p_reason, p_message, p_signature);
    RETURN QUERY SELECT 'canceled'::text, 'canceled'::text, v_t.user_id::text;
  END IF;
END
$$;
COMMENT ON FUNCTION gateway.do_cancel(text, bigint, text, text, text) IS
  'POST .../cancel: outcome sign (user_id: sign the completion and call again), canceled, unknown_txn or '
  'wrong_state (txn_status); only canceled and an expiry change anything';
REVOKE ALL ON FUNCTION gateway.do_cancel(text, bigint, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gateway.do_cancel(text, bigint, text, text, text) TO paygw_gateway;
