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
  return db_word_index(text, outcomes, DB_WORDS(outcomes));
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
  int outcome;
  enum db_status s = db_call(db, &st, &p, &res);
  s = db_outcome(s, res, "gateway.do_mailbox_poll", outcomes, &outcome);
  if (s == DB_ONE_ROW) { /* a row per message; the outcome on each */
    out->outcome = (enum mailbox_poll_outcome)outcome;
    out->messages = json_array();
    for (int i = 0; i < PQntuples(res); i++)
      if (!db_null(res, i, "message"))
        json_array_append_new(out->messages, json_pack("{s:s, s:s}", "message", db_text(res, i, "message"), "signature",
                                                       db_text(res, i, "signature")));
  }
  if (res)
    PQclear(res);
  return s;
}
