/* gwhttp.h — the clients' side of the gateway's HTTP API (docs/api.md):
 * JSON over HTTPS with libcurl, the gateway verified against a CA given as a
 * file (POS) or as PEM text (the handset's UIM store).  Used by handset and
 * pos; one handle keeps its connection alive between calls. */
#ifndef PAYGW_GWHTTP_H
#define PAYGW_GWHTTP_H

#include <jansson.h>
#include <stdbool.h>

struct gw_http {
  void *curl; /* CURL * */
  char base_url[512];
  char *ca_pem;             /* CA as PEM text, or NULL */
  char *ca_file;            /* CA as a file, or NULL */
  volatile int *abort_flag; /* a transfer stops when *abort_flag != 0 */
};

struct gw_reply {
  long status;      /* HTTP status; 0 when no answer came */
  json_t *json;     /* the parsed body, or NULL */
  long retry_after; /* Retry-After seconds, or -1 */
  bool timed_out;   /* no answer within the time-out */
  bool aborted;     /* stopped through abort_flag */
  bool sent;        /* some of the request went out: without an
                                      answer its effect at the gateway is unknown */
  char error[256];  /* why there is no answer */
};

/* Prepares a handle for base_url ("https://..." only), trusting ca_pem (PEM
 * text) or ca_file.  Returns 0, or -1 with a reason in err. */
int gw_http_init(struct gw_http *g, const char *base_url, const char *ca_pem, const char *ca_file, char *err,
                 size_t errlen);

void gw_http_cleanup(struct gw_http *g);

/* One request: method, path (appended to the base URL), extra headers
 * (NULL-terminated array of "Name: value", may be NULL), a JSON body or NULL,
 * and a time-out for the whole exchange.  Returns 0 when an HTTP answer came
 * (whatever its status), -1 when none did (r->error, r->timed_out).  The
 * caller calls gw_reply_clear(r) afterwards in both cases. */
int gw_http_call(struct gw_http *g, const char *method, const char *path, const char *const *headers,
                 const json_t *body, long timeout_ms, struct gw_reply *r);

void gw_reply_clear(struct gw_reply *r);

/* The exact bytes gw_http_call sends for body (malloc'd): what a request
 * signed over its body (the handset's token reply) signs. */
char *gw_body_text(const json_t *body);

/* "code: detail" of a problem answer into buf (or "HTTP <status>"). */
const char *gw_problem_text(const struct gw_reply *r, char *buf, size_t len);

/* The problem's stable `code`, or "" when the answer is not a problem. */
const char *gw_problem_code(const struct gw_reply *r);

/* True for nginx's per-address limit (429 rate_limited): the request never
 * reached the gateway, so it may be sent again after Retry-After. */
bool gw_rate_limited(const struct gw_reply *r);

#endif
