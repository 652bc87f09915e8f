/* router.h — history.fcgi's table of routes (router.c). */
#ifndef HISTORY_ROUTER_H
#define HISTORY_ROUTER_H

#include "history/request.h"

/* Finds the route of rq's method and path, runs its session step, then its
 * handler; answers 404/405 itself. */
void router_dispatch(struct history_request *rq);

#endif
