/* request.c — reading the part of a FastCGI request every web page program
 * reads the same way (request.h). */
#include "web/request.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

void web_request_start(struct web_request *w)
{
  clock_gettime(CLOCK_MONOTONIC, &w->started);
  fcgireq_id(w->fcgx->envp, w->request_id);
  fcgireq_param(w->fcgx->envp, "REQUEST_METHOD", w->method, sizeof w->method);
  fcgireq_path(w->fcgx->envp, w->path, sizeof w->path);
}

int web_request_body(struct web_request *w, size_t max_body)
{
  switch (fcgireq_body(w->fcgx, max_body, &w->body, &w->body_len)) {
  case FCGIREQ_BODY_OK:
    return 0;
  case FCGIREQ_BODY_TOO_LARGE:
    return 413;
  case FCGIREQ_BODY_NO_MEMORY:
    break;
  }
  return 500;
}

const char *web_request_header(const struct web_request *w, const char *cgi_name)
{
  return FCGX_GetParam(cgi_name, w->fcgx->envp);
}

bool web_content_type_matches(const char *ct, const char *type)
{
  size_t n = strlen(type);

  return ct && strncasecmp(ct, type, n) == 0 && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

bool web_request_content_type_is(const struct web_request *w, const char *type)
{
  return web_content_type_matches(FCGX_GetParam("CONTENT_TYPE", w->fcgx->envp), type);
}

void web_request_reset(struct web_request *w)
{
  FCGX_Request *fcgx = w->fcgx;

  free(w->body);
  memset(w, 0, sizeof *w);
  w->fcgx = fcgx;
}
