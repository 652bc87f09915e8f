/* request.c — reading a shop request: the query string and the body
 * (lib/web/request.c reads it under the size limit; the refusals are
 * answered here, as problems). */
#include "shop/request.h"
#include "shop/reply.h"

const char *request_header(const struct shop_request *rq, const char *cgi_name)
{
  return web_request_header(&rq->web, cgi_name);
}

int request_read(struct shop_request *rq, size_t max_body)
{
  fcgireq_param(rq->web.fcgx->envp, "QUERY_STRING", rq->query, sizeof rq->query);
  int refused = web_request_body(&rq->web, max_body);
  if (refused == 413)
    reply_problem(rq, 413, "body_too_large", "request body is larger than %zu bytes", max_body);
  else if (refused)
    reply_problem(rq, 500, "internal_error", "out of memory");
  return refused ? -1 : 0;
}

int request_query_param(const struct shop_request *rq, const char *name, char *out, size_t outlen)
{
  return fcgireq_query_param(rq->query, name, out, outlen);
}

bool request_content_type_is(const struct shop_request *rq, const char *type)
{
  return web_request_content_type_is(&rq->web, type);
}

void request_reset(struct web_request *w)
{
  struct shop_request *rq = shop_request_of(w);
  struct shop_request fresh = { .web = rq->web, .db = rq->db, .templates = rq->templates };

  *rq = fresh;
}
