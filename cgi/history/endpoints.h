/* endpoints.h — one handler per URL (ep_*.c), run by router.c after the
 * route's session step.  Each answers and returns the status sent.  A
 * handler of a SIGNED_IN route finds rq->has_session true and may read
 * only rq->session.user_id's transactions. */
#ifndef HISTORY_ENDPOINTS_H
#define HISTORY_ENDPOINTS_H

#include "history/request.h"
#include "web/form.h"

/* sign-in, sessions (CORE: ep_root_get.c, ep_sign_in_get.c, ep_sign_in_post.c, ep_sign_out_post.c) */
int ep_root_get(struct history_request *rq);
int ep_sign_in_get(struct history_request *rq);
int ep_sign_in_post(struct history_request *rq, const struct form *f);
int ep_sign_out_post(struct history_request *rq, const struct form *f);
/* At start-up: the dummy hash an unknown user ID is checked against.  0 or -1. */
int ep_sign_in_prepare(void);

/* the pages (ep_list_get.c, ep_transaction_get.c, ep_csv_get.c) */
int ep_list_get(struct history_request *rq);        /* GET /history/transactions */
int ep_transaction_get(struct history_request *rq); /* GET /history/transactions/{NUMBER}: rq->number */
int ep_csv_get(struct history_request *rq);         /* GET /history/transactions.csv */

#endif
