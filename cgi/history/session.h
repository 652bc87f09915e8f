/* session.h — the signed-in session (cookie __Host-history_session: 256
 * random bits, the database keeps their SHA-256) and its form token, and
 * the pre-session cookie that guards the sign-in form before a session
 * exists (__Host-history_presession). */
#ifndef HISTORY_SESSION_H
#define HISTORY_SESSION_H

#include "history/request.h"
#include "history/signin_rules.h"
#include "web/form.h"

/* Looks for the session of the request's cookie: fills rq->session and
 * sets rq->has_session when it is live, and says how it was seen in
 * *seen.  0, or -1 when the database failed (answered 503). */
int session_find(struct history_request *rq, enum session_seen *seen);

/* For a page that needs a session: 0 with rq->has_session, or -1 after
 * answering 303 to the sign-in page (with ?ended=expired when the cookie
 * named a session that has ended; the cookie is cleared) or 503. */
int session_require(struct history_request *rq);

/* For a form POST of a signed-in page: session_require, then the form's
 * csrf field equal to the session's (constant time), else 403 (the error
 * page).  0, or -1 (answered). */
int session_check_form(struct history_request *rq, const struct form *f);

/* Starts a session of user_id (after a right password): a new token and
 * form token, the cookie set, the pre-session cookie cleared, the user's
 * failed-attempt count reset.  0, or -1 (answered 503/500). */
int session_start(struct history_request *rq, const char *user_id);

/* Ends rq's session and clears its cookie.  0, or -1 (answered 503). */
int session_end(struct history_request *rq);

/* The sign-in form's token into csrf: from the request's pre-session
 * cookie, or a new cookie (Set-Cookie added) when it has none.  0, or -1
 * (answered 500). */
int presession_form_token(struct history_request *rq, char csrf[PRESESSION_TOKEN_HEX + 1]);

/* True when f's csrf field is the token of the request's pre-session
 * cookie. */
bool presession_check(const struct history_request *rq, const struct form *f);

#endif
