/* session.c — finding, requiring, starting and ending sign-in sessions, and
 * the pre-session cookie of the sign-in form (session.h). */
#include "history/session.h"
#include "history/db/sessions_db.h"
#include "history/reply.h"
#include "history/settings.h"
#include "web/cookie.h"
#include "web/token.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>

/* Both cookies are __Host- cookies, sent back only to this site and never
 * with a request from another site (SameSite=Strict). */
static void set_cookie(struct history_request *rq, const char *name, const char *value, long max_age)
{
  char line[200];

  cookie_line(name, value, "Strict", max_age, line, sizeof line);
  reply_add_header(rq, line);
}

int session_find(struct history_request *rq, enum session_seen *seen)
{
  char token[SESSION_TOKEN_HEX + 2], hash[65];
  struct hdb_session row;

  rq->has_session = false;
  *seen = SESSION_ABSENT;
  if (cookie_get(request_header(rq, "HTTP_COOKIE"), SESSION_COOKIE, token, sizeof token) != 0) {
    /* absent; a value too long for token is no session of ours either */
    if (request_header(rq, "HTTP_COOKIE") && strstr(request_header(rq, "HTTP_COOKIE"), SESSION_COOKIE "="))
      *seen = SESSION_UNKNOWN;
    return 0;
  }
  *seen = SESSION_UNKNOWN;
  if (!cookie_hex_wellformed(token, SESSION_TOKEN_HEX))
    return 0;
  token_sha256_hex(token, hash);
  OPENSSL_cleanse(token, sizeof token);
  enum db_status s =
      hdb_session_find(rq->db, hash, history_settings.session_idle_s, history_settings.session_max_s, &row);
  if (s < 0) {
    reply_error_page(rq, 503, "Not available", "the history's database did not answer; try again");
    return -1;
  }
  if (s == DB_NO_ROWS)
    return 0;
  if (!row.live) {
    *seen = SESSION_ENDED;
    return 0;
  }
  *seen = SESSION_LIVE;
  rq->has_session = true;
  rq->session.id = row.id;
  snprintf(rq->session.user_id, sizeof rq->session.user_id, "%s", row.user_id);
  snprintf(rq->session.csrf, sizeof rq->session.csrf, "%s", row.csrf);
  return 0;
}

int session_require(struct history_request *rq)
{
  enum session_seen seen;

  if (session_find(rq, &seen) != 0)
    return -1;
  if (rq->has_session)
    return 0;
  if (seen != SESSION_ABSENT)
    set_cookie(rq, SESSION_COOKIE, "", 0);
  rq->web.problem = seen == SESSION_ENDED ? "session ended" : "no session";
  reply_redirect(rq, signin_redirect_for(seen));
  return -1;
}

int session_check_form(struct history_request *rq, const struct form *f)
{
  if (session_require(rq) != 0)
    return -1;
  if (!token_equal(form_get(f, "csrf"), rq->session.csrf)) {
    reply_error_page(rq, 403, "Form refused", "form token missing or wrong: reload the page and try again");
    return -1;
  }
  return 0;
}

int session_start(struct history_request *rq, const char *user_id)
{
  char token[SESSION_TOKEN_HEX + 1], hash[65], csrf[HISTORY_CSRF_HEX + 1];
  int64_t id;

  if (token_random_hex(token, SESSION_TOKEN_HEX / 2) != 0 || token_random_hex(csrf, HISTORY_CSRF_HEX / 2) != 0) {
    reply_error_page(rq, 500, "Internal error", "no random numbers");
    return -1;
  }
  token_sha256_hex(token, hash);
  if (hdb_session_start(rq->db, hash, user_id, csrf, history_settings.session_max_s, &id) != DB_ONE_ROW) {
    OPENSSL_cleanse(token, sizeof token);
    reply_error_page(rq, 503, "Not available", "the history's database did not answer; try again");
    return -1;
  }
  rq->has_session = true;
  rq->session.id = id;
  snprintf(rq->session.user_id, sizeof rq->session.user_id, "%s", user_id);
  snprintf(rq->session.csrf, sizeof rq->session.csrf, "%s", csrf);
  set_cookie(rq, SESSION_COOKIE, token, -1);
  set_cookie(rq, PRESESSION_COOKIE, "", 0);
  OPENSSL_cleanse(token, sizeof token);
  return 0;
}

int session_end(struct history_request *rq)
{
  if (hdb_session_end(rq->db, rq->session.id) < 0) {
    reply_error_page(rq, 503, "Not available", "the history's database did not answer; try again");
    return -1;
  }
  rq->has_session = false;
  set_cookie(rq, SESSION_COOKIE, "", 0);
  return 0;
}

int presession_form_token(struct history_request *rq, char csrf[PRESESSION_TOKEN_HEX + 1])
{
  char cookie[PRESESSION_TOKEN_HEX + 2];

  if (cookie_get(request_header(rq, "HTTP_COOKIE"), PRESESSION_COOKIE, cookie, sizeof cookie) != 0
      || !cookie_hex_wellformed(cookie, PRESESSION_TOKEN_HEX)) {
    if (token_random_hex(cookie, PRESESSION_TOKEN_HEX / 2) != 0) {
      reply_error_page(rq, 500, "Internal error", "no random numbers");
      return -1;
    }
  }
  /* sent again each time, so its Max-Age counts from the last form shown */
  set_cookie(rq, PRESESSION_COOKIE, cookie, history_settings.presession_s);
  presession_csrf_of(cookie, csrf);
  return 0;
}

bool presession_check(const struct history_request *rq, const struct form *f)
{
  char cookie[PRESESSION_TOKEN_HEX + 2], want[PRESESSION_TOKEN_HEX + 1];

  if (cookie_get(request_header(rq, "HTTP_COOKIE"), PRESESSION_COOKIE, cookie, sizeof cookie) != 0
      || !cookie_hex_wellformed(cookie, PRESESSION_TOKEN_HEX))
    return false;
  presession_csrf_of(cookie, want);
  return token_equal(form_get(f, "csrf"), want);
}
