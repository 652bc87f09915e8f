/* signin_rules.h — the pure rules of signing in (no database, no I/O, so
 * tests/unit/test_history.c covers them): what a user ID and a password
 * field may hold, the form token bound to a pre-session cookie, and where
 * a request without a live session is sent. */
#ifndef HISTORY_SIGNIN_RULES_H
#define HISTORY_SIGNIN_RULES_H

#include <stdbool.h>
#include <stddef.h>

#define SESSION_COOKIE "__Host-history_session"
#define SESSION_TOKEN_HEX 64 /* 256 random bits */
#define PRESESSION_COOKIE "__Host-history_presession"
#define PRESESSION_TOKEN_HEX 32 /* 128 random bits */
#define SIGNIN_PASSWORD_MAX 256 /* bytes, as paygw-admin takes */

/* A user ID as gateway.users holds them: 1-32 of A-Z a-z 0-9 _ -. */
bool signin_user_id_ok(const char *text);

/* A password field: 1 to SIGNIN_PASSWORD_MAX bytes, no control
 * character (a byte below 0x20, or 0x7f). */
bool signin_password_ok(const char *text);

/* The form token (csrf field) of the sign-in form shown with pre-session
 * cookie value cookie: the first 32 hex digits of SHA-256 of a fixed label
 * and the cookie.  The page never holds the cookie itself, and a form
 * token works only with the cookie it was made for. */
void presession_csrf_of(const char *cookie, char out[PRESESSION_TOKEN_HEX + 1]);

/* How a request found its session cookie (session.c). */
enum session_seen {
  SESSION_ABSENT,  /* no cookie */
  SESSION_UNKNOWN, /* a cookie no session has (malformed, forged or deleted) */
  SESSION_ENDED,   /* a session that has ended (idle, too old, signed out) */
  SESSION_LIVE,
};

/* Where a page that needs a session sends a request without a live one:
 * "/history/sign-in?ended=expired" for an ended session, else
 * "/history/sign-in". */
const char *signin_redirect_for(enum session_seen seen);

#endif
