/* cmd_card.c — `paygw-admin card add|list|update|disable`: credit cards
 * (fig 7); update gives a renewed card (same number) its new expiry.
 * The number is read from standard input (never argv, so never in ps or the
 * shell history), checked, stored AES-256-GCM encrypted with its key ID and
 * an HMAC lookup hash — the ciphertext bound to its row ID and that hash —
 * and shown only masked (pan_mask, stored as pan_masked) from then on. */
#include "admin.h"
#include "validate.h"

#include "common/cardcrypt.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const struct opt_spec cmd_card_add_opts[] = {
  { "subscriber", "CODE", true, "subscriber code the card belongs to" },
  { "expiry", "YYMM", true, "expiry as printed on the card, e.g. 3012" },
  { "label", "LABEL", true, "name the handset shows for the card, 1-40 characters" },
  { 0 },
};
const struct opt_spec cmd_card_list_opts[] = { { 0 } };
const struct opt_spec cmd_card_update_opts[] = {
  { "id", "N", true, "card id (from card add or card list)" },
  { "expiry", "YYMM", true, "the renewed card's expiry, e.g. 3412" },
  { 0 },
};
const struct opt_spec cmd_card_disable_opts[] = {
  { "id", "N", true, "card id (from card add or card list)" },
  { 0 },
};

/* Refuses a card number already enrolled, found by its lookup hash. */
static int check_not_enrolled(struct db *db, const char *lookup)
{
  int64_t id;
  enum db_status s = adb_card_by_lookup(db, lookup, &id);

  if (s < 0)
    return admin_db_failure(db);
  return s > 0 ? admin_invalid("this card number is already enrolled (card %lld; a renewed card keeps it: "
                               "paygw-admin card update --id %lld --expiry YYMM)",
                               (long long)id, (long long)id)
               : ADMIN_OK;
}

int card_store(struct db *db, const char *subscriber_code, const char *pan, const char *expiry, const char *label,
               long long *card_id, char *masked)
{
  unsigned char blob[CARDCRYPT_MAX_BLOB];
  char lookup[CARDCRYPT_LOOKUP_HEX], subject[64];
  size_t blob_len;
  int key_id;
  int64_t id;
  long long subscriber_id;
  int status = admin_find(db, ADB_SUBSCRIBER, subscriber_code, true, &subscriber_id);

  if (status != ADMIN_OK)
    return status;
  if (card_lookup_hash(pan, lookup) != 0)
    return admin_failure("cannot encrypt the card number (card key file loaded?)");
  if ((status = check_not_enrolled(db, lookup)) != ADMIN_OK)
    return status;
  /* the ciphertext is bound to its row's id: the id is drawn first */
  if (adb_card_next_id(db, &id) != DB_ONE_ROW)
    return admin_db_failure(db);
  *card_id = id;
  struct card_binding bind = { .row_id = id, .lookup_hex = lookup };
  if (card_encrypt(pan, &bind, blob, &blob_len, &key_id) != 0)
    return admin_failure("cannot encrypt the card number (card key file loaded?)");
  pan_mask(pan, masked, PAN_MAX_LEN + 1);
  const struct card_new in = {
    .id = id,
    .subscriber_id = subscriber_id,
    .ciphertext = blob,
    .ciphertext_len = blob_len,
    .key_id = key_id,
    .aad_version = CARD_AAD_CURRENT,
    .lookup_hex = lookup,
    .masked = masked,
    .pan_length = (int)strlen(pan),
    .expiry = expiry,
    .label = label,
  };
  if (adb_card_add(db, &in) != DB_ONE_ROW)
    return admin_db_failure(db);
  snprintf(subject, sizeof subject, "card %lld of %s", *card_id, subscriber_code);
  return admin_log_action(db, "card add", subject);
}

/* Refuses an expiry that is malformed or has passed; ADMIN_OK otherwise. */
static int check_expiry(const char *expiry)
{
  switch (expiry_check(expiry, (long)time(NULL))) {
  case EXPIRY_MALFORMED:
    return admin_invalid("expiry must be YYMM with a month 01-12, got '%.8s'", shown(expiry));
  case EXPIRY_PASSED:
    return admin_invalid("the card expired (expiry %s has passed)", expiry);
  case EXPIRY_OK:
    break;
  }
  return ADMIN_OK;
}

struct card_add {
  const char *subscriber, *expiry, *label;
  char pan[PAN_MAX_LEN + 1];
  long long id;
  char masked[PAN_MAX_LEN + 1];
};

static int card_add_txn(struct db *db, void *ctx)
{
  struct card_add *a = ctx;

  return card_store(db, a->subscriber, a->pan, a->expiry, a->label, &a->id, a->masked);
}

/* Reads and checks the card number from standard input into a->pan. */
static int read_card_number(struct card_add *a)
{
  char line[128];
  enum pan_check c = PAN_EMPTY;

  if (read_secret_line("card number: ", line, sizeof line) == 0)
    c = pan_normalize(line, a->pan);
  OPENSSL_cleanse(line, sizeof line);
  return c == PAN_OK ? ADMIN_OK : admin_invalid("%s", pan_check_message(c));
}

int cmd_card_add(const char **opt)
{
  struct card_add a = { .subscriber = opt[0], .expiry = opt[1], .label = opt[2] };
  int status;

  if (!valid_ident(a.subscriber))
    return admin_invalid("subscriber code must be 1-32 of A-Z a-z 0-9 _ -, got '%.40s'", shown(a.subscriber));
  if ((status = check_expiry(a.expiry)) != ADMIN_OK)
    return status;
  if (!valid_text(a.label, LABEL_MAX_CHARS))
    return admin_invalid("card label must be 1-40 characters without control characters");
  if ((status = read_card_number(&a)) == ADMIN_OK && (status = admin_load_card_keys()) == ADMIN_OK)
    status = admin_transaction(card_add_txn, &a);
  OPENSSL_cleanse(a.pan, sizeof a.pan);
  if (status == ADMIN_OK)
    printf("card %lld %s\n", a.id, a.masked);
  return status;
}

int cmd_card_list(const char **opt)
{
  (void)opt;
  return admin_list(adb_card_list); /* masked: the ciphertext is never read */
}

struct card_update {
  const char *id, *expiry;
  long long row_id;
  char old[8];
};

/* Reads the current expiry (locking the row), then changes it with an
 * UPDATE guarded by that value, and records the change. */
static int card_update_txn(struct db *db, void *ctx)
{
  struct card_update *u = ctx;
  struct card_expiry now;
  char subject[80];
  enum db_status s = adb_card_expiry_lock(db, u->row_id, &now);

  if (s < 0)
    return admin_db_failure(db);
  if (s != DB_ONE_ROW)
    return admin_invalid("unknown card '%s'", shown(u->id));
  snprintf(u->old, sizeof u->old, "%s", now.expiry);
  if (strcmp(u->old, u->expiry) == 0)
    return admin_invalid("card %s already has expiry %s", u->id, u->expiry);
  const struct card_expiry_change change = { .card_id = u->row_id, .expiry = u->expiry, .old_expiry = u->old };
  s = adb_card_expiry_update(db, &change);
  if (s != DB_ONE_ROW)
    return s < 0 ? admin_db_failure(db) : admin_failure("card %s changed meanwhile; nothing was updated", u->id);
  snprintf(subject, sizeof subject, "card %s expiry %s -> %s", u->id, u->old, u->expiry);
  return admin_log_action(db, "card update", subject);
}

int cmd_card_update(const char **opt)
{
  struct card_update u = { .id = opt[0], .expiry = opt[1] };
  int status;

  if (!parse_row_id(u.id, &u.row_id))
    return admin_invalid("card id must be a positive number, got '%.20s'", shown(u.id));
  if ((status = check_expiry(u.expiry)) != ADMIN_OK)
    return status;
  if ((status = admin_transaction(card_update_txn, &u)) == ADMIN_OK)
    printf("card %s expiry %s (was %s)\n", u.id, u.expiry, u.old);
  return status;
}

int cmd_card_disable(const char **opt)
{
  long long id;

  if (!parse_row_id(opt[0], &id))
    return admin_invalid("card id must be a positive number, got '%.20s'", shown(opt[0]));
  return admin_disable("card", ADB_CARD, opt[0]);
}
