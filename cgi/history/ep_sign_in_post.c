/* ep_sign_in_post.c — POST /history/sign-in (form: user_id, password,
 * csrf; the router has checked csrf against the pre-session cookie).
 *   right password            → a new session, 303 to the list
 *   wrong, unknown user ID,
 *   no web password, disabled → 401, the sign-in page "User ID or password
 *                               is wrong" (the same page and the same work:
 *                               an unknown user ID checks a dummy hash)
 *   locked, or the wrong one
 *   that locks it             → 423, the sign-in page saying until when
 *   a field missing, too long
 *   or with control characters → 400, the sign-in page
 * PAYGW_HISTORY_LOCK_AFTER wrong passwords in a row lock the user ID for
 * PAYGW_HISTORY_LOCK_S; a right one resets the count. */
#include "history/db/users_db.h"
#include "history/endpoints.h"
#include "history/reply.h"
#include "history/session.h"
#include "history/settings.h"
#include "common/log.h"
#include "web/token.h"

#include <stdio.h>
#include <string.h>

#define WRONG "User ID or password is wrong."

/* A hash no password matches in practice, checked for user IDs that have
 * none, so that they take as long as a wrong password. */
static char dummy_hash[PWHASH_ENCODED_MAX];

int ep_sign_in_prepare(void)
{
  char password[33];

  if (token_random_hex(password, 16) != 0)
    return -1;
  return pwhash_make(password, dummy_hash);
}

/* The sign-in page again, with error (and user_id, when it is well formed,
 * kept in its field), answered with status. */
static int again(struct history_request *rq, int status, const char *user_id, const char *error)
{
  char csrf[PRESESSION_TOKEN_HEX + 1];

  if (presession_form_token(rq, csrf) != 0)
    return rq->web.status;
  json_t *ctx = json_pack("{s:s, s:s}", "csrf", csrf, "error", error);
  if (user_id && signin_user_id_ok(user_id))
    json_object_set_new(ctx, "user_id_typed", json_string(user_id));
  return reply_page(rq, status, "sign_in", ctx);
}

static int locked(struct history_request *rq, const char *user_id, const char *until)
{
  char text[160];

  rq->web.problem = "locked";
  snprintf(text, sizeof text,
           "This user ID is locked after too many wrong passwords, until %s UTC. Try again after that time.", until);
  return again(rq, 423, user_id, text);
}

static int unavailable(struct history_request *rq)
{
  return reply_error_page(rq, 503, "Not available", "the history's database did not answer; try again");
}

int ep_sign_in_post(struct history_request *rq, const struct form *f)
{
  const char *user_id = form_get(f, "user_id");
  const char *password = form_get(f, "password");
  struct hdb_signin_user user, after;

  if (!signin_user_id_ok(user_id) || !signin_password_ok(password)) {
    rq->web.problem = "bad input";
    return again(rq, 400, user_id,
                 "Enter your user ID (up to 32 letters, digits, _ or -) and your web password (up to 256 characters).");
  }
  enum db_status s = hdb_user_for_signin(rq->db, user_id, &user);
  if (s < 0)
    return unavailable(rq);
  if (s == DB_ONE_ROW && user.locked)
    return locked(rq, user_id, user.locked_until);
  bool usable = s == DB_ONE_ROW && user.active && user.has_password;
  bool right = pwhash_verify(usable ? user.password_hash : dummy_hash, password);
  if (usable && right) {
    if (session_start(rq, user_id) != 0)
      return rq->web.status;
    log_msg(LOG_INFO, "history: sign-in (request %s)", rq->web.request_id);
    return reply_redirect(rq, "/history/transactions");
  }
  /* counted for an unknown user ID too (it changes no row), so both
   * take the same work */
  rq->web.problem = "wrong";
  s = hdb_user_signin_failed(rq->db, user_id, history_settings.lock_after, history_settings.lock_s, &after);
  if (s < 0)
    return unavailable(rq);
  if (s == DB_ONE_ROW && after.locked)
    return locked(rq, user_id, after.locked_until);
  return again(rq, 401, user_id, WRONG);
}
