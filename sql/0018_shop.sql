-- 0018_shop.sql — the demo online shop of the patent's [0117]–[0119]
-- (issue 12, cgi/shop/ → shop.fcgi, docs/shop.md): its own schema `shop`
-- and its own role `paygw_shop`, which has no right on the gateway's or the
-- issuer's schema (the shop is a merchant: it reaches the gateway over
-- HTTPS with a terminal credential, never through the database).
-- Money is bigint minor units with its currency; an order moves only by
-- guarded updates (`... WHERE state = 'x'`), one database transaction each.

-- scripts/stack creates the role with its password before migrating (as
-- paygw_gateway and paygw_issuer); a database migrated without the stack
-- (a scratch database of a test) gets it here, without LOGIN.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'paygw_shop') THEN
    CREATE ROLE paygw_shop NOLOGIN;
  END IF;
END
$$;

CREATE SCHEMA shop;
COMMENT ON SCHEMA shop IS 'the demo online shop (shop.fcgi): goods, sessions, carts, orders, webhooks seen';

CREATE TABLE shop.goods (
  id           integer PRIMARY KEY,
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
  unit_price   bigint NOT NULL CHECK (unit_price BETWEEN 0 AND 10000000),
  currency     text NOT NULL DEFAULT 'JPY' CHECK (currency ~ '^[A-Z]{3}$'),
  tax_rate_pct integer NOT NULL CHECK (tax_rate_pct IN (8, 10)),
  icon         text NOT NULL CHECK (icon ~ '^[a-z0-9-]{1,32}$'),
  active       boolean NOT NULL DEFAULT true
);
COMMENT ON TABLE shop.goods IS 'what the catalog offers (GET /shop/)';
COMMENT ON COLUMN shop.goods.unit_price IS 'price of one, before tax, in minor units of currency';
COMMENT ON COLUMN shop.goods.tax_rate_pct IS 'consumption tax: 10 (standard) or 8 (reduced rate, food and drink to take away)';
COMMENT ON COLUMN shop.goods.icon IS 'the SVG icon www/shop/static/icons/<icon>.svg';

INSERT INTO shop.goods (id, name, unit_price, tax_rate_pct, icon) VALUES
  (1, 'Green tea (100 g)', 980, 8, 'tea'),
  (2, 'Coffee beans (200 g)', 1200, 8, 'coffee'),
  (3, 'Rice crackers', 450, 8, 'cracker'),
  (4, 'Strawberry daifuku', 320, 8, 'daifuku'),
  (5, 'Bento box lunch', 780, 8, 'bento'),
  (6, 'Apples (3)', 600, 8, 'apple'),
  (7, 'Ceramic mug', 1800, 10, 'mug'),
  (8, 'Tenugui towel', 1100, 10, 'towel'),
  (9, 'Notebook', 350, 10, 'notebook'),
  (10, 'Umbrella', 2500, 10, 'umbrella'),
  (11, 'Chopsticks set', 1500, 10, 'chopsticks'),
  (12, 'Paper fan', 700, 10, 'fan');

CREATE TABLE shop.sessions (
  id           bigserial PRIMARY KEY,
  token_hash   text NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  csrf_token   text NOT NULL CHECK (csrf_token ~ '^[0-9a-f]{32}$'),
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  is_admin     boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE shop.sessions IS 'a browser''s session (cookie __Host-shop_session); idle after PAYGW_SHOP_SESSION_IDLE_S, '
  'deleted (its cart with it, its orders kept) PAYGW_SHOP_SESSION_KEEP_S after it was last seen';
COMMENT ON COLUMN shop.sessions.token_hash IS 'SHA-256 (hex) of the cookie''s random 128-bit token: the token itself is never stored';
COMMENT ON COLUMN shop.sessions.csrf_token IS 'the token every form of this session carries (field csrf)';
COMMENT ON COLUMN shop.sessions.is_admin IS 'the owner signed in with the owner password (/shop/admin)';

CREATE TABLE shop.cart_lines (
  session_id bigint NOT NULL REFERENCES shop.sessions (id) ON DELETE CASCADE,
  good_id    integer NOT NULL REFERENCES shop.goods (id),
  quantity   integer NOT NULL CHECK (quantity BETWEEN 1 AND 99),
  added_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (session_id, good_id)
);
COMMENT ON TABLE shop.cart_lines IS 'a session''s cart: one row per good, emptied by the checkout';

CREATE TABLE shop.orders (
  id                 bigserial PRIMARY KEY,
  code               text NOT NULL UNIQUE CHECK (code ~ '^[2-9A-HJKMNP-Z]{8}$'),
  session_id         bigint REFERENCES shop.sessions (id) ON DELETE SET NULL,
  state              text NOT NULL DEFAULT 'awaiting_user'
                     CHECK (state IN ('awaiting_user', 'awaiting_payment', 'paid', 'declined', 'failed', 'canceled', 'expired')),
  user_id            text CHECK (user_id ~ '^[A-Za-z0-9_-]{1,32}$'),
  transaction_number text,
  binding_code       text,
  subtotal           bigint NOT NULL CHECK (subtotal >= 0),
  tax_total          bigint NOT NULL CHECK (tax_total >= 0),
  total              bigint NOT NULL CHECK (total = subtotal + tax_total AND total > 0),
  currency           text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  error              text,
  method             text,
  installments       integer,
  approval_code      text,
  card_masked        text CHECK (card_masked ~ '^[0-9]{0,6}\*+[0-9]{4}$'),
  response_code      text,
  reason             text,
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  expires_at         timestamptz NOT NULL,
  completed_at       timestamptz,
  CHECK (state = 'awaiting_user' OR state IN ('canceled', 'expired') OR transaction_number IS NOT NULL)
);
COMMENT ON TABLE shop.orders IS 'an order: awaiting_user → awaiting_payment → paid | declined | failed | canceled | expired, '
  'and canceled / expired from awaiting_user; moved by guarded updates only';
COMMENT ON COLUMN shop.orders.code IS 'the order code, 8 of 23456789ABCDEFGHJKMNPQRSTUVWXYZ, shown ABCD-EFGH; the gateway''s reference';
COMMENT ON COLUMN shop.orders.session_id IS 'the browser session that checked out: only it sees the order page';
COMMENT ON COLUMN shop.orders.user_id IS 'the shopper''s user ID (from the handset or typed), set while the gateway is asked';
COMMENT ON COLUMN shop.orders.transaction_number IS 'the gateway''s transaction number (POST /v1/transactions)';
COMMENT ON COLUMN shop.orders.binding_code IS 'the 4-character code the handset shows too';
COMMENT ON COLUMN shop.orders.error IS 'why the last user ID or cancel was refused, shown on the order page';
COMMENT ON COLUMN shop.orders.card_masked IS 'the card as the gateway''s webhook shows it: masked, never more';
COMMENT ON COLUMN shop.orders.response_code IS 'the issuer''s ISO 8583 response code from the webhook';
COMMENT ON COLUMN shop.orders.reason IS 'why it was declined, failed, canceled or expired';
COMMENT ON COLUMN shop.orders.expires_at IS 'an order still awaiting_user after this is expired (PAYGW_SHOP_ORDER_TTL_S)';
COMMENT ON COLUMN shop.orders.completed_at IS 'when the gateway says the payment ended';
CREATE INDEX orders_session ON shop.orders (session_id);

CREATE TABLE shop.order_lines (
  order_id     bigint NOT NULL REFERENCES shop.orders (id),
  line_no      integer NOT NULL CHECK (line_no BETWEEN 1 AND 50),
  good_id      integer NOT NULL REFERENCES shop.goods (id),
  name         text NOT NULL,
  unit_price   bigint NOT NULL CHECK (unit_price >= 0),
  quantity     integer NOT NULL CHECK (quantity BETWEEN 1 AND 99),
  tax_rate_pct integer NOT NULL,
  tax          bigint NOT NULL CHECK (tax >= 0),
  PRIMARY KEY (order_id, line_no)
);
COMMENT ON TABLE shop.order_lines IS 'the goods of an order, copied from shop.goods at checkout (a later price change does not touch it)';
COMMENT ON COLUMN shop.order_lines.tax IS 'the line''s tax: floor(quantity × unit_price × tax_rate_pct / 100)';

CREATE TABLE shop.webhook_ids (
  id          text PRIMARY KEY,
  received_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE shop.webhook_ids IS 'webhook-id of every webhook handled, recorded in the transaction that moved its order: '
  'the same id again is answered 200 and changes nothing';

CREATE TABLE shop.settings (
  id                  boolean PRIMARY KEY DEFAULT true CHECK (id),
  owner_password_hash text CHECK (owner_password_hash LIKE '$argon2id$%')
);
COMMENT ON TABLE shop.settings IS 'the shop''s one row of settings';
COMMENT ON COLUMN shop.settings.owner_password_hash IS 'argon2id hash of the owner''s password (/shop/admin), set by shop.fcgi --set-owner-password';

-- The checkout: the order and its lines (computed by shop.fcgi from the
-- cart it read under lock in the same transaction) and the cart emptied.
-- p_lines: [{"good": 1, "name": "...", "unit_price": 980, "quantity": 2,
-- "tax_rate_pct": 8, "tax": 156}, ...].  Outcomes: created, code_taken
-- (another order has the code: draw again).
CREATE FUNCTION shop.do_checkout(p_session_id bigint, p_code text, p_lines jsonb, p_subtotal bigint,
                                 p_tax_total bigint, p_currency text, p_ttl_s integer)
RETURNS TABLE (outcome text)
LANGUAGE plpgsql AS $$
DECLARE
  v_order bigint;
BEGIN
  INSERT INTO shop.orders (code, session_id, subtotal, tax_total, total, currency, expires_at)
  VALUES (p_code, p_session_id, p_subtotal, p_tax_total, p_subtotal + p_tax_total, p_currency,
          now() + make_interval(secs => p_ttl_s))
  ON CONFLICT (code) DO NOTHING
  RETURNING id INTO v_order;
  IF v_order IS NULL THEN
    RETURN QUERY SELECT 'code_taken'::text;
    RETURN;
  END IF;
  INSERT INTO shop.order_lines (order_id, line_no, good_id, name, unit_price, quantity, tax_rate_pct, tax)
  SELECT v_order, l.n::integer, (l.v->>'good')::integer, l.v->>'name', (l.v->>'unit_price')::bigint,
         (l.v->>'quantity')::integer, (l.v->>'tax_rate_pct')::integer, (l.v->>'tax')::bigint
    FROM jsonb_array_elements(p_lines) WITH ORDINALITY AS l(v, n);
  DELETE FROM shop.cart_lines c WHERE c.session_id = p_session_id;
  RETURN QUERY SELECT 'created'::text;
END
$$;

-- A webhook (Standard Webhooks, verified by shop.fcgi): its id recorded and
-- its order moved in one transaction.  Outcomes: moved, repeated (the id
-- was handled already: nothing changes), unknown_order (no order has this
-- code and transaction: the id is kept, nothing else), unchanged (the order
-- had already ended, e.g. canceled by the shop before the gateway said so).
CREATE FUNCTION shop.do_webhook(p_id text, p_code text, p_number text, p_state text, p_method text,
                                p_installments integer, p_approval_code text, p_card_masked text,
                                p_response_code text, p_reason text, p_completed_at timestamptz)
RETURNS TABLE (outcome text, state text)
LANGUAGE plpgsql AS $$
DECLARE
  v_state text;
BEGIN
  INSERT INTO shop.webhook_ids (id) VALUES (p_id) ON CONFLICT (id) DO NOTHING;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'repeated'::text, NULL::text;
    RETURN;
  END IF;
  UPDATE shop.orders o
     SET state = p_state, method = p_method, installments = p_installments, approval_code = p_approval_code,
         card_masked = p_card_masked, response_code = p_response_code, reason = p_reason,
         completed_at = coalesce(p_completed_at, now()), updated_at = now(), error = NULL
   WHERE o.code = p_code AND o.transaction_number = p_number AND o.state = 'awaiting_payment'
  RETURNING o.state::text INTO v_state;
  IF FOUND THEN
    RETURN QUERY SELECT 'moved'::text, v_state;
    RETURN;
  END IF;
  SELECT o.state::text INTO v_state FROM shop.orders o WHERE o.code = p_code AND o.transaction_number = p_number;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'unknown_order'::text, NULL::text;
  ELSE
    RETURN QUERY SELECT 'unchanged'::text, v_state;
  END IF;
END
$$;

REVOKE ALL ON SCHEMA shop FROM PUBLIC;
REVOKE ALL ON FUNCTION shop.do_checkout(bigint, text, jsonb, bigint, bigint, text, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION shop.do_webhook(text, text, text, text, text, integer, text, text, text, text, timestamptz)
  FROM PUBLIC;
GRANT USAGE ON SCHEMA shop TO paygw_shop;
GRANT SELECT ON shop.goods TO paygw_shop;
GRANT SELECT, INSERT, UPDATE ON shop.sessions, shop.orders, shop.settings TO paygw_shop;
-- sessions unseen for PAYGW_SHOP_SESSION_KEEP_S are deleted when a new one is made
GRANT DELETE ON shop.sessions TO paygw_shop;
GRANT SELECT, INSERT, UPDATE, DELETE ON shop.cart_lines TO paygw_shop;
GRANT SELECT, INSERT ON shop.order_lines, shop.webhook_ids TO paygw_shop;
GRANT USAGE, SELECT ON SEQUENCE shop.sessions_id_seq, shop.orders_id_seq TO paygw_shop;
GRANT EXECUTE ON FUNCTION shop.do_checkout(bigint, text, jsonb, bigint, bigint, text, integer) TO paygw_shop;
GRANT EXECUTE ON FUNCTION shop.do_webhook(text, text, text, text, text, integer, text, text, text, text, timestamptz)
  TO paygw_shop;
