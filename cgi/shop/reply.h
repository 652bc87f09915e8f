/* reply.h — answering a shop request: HTML pages rendered from the
 * templates (cgi/shop/templates), redirects, JSON, problem+json for the
 * APIs, SVG.  Each returns the HTTP status it sent. */
#ifndef SHOP_REPLY_H
#define SHOP_REPLY_H

#include "shop/request.h"

#include <jansson.h>

/* Renders template name with ctx (taken over) as text/html.  Every page's
 * context also gets: shop (the shop's name), csrf (the session's form
 * token), admin (the owner is signed in). */
int reply_page(struct shop_request *rq, int status, const char *name, json_t *ctx);

/* The error page (data-page="error"): title as the <h1>, reason in
 * #error-reason. */
int reply_error_page(struct shop_request *rq, int status, const char *title, const char *reason);

/* 303 See Other to location (a path of the shop). */
int reply_redirect(struct shop_request *rq, const char *location);

/* body (taken over) as application/json. */
int reply_json(struct shop_request *rq, int status, json_t *body);

/* application/problem+json: type, title, status, code, detail (printf),
 * request_id, and extra's members (taken over, may be NULL).  A 4xx is
 * logged at info level, a 5xx at error level. */
int reply_problem_extra(struct shop_request *rq, int status, const char *code, json_t *extra, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
#define reply_problem(rq, status, code, ...) reply_problem_extra((rq), (status), (code), NULL, __VA_ARGS__)

/* Any other body (the QR code's SVG). */
int reply_body(struct shop_request *rq, int status, const char *content_type, const char *body);

/* Adds a header line ("Set-Cookie: ...") to this request's answer. */
void reply_add_header(struct shop_request *rq, const char *line);

#endif
