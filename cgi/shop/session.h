/* session.h — the browser session (cookie __Host-shop_session) and the
 * form token every form of it carries (field csrf). */
#ifndef SHOP_SESSION_H
#define SHOP_SESSION_H

#include "web/form.h"
#include "shop/request.h"

#include <stdbool.h>

/* Fills rq->session from the cookie when it names a live session (seen
 * within PAYGW_SHOP_SESSION_IDLE_S).  0 (rq->has_session says whether one
 * was found), or -1 when the database failed (answered 503). */
int session_find(struct shop_request *rq);

/* As session_find, and a new session (with its Set-Cookie) when there is
 * none: for the pages that hold forms.  0, or -1 (answered). */
int session_ensure(struct shop_request *rq);

/* For a form POST: a live session and the form's csrf equal to the
 * session's (compared in constant time); otherwise answers 403 (the error
 * page: "session expired" or "form token missing or wrong") and returns
 * -1.  f is the parsed body. */
int session_check_form(struct shop_request *rq, const struct form *f);

/* New random token and form token for the session (sign-in, sign-out), the
 * cookie set again.  0, or -1 (answered). */
int session_rotate(struct shop_request *rq, bool is_admin);

#endif
