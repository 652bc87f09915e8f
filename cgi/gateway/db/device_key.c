/* device_key.c — db_device_key: an active handset's public key, read when
 * the worker's cache (cache_device_key) does not hold it. */
#include "gateway/db/device.h"

#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

enum db_status db_device_key(struct db *db, const char *code, struct device_key *out)
{
  static struct db_statement st = DB_STATEMENT(
      "device_key", DB_READ, 1,
      "SELECT id, encode(public_key, 'hex') AS public_key FROM gateway.devices WHERE code = $1 AND status = 'active'");
  struct db_params p;
  PGresult *res = NULL;
  size_t len = 0;

  memset(out, 0, sizeof *out);
  db_params_init(&p);
  db_param_text(&p, code);
  enum db_status s = db_call(db, &st, &p, &res);
  if (s == DB_ONE_ROW) {
    out->id = db_int64(res, 0, "id");
    if (OPENSSL_hexstr2buf_ex(out->public_key, sizeof out->public_key, &len, db_text(res, 0, "public_key"), '\0') != 1
        || len != sizeof out->public_key)
      s = DB_NO_ROWS; /* the table's CHECK keeps it 32 bytes: cannot happen */
  } else if (s >= 0) {
    s = DB_NO_ROWS;
  }
  if (res)
    PQclear(res);
  return s;
}
