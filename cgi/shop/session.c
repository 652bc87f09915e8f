/* session.c — finding, making and checking browser sessions.  The cookie
 * holds 128 random bits; the database keeps only their SHA-256 (lib/web/token.c). */
#include "shop/session.h"
#include "shop/cookies.h"
#include "shop/db/shop_db.h"
#include "shop/reply.h"
#include "shop/settings.h"

#include "web/token.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>

static void set_cookie(struct shop_request *rq, const char *token)
{
  char line[200];

  cookie_session_line(token, line, sizeof line);
  reply_add_header(rq, line);
}

int session_find(struct shop_request *rq)
{
  char token[SESSION_TOKEN_HEX + 1], hash[65];
  struct session_row row;

  rq->has_session = false;
  if (cookie_get(request_header(rq, "HTTP_COOKIE"), SESSION_COOKIE, token, sizeof token) != 0
      || !cookie_token_wellformed(token))
    return 0;
  token_sha256_hex(token, hash);
  enum db_status s = db_session_touch(rq->db, hash, shop_settings.session_idle_s, &row);
  if (s < 0) {
    reply_problem(rq, 503, "database_unavailable", "the shop's database did not answer");
    return -1;
  }
  if (s == DB_ONE_ROW) {
    rq->has_session = true;
    rq->session.id = row.id;
    snprintf(rq->session.csrf, sizeof rq->session.csrf, "%s", row.csrf);
    rq->session.is_admin = row.is_admin;
  }
  return 0;
}

int session_ensure(struct shop_request *rq)
{
  char token[SESSION_TOKEN_HEX + 1], hash[65], csrf[33];
  struct session_row row;

  if (session_find(rq) != 0)
    return -1;
  if (rq->has_session)
    return 0;
  if (token_random_hex(token, SESSION_TOKEN_HEX / 2) != 0 || token_random_hex(csrf, 16) != 0) {
    reply_error_page(rq, 500, "Internal error", "no random numbers");
    return -1;
  }
  token_sha256_hex(token, hash);
  if (db_session_create(rq->db, hash, csrf, shop_settings.session_keep_s, &row) != DB_ONE_ROW) {
    reply_error_page(rq, 503, "The shop is not available", "the shop's database did not answer; try again");
    return -1;
  }
  rq->has_session = true;
  rq->session.id = row.id;
  snprintf(rq->session.csrf, sizeof rq->session.csrf, "%s", csrf);
  rq->session.is_admin = false;
  set_cookie(rq, token);
  OPENSSL_cleanse(token, sizeof token);
  return 0;
}

int session_check_form(struct shop_request *rq, const struct form *f)
{
  const char *csrf = form_get(f, "csrf");

  if (session_find(rq) != 0)
    return -1;
  if (!rq->has_session) {
    reply_error_page(rq, 403, "Session expired",
                     "session expired: your session ended or was never started; open the shop again");
    return -1;
  }
  if (!token_equal(csrf, rq->session.csrf)) {
    reply_error_page(rq, 403, "Form refused", "form token missing or wrong: reload the page and try again");
    return -1;
  }
  return 0;
}

int session_rotate(struct shop_request *rq, bool is_admin)
{
  char token[SESSION_TOKEN_HEX + 1], hash[65], csrf[33];

  if (token_random_hex(token, SESSION_TOKEN_HEX / 2) != 0 || token_random_hex(csrf, 16) != 0) {
    reply_error_page(rq, 500, "Internal error", "no random numbers");
    return -1;
  }
  token_sha256_hex(token, hash);
  if (db_session_admin(rq->db, rq->session.id, is_admin, hash, csrf) < 0) {
    reply_error_page(rq, 503, "The shop is not available", "the shop's database did not answer; try again");
    return -1;
  }
  rq->session.is_admin = is_admin;
  snprintf(rq->session.csrf, sizeof rq->session.csrf, "%s", csrf);
  set_cookie(rq, token);
  OPENSSL_cleanse(token, sizeof token);
  return 0;
}
