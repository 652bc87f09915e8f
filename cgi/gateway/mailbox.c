/* mailbox.c — see mailbox.h. */
#include "gateway/mailbox.h"
#include "gateway/settings.h"
#include "common/b64url.h"
#include "common/ed25519.h"
#include "common/log.h"

#include <stdlib.h>
#include <string.h>

static struct db_statement mailbox_insert = DB_STATEMENT("mailbox_insert", DB_CHANGE, 7,
  "INSERT INTO gateway.mailbox (device_id, user_id, transaction_id, kind, message, signature, expires_at)"
  " VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz)");

int mailbox_sign(const char *text, char sig_b64[90])
{
  unsigned char sig[ED25519_SIG_LEN];

  if (!settings.have_message_key || ed25519_sign(settings.message_key, text, strlen(text), sig) != 0)
    return -1;
  b64url_encode(sig, sizeof sig, sig_b64);
  return 0;
}

int mailbox_seal(json_t *message, char **text, char sig_b64[90])
{
  *text = json_dumps(message, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(message);
  if (*text && mailbox_sign(*text, sig_b64) == 0)
    return 0;
  log_msg(LOG_ERROR, "cannot sign a mailbox message (is PAYGW_MESSAGE_KEY_FILE set?)");
  free(*text);
  *text = NULL;
  return -1;
}

enum db_status mailbox_put(struct db *db, const char *device_id, const char *user_id, const char *txn_id,
                           const char *kind, json_t *message, const char *expires_at)
{
  char *text = json_dumps(message, JSON_COMPACT | JSON_PRESERVE_ORDER);
  char sig[90];
  PGresult *res = NULL;
  enum db_status st = DB_HARD_ERROR;

  json_decref(message);
  if (!text)
    return DB_HARD_ERROR;
  if (mailbox_sign(text, sig) != 0) {
    log_msg(LOG_ERROR, "cannot sign a mailbox message (is PAYGW_MESSAGE_KEY_FILE set?)");
  } else {
    struct db_params params;
    db_params_init(&params);
    db_param_text(&params, device_id);
    db_param_text(&params, user_id);
    db_param_text(&params, txn_id);
    db_param_text(&params, kind);
    db_param_text(&params, text);
    db_param_text(&params, sig);
    db_param_text(&params, expires_at);
    st = db_call(db, &mailbox_insert, &params, &res);
    if (st >= 0)
      PQclear(res);
  }
  free(text);
  return st;
}
