/* router.c — every URL of the transaction history on one screen.
 * {NUMBER} is a transaction number (16 of 0-9 A-Z), copied into
 * rq->number.  The session column says what runs before the handler:
 *   OPEN     nothing (the handler looks for a session itself if it cares)
 *   SIGNED   a live session required, else 303 to the sign-in page
 *   FORM     a form POST of a signed-in page: the body parsed, a live
 *            session and its form token required (else 303 / 403)
 *   SIGN_IN  the sign-in form: the body parsed, its form token bound to
 *            the pre-session cookie required (else 403) */
#include "history/router.h"
#include "history/endpoints.h"
#include "history/reply.h"
#include "history/session.h"
#include "web/route.h"

#include <stdio.h>
#include <string.h>

enum session_step { OPEN, SIGNED, FORM, SIGN_IN };

struct route {
  const char *method, *pattern;
  enum session_step step;
  int (*handler)(struct history_request *rq);
  int (*form_handler)(struct history_request *rq, const struct form *f);
};

static const struct route routes[] = {
  { "GET", "/history", OPEN, ep_root_get, NULL },
  { "GET", "/history/", OPEN, ep_root_get, NULL },
  { "GET", "/history/sign-in", OPEN, ep_sign_in_get, NULL },
  { "POST", "/history/sign-in", SIGN_IN, NULL, ep_sign_in_post },
  { "POST", "/history/sign-out", FORM, NULL, ep_sign_out_post },
  { "GET", "/history/transactions", SIGNED, ep_list_get, NULL },
  { "GET", "/history/transactions.csv", SIGNED, ep_csv_get, NULL },
  { "GET", "/history/transactions/{NUMBER}", SIGNED, ep_transaction_get, NULL },
  { NULL, NULL, OPEN, NULL, NULL },
};

/* True when path matches pattern; a {NUMBER} segment (16 of 0-9 A-Z)
 * goes into number. */
static bool matches(const char *pattern, const char *path, char *number)
{
  if (!web_route_match(pattern, path, number, HISTORY_NUMBER_LEN + 1))
    return false;
  return !strchr(pattern, '{') ||
         (strlen(number) == HISTORY_NUMBER_LEN && strspn(number, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") == HISTORY_NUMBER_LEN);
}

static int run_form(struct history_request *rq, const struct route *r)
{
  struct form f;
  int status;

  if (!request_content_type_is(rq, "application/x-www-form-urlencoded"))
    return reply_error_page(rq, 415, "Form not readable", "the form must be sent as application/x-www-form-urlencoded");
  if (form_parse(&f, rq->web.body, rq->web.body_len) != 0)
    return reply_error_page(rq, 400, "Bad request", "the form could not be read");
  if (r->step == SIGN_IN && !presession_check(rq, &f))
    status = reply_error_page(rq, 403, "Form refused",
                              "form token missing or wrong: open the sign-in page again and sign in from there");
  else if (r->step == FORM && session_check_form(rq, &f) != 0)
    status = rq->web.status;
  else
    status = r->form_handler(rq, &f);
  form_free(&f);
  return status;
}

void router_dispatch(struct history_request *rq)
{
  bool path_known = false;
  const char *method = web_route_method(rq->web.method);

  for (const struct route *r = routes; r->method; r++) {
    if (!matches(r->pattern, rq->web.path, rq->number))
      continue;
    path_known = true;
    if (strcmp(r->method, method) != 0)
      continue;
    if (r->step == FORM || r->step == SIGN_IN) {
      run_form(rq, r);
      return;
    }
    if (r->step == SIGNED && session_require(rq) != 0)
      return;
    r->handler(rq);
    return;
  }
  if (path_known)
    reply_error_page(rq, 405, "Method not allowed", "this page does not take that method");
  else
    reply_not_found(rq);
}
