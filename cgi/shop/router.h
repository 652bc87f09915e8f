/* router.h — the shop's table of routes (router.c). */
#ifndef SHOP_ROUTER_H
#define SHOP_ROUTER_H

#include "shop/request.h"

/* Finds the route of rq's method and path, runs its session step, then its
 * handler; answers 404/405 itself. */
void router_dispatch(struct shop_request *rq);

#endif
