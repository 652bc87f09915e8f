/* router.h — the shop's table of routes (router.c). */
#ifndef SHOP_ROUTER_H
#define SHOP_ROUTER_H

#include "shop/request.h"

/* One request, as lib/web's worker hands it over: reads the rest of it
 * (request_read), finds the route of its method and path, runs its session
 * step, then its handler; answers 404/405 itself. */
void router_dispatch(struct web_request *w);

#endif
