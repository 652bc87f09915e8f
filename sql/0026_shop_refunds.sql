-- 0026_shop_refunds.sql — the demo shop's record of the refunds its owner
-- asked the gateway for (issue 15; docs/shop.md "Refunds"): one row per
-- refund the gateway made for one of the shop's orders, learned from the
-- answer to POST /v1/transactions/{number}/refunds (201) or from a
-- refund.* webhook, whichever comes first; the other only moves it on.
-- The order itself stays `paid`: "refunded" and "partly refunded" are
-- what its completed refunds add up to, shown, not stored.

CREATE TABLE shop.refunds (
  id              bigserial PRIMARY KEY,
  order_id        bigint NOT NULL REFERENCES shop.orders (id),
  refund_id       text NOT NULL UNIQUE CHECK (refund_id ~ '^rf_[A-Za-z0-9_-]{22}$'),
  idempotency_key text UNIQUE CHECK (idempotency_key ~ '^[A-Za-z0-9_-]{1,64}$'),
  kind            text NOT NULL CHECK (kind IN ('void', 'refund')),
  amount          bigint NOT NULL CHECK (amount > 0 AND amount < 1000000000000),
  currency        text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  reason          text CHECK (length(reason) BETWEEN 1 AND 200),
  status          text NOT NULL CHECK (status IN ('pending', 'completed', 'declined', 'failed')),
  outcome_reason  text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  completed_at    timestamptz
);
COMMENT ON TABLE shop.refunds IS 'refunds and voids of paid orders, as the gateway answered or its refund.* webhooks said; '
  'pending → completed | declined | failed, never back';
COMMENT ON COLUMN shop.refunds.refund_id IS 'the gateway''s refund ID (rf_...)';
COMMENT ON COLUMN shop.refunds.idempotency_key IS
  'the Idempotency-Key the owner''s refund form carried (made when the form was rendered); null when a webhook told first';
COMMENT ON COLUMN shop.refunds.kind IS 'void (the whole amount the same day) or refund, as the gateway chose';
COMMENT ON COLUMN shop.refunds.outcome_reason IS 'why the gateway or the issuer declined it, or why it failed';
COMMENT ON COLUMN shop.refunds.completed_at IS 'when the gateway says it ended';
CREATE INDEX refunds_order ON shop.refunds (order_id, created_at);

-- A refund the gateway told of — its 201 (p_webhook_id null) or a
-- refund.* webhook (its id recorded in shop.webhook_ids in the same
-- transaction) — recorded for the paid order of code p_code and
-- transaction p_number.  A refund seen before moves only out of pending
-- (a guarded update: a late 201 or an old webhook never takes an ended
-- refund back).  Outcomes: recorded (new row), moved, unchanged, repeated
-- (the webhook id was handled already), unknown_order.
CREATE FUNCTION shop.do_refund(p_webhook_id text, p_code text, p_number text, p_refund_id text, p_idempotency_key text,
                               p_kind text, p_amount bigint, p_currency text, p_reason text, p_status text,
                               p_outcome_reason text, p_completed_at timestamptz)
RETURNS TABLE (outcome text, status text)
LANGUAGE plpgsql AS $$
DECLARE
  v_order  bigint;
  v_status text;
BEGIN
  IF p_webhook_id IS NOT NULL THEN
    INSERT INTO shop.webhook_ids (id) VALUES (p_webhook_id) ON CONFLICT (id) DO NOTHING;
    IF NOT FOUND THEN
      RETURN QUERY SELECT 'repeated'::text, NULL::text;
      RETURN;
    END IF;
  END IF;
  SELECT o.id::bigint INTO v_order FROM shop.orders o
   WHERE o.code = p_code AND o.transaction_number = p_number AND o.state = 'paid';
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'unknown_order'::text, NULL::text;
    RETURN;
  END IF;
  INSERT INTO shop.refunds AS r (order_id, refund_id, idempotency_key, kind, amount, currency, reason, status,
                                 outcome_reason, completed_at)
  VALUES (v_order, p_refund_id, p_idempotency_key, p_kind, p_amount, p_currency, p_reason, p_status, p_outcome_reason,
          CASE WHEN p_status <> 'pending' THEN coalesce(p_completed_at, now()) END)
  ON CONFLICT (refund_id) DO NOTHING
  RETURNING r.status::text INTO v_status;
  IF FOUND THEN
    RETURN QUERY SELECT 'recorded'::text, v_status;
    RETURN;
  END IF;
  -- the webhook told first: the form's key is the gateway's answer's to add
  IF p_idempotency_key IS NOT NULL THEN
    UPDATE shop.refunds r SET idempotency_key = p_idempotency_key
     WHERE r.refund_id = p_refund_id AND r.order_id = v_order AND r.idempotency_key IS NULL;
  END IF;
  UPDATE shop.refunds r
     SET status = p_status, outcome_reason = p_outcome_reason, completed_at = coalesce(p_completed_at, now()),
         updated_at = now()
   WHERE r.refund_id = p_refund_id AND r.order_id = v_order AND r.status = 'pending' AND p_status <> 'pending'
  RETURNING r.status::text INTO v_status;
  IF FOUND THEN
    RETURN QUERY SELECT 'moved'::text, v_status;
    RETURN;
  END IF;
  RETURN QUERY SELECT 'unchanged'::text, r.status::text FROM shop.refunds r WHERE r.refund_id = p_refund_id;
END
$$;

REVOKE ALL ON FUNCTION shop.do_refund(text, text, text, text, text, text, bigint, text, text, text, text, timestamptz)
  FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON shop.refunds TO paygw_shop;
GRANT USAGE, SELECT ON SEQUENCE shop.refunds_id_seq TO paygw_shop;
GRANT EXECUTE ON FUNCTION shop.do_refund(text, text, text, text, text, text, bigint, text, text, text, text, timestamptz)
  TO paygw_shop;
