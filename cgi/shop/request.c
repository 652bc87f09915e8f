/* request.c — reading a FastCGI request: CGI parameters, the query string
 * and the body with a hard size limit (CONTENT_LENGTH is never trusted). */
#include "shop/request.h"
#include "shop/reply.h"

#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *request_header(const struct shop_request *rq, const char *cgi_name)
{
  return FCGX_GetParam(cgi_name, rq->fcgx->envp);
}

static void copy_param(const struct shop_request *rq, const char *name, char *out, size_t outlen)
{
  const char *v = FCGX_GetParam(name, rq->fcgx->envp);
  snprintf(out, outlen, "%s", v ? v : "");
}

static void set_request_id(struct shop_request *rq)
{
  static const char hex[] = "0123456789abcdef";
  const char *id = FCGX_GetParam("REQUEST_ID", rq->fcgx->envp);
  unsigned char raw[16];

  if (id && strlen(id) == 32) {
    memcpy(rq->request_id, id, 33);
    return;
  }
  RAND_bytes(raw, sizeof raw);
  for (size_t i = 0; i < sizeof raw; i++) {
    rq->request_id[2 * i] = hex[raw[i] >> 4];
    rq->request_id[2 * i + 1] = hex[raw[i] & 15];
  }
  rq->request_id[32] = '\0';
}

static int read_body(struct shop_request *rq, size_t max_body)
{
  const char *declared = FCGX_GetParam("CONTENT_LENGTH", rq->fcgx->envp);
  long long n = declared && *declared ? atoll(declared) : 0;

  if (n < 0 || (unsigned long long)n > max_body) {
    reply_problem(rq, 413, "body_too_large", "request body is larger than %zu bytes", max_body);
    return -1;
  }
  rq->body = malloc(max_body + 2);
  if (!rq->body) {
    reply_problem(rq, 500, "internal_error", "out of memory");
    return -1;
  }
  int got = FCGX_GetStr(rq->body, (int)max_body + 1, rq->fcgx->in);
  if (got < 0)
    got = 0;
  if ((size_t)got > max_body) {
    reply_problem(rq, 413, "body_too_large", "request body is larger than %zu bytes", max_body);
    return -1;
  }
  rq->body[got] = '\0';
  rq->body_len = (size_t)got;
  return 0;
}

int request_read(struct shop_request *rq, size_t max_body)
{
  clock_gettime(CLOCK_MONOTONIC, &rq->started);
  set_request_id(rq);
  copy_param(rq, "REQUEST_METHOD", rq->method, sizeof rq->method);
  copy_param(rq, "QUERY_STRING", rq->query, sizeof rq->query);
  copy_param(rq, "DOCUMENT_URI", rq->path, sizeof rq->path);
  if (!rq->path[0]) {
    copy_param(rq, "REQUEST_URI", rq->path, sizeof rq->path);
    rq->path[strcspn(rq->path, "?")] = '\0';
  }
  return read_body(rq, max_body);
}

int request_query_param(const struct shop_request *rq, const char *name, char *out, size_t outlen)
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
