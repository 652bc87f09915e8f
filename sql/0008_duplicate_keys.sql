-- 0008_duplicate_keys.sql — an authorization's key that cannot mistake a new
-- 0100 for an old one (docs/credit-server.md, "Duplicates"):
--  * gateway.terminals.iso_terminal_id: each terminal's own ISO 8583 field 41
--    (at most 8 characters, unique), which the gateway sends instead of the
--    first 8 characters of the terminal code (two codes could share those);
--  * issuer.authorizations.transmitted_at: field 7 (MMDDhhmmss, no year) as
--    a full time, and the key becomes (stan, terminal_id, transmitted_at), so
--    a STAN and field 7 seen again a year later are a new request;
--  * issuer.authorizations.card_lookup_hash: the card's keyed hash, so that a
--    key match with another card (or amount, merchant, currency) is refused.
-- Existing rows are converted; no new objects, so no new rights (the roles'
-- table rights cover the new columns).

-- --- the gateway: one field 41 per terminal -------------------------------------
ALTER TABLE gateway.terminals ADD COLUMN iso_terminal_id text;
-- what the gateway sent until now: the first 8 characters of the code; where
-- codes share them, the oldest terminal keeps them (the issuer already
-- knows its authorizations by them) and the others get the first free
-- T0000001, T0000002, ...
UPDATE gateway.terminals t SET iso_terminal_id = left(t.code, 8)
 WHERE t.id = (SELECT min(u.id) FROM gateway.terminals u WHERE left(u.code, 8) = left(t.code, 8));
DO $$
DECLARE
  r record;
  n integer := 0;
  candidate text;
BEGIN
  FOR r IN SELECT id FROM gateway.terminals WHERE iso_terminal_id IS NULL ORDER BY id LOOP
    LOOP
      n := n + 1;
      candidate := 'T' || lpad(n::text, 7, '0');
      EXIT WHEN NOT EXISTS (SELECT 1 FROM gateway.terminals WHERE iso_terminal_id = candidate);
    END LOOP;
    UPDATE gateway.terminals SET iso_terminal_id = candidate WHERE id = r.id;
    RAISE NOTICE 'terminal % shared the first 8 characters of its code with an older one: its field 41 is now %',
      r.id, candidate;
  END LOOP;
END $$;
ALTER TABLE gateway.terminals
  ALTER COLUMN iso_terminal_id SET NOT NULL,
  ADD CONSTRAINT terminals_iso_terminal_id_key UNIQUE (iso_terminal_id),
  ADD CONSTRAINT terminals_iso_terminal_id_check CHECK (iso_terminal_id ~ '^[0-9A-Za-z_-]{1,8}$');
COMMENT ON COLUMN gateway.terminals.iso_terminal_id IS
  'ISO 8583 field 41 (card acceptor terminal identification), space padded to 8 when sent: unique, so the issuer''s duplicate key (STAN, terminal, time) never mixes two terminals; paygw-admin terminal add sets it (--iso-id, else the first 8 characters of the code)';

-- --- the issuer: the full transmission time and the card in the key's row -------
ALTER TABLE issuer.authorizations
  ADD COLUMN transmitted_at timestamptz,
  ADD COLUMN card_lookup_hash text CONSTRAINT authorizations_card_lookup_hash_check
    CHECK (card_lookup_hash ~ '^[0-9a-f]{64}$');

-- field 7 in the year that puts it nearest to when the row was written (the
-- rule the credit server applies with its clock: credit-server/duplicate.c);
-- NULL when field 7 is no date (a hand-sent test message)
CREATE FUNCTION pg_temp.field7_instant(field7 text, near timestamptz) RETURNS timestamptz
LANGUAGE plpgsql AS $$
DECLARE
  y integer := extract(year FROM near AT TIME ZONE 'UTC')::integer;
  best timestamptz;
  t timestamptz;
BEGIN
  -- PostgreSQL takes 24:00:00 and second 60; field 7 does not
  IF substr(field7, 5, 2)::integer > 23 OR substr(field7, 7, 2)::integer > 59 OR substr(field7, 9, 2)::integer > 59 THEN
    RETURN NULL;
  END IF;
  FOR dy IN -1..1 LOOP
    BEGIN
      t := make_timestamptz(y + dy, substr(field7, 1, 2)::integer, substr(field7, 3, 2)::integer,
                            substr(field7, 5, 2)::integer, substr(field7, 7, 2)::integer,
                            substr(field7, 9, 2)::integer, 'UTC');
    EXCEPTION WHEN datetime_field_overflow OR invalid_datetime_format THEN
      t := NULL;
    END;
    IF t IS NOT NULL AND (best IS NULL OR abs(extract(epoch FROM t - near)) < abs(extract(epoch FROM best - near))) THEN
      best := t;
    END IF;
  END LOOP;
  RETURN best;
END $$;

UPDATE issuer.authorizations a
   SET transmitted_at = coalesce(pg_temp.field7_instant(a.transmission_time, a.created_at),
                                 date_trunc('second', a.created_at)),
       card_lookup_hash = (SELECT c.card_lookup_hash FROM issuer.card_accounts c WHERE c.id = a.account_id);

ALTER TABLE issuer.authorizations
  ALTER COLUMN transmitted_at SET NOT NULL,
  DROP CONSTRAINT authorizations_stan_terminal_id_transmission_time_key,
  ADD CONSTRAINT authorizations_key UNIQUE (stan, terminal_id, transmitted_at);
-- field 7 is transmitted_at in UTC.  NOT VALID: rows written before 0008 with
-- a field 7 that is no date keep the second they were written (above) and
-- are not checked; every row written from now on is.
ALTER TABLE issuer.authorizations
  ADD CONSTRAINT authorizations_transmitted_at_check
  CHECK (to_char(transmitted_at AT TIME ZONE 'UTC', 'MMDDHH24MISS') = transmission_time) NOT VALID;

COMMENT ON COLUMN issuer.authorizations.transmitted_at IS
  'field 7 (MMDDhhmmss UTC) as a full time: the year nearest to the credit server''s clock when it arrived; with stan and terminal_id the key of a 0100 and of the reversals that name it (field 90)';
COMMENT ON COLUMN issuer.authorizations.card_lookup_hash IS
  'HMAC-SHA256 lookup hash of the card of the 0100 (known card or not); a 0100 under this key with another card is refused 94. NULL for void rows (a reversal carries no card) and, before 0008, for unknown cards';
COMMENT ON COLUMN issuer.authorizations.transmission_time IS 'field 7 as received (MMDDhhmmss UTC, no year)';
COMMENT ON TABLE issuer.authorizations IS
  'fig 24C: every 0100 the issuer decided, keyed by STAN + terminal (field 41) + full transmission time; the same request again answers the first answer, another request under the key is refused 94';
