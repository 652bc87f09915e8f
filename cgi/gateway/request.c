/* request.c — reading a FastCGI request: CGI parameters, the query string,
 * and the body with a hard size limit (CONTENT_LENGTH is never trusted). */
#include "gateway/request.h"
#include "gateway/reply.h"
#include "gateway/tokens.h"

#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *request_header(const struct request *rq, const char *cgi_name)
{
  return FCGX_GetParam(cgi_name, rq->fcgx->envp);
}

static void copy_param(const struct request *rq, const char *name, char *out, size_t outlen)
{
  const char *v = FCGX_GetParam(name, rq->fcgx->envp);
  snprintf(out, outlen, "%s", v ? v : "");
}

/* nginx passes its $request_id; a worker run without nginx makes its own. */
static void set_request_id(struct request *rq)
{
  const char *id = FCGX_GetParam("REQUEST_ID", rq->fcgx->envp);
  unsigned char raw[REQUEST_ID_LEN / 2];

  if (id && strlen(id) == REQUEST_ID_LEN) {
    memcpy(rq->request_id, id, REQUEST_ID_LEN + 1);
    return;
  }
  RAND_bytes(raw, sizeof raw);
  token_hex(raw, sizeof raw, rq->request_id);
}

/* Reads at most max_body + 1 bytes, so an over-long body is detected even
 * when CONTENT_LENGTH lies about it. */
static int read_body(struct request *rq, size_t max_body)
{
  const char *declared = FCGX_GetParam("CONTENT_LENGTH", rq->fcgx->envp);
  long long n = declared && *declared ? atoll(declared) : 0;

  if (n < 0 || (unsigned long long)n > max_body) {
    CLIENT_FAULT(rq, PROBLEM_BODY_TOO_LARGE, "request body is larger than %zu bytes", max_body);
    return -1;
  }
  rq->body = malloc(max_body + 2);
  if (!rq->body) {
    BUG(rq, "out of memory");
    return -1;
  }
  int got = FCGX_GetStr(rq->body, (int)max_body + 1, rq->fcgx->in);
  if (got < 0)
    got = 0;
  if ((size_t)got > max_body) {
    CLIENT_FAULT(rq, PROBLEM_BODY_TOO_LARGE, "request body is larger than %zu bytes", max_body);
    return -1;
  }
  rq->body[got] = '\0';
  rq->body_len = (size_t)got;
  return 0;
}

int request_read(struct request *rq, size_t max_body)
{
  clock_gettime(CLOCK_MONOTONIC, &rq->started);
  set_request_id(rq);
  copy_param(rq, "REQUEST_METHOD", rq->method, sizeof rq->method);
  copy_param(rq, "QUERY_STRING", rq->query, sizeof rq->query);
  /* DOCUMENT_URI is nginx's normalised path without the query string */
  copy_param(rq, "DOCUMENT_URI", rq->path, sizeof rq->path);
  if (!rq->path[0]) {
    copy_param(rq, "REQUEST_URI", rq->path, sizeof rq->path);
    rq->path[strcspn(rq->path, "?")] = '\0';
  }
  return read_body(rq, max_body);
}

int request_query_param(const struct request *rq, const char *name, char *out, size_t outlen)
{
  size_t name_len = strlen(name);
  const char *p = rq->query;

  while (*p) {
    size_t seg = strcspn(p, "&");
    if (seg > name_len && strncmp(p, name, name_len) == 0 && p[name_len] == '=') {
      size_t vlen = seg - name_len - 1;
      if (vlen >= outlen)
        return -1;
      memcpy(out, p + name_len + 1, vlen);
      out[vlen] = '\0';
      return 0;
    }
    p += seg;
    if (*p == '&')
      p++;
  }
  return -1;
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
