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
-- users' handsets (POST /v1/device-auth) in their cache (cgi/gateway/cache.c):
-- a change to those rows is announced on paygw_enrolment like 0004's tables.
-- A poll rewrites last_poll_* on every request, so the devices' trigger
-- fires only for the columns the cache holds.
CREATE TRIGGER announce_change AFTER INSERT OR DELETE OR TRUNCATE ON gateway.devices
  FOR EACH STATEMENT EXECUTE FUNCTION gateway.announce_enrolment_change();
CREATE TRIGGER announce_key_change AFTER UPDATE OF code, public_key, status ON gateway.devices
  FOR EACH STATEMENT EXECUTE FUNCTION gateway.announce_enrolment_change();
CREATE TRIGGER announce_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON gateway.users
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
  SELECT d.id, d.last_poll_ms, d.last_poll_key, d.last_poll_taken,
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
  RETURN QUERY SELECT 'taken'::text, mb.message, mb.signature
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
