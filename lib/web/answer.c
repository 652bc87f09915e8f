/* answer.c — writing an answer with its headers (answer.h). */
#include "web/answer.h"
#include "common/log.h"

#include <stdio.h>
#include <string.h>

void web_add_header(struct web_request *w, const char *line)
{
  if (w->n_headers < WEB_MAX_HEADERS)
    snprintf(w->headers[w->n_headers++], sizeof w->headers[0], "%s", line);
  else
    log_bug(__FILE__, __LINE__, "more than %d extra headers", WEB_MAX_HEADERS);
}

int web_answer_head(char *head, size_t size, const struct web_request *w, int status, const char *content_type,
                    size_t body_len)
{
  int n = snprintf(head, size, "Status: %d\r\nContent-Type: %s\r\nCache-Control: no-store\r\nX-Request-Id: %s\r\n",
                   status, content_type, w->request_id);

  for (int i = 0; i < w->n_headers && n < (int)size; i++)
    n += snprintf(head + n, size - (size_t)n, "%s\r\n", w->headers[i]);
  if (n < (int)size)
    n += snprintf(head + n, size - (size_t)n, "Content-Length: %zu\r\n\r\n", body_len);
  if (n >= (int)size)
    n = snprintf(head, size, "Status: 500\r\nContent-Length: %zu\r\n\r\n", body_len);
  return n;
}

int web_answer(struct web_request *w, int status, const char *content_type, const char *body, size_t body_len)
{
  char head[2048];
  int n = web_answer_head(head, sizeof head, w, status, content_type, body_len);

  FCGX_PutStr(head, n, w->fcgx->out);
  if (strcmp(w->method, "HEAD") != 0 && body_len > 0)
    FCGX_PutStr(body, (int)body_len, w->fcgx->out);
  w->status = status;
  return status;
}
