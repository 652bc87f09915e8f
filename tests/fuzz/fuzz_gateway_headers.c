/* fuzz_gateway_headers.c — libFuzzer harness: the headers and CGI
 * parameters the gateway reads before any database work.  The input is
 * split at newlines into, in order: Authorization, X-Paygw-Device,
 * X-Paygw-Timestamp, X-Paygw-Signature, Idempotency-Key, QUERY_STRING,
 * CONTENT_LENGTH, DOCUMENT_URI, REQUEST_URI; what follows the ninth
 * newline is the body (a missing part is a header not sent).  They go
 * through request_read (the bounded body, the path), auth_session,
 * terminal_credential_parse, device_headers_parse and request_query_param,
 * each checked against the documented shape (docs/api.md): what is
 * accepted has that shape, what is refused gets one well-formed
 * problem+json answer.  Seeds: tests/fuzz/corpus/gateway_headers/. */
#include "fake_fcgi.h"
#include "gateway/auth.h"
#include "gateway/tokens.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum part { P_AUTH, P_DEVICE, P_STAMP, P_SIG, P_IDEM, P_QUERY, P_LENGTH, P_DOC_URI, P_REQ_URI, N_PARTS };

static const char *const cgi_names[N_PARTS] = {
  "HTTP_AUTHORIZATION",     "HTTP_X_PAYGW_DEVICE",  "HTTP_X_PAYGW_TIMESTAMP",
  "HTTP_X_PAYGW_SIGNATURE", "HTTP_IDEMPOTENCY_KEY", "QUERY_STRING",
  "CONTENT_LENGTH",         "DOCUMENT_URI",         "REQUEST_URI",
};

#define MAX_BODY 1024
#define CODE_CHARS "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-"

/* part[i] as a C string (cut at a NUL, as nginx's would be), or NULL */
static char *part[N_PARTS];

static bool is_code(const char *s, size_t max)
{
  size_t n = strlen(s);
  return n >= 1 && n <= max && strspn(s, CODE_CHARS) == n;
}

static void expect_problem(struct fake_fcgi *f, int status, const char *code)
{
  char got[64];
  if (fake_fcgi_answer(f, got, sizeof got) != status || strcmp(got, code) != 0)
    abort();
  fake_fcgi_clear_answer(f);
}

static void check_request_read(struct fake_fcgi *f, struct request *rq, size_t body_len)
{
  int rc = request_read(rq, MAX_BODY);
  if (rc != 0) {
    expect_problem(f, 413, "body_too_large");
    return;
  }
  if (fake_fcgi_answer(f, (char[8]){ 0 }, 8) != 0 || body_len > MAX_BODY || rq->body_len != body_len
      || rq->body[body_len] != '\0')
    abort(); /* the body read is not the body sent */
  /* the path: nginx's DOCUMENT_URI, else REQUEST_URI without its query */
  char want[sizeof rq->path];
  const char *doc = part[P_DOC_URI], *req = part[P_REQ_URI];
  snprintf(want, sizeof want, "%s", doc && *doc ? doc : req ? req : "");
  if (!(doc && *doc))
    want[strcspn(want, "?")] = '\0';
  if (strcmp(want, rq->path) != 0)
    abort();
}

/* ?name=value: the first parameter of that name, when its value fits */
static void check_query(const struct request *rq)
{
  const char *names[] = { "wait", "status", "" };
  char value[16];
  for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
    size_t n = strlen(names[i]), seg = 0;
    const char *p = rq->query, *first = NULL;
    for (;;) {
      seg = strcspn(p, "&");
      if (seg > n && strncmp(p, names[i], n) == 0 && p[n] == '=') {
        first = p;
        break;
      }
      if (!p[seg])
        break;
      p += seg + 1;
    }
    int rc = request_query_param(rq, names[i], value, sizeof value);
    bool fits = first && seg - n - 1 < sizeof value;
    if ((rc == 0) != fits)
      abort();
    if (rc == 0 && (strlen(value) != seg - n - 1 || strncmp(value, first + n + 1, seg - n - 1) != 0))
      abort();
  }
}

static void check_session(struct fake_fcgi *f, struct request *rq)
{
  const char *h = part[P_AUTH];
  bool shaped = h && strncmp(h, "Bearer ", 7) == 0 && strlen(h + 7) == 43 && is_code(h + 7, 43);
  if (auth_session(rq) != 0) {
    if (shaped)
      abort();
    expect_problem(f, 401, "unauthenticated");
    return;
  }
  if (!shaped || strlen(rq->session_hash) != 64 || strspn(rq->session_hash, "0123456789abcdef") != 64)
    abort();
}

static void check_terminal_credential(void)
{
  const char *h = part[P_AUTH];
  char code[33], hash[65];
  if (!h)
    return;
  const char *credential = strncmp(h, "Bearer ", 7) == 0 ? h + 7 : h;
  if (terminal_credential_parse(credential, code, sizeof code, hash) != 0)
    return;
  /* "<terminal code>.<43 characters>" (docs/api.md) */
  size_t n = strlen(code);
  if (!is_code(code, 32) || strncmp(credential, code, n) != 0 || credential[n] != '.'
      || strlen(credential + n + 1) != 43 || strlen(hash) != 64)
    abort();
}

static void check_device_headers(void)
{
  const char *device = part[P_DEVICE], *stamp = part[P_STAMP], *sig_text = part[P_SIG];
  unsigned char sig[ED25519_SIG_LEN];
  int64_t ts;
  if (!device || !stamp || !sig_text || device_headers_parse(device, stamp, sig_text, &ts, sig) != 0)
    return;
  size_t n = strlen(stamp);
  if (!is_code(device, 32) || n < 1 || n > 15 || strspn(stamp, "0123456789") != n || ts < 0 || strlen(sig_text) != 86
      || strspn(sig_text, CODE_CHARS) != 86)
    abort();
  char again[20];
  snprintf(again, sizeof again, "%lld", (long long)ts);
  if (strtoll(again, NULL, 10) != strtoll(stamp, NULL, 10))
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct fake_fcgi *f = malloc(sizeof *f);
  struct request rq;
  size_t pos = 0;
  int n = 0;

  /* the parts, each in an allocation of its own size */
  for (; n < N_PARTS && pos <= size; n++) {
    const uint8_t *nl = pos < size ? memchr(data + pos, '\n', size - pos) : NULL;
    if (!nl)
      break;
    size_t len = strnlen((const char *)data + pos, (size_t)(nl - data) - pos);
    part[n] = malloc(len + 1);
    memcpy(part[n], data + pos, len);
    part[n][len] = '\0';
    pos = (size_t)(nl - data) + 1;
  }
  for (int i = n; i < N_PARTS; i++)
    part[i] = NULL;
  size_t body_len = n == N_PARTS ? size - pos : 0;

  fake_fcgi_init(f, &rq, data + (n == N_PARTS ? pos : size), body_len);
  fake_fcgi_param(f, "REQUEST_METHOD", "GET", 3);
  for (int i = 0; i < N_PARTS; i++)
    if (part[i])
      fake_fcgi_param(f, cgi_names[i], part[i], strlen(part[i]));

  check_request_read(f, &rq, body_len);
  check_query(&rq);
  check_session(f, &rq);
  check_terminal_credential();
  check_device_headers();
  if (part[P_IDEM] && token_is_code(part[P_IDEM], 64) != is_code(part[P_IDEM], 64))
    abort();

  fake_fcgi_free(f, &rq);
  free(f);
  for (int i = 0; i < N_PARTS; i++)
    free(part[i]);
  return 0;
}
