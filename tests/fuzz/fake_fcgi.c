/* fake_fcgi.c — see fake_fcgi.h.  libfcgi's streams are plain structs with
 * a buffer and two callbacks: the reader's "fill" marks the end of the
 * body, the writer's "empty" is reached only when an answer overflows the
 * buffer (which the checks then refuse). */
#include "fake_fcgi.h"
#include "common/log.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void in_fill(FCGX_Stream *s)
{
  s->isClosed = 1; /* the whole body was in the one buffer */
}

static void out_empty(FCGX_Stream *s, int do_close)
{
  struct fake_fcgi *f = s->data;
  (void)do_close;
  f->out_overflow = true;
  s->wrNext = f->out_buf; /* keep writing somewhere; the answer is refused */
}

void fake_fcgi_init(struct fake_fcgi *f, struct request *rq, const uint8_t *body, size_t body_len)
{
  log_set_level(LOG_WARN); /* no info line per refused input (CLIENT_FAULT) */
  memset(f, 0, sizeof *f);
  f->body = malloc(body_len ? body_len : 1);
  if (body_len)
    memcpy(f->body, body, body_len);
  f->in.rdNext = f->in.stopUnget = f->body;
  f->in.stop = f->body + body_len;
  f->in.wrNext = f->in.stop;
  f->in.isReader = 1;
  f->in.fillBuffProc = in_fill;
  f->out.wrNext = f->out.rdNext = f->out_buf;
  f->out.stop = f->out_buf + FAKE_OUT_CAP;
  f->out.emptyBuffProc = out_empty;
  f->out.data = f;
  f->fcgx.in = &f->in;
  f->fcgx.out = &f->out;
  f->fcgx.envp = f->envp;
  memset(rq, 0, sizeof *rq);
  rq->fcgx = &f->fcgx;
}

void fake_fcgi_param(struct fake_fcgi *f, const char *name, const char *value, size_t len)
{
  if (f->n_params >= FAKE_MAX_PARAMS)
    abort();
  size_t vlen = strnlen(value, len), nlen = strlen(name);
  char *p = malloc(nlen + 1 + vlen + 1);
  memcpy(p, name, nlen);
  p[nlen] = '=';
  memcpy(p + nlen + 1, value, vlen);
  p[nlen + 1 + vlen] = '\0';
  f->envp[f->n_params++] = p;
}

void fake_fcgi_free(struct fake_fcgi *f, struct request *rq)
{
  for (int i = 0; i < f->n_params; i++)
    free(f->envp[i]);
  free(f->body);
  request_reset(rq);
  rq->fcgx = NULL;
}

void fake_fcgi_clear_answer(struct fake_fcgi *f)
{
  f->out.wrNext = f->out_buf;
  f->out_overflow = false;
}

bool fake_has_card_like_run(const char *s)
{
  size_t i = 0;

  while (s[i]) {
    if (!isdigit((unsigned char)s[i])) {
      i++;
      continue;
    }
    size_t start = i, digits = 0;
    for (;;) {
      if (isdigit((unsigned char)s[i])) {
        digits++;
        i++;
      } else if ((s[i] == ' ' || s[i] == '-') && isdigit((unsigned char)s[i + 1])) {
        i++;
      } else {
        break;
      }
    }
    bool in_word = (start > 0 && isalpha((unsigned char)s[start - 1])) || isalpha((unsigned char)s[i]);
    if (digits >= 12 && !in_word)
      return true;
  }
  return false;
}

/* The value of a head line "Name: value" (up to its CR), or NULL. */
static const char *head_value(const char *head, const char *name, char *out, size_t outlen)
{
  size_t n = strlen(name);
  for (const char *p = head; p && *p; p = strstr(p, "\r\n") ? strstr(p, "\r\n") + 2 : NULL) {
    if (strncmp(p, name, n) == 0 && p[n] == ':' && p[n + 1] == ' ') {
      size_t len = strcspn(p + n + 2, "\r");
      snprintf(out, outlen, "%.*s", (int)len, p + n + 2);
      return out;
    }
  }
  return NULL;
}

static void check_problem(const json_t *body, int status, char *code, size_t code_len)
{
  const char *members[] = { "type", "title", "code", "detail", "request_id" };
  for (size_t i = 0; i < sizeof members / sizeof *members; i++)
    if (!json_is_string(json_object_get(body, members[i])))
      abort(); /* a problem lacks a member */
  if (json_integer_value(json_object_get(body, "status")) != status)
    abort(); /* body and head disagree */
  if (fake_has_card_like_run(json_string_value(json_object_get(body, "detail"))))
    abort(); /* pan_scrub missed a card number */
  snprintf(code, code_len, "%s", json_string_value(json_object_get(body, "code")));
}

int fake_fcgi_answer(struct fake_fcgi *f, char *code, size_t code_len)
{
  size_t n = (size_t)(f->out.wrNext - f->out_buf);
  char value[128];
  int status;

  snprintf(code, code_len, "%s", "");
  if (n == 0 && !f->out_overflow)
    return 0;
  if (f->out_overflow)
    abort(); /* an answer over 64 KiB */
  f->out_buf[n] = '\0';
  char *text = (char *)f->out_buf;
  char *end = strstr(text, "\r\n\r\n");
  if (!end)
    abort(); /* no head */
  *end = '\0';
  const char *body_text = end + 4;
  if (sscanf(text, "Status: %d\r\n", &status) != 1 || status < 200 || status > 599)
    abort();
  if (!head_value(text, "Content-Length", value, sizeof value) || strtoul(value, NULL, 10) != strlen(body_text))
    abort(); /* (also what a second answer looks like) */
  if (!head_value(text, "Content-Type", value, sizeof value))
    abort();
  json_t *body = json_loads(body_text, JSON_REJECT_DUPLICATES, NULL);
  if (!json_is_object(body))
    abort(); /* every answer is a JSON object */
  if (strcmp(value, "application/problem+json") == 0)
    check_problem(body, status, code, code_len);
  else if (strcmp(value, "application/json") != 0)
    abort();
  json_decref(body);
  *end = '\r';
  return status;
}
