/* fake_fcgi.h — a FastCGI request without a socket, for the gateway's fuzz
 * harnesses: CGI parameters as nginx passes them, a body to read and a
 * buffer that catches the answer, so the gateway's own request_read,
 * router_dispatch, parse_json_body and reply_* run unchanged.  Every
 * parameter and the body sit in allocations of their exact size, so
 * AddressSanitizer sees a read one byte too far. */
#ifndef PAYGW_FAKE_FCGI_H
#define PAYGW_FAKE_FCGI_H

#include "gateway/request.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FAKE_MAX_PARAMS 24
#define FAKE_OUT_CAP 65536

struct fake_fcgi {
  FCGX_Request fcgx;
  FCGX_Stream in, out;
  char *envp[FAKE_MAX_PARAMS + 1];
  int n_params;
  unsigned char *body;
  unsigned char out_buf[FAKE_OUT_CAP + 1];
  bool out_overflow;
};

/* Sets up f with a body to read (copied); rq is reset and points at it. */
void fake_fcgi_init(struct fake_fcgi *f, struct request *rq, const uint8_t *body, size_t body_len);

/* Adds the CGI parameter NAME=value; value is taken up to len bytes or its
 * first NUL, as a C string from nginx would be. */
void fake_fcgi_param(struct fake_fcgi *f, const char *name, const char *value, size_t len);

/* Frees what init and param allocated (and rq's body via request_reset). */
void fake_fcgi_free(struct fake_fcgi *f, struct request *rq);

/* What was answered.  Checks the answer's shape and aborts when it is
 * wrong: a Status line, Content-Type, Content-Length equal to the body, a
 * body that is JSON; a problem+json body with its members, its status
 * equal to the Status line and no card-number-like digit run in its
 * detail.  Returns the status, or 0 when nothing was answered; *code gets
 * the problem code ("" for application/json). */
int fake_fcgi_answer(struct fake_fcgi *f, char *code, size_t code_len);

/* Forgets what was answered, for a harness that runs several steps. */
void fake_fcgi_clear_answer(struct fake_fcgi *f);

/* True when s holds a run of 12 or more digits (single spaces or dashes
 * between them) that is not part of a word: what pan_scrub must mask. */
bool fake_has_card_like_run(const char *s);

#endif
