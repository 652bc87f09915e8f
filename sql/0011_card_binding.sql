-- 0011_card_binding.sql — card numbers bound to their row, and masked by one
-- rule wherever they are kept.
--
-- 1. Binding.  A card's AES-256-GCM ciphertext was authenticated with its
--    key ID only, so a ciphertext copied into another row decrypted there
--    (and paid with the other card).  From now on the associated data (AAD)
--    also names the row's ID and lookup hash (lib/common/cardcrypt.h), and a
--    column records which AAD format each row was sealed with: rows written
--    before this migration are format 1 and keep decrypting (their number
--    must still match their own lookup hash) until `paygw-admin cards
--    reencrypt` (gateway) or a re-enrolment (issuer) seals them as format 2.
--    The column has no default after this migration: a program that does
--    not know about it (and would seal format 1) cannot add a card.
-- 2. Masking.  The clear first 6 digits of a card under 16 digits showed 10
--    of its 12-15 digits.  PCI DSS 3.4.1: at most the first 6 and last 4,
--    never fewer than 6 hidden — under 16 digits the last 4 only.  One
--    column, the mask as pan_mask (lib/common/pan.c) makes it, replaces
--    first6/last4, and a CHECK keeps every stored mask to that rule (also
--    gateway.transactions.card_masked, whose short cards are masked again).  The
--    rows already there are masked here (the one place outside pan_mask
--    that spells the rule out); the issuer's table has no length column, so
--    its card numbers' lengths come from the ciphertext (12-byte IV and
--    16-byte tag around as many bytes as digits).

-- gateway.cards -------------------------------------------------------------
ALTER TABLE gateway.cards ADD COLUMN pan_aad smallint NOT NULL DEFAULT 1 CHECK (pan_aad IN (1, 2));
ALTER TABLE gateway.cards ALTER COLUMN pan_aad DROP DEFAULT;
COMMENT ON COLUMN gateway.cards.pan_aad IS
  'AAD format of pan_ciphertext: 1 = key ID only (before 0011, until paygw-admin cards reencrypt), 2 = key ID, row ID and pan_lookup';

ALTER TABLE gateway.cards ADD COLUMN pan_masked text;
UPDATE gateway.cards SET pan_masked = CASE WHEN pan_length >= 16
                                           THEN first6 || repeat('*', pan_length - 10) || last4
                                           ELSE repeat('*', pan_length - 4) || last4 END;
ALTER TABLE gateway.cards ALTER COLUMN pan_masked SET NOT NULL,
  ADD CONSTRAINT cards_pan_masked_rule
    CHECK (length(pan_masked) = pan_length AND pan_masked ~ '^([0-9]{6}\*{6,9}|\*{8,11})[0-9]{4}$'),
  DROP COLUMN first6,
  DROP COLUMN last4;
COMMENT ON COLUMN gateway.cards.pan_masked IS
  'the card number as shown everywhere: first 6 + last 4 from 16 digits, else the last 4 only (never fewer than 6 hidden)';
COMMENT ON COLUMN gateway.cards.pan_ciphertext IS
  'AES-256-GCM: 12-byte IV || ciphertext || 16-byte tag; its AAD names key_id, and from format 2 (pan_aad) the row id and pan_lookup';

-- gateway.transactions: the card each payment showed (GET /v1/transactions)
-- was masked by the old rule; a short card's first 6 go (a 16-19 digit mask
-- is already right)
UPDATE gateway.transactions SET card_masked = repeat('*', length(card_masked) - 4) || right(card_masked, 4)
 WHERE length(card_masked) < 16 AND card_masked !~ '^\*+[0-9]{4}$';
ALTER TABLE gateway.transactions ADD CONSTRAINT transactions_card_masked_rule
  CHECK (card_masked ~ '^([0-9]{6}\*{6,9}|\*{8,11})[0-9]{4}$');
COMMENT ON COLUMN gateway.transactions.card_masked IS
  'the card as the payment showed it (pan_mask): first 6 + last 4 from 16 digits, else the last 4 only';

-- issuer.card_accounts ------------------------------------------------------
ALTER TABLE issuer.card_accounts ADD COLUMN card_aad smallint NOT NULL DEFAULT 1 CHECK (card_aad IN (1, 2));
ALTER TABLE issuer.card_accounts ALTER COLUMN card_aad DROP DEFAULT;
COMMENT ON COLUMN issuer.card_accounts.card_aad IS
  'AAD format of card_ciphertext: 1 = key ID only (before 0011, until the account is enrolled again), 2 = key ID, row ID and card_lookup_hash';

ALTER TABLE issuer.card_accounts ADD COLUMN card_masked text;
UPDATE issuer.card_accounts SET card_masked = CASE WHEN length(card_ciphertext) - 28 >= 16
                                                   THEN first6 || repeat('*', length(card_ciphertext) - 38) || last4
                                                   ELSE repeat('*', length(card_ciphertext) - 32) || last4 END;
ALTER TABLE issuer.card_accounts ALTER COLUMN card_masked SET NOT NULL,
  ADD CONSTRAINT card_accounts_card_masked_rule
    CHECK (card_masked ~ '^([0-9]{6}\*{6,9}|\*{8,11})[0-9]{4}$');
COMMENT ON COLUMN issuer.card_accounts.card_masked IS
  'the card number as shown: first 6 + last 4 from 16 digits, else the last 4 only (never fewer than 6 hidden)';

-- fig 24D shows the stored mask (it spelled one out, 6 + 6 stars + 4, whatever the length)
CREATE OR REPLACE VIEW issuer.merchant_sales AS
SELECT a.merchant_code, 'sale'::text AS type, a.created_at::date AS date, a.amount AS sales, a.currency,
       c.card_masked, a.method, a.installments, a.approval_code, a.stan
  FROM issuer.authorizations a JOIN issuer.card_accounts c ON c.id = a.account_id
 WHERE a.status = 'approved';
ALTER TABLE issuer.card_accounts DROP COLUMN first6, DROP COLUMN last4;
