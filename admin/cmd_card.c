/* cmd_card.c — `paygw-admin card add|list|disable`: credit cards (fig 7).
 * The number is read from standard input (never argv, so never in ps or the
 * shell history), checked, stored AES-256-GCM encrypted with its key ID and
 * an HMAC lookup hash, and shown only masked from then on. */
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
  { NULL }
};
const struct opt_spec cmd_card_list_opts[] = { { NULL } };
const struct opt_spec cmd_card_disable_opts[] = {
  { "id", "N", true, "card id (from card add or card list)" },
  { NULL }
};

/* Refuses a card number already enrolled, found by its lookup hash. */
static int check_not_enrolled(struct adb *db, const char *lookup)
{
  long long id;
  int found = adb_lookup(db, "card_by_lookup", "SELECT id FROM gateway.cards WHERE pan_lookup = $1", lookup, &id,
                         NULL);

  if (found < 0)
    return admin_db_failure(db);
  return found ? admin_invalid("this card number is already enrolled (card %lld)", id) : ADMIN_OK;
}

int card_store(struct adb *db, const char *subscriber_code, const char *pan, const char *expiry,
               const char *label, long long *card_id, char *masked)
{
  static const char sql[] =
      "INSERT INTO gateway.cards (subscriber_id, pan_ciphertext, key_id, pan_lookup, first6, last4, pan_length, "
      "expiry, label) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
  unsigned char blob[CARDCRYPT_MAX_BLOB];
  char lookup[CARDCRYPT_LOOKUP_HEX], blob_param[2 + 2 * CARDCRYPT_MAX_BLOB + 1], sub_text[24], key_text[16];
  char first6[7], last4[5], len_text[24], subject[64];
  size_t blob_len;
  int key_id;
  long long subscriber_id;
  int status = admin_find(db, "subscriber", subscriber_code, true, &subscriber_id);

  if (status != ADMIN_OK)
    return status;
  if (card_lookup_hash(pan, lookup) != 0 || card_encrypt(pan, blob, &blob_len, &key_id) != 0)
    return admin_failure("cannot encrypt the card number (card key file loaded?)");
  if ((status = check_not_enrolled(db, lookup)) != ADMIN_OK)
    return status;
  size_t len = strlen(pan);
  snprintf(first6, sizeof first6, "%.6s", pan);
  snprintf(last4, sizeof last4, "%s", pan + len - 4);
  snprintf(len_text, sizeof len_text, "%zu", len);
  snprintf(sub_text, sizeof sub_text, "%lld", subscriber_id);
  snprintf(key_text, sizeof key_text, "%d", key_id);
  admin_bytea_param(blob, blob_len, blob_param);
  const char *params[9] = { sub_text, blob_param, key_text, lookup, first6, last4, len_text, expiry, label };
  PGresult *res = adb_exec(db, "card_insert", sql, 9, params);
  if (!res)
    return admin_db_failure(db);
  *card_id = atoll(PQgetvalue(res, 0, 0));
  PQclear(res);
  mask_from_parts(first6, last4, (int)len, masked, PAN_MAX_LEN + 1);
  snprintf(subject, sizeof subject, "card %lld of %s", *card_id, subscriber_code);
  return adb_log_action(db, "card add", subject) == 0 ? ADMIN_OK : admin_db_failure(db);
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

  if (read_line(stdin, line, sizeof line) == 0)
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
  switch (expiry_check(a.expiry, (long)time(NULL))) {
  case EXPIRY_MALFORMED:
    return admin_invalid("expiry must be YYMM with a month 01-12, got '%.8s'", shown(a.expiry));
  case EXPIRY_PASSED:
    return admin_invalid("the card expired (expiry %s has passed)", a.expiry);
  case EXPIRY_OK:
    break;
  }
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
  /* masked from the stored parts; the ciphertext is never read here */
  return admin_list("card_list",
                    "SELECT c.id, s.code AS subscriber, "
                    "c.first6 || repeat('*', c.pan_length - 10) || c.last4 AS card, c.expiry, c.label, "
                    "c.key_id, c.status, coalesce(u.user_id, '-') AS user_id "
                    "FROM gateway.cards c JOIN gateway.subscribers s ON s.id = c.subscriber_id "
                    "LEFT JOIN gateway.users u ON u.card_id = c.id ORDER BY c.id");
}

int cmd_card_disable(const char **opt)
{
  long long id;

  if (!parse_row_id(opt[0], &id))
    return admin_invalid("card id must be a positive number, got '%.20s'", shown(opt[0]));
  return admin_update_one("card", "disabled", "card_disable",
                          "UPDATE gateway.cards SET status = 'disabled' WHERE id = $1::bigint RETURNING 1", opt[0]);
}
