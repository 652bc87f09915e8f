/* endpoints.h — one handler per endpoint, each in its own ep_*.c file. */
#ifndef PAYGW_ENDPOINTS_H
#define PAYGW_ENDPOINTS_H

#include "gateway/request.h"

int ep_health_get(struct request *rq);

#endif
