/* request.c — reading a history request: the query string (414 when too
 * long) and the body (lib/web/request.c reads it under the size limit;
 * the refusals are answered here, as pages). */
#include "history/request.h"
#include "history/reply.h"

#include <string.h>

const char *request_header(const struct history_request *rq, const char *cgi_name)
{
  return web_request_header(&rq->web, cgi_name);
}

int request_read(struct history_request *rq, size_t max_body)
{
  const char *query = FCGX_GetParam("QUERY_STRING", rq->web.fcgx->envp);

  if (query && strlen(query) >= sizeof rq->query) {
    reply_error_page(rq, 414, "Address too long", "the address asked for is longer than this site takes");
    return -1;
  }
  fcgireq_param(rq->web.fcgx->envp, "QUERY_STRING", rq->query, sizeof rq->query);
  int refused = web_request_body(&rq->web, max_body);
  if (refused == 413)
    reply_error_page(rq, 413, "Too large", "the form sent is larger than this site takes");
  else if (refused)
    reply_error_page(rq, 500, "Internal error", "out of memory");
  return refused ? -1 : 0;
}

bool request_content_type_is(const struct history_request *rq, const char *type)
{
  return web_request_content_type_is(&rq->web, type);
}

void request_reset(struct web_request *w)
{
  struct history_request *rq = history_request_of(w);
  struct history_request fresh = { .web = rq->web, .db = rq->db, .templates = rq->templates };

  *rq = fresh;
}
