/* reply.h — answering a history request: HTML pages rendered from the
 * templates (cgi/history/templates), redirects, the error and not-found
 * pages, and any other body (the CSV).  Each returns the HTTP status sent.
 *
 * How a handler renders a page
 * ----------------------------
 * Build the page's data as a JSON object, never HTML, and hand it over:
 *
 *     json_t *ctx = json_pack("{s:s, s:o}", "title", "Transactions", "rows", rows);
 *     return reply_page(rq, 200, "list", ctx);         // renders templates/list.html
 *
 * reply_page takes ctx over (it is freed on every path) and adds what
 * every page needs: `title` (if ctx has none, from the page's name),
 * `signed_in` (true when rq has a live session) and then `user_id` and
 * `csrf` (the session's form token, for the sign-out form and any other
 * form of the page).  A page template starts with {{>head}} and ends with
 * {{>foot}}; head.html shows the signed-in header (templates/header.html:
 * the user ID, a link to the list, the sign-out form #sign-out) whenever
 * signed_in is true, so a page needs nothing more for it.  Every value is
 * HTML-escaped (lib/tmpl, docs/templates.md); money is formatted from
 * integer minor units before it goes into ctx (lib/web/money.h).
 *
 * Errors: reply_not_found (404, data-page="not-found": an unknown number
 * and another user's number alike), reply_error_page (any other status,
 * data-page="error").  Headers: reply_add_header before the reply_*
 * call (Content-Disposition of the CSV, Set-Cookie). */
#ifndef HISTORY_REPLY_H
#define HISTORY_REPLY_H

#include "history/request.h"

#include <jansson.h>

/* Renders template name with ctx (taken over; NULL for an empty object) as
 * text/html, adding title, signed_in, user_id and csrf (see above). */
int reply_page(struct history_request *rq, int status, const char *name, json_t *ctx);

/* The error page (data-page="error"): title as the <h1>, reason in
 * #error-reason. */
int reply_error_page(struct history_request *rq, int status, const char *title, const char *reason);

/* The 404 page (data-page="not-found"). */
int reply_not_found(struct history_request *rq);

/* 303 See Other to location (a path of this site). */
int reply_redirect(struct history_request *rq, const char *location);

/* Any other body (body_len bytes: the CSV), with its content type. */
int reply_body(struct history_request *rq, int status, const char *content_type, const char *body, size_t body_len);

/* Adds a header line ("Set-Cookie: ...") to this request's answer. */
void reply_add_header(struct history_request *rq, const char *line);

#endif
