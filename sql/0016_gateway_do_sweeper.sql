-- 0016_gateway_do_sweeper.sql — the ends of an authorization as one call
-- each (issue 19, after sql/0014 and 0015): a 0100 left without an answer
-- (the worker's time-out, a card that did not decrypt, or a worker that
-- died: the sweeper's "abandoned" rows) failed and its reversal made due,
-- and the sweeper's claim of the next due reversal.  The rules of 0014 hold:
-- each function keeps the guards of the statements it replaces, runs as
-- SECURITY INVOKER with EXECUTE granted to paygw_gateway by name, and one
-- that may be sent again after a lost answer recognises its own earlier
-- effect.  The exactly-once rule toward the credit server is unchanged:
-- "recorded before sending" (do_begin_authorization, and here the claim)
-- and "answer recorded" (or failed) stay commits of their own, around the
-- network exchange.

-- No answer in time: the authorization, if still "sent", becomes
-- reversal_pending and due now; the transaction, if still authorizing,
-- fails (code 91, p_reason) with the signed completion p_message in the
-- handset's mailbox; and, when it failed now and p_wake names a channel,
-- that channel is NOTIFYed (delivered at commit: the sweeper wakes and
-- sends the reversal, so the worker never waits for one).  Each change is
-- guarded on its own, as the statements this replaces were: an answer
-- recorded meanwhile (answered, completed or declined) is never touched.
-- Answers was_sent (the authorization was ours to reverse) and the
-- transaction's status after.  Sent again after a lost answer, it finds
-- the transaction failed with p_reason and the authorization past "sent",
-- and answers was_sent true again (no other caller writes that reason).
CREATE FUNCTION gateway.do_fail_authorization(p_txn_id bigint, p_reason text, p_message text, p_signature text,
                                              p_wake text)
RETURNS TABLE (was_sent boolean, txn_status text)
LANGUAGE plpgsql AS $$
DECLARE
  v_sent boolean;
  v_status text;
BEGIN
  UPDATE gateway.authorizations a SET status = 'reversal_pending', next_attempt_at = now()
   WHERE a.transaction_id = p_txn_id AND a.status = 'sent';
  v_sent := FOUND;
  WITH t AS (
    UPDATE gateway.transactions t SET status = 'failed', deadline = NULL, response_code = '91',
           outcome_reason = p_reason, approval_code = NULL, completed_at = now(), updated_at = now()
     WHERE t.id = p_txn_id AND t.status = 'authorizing' RETURNING t.id, t.device_id, t.user_id)
  INSERT INTO gateway.mailbox (device_id, user_id, transaction_id, kind, message, signature)
  SELECT t.device_id, t.user_id, t.id, 'completion', p_message, p_signature FROM t;
  IF FOUND AND p_wake IS NOT NULL THEN
    PERFORM pg_notify(p_wake, '');
  END IF;
  SELECT t.status INTO v_status FROM gateway.transactions t WHERE t.id = p_txn_id;
  IF NOT v_sent THEN
    -- this very call, sent again: the failure it recorded is found
    v_sent := v_status = 'failed' AND EXISTS (
      SELECT 1 FROM gateway.transactions t JOIN gateway.authorizations a ON a.transaction_id = t.id
       WHERE t.id = p_txn_id AND t.outcome_reason = p_reason AND a.status IN ('reversal_pending', 'reversed'));
  END IF;
  RETURN QUERY SELECT v_sent::boolean, v_status::text;
END
$$;
COMMENT ON FUNCTION gateway.do_fail_authorization(bigint, text, text, text, text) IS
  'a 0100 without an answer: authorization sent -> reversal_pending (due now), transaction authorizing -> failed '
  '(91, p_reason) with the signed completion in the mailbox and NOTIFY p_wake (NULL: none); answers was_sent (the '
  'reversal is ours; true again for the same call sent again) and the transaction''s status after';
REVOKE ALL ON FUNCTION gateway.do_fail_authorization(bigint, text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gateway.do_fail_authorization(bigint, text, text, text, text) TO paygw_gateway;

-- The sweeper's next reversal: the reversal_pending row due longest
-- (locked, SKIP LOCKED), its attempt counted and the row leased until the
-- attempt and its back-off are over — p_lease_ms[n] milliseconds for
-- attempt n, the last element for any later one (the sweeper computes them
-- from its back-off settings, cgi/gateway/backoff.c) — committed before
-- the reversal is sent, so a sweeper that dies mid-attempt does not make
-- the next one repeat it at once.  No row when none is due.  Not
-- repeatable: sent again it would count another attempt (a lost answer
-- leaves the lease, and the next attempt is a 0401, which the credit server
-- acknowledges like the first).
CREATE FUNCTION gateway.do_claim_reversal(p_lease_ms bigint[])
RETURNS TABLE (transaction_id bigint, user_id text, stan integer, transmission_time text, terminal_code text,
               attempt integer, number text, total bigint, currency text, device_id bigint, merchant_code text)
LANGUAGE plpgsql AS $$
DECLARE
  v_id bigint;
  v_attempt integer;
BEGIN
  SELECT a.transaction_id INTO v_id FROM gateway.authorizations a
   WHERE a.status = 'reversal_pending' AND (a.next_attempt_at IS NULL OR a.next_attempt_at <= now())
   ORDER BY a.next_attempt_at NULLS FIRST LIMIT 1 FOR UPDATE OF a SKIP LOCKED;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  UPDATE gateway.authorizations a SET reversal_attempts = a.reversal_attempts + 1,
         next_attempt_at = now() + make_interval(secs => p_lease_ms[least(a.reversal_attempts + 1,
                                                                          cardinality(p_lease_ms))]::double precision
                                                          / 1000)
   WHERE a.transaction_id = v_id AND a.status = 'reversal_pending' RETURNING a.reversal_attempts INTO v_attempt;
  RETURN QUERY
    SELECT a.transaction_id::bigint, a.user_id::text, a.stan::integer, a.transmission_time::text,
           a.terminal_code::text, v_attempt::integer, t.number::text, t.total::bigint, t.currency::text,
           t.device_id::bigint, m.code::text
      FROM gateway.authorizations a JOIN gateway.transactions t ON t.id = a.transaction_id
      JOIN gateway.merchants m ON m.id = t.merchant_id
     WHERE a.transaction_id = v_id;
END
$$;
COMMENT ON FUNCTION gateway.do_claim_reversal(bigint[]) IS
  'the reversal due longest, claimed for one attempt (counted, leased p_lease_ms[attempt] ms, the last element '
  'beyond): a row with what the 0400/0401 needs and the attempt''s number, or none when nothing is due';
REVOKE ALL ON FUNCTION gateway.do_claim_reversal(bigint[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gateway.do_claim_reversal(bigint[]) TO paygw_gateway;
