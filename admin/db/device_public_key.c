/* device_public_key.c — adb_device_public_key: the enrolled public key of
 * a subscriber's handset (demo compares it with the key file it holds). */
#include "ops.h"

#include <stdio.h>
#include <string.h>

enum db_status adb_device_public_key(struct db *db, const struct device_ref *in, struct device_key *out)
{
  static struct db_statement st =
      DB_STATEMENT("adb_device_public_key", DB_READ, 2,
                   "SELECT encode(d.public_key, 'hex') AS public_key FROM gateway.devices d "
                   "JOIN gateway.subscribers s ON s.id = d.subscriber_id WHERE d.code = $1 AND s.code = $2");
  struct db_params p;
  PGresult *res = NULL;

  db_params_init(&p);
  db_param_text(&p, in->code);
  db_param_text(&p, in->subscriber_code);
  enum db_status s = db_call(db, &st, &p, &res);
  if (s == DB_ONE_ROW) {
    const char *hex = db_text(res, 0, "public_key");
    if (strlen(hex) != 2 * ED25519_KEY_LEN)
      s = DB_NO_ROWS; /* not a key this program wrote: as if not enrolled */
    for (int i = 0; s == DB_ONE_ROW && i < ED25519_KEY_LEN; i++)
      sscanf(hex + 2 * i, "%2hhx", &out->public_key[i]);
  } else if (s > 0) {
    s = DB_NO_ROWS;
  }
  if (res)
    PQclear(res);
  return s;
}
