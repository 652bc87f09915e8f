/* request.c — reading a FastCGI request: CGI parameters, the query string
 * and the body with a hard size limit (CONTENT_LENGTH is never trusted). */
#include "shop/request.h"
#include "shop/reply.h"
#include "fcgireq/fcgireq.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *request_header(const struct shop_request *rq, const char *cgi_name)
{
  return FCGX_GetParam(cgi_name, rq->fcgx->envp);
}

/* Reads the body; over max_body bytes (declared or sent) it answers 413. */
static int read_body(struct shop_request *rq, size_t max_body)
{
  switch (fcgireq_body(rq->fcgx, max_body, &rq->body, &rq->body_len)) {
  case FCGIREQ_BODY_OK:
    return 0;
  case FCGIREQ_BODY_TOO_LARGE:
    reply_problem(rq, 413, "body_too_large", "request body is larger than %zu bytes", max_body);
    return -1;
  case FCGIREQ_BODY_NO_MEMORY:
    break;
  }
  reply_problem(rq, 500, "internal_error", "out of memory");
  return -1;
}

int request_read(struct shop_request *rq, size_t max_body)
{
  clock_gettime(CLOCK_MONOTONIC, &rq->started);
  fcgireq_id(rq->fcgx->envp, rq->request_id);
  fcgireq_param(rq->fcgx->envp, "REQUEST_METHOD", rq->method, sizeof rq->method);
  fcgireq_param(rq->fcgx->envp, "QUERY_STRING", rq->query, sizeof rq->query);
  fcgireq_path(rq->fcgx->envp, rq->path, sizeof rq->path);
  return read_body(rq, max_body);
}

int request_query_param(const struct shop_request *rq, const char *name, char *out, size_t outlen)
{
  return fcgireq_query_param(rq->query, name, out, outlen);
}

bool request_content_type_is(const struct shop_request *rq, const char *type)
{
  const char *ct = FCGX_GetParam("CONTENT_TYPE", rq->fcgx->envp);
  size_t n = strlen(type);

  return ct && strncasecmp(ct, type, n) == 0 && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

void request_reset(struct shop_request *rq)
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
