-- 0017_webhooks.sql — the end of a payment told to the merchant's shop as
-- a signed webhook (issue 12, [0119]: the completion goes to the web
-- server): each merchant may register a URL and holds a secret; the end of
-- each of its transactions queues one event in gateway.webhook_events, in
-- the same statement that ends it; one process, paygw-webhooks
-- (cgi/gateway/webhooks_main.c), claims due events with a lease and POSTs
-- them, signed as the Standard Webhooks specification says, until a 2xx or
-- until it gives up (docs/webhooks.md).  The rules of 0014 hold: SECURITY
-- INVOKER, EXECUTE granted to paygw_gateway by name, every column a
-- function takes from a table cast.

ALTER TABLE gateway.merchants
  ADD COLUMN webhook_url text
    CONSTRAINT merchants_webhook_url_check CHECK (
      length(webhook_url) <= 2000 AND webhook_url !~ '[[:space:][:cntrl:]]'
      AND (webhook_url ~ '^https://[^/?#@]+([/?#]|$)'
           OR webhook_url ~ '^http://(127\.0\.0\.1|localhost)(:[0-9]{1,5})?(/|$)')),
  ADD COLUMN webhook_secret bytea,
  ADD COLUMN webhook_secret_key_id integer,
  ADD COLUMN webhook_secret_at timestamptz,
  ADD CONSTRAINT merchants_webhook_secret_check CHECK (
    (webhook_secret IS NULL) = (webhook_secret_key_id IS NULL)
    AND (webhook_secret IS NULL) = (webhook_secret_at IS NULL)
    AND (webhook_url IS NULL OR webhook_secret IS NOT NULL));
COMMENT ON COLUMN gateway.merchants.webhook_url IS
  'where the ends of this merchant''s payments are POSTed (paygw-admin merchant webhook set): https, or http to '
  '127.0.0.1/localhost only (tests and the demo on one machine); NULL: no webhooks, the terminal polls';
COMMENT ON COLUMN gateway.merchants.webhook_secret IS
  'the webhook signing secret (32 random bytes; the merchant holds it as whsec_ + base64), sealed with AES-256-GCM '
  'under data key webhook_secret_key_id of the card key file and bound to this row''s id (iv || ciphertext || tag): '
  'a dump of the database alone does not give it away';
COMMENT ON COLUMN gateway.merchants.webhook_secret_key_id IS 'the card key file''s data key that sealed webhook_secret';
COMMENT ON COLUMN gateway.merchants.webhook_secret_at IS
  'when the secret was made (set or rotate-secret); the previous one stopped working then';

-- The queue: one row per ended transaction of a merchant with a URL.  The
-- row is the queue entry, so a restart of anything loses nothing.
CREATE TABLE gateway.webhook_events (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  event_id         text NOT NULL UNIQUE CHECK (event_id ~ '^msg_[0-9a-f]{32}$'),
  merchant_id      bigint NOT NULL REFERENCES gateway.merchants,
  transaction_id   bigint NOT NULL UNIQUE REFERENCES gateway.transactions,
  event_type       text NOT NULL CHECK (event_type IN ('payment.completed', 'payment.declined', 'payment.failed',
                                                      'payment.canceled', 'payment.expired')),
  body             text NOT NULL,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at  timestamptz DEFAULT now(),
  created_at       timestamptz NOT NULL DEFAULT now(),
  last_attempt_at  timestamptz,
  last_http_status integer,
  last_error       text,
  ended_at         timestamptz,
  CHECK ((status = 'pending') = (next_attempt_at IS NOT NULL)),
  CHECK ((status = 'pending') = (ended_at IS NULL))
);
CREATE INDEX webhook_events_due_idx ON gateway.webhook_events (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_events_merchant_idx ON gateway.webhook_events (merchant_id, status);
COMMENT ON TABLE gateway.webhook_events IS
  'the webhook queue: one event per transaction that ended (completed, declined, failed, canceled, expired) while its '
  'merchant had a URL, written by trigger webhook_enqueue in the statement that ended it; delivered by paygw-webhooks';
COMMENT ON COLUMN gateway.webhook_events.event_id IS
  'the webhook-id header: the same on every attempt, so the shop can ignore a repeat';
COMMENT ON COLUMN gateway.webhook_events.body IS
  'the JSON body, fixed when queued (type, timestamp, data: the payment as the terminal sees it, masked card only); '
  'every attempt sends and signs these very bytes';
COMMENT ON COLUMN gateway.webhook_events.status IS
  'pending (to be sent at next_attempt_at), delivered (a 2xx came), failed (no 2xx within PAYGW_WEBHOOK_RETRY_FOR_S '
  'of created_at: given up)';
COMMENT ON COLUMN gateway.webhook_events.attempts IS 'attempts claimed so far (the claim counts one before it POSTs)';
COMMENT ON COLUMN gateway.webhook_events.next_attempt_at IS
  'pending only: when it is due; a claim pushes it past the attempt (a lease), a failure to the back-off';
COMMENT ON COLUMN gateway.webhook_events.last_http_status IS 'the last attempt''s HTTP status (NULL: no answer)';
COMMENT ON COLUMN gateway.webhook_events.last_error IS 'why the last attempt failed (curl''s error or the status)';
COMMENT ON COLUMN gateway.webhook_events.ended_at IS 'when it was delivered or given up';

-- The event of a transaction that has just ended, for a merchant with a
-- URL.  A row trigger rather than a line in each function that ends a
-- transaction: the ends are gateway.txn_end (do_confirm, do_end_waiting,
-- do_cancel), gateway.txn_expire_if_overdue (every do_* that reads a
-- waiting transaction), gateway.do_fail_authorization, the answer recorded
-- (cgi/gateway/db/auth_answer.c) and the sweeper's bulk expiry
-- (db/txn_expire_overdue.c) — the trigger runs inside each of those
-- statements, in their transaction, and in any added later.  A transaction
-- ends once (every end is a guarded UPDATE from a waiting state), and the
-- unique transaction_id says so again.  NOTIFY paygw_webhooks (delivered
-- at commit) wakes the sender.  The trigger fires on every UPDATE of a
-- transaction and the function looks at the status itself: a WHEN clause
-- or an UPDATE OF list would tie the trigger to the status column, and
-- PostgreSQL then refuses to change that column's type in a later
-- migration (tests/api/stack_migration_live.t changes it under a running
-- stack).  An update that ends nothing costs one function call that
-- returns at once.
CREATE FUNCTION gateway.webhook_enqueue() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  -- the row as jsonb, its fields read as text: PL/pgSQL keeps the plans of
  -- NEW.field expressions with the field's type, and a migration that
  -- changes that type under a running session would make them fail ("type
  -- of parameter does not match that when preparing the plan"); the row's
  -- own type does not change
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
  ON CONFLICT (transaction_id) DO NOTHING;
  IF FOUND THEN
    PERFORM pg_notify('paygw_webhooks', '');
  END IF;
  RETURN NULL;
END
$$;
COMMENT ON FUNCTION gateway.webhook_enqueue() IS
  'trigger: queues the payment.<status> event of a transaction that has just ended, when its merchant has a webhook '
  'URL, and NOTIFYs paygw_webhooks';
REVOKE ALL ON FUNCTION gateway.webhook_enqueue() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gateway.webhook_enqueue() TO paygw_gateway;
CREATE TRIGGER webhook_enqueue AFTER UPDATE ON gateway.transactions
  FOR EACH ROW EXECUTE FUNCTION gateway.webhook_enqueue();
COMMENT ON TRIGGER webhook_enqueue ON gateway.transactions IS
  'every end of a transaction queues its webhook event in the same statement (gateway.webhook_enqueue)';

-- The sender's next event: the pending one due longest (locked, SKIP
-- LOCKED), its attempt counted and leased until the attempt and its
-- back-off are over (p_lease_ms[n] for attempt n, the last element beyond,
-- as do_claim_reversal in sql/0016), committed before the POST, so a
-- sender that dies mid-attempt does not make the next repeat it at once,
-- and two senders never POST the same event at once.  Answers what the
-- POST needs: the merchant's URL and sealed secret (hex) read now, so a
-- new URL or secret holds for the events already queued.  No row when none
-- is due.  Not repeatable: sent again it would count another attempt (a
-- lost answer leaves the lease).
CREATE FUNCTION gateway.do_claim_webhook(p_lease_ms bigint[])
RETURNS TABLE (id bigint, event_id text, event_type text, body text, attempt integer, url text, secret text,
               secret_key_id integer, merchant_id bigint, merchant_code text, txn_number text)
LANGUAGE plpgsql AS $$
DECLARE
  v_id bigint;
  v_attempt integer;
BEGIN
  SELECT e.id INTO v_id FROM gateway.webhook_events e
   WHERE e.status = 'pending' AND e.next_attempt_at <= now()
   ORDER BY e.next_attempt_at LIMIT 1 FOR UPDATE OF e SKIP LOCKED;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  UPDATE gateway.webhook_events e SET attempts = e.attempts + 1, last_attempt_at = now(),
         next_attempt_at = now() + make_interval(secs => p_lease_ms[least(e.attempts + 1, cardinality(p_lease_ms))]
                                                          ::double precision / 1000)
   WHERE e.id = v_id AND e.status = 'pending' RETURNING e.attempts INTO v_attempt;
  RETURN QUERY
    SELECT e.id::bigint, e.event_id::text, e.event_type::text, e.body::text, v_attempt::integer, m.webhook_url::text,
           encode(m.webhook_secret, 'hex'), m.webhook_secret_key_id::integer, m.id::bigint, m.code::text,
           t.number::text
      FROM gateway.webhook_events e JOIN gateway.merchants m ON m.id = e.merchant_id
      JOIN gateway.transactions t ON t.id = e.transaction_id
     WHERE e.id = v_id;
END
$$;
COMMENT ON FUNCTION gateway.do_claim_webhook(bigint[]) IS
  'the webhook event due longest, claimed for one attempt (counted, leased p_lease_ms[attempt] ms, the last element '
  'beyond): a row with the body, the attempt''s number, the merchant''s URL and sealed secret; none when nothing is due';
REVOKE ALL ON FUNCTION gateway.do_claim_webhook(bigint[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gateway.do_claim_webhook(bigint[]) TO paygw_gateway;

-- What came of attempt p_attempt of event p_id: a 2xx makes it delivered;
-- anything else puts it off p_retry_ms (the back-off), or gives it up
-- (failed) once p_give_up_s seconds have passed since it was queued.
-- Guarded on the attempt the caller claimed, so a sender that outlived its
-- lease cannot overwrite a later attempt's result.  Outcome: delivered,
-- retry, gave_up, or stale (the event is no longer pending at that
-- attempt: a later claim, or a result recorded; nothing changes).  Sent
-- again after a lost answer, a retry is put off once more from now, a
-- delivery or a give-up answers stale: repeatable in effect.
CREATE FUNCTION gateway.do_webhook_result(p_id bigint, p_attempt integer, p_delivered boolean,
                                          p_http_status integer, p_error text, p_retry_ms bigint,
                                          p_give_up_s bigint)
RETURNS TABLE (outcome text)
LANGUAGE plpgsql AS $$
DECLARE
  v_status text;
BEGIN
  UPDATE gateway.webhook_events e
     SET status = CASE WHEN p_delivered THEN 'delivered'
                       WHEN e.created_at + make_interval(secs => p_give_up_s::double precision) <= now() THEN 'failed'
                       ELSE 'pending' END,
         next_attempt_at = CASE WHEN p_delivered
                                  OR e.created_at + make_interval(secs => p_give_up_s::double precision) <= now()
                                THEN NULL
                                ELSE now() + make_interval(secs => p_retry_ms::double precision / 1000) END,
         ended_at = CASE WHEN p_delivered
                           OR e.created_at + make_interval(secs => p_give_up_s::double precision) <= now()
                         THEN now() END,
         last_http_status = p_http_status, last_error = CASE WHEN p_delivered THEN NULL ELSE p_error END
   WHERE e.id = p_id AND e.status = 'pending' AND e.attempts = p_attempt
  RETURNING e.status INTO v_status;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'stale'::text;
    RETURN;
  END IF;
  RETURN QUERY SELECT CASE v_status WHEN 'delivered' THEN 'delivered' WHEN 'failed' THEN 'gave_up'
                                    ELSE 'retry' END::text;
END
$$;
COMMENT ON FUNCTION gateway.do_webhook_result(bigint, integer, boolean, integer, text, bigint, bigint) IS
  'records attempt p_attempt of webhook event p_id: outcome delivered (2xx), retry (due again in p_retry_ms), gave_up '
  '(failed: queued p_give_up_s seconds ago or more) or stale (not at that attempt: nothing changed)';
REVOKE ALL ON FUNCTION gateway.do_webhook_result(bigint, integer, boolean, integer, text, bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION gateway.do_webhook_result(bigint, integer, boolean, integer, text, bigint, bigint)
  TO paygw_gateway;

-- the trigger queues as the role that ends the transaction; the sender and
-- paygw-admin (merchant webhook show) read and update; nothing deletes
GRANT SELECT, INSERT, UPDATE ON gateway.webhook_events TO paygw_gateway;
-- what 0001's default privileges give the stack, by name: the same rights
-- whoever runs this migration (tests/api/admin_migration_grants.t)
GRANT USAGE, SELECT ON SEQUENCE gateway.webhook_events_id_seq TO paygw_gateway;
