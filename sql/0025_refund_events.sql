-- 0025_refund_events.sql — what a refund's end tells (issue 15; docs/api.md
-- "Refunds", docs/webhooks.md): the handset's signed `refund` message in
-- the mailbox (put there by gateway.do_refund_answer when a refund
-- completes), and the merchant's refund.completed / refund.declined /
-- refund.failed webhook event, queued by a trigger in the statement that
-- ends the refund, as payment.* events are (sql/0017).

ALTER TABLE gateway.mailbox DROP CONSTRAINT mailbox_kind_check,
  ADD CONSTRAINT mailbox_kind_check
    CHECK (kind IN ('payment_command', 'completion', 'token_confirmation', 'refund')),
  ADD COLUMN refund_id bigint REFERENCES gateway.refunds;
COMMENT ON COLUMN gateway.mailbox.refund_id IS 'the refund a `refund` message tells of (completed)';

-- One payment.* event per transaction, plus one refund.* event per refund.
ALTER TABLE gateway.webhook_events DROP CONSTRAINT webhook_events_transaction_id_key,
  ADD COLUMN refund_id bigint UNIQUE REFERENCES gateway.refunds,
  DROP CONSTRAINT webhook_events_event_type_check,
  ADD CONSTRAINT webhook_events_event_type_check CHECK (event_type IN (
    'payment.completed', 'payment.declined', 'payment.failed', 'payment.canceled', 'payment.expired',
    'refund.completed', 'refund.declined', 'refund.failed')),
  ADD CONSTRAINT webhook_events_refund_type_check CHECK ((refund_id IS NULL) = (event_type LIKE 'payment.%'));
CREATE UNIQUE INDEX webhook_events_payment_idx ON gateway.webhook_events (transaction_id) WHERE refund_id IS NULL;
COMMENT ON COLUMN gateway.webhook_events.refund_id IS
  'a refund.* event: the refund that ended (transaction_id is its payment); NULL for a payment.* event';

-- sql/0017's trigger function, its ON CONFLICT now naming the partial
-- index of payment events (the body is unchanged).
CREATE OR REPLACE FUNCTION gateway.webhook_enqueue() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  v_new jsonb := to_jsonb(NEW);
  v_status text := v_new->>'status';
BEGIN
  IF v_status NOT IN ('completed', 'declined', 'failed', 'canceled', 'expired') THEN
    RETURN NULL;
  END IF;
  IF v_status IS NOT DISTINCT FROM to_jsonb(OLD)->>'status' THEN
    RETURN NULL;
  END IF;
  INSERT INTO gateway.webhook_events (event_id, merchant_id, transaction_id, event_type, body)
  SELECT 'msg_' || replace(gen_random_uuid()::text, '-', ''), m.id, (v_new->>'id')::bigint, 'payment.' || v_status,
         json_build_object(
           'type', 'payment.' || v_status,
           'timestamp', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
           'data', json_build_object(
             'number', v_new->>'number', 'status', v_status, 'merchant', m.code::text,
             'reference', v_new->>'reference', 'total', (v_new->>'total')::bigint,
             'tax_total', (v_new->>'tax_total')::bigint, 'currency', v_new->>'currency',
             'method', v_new->>'method', 'installments', (v_new->>'installments')::integer,
             'approval_code', v_new->>'approval_code', 'card_masked', v_new->>'card_masked',
             'response_code', v_new->>'response_code', 'reason', v_new->>'outcome_reason',
             'completed_at', to_char(coalesce((v_new->>'completed_at')::timestamptz,
                                              (v_new->>'updated_at')::timestamptz) AT TIME ZONE 'UTC',
                                     'YYYY-MM-DD"T"HH24:MI:SS"Z"')))::text
    FROM gateway.merchants m WHERE m.id = (v_new->>'merchant_id')::bigint AND m.webhook_url IS NOT NULL
  ON CONFLICT (transaction_id) WHERE refund_id IS NULL DO NOTHING;
  IF FOUND THEN
    PERFORM pg_notify('paygw_webhooks', '');
  END IF;
  RETURN NULL;
END
$$;

-- A refund that has just ended (pending → completed, declined or failed)
-- queues its refund.<status> event when its merchant has a webhook URL;
-- refunded and refundable are the payment's after this end (the trigger
-- runs after the row changed, in the same statement).  Fields read from
-- the row as jsonb, for sql/0017's reason.
CREATE FUNCTION gateway.refund_webhook_enqueue() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  v_new jsonb := to_jsonb(NEW);
  v_status text := v_new->>'status';
BEGIN
  IF v_status NOT IN ('completed', 'declined', 'failed') OR v_status IS NOT DISTINCT FROM to_jsonb(OLD)->>'status' THEN
    RETURN NULL;
  END IF;
  INSERT INTO gateway.webhook_events (event_id, merchant_id, transaction_id, refund_id, event_type, body)
  SELECT 'msg_' || replace(gen_random_uuid()::text, '-', ''), m.id, t.id, (v_new->>'id')::bigint,
         'refund.' || v_status,
         json_build_object(
           'type', 'refund.' || v_status,
           'timestamp', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
           'data', jsonb_build_object(
             'refund', v_new->>'refund_id', 'number', t.number::text, 'merchant', m.code::text,
             'reference', t.reference::text, 'kind', v_new->>'kind', 'amount', (v_new->>'amount')::bigint,
             'currency', v_new->>'currency', 'status', v_status, 'refunded', f.refunded::bigint,
             'refundable', f.refundable::bigint, 'reason', v_new->>'reason',
             'response_code', v_new->>'response_code',
             'completed_at', to_char((v_new->>'ended_at')::timestamptz AT TIME ZONE 'UTC',
                                     'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
           -- why it did not complete, as the refund object says it (docs/api.md)
           || CASE v_status
                WHEN 'declined' THEN jsonb_build_object('decline', jsonb_build_object(
                                       'code', v_new->>'response_code', 'reason', v_new->>'outcome_reason'))
                WHEN 'failed' THEN jsonb_build_object('failure', jsonb_build_object('reason', v_new->>'outcome_reason'))
                ELSE '{}'::jsonb END)::text
    FROM gateway.transactions t JOIN gateway.merchants m ON m.id = t.merchant_id
    CROSS JOIN LATERAL gateway.refund_totals(t.id) f
   WHERE t.id = (v_new->>'transaction_id')::bigint AND m.webhook_url IS NOT NULL
  ON CONFLICT (refund_id) DO NOTHING;
  IF FOUND THEN
    PERFORM pg_notify('paygw_webhooks', '');
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION gateway.refund_webhook_enqueue() IS
  'trigger: queues the refund.<status> event of a refund that has just ended, when its merchant has a webhook URL, '
  'and NOTIFYs paygw_webhooks';
REVOKE ALL ON FUNCTION gateway.refund_webhook_enqueue() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gateway.refund_webhook_enqueue() TO paygw_gateway;
CREATE TRIGGER refund_webhook_enqueue AFTER UPDATE ON gateway.refunds
  FOR EACH ROW EXECUTE FUNCTION gateway.refund_webhook_enqueue();
COMMENT ON TRIGGER refund_webhook_enqueue ON gateway.refunds IS
  'every end of a refund queues its webhook event in the same statement (gateway.refund_webhook_enqueue)';
