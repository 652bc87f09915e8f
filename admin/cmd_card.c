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
  { 0 }
};
const struct opt_spec cmd_card_list_opts[] = { { 0 } };
const struct opt_spec cmd_card_update_opts[] = {
  { "id", "N", true, "card id (from card add or card list)" },
  { "expiry", "YYMM", true, "the renewed card's expiry, e.g. 3412" },
  { 0 }
};
const struct opt_spec cmd_card_disable_opts[] = {
  { "id", "N", true, "card id (from card add or card list)" },
  { 0 }
};

/* Refuses a card number already enrolled, found by its lookup hash. */
static int check_not_enrolled(struct adb *db, const char *lookup)
{
  long long id;
  int found = adb_lookup(db, "card_by_lookup", "SELECT id FROM gateway.cards WHERE pan_lookup = $1", lookup, &id,
                         NULL);

  if (found < 0)
    return admin_db_failure(db);
  return found ? admin_invalid("this card number is already enrolled (card %lld; a renewed card keeps it: "
                               "paygw-admin card update --id %lld --expiry YYMM)", id, id)
               : ADMIN_OK;
}

/* The next id of gateway.cards: the ciphertext is bound to its row's id,
 * so the id is taken before the row is written.  Returns 0 or -1. */
static int next_card_id(struct adb *db, long long *id)
{
  PGresult *res = adb_exec(db, "card_next_id", "SELECT nextval(pg_get_serial_sequence('gateway.cards', 'id'))", 0,
                           NULL);

  if (!res)
    return -1;
  *id = atoll(PQgetvalue(res, 0, 0));
  PQclear(res);
  return 0;
}

int card_store(struct adb *db, const char *subscriber_code, const char *pan, const char *expiry,
               const char *label, long long *card_id, char *masked)
{
  static const char sql[] =
      "INSERT INTO gateway.cards (id, subscriber_id, pan_ciphertext, key_id, pan_aad, pan_lookup, pan_masked, "
      "pan_length, expiry, label) OVERRIDING SYSTEM VALUE "
      "VALUES ($1::bigint, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
  unsigned char blob[CARDCRYPT_MAX_BLOB];
  char lookup[CARDCRYPT_LOOKUP_HEX], blob_param[2 + 2 * CARDCRYPT_MAX_BLOB + 1], sub_text[24], key_text[16];
  char id_text[24], aad_text[8], len_text[24], subject[64];
  size_t blob_len;
  int key_id;
  long long subscriber_id;
  int status = admin_find(db, "subscriber", subscriber_code, true, &subscriber_id);

  if (status != ADMIN_OK)
    return status;
  if (card_lookup_hash(pan, lookup) != 0)
    return admin_failure("cannot encrypt the card number (card key file loaded?)");
  if ((status = check_not_enrolled(db, lookup)) != ADMIN_OK)
    return status;
  if (next_card_id(db, card_id) != 0)
    return admin_db_failure(db);
  struct card_binding bind = { .row_id = *card_id, .lookup_hex = lookup };
  if (card_encrypt(pan, &bind, blob, &blob_len, &key_id) != 0)
    return admin_failure("cannot encrypt the card number (card key file loaded?)");
  pan_mask(pan, masked, PAN_MAX_LEN + 1);
  snprintf(id_text, sizeof id_text, "%lld", *card_id);
  snprintf(len_text, sizeof len_text, "%zu", strlen(pan));
  snprintf(sub_text, sizeof sub_text, "%lld", subscriber_id);
  snprintf(key_text, sizeof key_text, "%d", key_id);
  snprintf(aad_text, sizeof aad_text, "%d", CARD_AAD_CURRENT);
  admin_bytea_param(blob, blob_len, blob_param);
  const char *params[10] = { id_text, sub_text, blob_param, key_text, aad_text, lookup, masked, len_text, expiry,
                             label };
  if (adb_exec_count(db, "card_insert", sql, 10, params) != 1)
    return admin_db_failure(db);
  snprintf(subject, sizeof subject, "card %lld of %s", *card_id, subscriber_code);
  return adb_log_action(db, "card add", subject) == 0 ? ADMIN_OK : admin_db_failure(db);
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

static int card_add_txn(struct adb *db, void *ctx)
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
  /* the mask stored at enrolment; the ciphertext is never read here */
  return admin_list("card_list",
                    "SELECT c.id, s.code AS subscriber, c.pan_masked AS card, c.expiry, c.label, "
                    "c.key_id, c.status, coalesce(u.user_id, '-') AS user_id "
                    "FROM gateway.cards c JOIN gateway.subscribers s ON s.id = c.subscriber_id "
                    "LEFT JOIN gateway.users u ON u.card_id = c.id ORDER BY c.id");
}

struct card_update {
  const char *id, *expiry;
  char old[8];
};

/* Reads the current expiry (locking the row), then changes it with an
 * UPDATE guarded by that value, and records the change. */
static int card_update_txn(struct adb *db, void *ctx)
{
  struct card_update *u = ctx;
  char subject[80];
  const char *id_param[1] = { u->id };
  PGresult *res = adb_exec(db, "card_expiry_lock",
                           "SELECT expiry FROM gateway.cards WHERE id = $1::bigint FOR NO KEY UPDATE", 1, id_param);

  if (!res)
    return admin_db_failure(db);
  bool found = PQntuples(res) == 1;
  if (found)
    snprintf(u->old, sizeof u->old, "%s", PQgetvalue(res, 0, 0));
  PQclear(res);
  if (!found)
    return admin_invalid("unknown card '%s'", shown(u->id));
  if (strcmp(u->old, u->expiry) == 0)
    return admin_invalid("card %s already has expiry %s", u->id, u->expiry);
  const char *params[3] = { u->id, u->expiry, u->old };
  long n = adb_exec_count(db, "card_expiry_update",
                          "UPDATE gateway.cards SET expiry = $2 WHERE id = $1::bigint AND expiry = $3", 3, params);
  if (n != 1)
    return n < 0 ? admin_db_failure(db) : admin_failure("card %s changed meanwhile; nothing was updated", u->id);
  snprintf(subject, sizeof subject, "card %s expiry %s -> %s", u->id, u->old, u->expiry);
  return adb_log_action(db, "card update", subject) == 0 ? ADMIN_OK : admin_db_failure(db);
}

int cmd_card_update(const char **opt)
{
  struct card_update u = { .id = opt[0], .expiry = opt[1] };
  long long id;
  int status;

  if (!parse_row_id(u.id, &id))
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
  return admin_update_one("card", "disabled", "card_disable",
                          "UPDATE gateway.cards SET status = 'disabled' WHERE id = $1::bigint RETURNING 1", opt[0]);
}
