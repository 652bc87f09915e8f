/* gateway_client.h — the shop as a merchant of the gateway: HTTPS with
 * libcurl (one handle kept for the worker's life, so its TLS session and
 * connection are reused), the stack's CA, the terminal credential as a
 * Bearer token, a time-out (PAYGW_SHOP_GATEWAY_TIMEOUT_MS). */
#ifndef SHOP_GATEWAY_CLIENT_H
#define SHOP_GATEWAY_CLIENT_H

#include <jansson.h>

struct gw_answer {
  long http_status; /* 0: no answer (unreachable, time-out, no credential) */
  json_t *body;     /* the parsed answer, or NULL; the caller decrefs */
  char error[200];  /* why there was no answer, for the log and the page */
};

/* POSTs body (not taken) to the gateway's path ("/v1/transactions"), with
 * Idempotency-Key idem_key when not NULL.  Always fills out; returns 0
 * when an answer came (whatever its status), -1 otherwise. */
int gw_post(const char *path, const char *idem_key, const json_t *body, struct gw_answer *out);

void gw_answer_free(struct gw_answer *a);

/* The problem code of a problem+json answer, or "" (never NULL). */
const char *gw_problem_code(const struct gw_answer *a);

void gw_cleanup(void);

#endif
