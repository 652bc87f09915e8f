/* fcgireq.h — reading a FastCGI request the one way every FastCGI program
 * of the tree does it (paygw.fcgi, shop.fcgi): the request line nginx
 * passes, its request ID, the query string's parameters, and the body
 * under a hard size limit.  Each program keeps its own request struct and
 * answers the errors in its own words; this reads, it never answers. */
#ifndef PAYGW_FCGIREQ_H
#define PAYGW_FCGIREQ_H

#include <fcgiapp.h>
#include <stddef.h>

#define FCGIREQ_ID_LEN 32

/* The CGI parameter name (e.g. "REQUEST_METHOD") into out, "" when absent;
 * cut to outlen - 1 bytes. */
void fcgireq_param(FCGX_ParamArray envp, const char *name, char *out, size_t outlen);

/* nginx's $request_id (32 hex digits) into out; a request without one (a
 * worker run without nginx) gets 32 random hex digits. */
void fcgireq_id(FCGX_ParamArray envp, char out[FCGIREQ_ID_LEN + 1]);

/* The path without the query string: nginx's normalised DOCUMENT_URI, else
 * REQUEST_URI up to its '?'. */
void fcgireq_path(FCGX_ParamArray envp, char *out, size_t outlen);

/* The value of name=... in a query string (not decoded) into out; -1 when
 * absent or longer than outlen - 1. */
int fcgireq_query_param(const char *query, const char *name, char *out, size_t outlen);

enum fcgireq_body {
  FCGIREQ_BODY_OK,
  FCGIREQ_BODY_TOO_LARGE, /* declared or sent: more than max_body bytes */
  FCGIREQ_BODY_NO_MEMORY,
};

/* Reads the body into a malloc'd, NUL-terminated *body (the caller frees
 * it, also on an error) of *len bytes.  At most max_body + 1 bytes are
 * read, so an over-long body is found even when CONTENT_LENGTH lies. */
enum fcgireq_body fcgireq_body(FCGX_Request *r, size_t max_body, char **body, size_t *len);

#endif
