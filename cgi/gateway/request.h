/* request.h — everything one HTTP request owns while a gateway worker
 * handles it.  Reset between requests; handlers read it, never keep it. */
#ifndef PAYGW_REQUEST_H
#define PAYGW_REQUEST_H

#include "fcgireq/fcgireq.h"

#include <fcgiapp.h>
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct db;
struct route;

#define REQUEST_ID_LEN FCGIREQ_ID_LEN /* nginx's $request_id: 32 hex digits */
#define PATH_PARAM_MAX 64

/* Who the caller proved to be, filled by the route's authentication step. */
struct terminal_identity {
  int64_t terminal_id;
  int64_t merchant_id;
  char terminal_code[33];
  char merchant_code[33];
  char merchant_name[324];
  char shop_name[324]; /* for the receipt */
};

struct device_identity {
  int64_t device_id;
  char device_code[33];
  int64_t timestamp_ms; /* X-Paygw-Timestamp of a signed mailbox poll */
};

struct request {
  FCGX_Request *fcgx;
  struct db *db;
  const struct route *route;

  char request_id[REQUEST_ID_LEN + 1];
  char method[8];
  char path[256];
  char query[512];
  char path_param[PATH_PARAM_MAX + 1];  /* the {number} of a route, if any */
  char path_param2[PATH_PARAM_MAX + 1]; /* a second {param}: the {refund} of .../refunds/{refund} */

  char *body; /* NUL-terminated, malloc'd */
  size_t body_len;

  struct terminal_identity terminal;
  struct device_identity device;
  char session_hash[65]; /* SHA-256 hex of a handset's session token */

  int status;          /* the status answered, for the log */
  const char *problem; /* problem code answered, or NULL */
  struct timespec started;
};

/* A request header by its CGI name ("HTTP_IDEMPOTENCY_KEY"), or NULL. */
const char *request_header(const struct request *rq, const char *cgi_name);

/* Reads method, path, query and the body (bounded) from the FastCGI request.
 * Answers 413/400 itself and returns -1 when the request cannot be served. */
int request_read(struct request *rq, size_t max_body);

/* The value of ?name=... in the query string into out, or -1 if absent. */
int request_query_param(const struct request *rq, const char *name, char *out, size_t outlen);

/* Frees what request_read allocated and clears the struct for reuse. */
void request_reset(struct request *rq);

#endif
