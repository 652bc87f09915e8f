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

-- --- functions (issue 15, the gateway's side) ------------------------------------
-- What a payment has given back (its completed refunds) and has left to
-- refund (0 unless completed: its total less its pending, completed and
-- failed refunds), read on whatever lock the caller holds.
CREATE FUNCTION gateway.refund_totals(p_txn_id bigint, OUT refunded bigint, OUT refundable bigint)
LANGUAGE sql STABLE AS $$
  SELECT coalesce(sum(r.amount) FILTER (WHERE r.status = 'completed'), 0)::bigint,
         CASE WHEN t.status = 'completed'
              THEN t.total - coalesce(sum(r.amount) FILTER (WHERE r.status IN ('pending', 'completed', 'failed')), 0)
              ELSE 0 END::bigint
    FROM gateway.transactions t LEFT JOIN gateway.refunds r ON r.transaction_id = t.id
   WHERE t.id = p_txn_id GROUP BY t.id, t.status, t.total
$$;
COMMENT ON FUNCTION gateway.refund_totals(bigint) IS
  'transaction p_txn_id''s refunded (sum of its completed refunds) and refundable (0 unless completed; else total '
  'less its pending, completed and failed refunds)';
REVOKE ALL ON FUNCTION gateway.refund_totals(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gateway.refund_totals(bigint) TO paygw_gateway, paygw_history;

-- GET /v1/transactions/{number} in one call still (sql/0015's function,
-- its answer gaining refunded and refundable): a new answer row type is a
-- new function, so the old one is dropped in the same transaction.
DROP FUNCTION gateway.do_transaction_view(text, bigint);
CREATE FUNCTION gateway.do_transaction_view(p_number text, p_merchant_id bigint)
RETURNS TABLE (outcome text, txn_status text, binding_code text, total bigint, tax_total bigint, currency text,
               reference text, created_at text, deadline text, items text, completed_at text,
               approval_code text, method text, installments integer, card_masked text, response_code text,
               outcome_reason text, refunded bigint, refundable bigint)
LANGUAGE plpgsql AS $$
DECLARE
  v_id bigint;
BEGIN
  SELECT t.id INTO v_id FROM gateway.transactions t WHERE t.number = p_number AND t.merchant_id = p_merchant_id;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'unknown_txn'::text, NULL::text, NULL::text, NULL::bigint, NULL::bigint, NULL::text,
      NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::text, NULL::integer, NULL::text,
      NULL::text, NULL::text, NULL::bigint, NULL::bigint;
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
           t.outcome_reason::text, f.refunded::bigint, f.refundable::bigint
      FROM gateway.transactions t CROSS JOIN LATERAL gateway.refund_totals(t.id) f WHERE t.id = v_id;
END
$$;
COMMENT ON FUNCTION gateway.do_transaction_view(text, bigint) IS
  'GET /v1/transactions/{number} in one call: outcome found (the terminal''s view with what it gave back and has '
  'left to refund; an overdue transaction expired first) or unknown_txn';
REVOKE ALL ON FUNCTION gateway.do_transaction_view(text, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gateway.do_transaction_view(text, bigint) TO paygw_gateway;

-- Everything one refund's message to the credit server, its mailbox
-- message and its answer to the merchant need, in one row: the refund, its
-- payment (number, total, what its other completed refunds gave back), the
-- original authorization (STAN, field 7, terminal) and the merchant.
CREATE FUNCTION gateway.refund_facts(p_id bigint)
RETURNS TABLE (refund_id text, number text, kind text, amount bigint, currency text, reason text, status text,
               response_code text, outcome_reason text, created_at text, ended_at text, stan integer,
               transmission_time text, attempts integer, orig_stan integer, orig_time text, terminal_code text,
               merchant_code text, shop_name text, user_id text, total bigint, refunded_others bigint)
LANGUAGE sql STABLE AS $$
  SELECT r.refund_id::text, t.number::text, r.kind::text, r.amount::bigint, r.currency::text, r.reason::text,
         r.status::text, r.response_code::text, r.outcome_reason::text,
         to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
         to_char(r.ended_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), r.stan::integer,
         r.transmission_time::text, r.attempts::integer, a.stan::integer, a.transmission_time::text,
         a.terminal_code::text, m.code::text, m.shop_name::text, r.user_id::text, t.total::bigint,
         (SELECT coalesce(sum(o.amount), 0) FROM gateway.refunds o
           WHERE o.transaction_id = r.transaction_id AND o.status = 'completed' AND o.id <> r.id)::bigint
    FROM gateway.refunds r JOIN gateway.transactions t ON t.id = r.transaction_id
    JOIN gateway.authorizations a ON a.transaction_id = r.transaction_id
    JOIN gateway.merchants m ON m.id = r.merchant_id
   WHERE r.id = p_id
$$;
COMMENT ON FUNCTION gateway.refund_facts(bigint) IS
  'refund p_id with what its 0220/0400, its mailbox message and its answer need (the original authorization, the '
  'merchant, the payment''s total and what its other completed refunds gave back)';
REVOKE ALL ON FUNCTION gateway.refund_facts(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gateway.refund_facts(bigint) TO paygw_gateway;

-- POST /v1/transactions/{number}/refunds in one call and one commit: the
-- payment locked (FOR UPDATE: concurrent refunds of one payment are decided
-- one at a time), the merchant's (else unknown_txn, nothing kept), the
-- Idempotency-Key claimed (the first answer is the refund, so a replay is
-- its current state: the key's response_body keeps its public ID), the
-- payment completed (wrong_state), the amount within what is left
-- (exceeds), then the refund recorded pending, its first attempt counted
-- and leased BEFORE anything is sent.  kind void: the whole amount, no
-- earlier refund but declined ones, and p_void_window (the caller's
-- reading of the day and the cut-off: refund.c); its STAN and field 7 are
-- the original authorization's.  Else a refund with its own STAN and time.
-- p_wake is NOTIFYed so the sweeper knows when the lease ends.
CREATE FUNCTION gateway.do_create_refund(
  p_terminal_id bigint, p_merchant_id bigint, p_number text, p_idem_key text, p_request_hash text,
  p_refund_id text, p_amount bigint, p_reason text, p_void_window boolean, p_lease_ms bigint, p_wake text)
RETURNS TABLE (outcome text, txn_status text, refundable bigint, id bigint)
LANGUAGE plpgsql AS $$
DECLARE
  v_t record;
  v_key record;
  v_left bigint;
  v_kind text := 'refund';
  v_id bigint;
BEGIN
  SELECT t.id::bigint, t.status::text, t.merchant_id::bigint, t.total::bigint, t.user_id::text, t.currency::text
    INTO v_t FROM gateway.transactions t WHERE t.number = p_number FOR UPDATE;
  IF NOT FOUND OR v_t.merchant_id <> p_merchant_id THEN
    RETURN QUERY SELECT 'unknown_txn'::text, NULL::text, NULL::bigint, NULL::bigint;
    RETURN;
  END IF;
  IF gateway.txn_expire_if_overdue(v_t.id) THEN
    v_t.status := 'expired';        -- as every call on a waiting transaction: an overdue one shows expired
  END IF;
  INSERT INTO gateway.idempotency_keys (terminal_id, key, request_hash)
  VALUES (p_terminal_id, p_idem_key, decode(p_request_hash, 'hex')) ON CONFLICT DO NOTHING;
  IF NOT FOUND THEN
    SELECT encode(k.request_hash, 'hex') AS hash, k.response_body::text AS response_body INTO v_key
      FROM gateway.idempotency_keys k WHERE k.terminal_id = p_terminal_id AND k.key = p_idem_key;
    IF NOT FOUND THEN
      RETURN QUERY SELECT 'key_lost'::text, NULL::text, NULL::bigint, NULL::bigint;
    ELSIF v_key.hash <> p_request_hash OR v_key.response_body IS NULL THEN
      RETURN QUERY SELECT 'conflict'::text, NULL::text, NULL::bigint, NULL::bigint;
    ELSE
      RETURN QUERY SELECT 'replayed'::text, v_t.status::text, NULL::bigint, r.id::bigint
        FROM gateway.refunds r WHERE r.refund_id = v_key.response_body;
    END IF;
    RETURN;
  END IF;
  v_left := (SELECT f.refundable::bigint FROM gateway.refund_totals(v_t.id) f);
  IF v_t.status <> 'completed' OR p_amount > v_left THEN
    DELETE FROM gateway.idempotency_keys k WHERE k.terminal_id = p_terminal_id AND k.key = p_idem_key;
    RETURN QUERY SELECT CASE WHEN v_t.status <> 'completed' THEN 'wrong_state' ELSE 'exceeds' END::text,
                        v_t.status::text, v_left::bigint, NULL::bigint;
    RETURN;
  END IF;
  IF p_void_window AND p_amount = v_t.total
     AND NOT EXISTS (SELECT 1 FROM gateway.refunds r WHERE r.transaction_id = v_t.id AND r.status <> 'declined') THEN
    v_kind := 'void';
  END IF;
  INSERT INTO gateway.refunds (refund_id, transaction_id, user_id, merchant_id, terminal_id, kind, amount, currency,
                               reason, stan, transmission_time, attempts, next_attempt_at)
  SELECT p_refund_id, v_t.id, v_t.user_id, p_merchant_id, p_terminal_id, v_kind, p_amount, v_t.currency, p_reason,
         CASE WHEN v_kind = 'void' THEN a.stan ELSE nextval('gateway.stan_seq')::integer END,
         CASE WHEN v_kind = 'void' THEN a.transmission_time
              ELSE to_char(now() AT TIME ZONE 'UTC', 'MMDDHH24MISS') END,
         1, now() + make_interval(secs => p_lease_ms::double precision / 1000)
    FROM gateway.authorizations a WHERE a.transaction_id = v_t.id
  RETURNING gateway.refunds.id INTO v_id;
  IF v_id IS NULL THEN
    RAISE EXCEPTION 'completed transaction % has no authorization', p_number;
  END IF;
  UPDATE gateway.idempotency_keys k SET response_status = 201, response_body = p_refund_id
   WHERE k.terminal_id = p_terminal_id AND k.key = p_idem_key;
  IF p_wake IS NOT NULL THEN
    PERFORM pg_notify(p_wake, '');
  END IF;
  RETURN QUERY SELECT 'created'::text, v_t.status::text, (v_left - p_amount)::bigint, v_id;
END
$$;
COMMENT ON FUNCTION gateway.do_create_refund(bigint, bigint, text, text, text, text, bigint, text, boolean, bigint,
  text) IS
  'POST /v1/transactions/{number}/refunds in one call: outcome created (id: the refund, pending, attempt 1 leased '
  'p_lease_ms), replayed (id: the refund the key made), conflict, unknown_txn, wrong_state (txn_status), exceeds '
  '(refundable) or key_lost; only created changes anything';
REVOKE ALL ON FUNCTION gateway.do_create_refund(bigint, bigint, text, text, text, text, bigint, text, boolean, bigint,
  text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gateway.do_create_refund(bigint, bigint, text, text, text, text, bigint, text, boolean,
  bigint, text) TO paygw_gateway;

-- The credit server's answer to attempt p_attempt of refund p_refund_id:
-- 00 → completed, with the signed `refund` message in the handset's
-- mailbox; any other code → declined (p_reason).  The message says what
-- the payment has given back with this refund (p_refunded): when a
-- concurrent refund made that another figure, nothing changes and the
-- answer is sign_again (refunded: the right one).  A refund no longer
-- pending (answered already, or given up) is settled: nothing changes.
-- The payment's row is locked first, as do_create_refund does.
CREATE FUNCTION gateway.do_refund_answer(p_refund_id text, p_response_code text, p_reason text, p_refunded bigint,
                                         p_message text, p_signature text)
RETURNS TABLE (outcome text, refunded bigint)
LANGUAGE plpgsql AS $$
DECLARE
  v_r record;
  v_refunded bigint;
BEGIN
  SELECT r.id::bigint, r.transaction_id::bigint, r.status::text, r.amount::bigint INTO v_r
    FROM gateway.refunds r WHERE r.refund_id = p_refund_id;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'settled'::text, NULL::bigint;
    RETURN;
  END IF;
  PERFORM 1 FROM gateway.transactions t WHERE t.id = v_r.transaction_id FOR UPDATE;
  SELECT r.status::text INTO v_r.status FROM gateway.refunds r WHERE r.id = v_r.id FOR UPDATE;
  IF v_r.status <> 'pending' THEN
    RETURN QUERY SELECT 'settled'::text, NULL::bigint;
    RETURN;
  END IF;
  IF p_response_code <> '00' THEN
    UPDATE gateway.refunds r SET status = 'declined', response_code = p_response_code, outcome_reason = p_reason,
           next_attempt_at = NULL, ended_at = now()
     WHERE r.id = v_r.id AND r.status = 'pending';
    RETURN QUERY SELECT 'declined'::text, (SELECT f.refunded FROM gateway.refund_totals(v_r.transaction_id) f)::bigint;
    RETURN;
  END IF;
  v_refunded := (SELECT f.refunded::bigint FROM gateway.refund_totals(v_r.transaction_id) f) + v_r.amount;
  IF v_refunded IS DISTINCT FROM p_refunded OR p_message IS NULL THEN
    RETURN QUERY SELECT 'sign_again'::text, v_refunded;
    RETURN;
  END IF;
  UPDATE gateway.refunds r SET status = 'completed', response_code = '00', outcome_reason = NULL,
         next_attempt_at = NULL, ended_at = now()
   WHERE r.id = v_r.id AND r.status = 'pending';
  INSERT INTO gateway.mailbox (device_id, user_id, transaction_id, refund_id, kind, message, signature)
  SELECT t.device_id, t.user_id, t.id, v_r.id, 'refund', p_message, p_signature
    FROM gateway.transactions t WHERE t.id = v_r.transaction_id;
  RETURN QUERY SELECT 'completed'::text, v_refunded;
END
$$;
COMMENT ON FUNCTION gateway.do_refund_answer(text, text, text, bigint, text, text) IS
  'records the credit server''s answer to a pending refund: outcome completed (00; the signed refund message in the '
  'mailbox), declined, sign_again (refunded: what the message must say) or settled (not pending: nothing changed)';
REVOKE ALL ON FUNCTION gateway.do_refund_answer(text, text, text, bigint, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gateway.do_refund_answer(text, text, text, bigint, text, text) TO paygw_gateway;

-- The sweeper's next repeat, claimed in a commit of its own before it is
-- sent (as gateway.do_claim_reversal): first every refund pending since
-- p_give_up_s seconds or more is given up (failed: the issuer may have
-- applied it, so its amount stays spent), then the one due longest is
-- counted and leased p_lease_ms[attempt] ms (the last element beyond).
CREATE FUNCTION gateway.do_claim_refund(p_lease_ms bigint[], p_give_up_s bigint)
RETURNS TABLE (id bigint, gave_up bigint)
LANGUAGE plpgsql AS $$
DECLARE
  v_id bigint;
  v_gave_up bigint;
BEGIN
  WITH g AS (
    UPDATE gateway.refunds r SET status = 'failed', next_attempt_at = NULL, ended_at = now(),
           outcome_reason = 'the issuer did not answer the refund in time; it was given up'
     WHERE r.status = 'pending' AND r.created_at + make_interval(secs => p_give_up_s::double precision) <= now()
    RETURNING r.id)
  SELECT count(*) INTO v_gave_up FROM g;
  SELECT r.id INTO v_id FROM gateway.refunds r
   WHERE r.status = 'pending' AND r.next_attempt_at <= now()
   ORDER BY r.next_attempt_at LIMIT 1 FOR UPDATE OF r SKIP LOCKED;
  IF FOUND THEN
    UPDATE gateway.refunds r SET attempts = r.attempts + 1,
           next_attempt_at = now() + make_interval(secs => p_lease_ms[least(r.attempts + 1, cardinality(p_lease_ms))]
                                                            ::double precision / 1000)
     WHERE r.id = v_id;
  END IF;
  RETURN QUERY SELECT v_id, v_gave_up;
END
$$;
COMMENT ON FUNCTION gateway.do_claim_refund(bigint[], bigint) IS
  'gives up refunds pending p_give_up_s seconds or more (failed; gave_up: how many), then claims the one due longest '
  'for one more attempt (id; NULL when none is due)';
REVOKE ALL ON FUNCTION gateway.do_claim_refund(bigint[], bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gateway.do_claim_refund(bigint[], bigint) TO paygw_gateway;
