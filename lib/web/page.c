/* page.c — a rendered page as the answer (page.h). */
#include "web/page.h"
#include "web/answer.h"
#include "common/log.h"
#include "tmpl/tmpl.h"

#include <stdlib.h>
#include <string.h>

int web_answer_page(struct web_request *w, int status, const struct tmpl_set *templates, const char *name, json_t *ctx)
{
  char err[256];
  char *html = tmpl_render(templates, name, ctx, err, sizeof err);

  json_decref(ctx);
  if (!html) {
    log_bug(__FILE__, __LINE__, "template %s: %s", name, err);
    return web_answer(w, 500, "text/plain; charset=utf-8", "internal error\n", 15);
  }
  int rc = web_answer(w, status, "text/html; charset=utf-8", html, strlen(html));
  free(html);
  return rc;
}
