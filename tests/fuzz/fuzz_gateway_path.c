/* fuzz_gateway_path.c — libFuzzer harness: request paths and their {number}
 * parameter as the gateway's router reads them.  The first byte picks the
 * method, the rest is the path nginx passes (DOCUMENT_URI, any bytes: nginx
 * decodes %FF into a raw byte).  Every route pattern is matched with
 * router_match2: a match must give back exactly the path with the
 * parameters put in (each one segment, 1-64 bytes).  Then router_dispatch runs wherever it
 * answers without the database: a path no route has is 404 not_found, a
 * known path with another method 405, and a {number} that is not 16 of
 * [0-9A-Z] on a handset route (a well-formed session given) is 404
 * unknown_transaction before any handler runs — each one well-formed
 * problem+json answer, the path in its detail without a card number.
 * Seeds: tests/fuzz/corpus/gateway_path/. */
#include "fake_fcgi.h"
#include "gateway/router.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const methods[] = { "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "" };

/* The pattern with each {param} replaced (up to two), compared with the path. */
static void check_match(const char *pattern, const char *path, const char *param, const char *param2, size_t cap)
{
  char rebuilt[600] = "";
  size_t used = 0;
  int n = 0;

  for (const char *at = pattern; *at && used < sizeof rebuilt - 1;) {
    const char *open = strchr(at, '{');
    if (!open) {
      used += (size_t)snprintf(rebuilt + used, sizeof rebuilt - used, "%s", at);
      break;
    }
    const char *value = n++ == 0 ? param : param2;
    size_t len = strlen(value);
    if (len == 0 || len >= cap || strchr(value, '/'))
      abort(); /* not one bounded segment */
    used += (size_t)snprintf(rebuilt + used, sizeof rebuilt - used, "%.*s%s", (int)(open - at), at, value);
    at = strchr(open, '}') + 1;
  }
  if (strcmp(rebuilt, path) != 0)
    abort();
}

static bool is_transaction_number(const char *s)
{
  return strlen(s) == 16 && strspn(s, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") == 16;
}

/* The route router_dispatch would run, its parameter, and whether the
 * path is known at all (for 405). */
static const struct route *find_route(const char *method, const char *path, char *param, bool *known)
{
  *known = false;
  for (const struct route *r = router_routes; r->method; r++) {
    char p[PATH_PARAM_MAX + 1] = "", p2[PATH_PARAM_MAX + 1] = "", small[9] = "", small2[9] = "";
    int m = router_match2(r->pattern, path, p, p2, sizeof p);
    if (m == 0)
      check_match(r->pattern, path, p, p2, sizeof p);
    /* a small buffer: a longer parameter is no match, never an overrun */
    if (router_match2(r->pattern, path, small, small2, sizeof small) == 0) {
      if (m != 0)
        abort();
      check_match(r->pattern, path, small, small2, sizeof small);
    }
    if (m != 0)
      continue;
    *known = true;
    if (strcmp(r->method, method) == 0) {
      memcpy(param, p, sizeof p);
      return r;
    }
  }
  return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct fake_fcgi *f;
  struct request rq;
  char param[PATH_PARAM_MAX + 1] = "", code[64];
  bool known;

  if (size < 1)
    return 0;
  f = malloc(sizeof *f);
  const char *method = methods[data[0] % (sizeof methods / sizeof *methods)];
  fake_fcgi_init(f, &rq, NULL, 0);
  fake_fcgi_param(f, "REQUEST_METHOD", method, strlen(method));
  fake_fcgi_param(f, "DOCUMENT_URI", (const char *)data + 1, size - 1);
  fake_fcgi_param(f, "HTTP_AUTHORIZATION", "Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 50);
  if (request_read(&rq, 1024) != 0)
    abort();

  const struct route *r = find_route(rq.method, rq.path, param, &known);
  const char *expect = NULL;
  int status = 404;
  if (!r) {
    expect = known ? "method_not_allowed" : "not_found";
    status = known ? 405 : 404;
  } else if (r->auth == AUTH_SESSION && strstr(r->pattern, "{number}") && !is_transaction_number(param)) {
    expect = "unknown_transaction";
  }
  /* anything else goes on to the database, which this harness has not */
  if (expect) {
    if (router_dispatch(&rq) != status || fake_fcgi_answer(f, code, sizeof code) != status || strcmp(code, expect) != 0)
      abort();
  }
  fake_fcgi_free(f, &rq);
  free(f);
  return 0;
}
