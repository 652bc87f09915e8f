/* methods.c — see methods.h. */
#include "gateway/methods.h"
#include "gateway/cache.h"
#include "gateway/db/queries.h"
#include "gateway/txn.h"
#include "common/cardcrypt.h"
#include "common/log.h"
#include "common/pan.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bounds are prefixes of differing lengths (fig 9): compare the number
 * padded to 19 digits against low padded with 0s and high padded with 9s. */
bool methods_range_holds(const char *low, const char *high, const char *pan)
{
  char l[20], h[20], p[20];

  snprintf(l, sizeof l, "%s0000000000000000000", low);
  snprintf(h, sizeof h, "%s9999999999999999999", high);
  snprintf(p, sizeof p, "%s0000000000000000000", pan);
  return strcmp(l, p) <= 0 && strcmp(p, h) <= 0;
}

enum db_status methods_issuer_for_pan(struct db *db, const char *pan, char issuer_id[24])
{
  PGresult *res;
  size_t best = 0;
  enum db_status st = cache_issuer_ranges(db, &res);

  if (st < 0)
    return st;
  for (int i = 0; i < PQntuples(res); i++) {
    const char *low = db_text(res, i, "low");
    if (methods_range_holds(low, db_text(res, i, "high"), pan) && strlen(low) > best) {
      best = strlen(low);
      snprintf(issuer_id, 24, "%s", db_text(res, i, "issuer_id"));
    }
  }
  return best ? DB_ONE_ROW : DB_NO_ROWS;
}

enum db_status methods_offer(struct db *db, const char *merchant_id, const char *issuer_id, struct method_offer *offer)
{
  PGresult *res;
  struct db_params params;
  db_params_init(&params);
  db_param_text(&params, merchant_id);
  db_param_text(&params, issuer_id);
  enum db_status st = db_call(db, &q_merchant_methods, &params, &res);

  memset(offer, 0, sizeof *offer);
  if (st != DB_ONE_ROW) {
    if (st >= 0)
      PQclear(res);         /* no row for this issuer: the empty result is ours to free */
    return st < 0 ? st : DB_NO_ROWS;
  }
  offer->lump_sum = strcmp(db_text(res, 0, "lump_sum"), "t") == 0;
  offer->installments = strcmp(db_text(res, 0, "installments"), "t") == 0;
  offer->bonus = strcmp(db_text(res, 0, "bonus"), "t") == 0;
  offer->partial_bonus = strcmp(db_text(res, 0, "partial_bonus"), "t") == 0;
  offer->revolving = strcmp(db_text(res, 0, "revolving"), "t") == 0;
  const char *p = db_text(res, 0, "counts");
  for (int n = 0; *p && n < METHOD_MAX_COUNTS - 1; n++) {
    offer->counts[n] = (int)strtol(p, (char **)&p, 10);
    if (*p == ',')
      p++;
  }
  offer->found = offer->lump_sum || offer->installments || offer->bonus || offer->partial_bonus || offer->revolving;
  PQclear(res);
  return DB_ONE_ROW;
}

json_t *methods_json(const struct method_offer *o)
{
  json_t *list = json_array();

  if (o->lump_sum)
    json_array_append_new(list, json_pack("{s:s, s:s}", "method", "L", "name", "lump sum"));
  if (o->installments) {
    json_t *counts = json_array();
    for (int i = 0; o->counts[i]; i++)
      json_array_append_new(counts, json_integer(o->counts[i]));
    json_array_append_new(list, json_pack("{s:s, s:s, s:o}", "method", "I", "name", "installments",
                                          "installments", counts));
  }
  if (o->bonus)
    json_array_append_new(list, json_pack("{s:s, s:s}", "method", "B", "name", "bonus"));
  if (o->partial_bonus)
    json_array_append_new(list, json_pack("{s:s, s:s}", "method", "pB", "name", "partial bonus"));
  if (o->revolving)
    json_array_append_new(list, json_pack("{s:s, s:s}", "method", "R", "name", "revolving"));
  return list;
}

bool methods_allows(const struct method_offer *o, const char *method, int installments)
{
  if (strcmp(method, "I") != 0 && installments != 0)
    return false;
  if (strcmp(method, "L") == 0)
    return o->lump_sum;
  if (strcmp(method, "B") == 0)
    return o->bonus;
  if (strcmp(method, "pB") == 0)
    return o->partial_bonus;
  if (strcmp(method, "R") == 0)
    return o->revolving;
  if (strcmp(method, "I") != 0 || !o->installments || installments < 2)
    return false;
  if (!o->counts[0])
    return installments <= 99;    /* no counts stored: any the issuer takes */
  for (int i = 0; o->counts[i]; i++)
    if (o->counts[i] == installments)
      return true;
  return false;
}

int methods_card_pan(PGresult *txn, char pan[20], char expiry[5], char masked[24])
{
  unsigned char blob[CARDCRYPT_MAX_BLOB];
  size_t len = 0;
  struct card_binding bind = { .row_id = strtoll(db_text(txn, 0, "card_id"), NULL, 10),
                               .lookup_hex = db_text(txn, 0, "card_lookup") };

  if (OPENSSL_hexstr2buf_ex(blob, sizeof blob, &len, db_text(txn, 0, "card_ciphertext"), '\0') != 1
      || card_decrypt(atoi(db_text(txn, 0, "card_key_id")), atoi(db_text(txn, 0, "card_aad")), &bind, blob, len, pan,
                      20) != 0) {
    log_msg(LOG_ERROR, "card %s of transaction %s cannot be decrypted: its ciphertext was not sealed for this "
            "card row and lookup hash (moved from another row?), or data key %s is not in the card key file",
            db_text(txn, 0, "card_id"), db_text(txn, 0, "number"), db_text(txn, 0, "card_key_id"));
    return -1;
  }
  snprintf(expiry, 5, "%s", db_text(txn, 0, "card_expiry"));
  pan_mask(pan, masked, 24);
  return 0;
}

enum db_status methods_fail_unreadable_card(struct db *db, PGresult *txn, const char *expected)
{
  struct db_params params;
  db_params_init(&params);
  db_param_text(&params, db_text(txn, 0, "id"));
  db_param_text(&params, "failed");
  db_param_text(&params, expected);
  db_param_text(&params, "card_unreadable");
  db_param_text(&params, METHODS_CARD_UNREADABLE);
  db_param_text(&params, NULL);
  enum db_status st = db_call(db, &q_txn_finish, &params, NULL);
  struct txn_ref ref;

  if (st != DB_ONE_ROW)
    return st < 0 ? st : DB_ABORT;
  txn_ref_from(txn, &ref);
  return txn_notify_handset(db, &ref, "failed", NULL, METHODS_CARD_UNREADABLE);
}
