/* methods.c — see methods.h. */
#include "gateway/methods.h"
#include "gateway/cache.h"
#include "gateway/db/card.h"
#include "gateway/db/enrolment.h"
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
  const struct issuer_range *ranges;
  int n;
  size_t best = 0;
  enum db_status st = cache_issuer_ranges(db, &ranges, &n);

  if (st < 0)
    return st;
  for (int i = 0; i < n; i++) {
    const char *low = ranges[i].low;
    if (methods_range_holds(low, ranges[i].high, pan) && strlen(low) > best) {
      best = strlen(low);
      snprintf(issuer_id, 24, "%lld", (long long)ranges[i].issuer_id);
    }
  }
  return best ? DB_ONE_ROW : DB_NO_ROWS;
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
    json_array_append_new(list,
                          json_pack("{s:s, s:s, s:o}", "method", "I", "name", "installments", "installments", counts));
  }
  if (o->bonus)
    json_array_append_new(list, json_pack("{s:s, s:s}", "method", "B", "name", "bonus"));
  if (o->partial_bonus)
    json_array_append_new(list, json_pack("{s:s, s:s}", "method", "pB", "name", "partial bonus"));
  if (o->revolving)
    json_array_append_new(list, json_pack("{s:s, s:s}", "method", "R", "name", "revolving"));
  return list;
}

int methods_card_decrypt(const struct txn_card *card, char pan[20], char expiry[5], char masked[24])
{
  unsigned char blob[CARDCRYPT_MAX_BLOB];
  size_t len = 0;
  struct card_binding bind = { .row_id = card->card_id, .lookup_hex = card->lookup };

  if (OPENSSL_hexstr2buf_ex(blob, sizeof blob, &len, card->ciphertext, '\0') != 1
      || card_decrypt(card->key_id, card->aad, &bind, blob, len, pan, 20) != 0) {
    log_msg(LOG_ERROR,
            "card %lld%s%s cannot be decrypted: its ciphertext was not sealed for this "
            "card row and lookup hash (moved from another row?), or data key %d is not in the card key file",
            (long long)card->card_id, *card->number ? " of transaction " : "", card->number, card->key_id);
    return -1;
  }
  snprintf(expiry, 5, "%s", card->expiry);
  pan_mask(pan, masked, 24);
  return 0;
}

enum db_status methods_card_issuer(struct db *db, const struct txn_card *card, bool *readable, char issuer_id[24])
{
  char pan[20], expiry[5], masked[24];

  *readable = methods_card_decrypt(card, pan, expiry, masked) == 0;
  if (!*readable)
    return DB_NO_ROWS;
  enum db_status st = methods_issuer_for_pan(db, pan, issuer_id);
  OPENSSL_cleanse(pan, sizeof pan);
  return st;
}
