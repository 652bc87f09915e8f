/* auth.c — dispatching a route's authentication requirement. */
#include "gateway/auth.h"
#include "gateway/reply.h"

int auth_check(struct request *rq, enum route_auth auth)
{
  switch (auth) {
  case AUTH_NONE:
    return 0;
  case AUTH_TERMINAL:
    return auth_terminal(rq);
  case AUTH_DEVICE:
    return auth_device(rq);
  case AUTH_SESSION:
    return auth_session(rq);
  default:
    BUG(rq, "route has an unknown authentication kind");
    return -1;
  }
}
