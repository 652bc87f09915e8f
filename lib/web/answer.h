/* answer.h — writing an answer to the FastCGI stream: the status, the
 * content type, Cache-Control: no-store (every page of these programs holds
 * a session's form token or a user's data), X-Request-Id, the extra header
 * lines, Content-Length, then the body unless the method is HEAD.  nginx
 * adds the security headers (conf/nginx/page_headers.conf).  Each program's
 * reply.c builds its bodies (pages, JSON, problems) and sends them here. */
#ifndef PAYGW_WEB_ANSWER_H
#define PAYGW_WEB_ANSWER_H

#include "web/request.h"

#include <stddef.h>

/* Adds a header line ("Set-Cookie: ...") to w's answer; more than
 * WEB_MAX_HEADERS is a bug (logged, the line dropped). */
void web_add_header(struct web_request *w, const char *line);

/* Sends the answer (body_len bytes of body); records status in w for the
 * log line and returns it. */
int web_answer(struct web_request *w, int status, const char *content_type, const char *body, size_t body_len);

/* The header block of an answer into head (size bytes); its length.  When
 * it does not fit, a bare "Status: 500" head instead. */
int web_answer_head(char *head, size_t size, const struct web_request *w, int status, const char *content_type,
                    size_t body_len);

#endif
