-- 0008_duplicate_keys.sql — an authorization's key that cannot mistake a new
-- 0100 for an old one (docs/credit-server.md, "Duplicates"):
--  * gateway.terminals.iso_terminal_id: each terminal's own ISO 8583 field 41
--    (at most 8 characters, unique), which the gateway sends instead of the
--    first 8 characters of the terminal code (two codes could share those).
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
