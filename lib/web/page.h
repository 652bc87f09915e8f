/* page.h — rendering a page of lib/tmpl's templates and sending it as
 * text/html (answer.h).  Each program's reply_page fills the context with
 * what its pages all need first. */
#ifndef PAYGW_WEB_PAGE_H
#define PAYGW_WEB_PAGE_H

#include "web/request.h"

#include <jansson.h>

struct tmpl_set;

/* Renders template name with ctx (taken over: freed on every path) and
 * answers it with status.  A template that does not render is a bug:
 * logged, answered 500 in plain text. */
int web_answer_page(struct web_request *w, int status, const struct tmpl_set *templates, const char *name, json_t *ctx);

#endif
