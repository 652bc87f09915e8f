/* request.c — reading a FastCGI request: CGI parameters, the query string,
 * and the body with a hard size limit (CONTENT_LENGTH is never trusted). */
#include "gateway/request.h"
#include "gateway/reply.h"
#include "fcgireq/fcgireq.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *request_header(const struct request *rq, const char *cgi_name)
{
  return FCGX_GetParam(cgi_name, rq->fcgx->envp);
}

/* Reads the body; over max_body bytes (declared or sent) it answers 413. */
static int read_body(struct request *rq, size_t max_body)
{
  switch (fcgireq_body(rq->fcgx, max_body, &rq->body, &rq->body_len)) {
  case FCGIREQ_BODY_OK:
    return 0;
  case FCGIREQ_BODY_TOO_LARGE:
    CLIENT_FAULT(rq, PROBLEM_BODY_TOO_LARGE, "request body is larger than %zu bytes", max_body);
    return -1;
  case FCGIREQ_BODY_NO_MEMORY:
    break;
  }
  BUG(rq, "out of memory");
  return -1;
}

int request_read(struct request *rq, size_t max_body)
{
  clock_gettime(CLOCK_MONOTONIC, &rq->started);
  fcgireq_id(rq->fcgx->envp, rq->request_id);
  fcgireq_param(rq->fcgx->envp, "REQUEST_METHOD", rq->method, sizeof rq->method);
  fcgireq_param(rq->fcgx->envp, "QUERY_STRING", rq->query, sizeof rq->query);
  fcgireq_path(rq->fcgx->envp, rq->path, sizeof rq->path);
  return read_body(rq, max_body);
}

int request_query_param(const struct request *rq, const char *name, char *out, size_t outlen)
{
  return fcgireq_query_param(rq->query, name, out, outlen);
}

void request_reset(struct request *rq)
{
  FCGX_Request *fcgx = rq->fcgx;
  struct db *db = rq->db;

  free(rq->body);
  memset(rq, 0, sizeof *rq);
  rq->fcgx = fcgx;
  rq->db = db;
}
