/* mailbox_poll.c — db_mailbox_poll: GET /v1/mailbox's whole work at the
 * database in one round trip and one commit (gateway.do_mailbox_poll,
 * sql/0015): the poll checked newer and not too soon and recorded, expired
 * messages dropped, live ones marked delivered and answered. */
#include "gateway/db/device.h"
#include "common/log.h"

#include <string.h>

static const char *const outcomes[] = {
  [POLL_TAKEN] = "taken",       [POLL_UNKNOWN_DEVICE] = "unknown_device",
  [POLL_REPLAYED] = "replayed", [POLL_TOO_SOON] = "too_soon",
  [POLL_RACED] = "raced",
};

int mailbox_poll_outcome_of(const char *text)
{
  for (size_t i = 0; i < sizeof outcomes / sizeof outcomes[0]; i++)
    if (strcmp(text, outcomes[i]) == 0)
      return (int)i;
  return -1;
}

enum db_status db_mailbox_poll(struct db *db, const struct mailbox_poll *in, struct mailbox_taken *out)
{
  static struct db_statement st =
      DB_STATEMENT("mailbox_poll", DB_REPEATABLE, 4,
                   "SELECT outcome, message, signature FROM gateway.do_mailbox_poll($1, $2, $3, $4)");
  struct db_params p;
  PGresult *res = NULL;

  memset(out, 0, sizeof *out);
  db_params_init(&p);
  db_param_text(&p, in->device_code);
  db_param_int64(&p, in->poll_ms);
  db_param_text(&p, in->poll_key);
  db_param_text(&p, in->window_s);
  enum db_status s = db_call(db, &st, &p, &res);
  if (s >= 0 && PQntuples(res) > 0) {
    int outcome = mailbox_poll_outcome_of(db_text(res, 0, "outcome"));
    if (outcome < 0) {
      LOG_BUG("do_mailbox_poll answered outcome %s", db_text(res, 0, "outcome"));
      s = DB_HARD_ERROR;
    } else {
      out->outcome = (enum mailbox_poll_outcome)outcome;
      out->messages = json_array();
      for (int i = 0; i < PQntuples(res); i++)
        if (!db_null(res, i, "message"))
          json_array_append_new(out->messages, json_pack("{s:s, s:s}", "message", db_text(res, i, "message"),
                                                         "signature", db_text(res, i, "signature")));
      s = DB_ONE_ROW;
    }
  } else if (s >= 0) {
    s = DB_HARD_ERROR; /* the function answers one row at least */
  }
  if (res)
    PQclear(res);
  return s;
}
