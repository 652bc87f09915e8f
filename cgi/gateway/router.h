/* router.h — the route table: method, path pattern, handler and the
 * authentication the route needs, checked before the handler runs. */
#ifndef PAYGW_ROUTER_H
#define PAYGW_ROUTER_H

#include "gateway/request.h"

enum route_auth {
  AUTH_NONE,
  AUTH_TERMINAL, /* Authorization: Bearer <terminal credential> */
  AUTH_DEVICE,   /* device ID + signature by the device key (see auth_device.c) */
  AUTH_SESSION,  /* Authorization: Bearer <session from device-auth> */
};

typedef int (*handler_fn)(struct request *rq);

struct route {
  const char *method;
  const char *pattern; /* "/v1/transactions/{number}": two {param} at most */
  handler_fn handler;
  enum route_auth auth;
};

/* The route table, ending with a NULL method (exposed for the fuzz harness
 * of paths, tests/fuzz/fuzz_gateway_path.c). */
extern const struct route router_routes[];

/* Finds the route for rq, runs its authentication and its handler; answers
 * 404 / 405 / 401 itself.  Returns the status sent. */
int router_dispatch(struct request *rq);

/* The route for method and path, its parameters in param and param2 (each
 * PATH_PARAM_MAX + 1 bytes), or NULL.  *same_path (may be NULL) is the first
 * route whose pattern the path matches under any method, or NULL: with no
 * route for the method, the path is known (405) or not (404). */
const struct route *router_find(const char *method, const char *path, char *param, char *param2,
                                const struct route **same_path);

/* Matches path against pattern, copying a {param} segment into param.
 * Exposed for the unit tests. */
int router_match(const char *pattern, const char *path, char *param, size_t param_len);

/* The same with up to two {param} segments: the first into param, the
 * second into param2 (each param_len bytes; param2 NULL: a pattern with a
 * second is no match, as router_match). */
int router_match2(const char *pattern, const char *path, char *param, char *param2, size_t param_len);

#endif
