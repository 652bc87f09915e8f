/* cards_old_batch.c — adb_cards_old_batch: the next batch of cards still
 * under an older data key or AAD format, in id order after the last one
 * seen.  FOR NO KEY UPDATE does not conflict with the FOR KEY SHARE a new
 * payment's foreign key takes, so payments go on; SKIP LOCKED leaves rows
 * others hold for a later pass. */
#include "ops.h"

#include <stdlib.h>
#include <string.h>

void adb_cards_sealed_free(struct cards_sealed *c)
{
  if (c->rows)
    memset(c->rows, 0, (size_t)c->n * sizeof *c->rows);
  free(c->rows);
  memset(c, 0, sizeof *c);
}

/* One row into r; -1 when its ciphertext is not bytea text of a size a
 * card can have. */
static int read_row(const PGresult *res, int i, struct card_sealed *r)
{
  size_t len = 0;
  unsigned char *blob = PQunescapeBytea((const unsigned char *)db_text(res, i, "pan_ciphertext"), &len);

  r->id = db_int64(res, i, "id");
  r->key_id = (int)db_int64(res, i, "key_id");
  r->aad_version = (int)db_int64(res, i, "pan_aad");
  db_copy(res, i, "pan_lookup", r->lookup_hex);
  if (blob && len <= sizeof r->ciphertext) {
    memcpy(r->ciphertext, blob, len);
    r->ciphertext_len = len;
  }
  PQfreemem(blob);
  return blob ? 0 : -1;
}

enum db_status adb_cards_old_batch(struct db *db, const struct cards_old_batch *in, struct cards_sealed *out)
{
  static struct db_statement st =
      DB_STATEMENT("adb_cards_old_batch", DB_READ, 4,
                   "SELECT id, key_id, pan_aad, pan_lookup, pan_ciphertext FROM gateway.cards "
                   "WHERE (key_id <> $1::integer OR pan_aad <> $4::smallint) AND id > $2::bigint "
                   "ORDER BY id LIMIT $3::integer FOR NO KEY UPDATE SKIP LOCKED");
  struct db_params p;
  PGresult *res = NULL;

  memset(out, 0, sizeof *out);
  db_params_init(&p);
  db_param_int64(&p, in->current_key);
  db_param_int64(&p, in->after);
  db_param_int64(&p, in->limit);
  db_param_int64(&p, in->current_aad);
  enum db_status s = db_call(db, &st, &p, &res);
  if (s > 0 && !(out->rows = calloc((size_t)PQntuples(res), sizeof *out->rows)))
    s = DB_HARD_ERROR;
  for (int i = 0; s > 0 && i < PQntuples(res); i++) {
    if (read_row(res, i, &out->rows[i]) != 0)
      s = DB_HARD_ERROR;
    out->n = i + 1;
  }
  if (res)
    PQclear(res);
  return s;
}
