/* http.h — one keep-alive HTTPS connection of the benchmark (a libcurl easy
 * handle reused for every request, so TLS is negotiated once), with the
 * request's wall-clock latency recorded into a histogram. */
#ifndef PAYGW_BENCH_HTTP_H
#define PAYGW_BENCH_HTTP_H

#include "bench/hist.h"

#include <curl/curl.h>
#include <stddef.h>

struct http {
  CURL *curl;
  const char *base_url; /* e.g. https://127.0.0.1:8443 */
  char *body;           /* the last answer's body, NUL-terminated */
  size_t len, cap;
  long status; /* the last answer's HTTP status, 0 on transport error */
  char error[CURL_ERROR_SIZE];
  unsigned long requests; /* requests sent on this connection */
};

/* Opens a connection object (no socket until the first request); ca is the
 * CA file to trust.  Returns 0 or -1. */
int http_open(struct http *c, const char *base_url, const char *ca);
void http_close(struct http *c);

/* Sends METHOD path with the extra headers (NULL-terminated list, may be
 * NULL) and body (NULL for none, sent as application/json), records the
 * latency in µs into h (may be NULL).  Returns the HTTP status or 0 when the
 * transport failed (c->error says why); the answer is in c->body. */
long http_request(struct http *c, const char *method, const char *path, const char *const *headers, const char *body,
                  struct hist *h);

/* Monotonic clock in µs. */
unsigned long long now_us(void);

#endif
