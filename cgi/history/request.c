/* request.c — reading a FastCGI request: CGI parameters, the query string
 * and the body with a hard size limit (CONTENT_LENGTH is never trusted). */
#include "history/request.h"
#include "history/reply.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *request_header(const struct history_request *rq, const char *cgi_name)
{
  return FCGX_GetParam(cgi_name, rq->fcgx->envp);
}

static int read_body(struct history_request *rq, size_t max_body)
{
  switch (fcgireq_body(rq->fcgx, max_body, &rq->body, &rq->body_len)) {
  case FCGIREQ_BODY_OK:
    return 0;
  case FCGIREQ_BODY_TOO_LARGE:
    reply_error_page(rq, 413, "Too large", "the form sent is larger than this site takes");
    return -1;
  case FCGIREQ_BODY_NO_MEMORY:
    break;
  }
  reply_error_page(rq, 500, "Internal error", "out of memory");
  return -1;
}

int request_read(struct history_request *rq, size_t max_body)
{
  const char *query = FCGX_GetParam("QUERY_STRING", rq->fcgx->envp);

  clock_gettime(CLOCK_MONOTONIC, &rq->started);
  fcgireq_id(rq->fcgx->envp, rq->request_id);
  fcgireq_param(rq->fcgx->envp, "REQUEST_METHOD", rq->method, sizeof rq->method);
  fcgireq_path(rq->fcgx->envp, rq->path, sizeof rq->path);
  if (query && strlen(query) >= sizeof rq->query) {
    reply_error_page(rq, 414, "Address too long", "the address asked for is longer than this site takes");
    return -1;
  }
  fcgireq_param(rq->fcgx->envp, "QUERY_STRING", rq->query, sizeof rq->query);
  return read_body(rq, max_body);
}

bool request_content_type_is(const struct history_request *rq, const char *type)
{
  const char *ct = FCGX_GetParam("CONTENT_TYPE", rq->fcgx->envp);
  size_t n = strlen(type);

  return ct && strncasecmp(ct, type, n) == 0 && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

void request_reset(struct history_request *rq)
{
  FCGX_Request *fcgx = rq->fcgx;
  struct db *db = rq->db;
  const struct tmpl_set *templates = rq->templates;

  free(rq->body);
  memset(rq, 0, sizeof *rq);
  rq->fcgx = fcgx;
  rq->db = db;
  rq->templates = templates;
}
