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
#include "history/settings.h"
#include "web/route.h"

#include <stdio.h>
#include <string.h>

enum session_step { OPEN, SIGNED, FORM, SIGN_IN };

struct route {
  struct web_route at; /* method and pattern: first, for WEB_ROUTE_FIND */
  enum session_step step;
  int (*handler)(struct history_request *rq);
  int (*form_handler)(struct history_request *rq, const struct form *f);
};

static const struct route routes[] = {
  { { "GET", "/history" }, OPEN, ep_root_get, NULL },
  { { "GET", "/history/" }, OPEN, ep_root_get, NULL },
  { { "GET", "/history/sign-in" }, OPEN, ep_sign_in_get, NULL },
  { { "POST", "/history/sign-in" }, SIGN_IN, NULL, ep_sign_in_post },
  { { "POST", "/history/sign-out" }, FORM, NULL, ep_sign_out_post },
  { { "GET", "/history/transactions" }, SIGNED, ep_list_get, NULL },
  { { "GET", "/history/transactions.csv" }, SIGNED, ep_csv_get, NULL },
  { { "GET", "/history/transactions/{NUMBER}" }, SIGNED, ep_transaction_get, NULL },
  { { NULL, NULL }, OPEN, NULL, NULL },
};

/* A {NUMBER} segment: 16 of 0-9 A-Z, into rq->number. */
static bool take_number(struct web_request *w, const char *segment)
{
  if (strlen(segment) != HISTORY_NUMBER_LEN
      || strspn(segment, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") != HISTORY_NUMBER_LEN)
    return false;
  memcpy(history_request_of(w)->number, segment, HISTORY_NUMBER_LEN + 1);
  return true;
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

void router_dispatch(struct web_request *w)
{
  struct history_request *rq = history_request_of(w);
  int refusal;

  if (request_read(rq, (size_t)history_settings.max_body) != 0)
    return;
  const struct route *r = (const struct route *)WEB_ROUTE_FIND(routes, w, take_number, &refusal);
  if (!r && refusal == 405)
    reply_error_page(rq, 405, "Method not allowed", "this page does not take that method");
  else if (!r)
    reply_not_found(rq);
  else if (r->step == FORM || r->step == SIGN_IN)
    run_form(rq, r);
  else if (r->step != SIGNED || session_require(rq) == 0)
    r->handler(rq);
}
