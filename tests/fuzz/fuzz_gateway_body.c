/* fuzz_gateway_body.c — libFuzzer harness: a request body as each POST
 * endpoint of the gateway reads it.  The first byte picks the endpoint (its
 * field table, endpoints.h) and the Content-Type; the rest is the body,
 * handed to the gateway's own parse_json_body through a fake FastCGI
 * request (fake_fcgi.h).  The outcome is compared with what the table
 * says, worked out here independently: a body that is not a JSON object is
 * 400 bad_json, one that breaks the table 400 invalid_field, another type
 * 415 — each one well-formed problem+json answer with no card number in
 * it — and a body that keeps the table is accepted with no answer, its
 * endpoint's struct (bodies.h) holds every member the body has and nothing
 * where it has none (the struct starts filled with a pattern that absent
 * members must leave alone), and what the handler goes on to rely on holds
 * (totals within the limit, times that parse).  Seeds:
 * tests/fuzz/corpus/gateway_body/. */
#include "fake_fcgi.h"
#include "gateway/bodies.h"
#include "gateway/money.h"
#include "gateway/validate.h"
#include "common/utf8.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct field *const specs[] = {
  transaction_spec, device_auth_spec, confirmation_spec, method_spec, cancel_spec, token_reply_spec, refund_spec,
};
#define N_SPECS (sizeof specs / sizeof *specs)

static const char *const content_types[] = {
  "application/json",
  "application/json; charset=utf-8",
  "text/plain",
  NULL,
};

/* --- the field table's rules, written out again ------------------------ */

static bool only(const char *s, const char *set)
{
  return strspn(s, set) == strlen(s);
}

#define CODE_CHARS "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_-"

static bool text_keeps(const struct field *f, const char *s)
{
  long len = utf8_count(s); /* its own unit test: tests/unit/test_utf8.c */
  int64_t t;

  if (len < 0 || (size_t)len < f->min_len || (f->max_len && (size_t)len > f->max_len))
    return false;
  switch (f->type) {
  case FIELD_DIGITS:
    return only(s, "0123456789");
  case FIELD_CODE:
    return only(s, CODE_CHARS);
  case FIELD_B64URL:
    return only(s, CODE_CHARS) && strlen(s) % 4 != 1;
  case FIELD_TIME:
    return parse_rfc3339(s, &t) == 0;
  default:
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
      if (*p < 0x20 || *p == 0x7f)
        return false;
    return true;
  }
}

static bool keeps(const json_t *o, const struct field *spec);

static bool member_keeps(const struct field *f, const json_t *v)
{
  switch (f->type) {
  case FIELD_INT:
    return json_is_integer(v) && json_integer_value(v) >= f->min && json_integer_value(v) <= f->max;
  case FIELD_BOOL:
    return json_is_boolean(v);
  case FIELD_OBJECT:
    return keeps(v, f->members);
  case FIELD_ARRAY: {
    size_t i, n = json_array_size(v);
    json_t *item;
    if (!json_is_array(v) || n < f->min_len || (f->max_len && n > f->max_len))
      return false;
    json_array_foreach (v, i, item)
      if (!keeps(item, f->members))
        return false;
    return true;
  }
  default:
    return json_is_string(v) && text_keeps(f, json_string_value(v));
  }
}

static bool keeps(const json_t *o, const struct field *spec)
{
  const char *key;
  json_t *v;

  if (!json_is_object(o))
    return false;
  json_object_foreach ((json_t *)o, key, v) {
    const struct field *f = spec;
    while (f->name && strcmp(f->name, key) != 0)
      f++;
    if (!f->name)
      return false; /* unknown members are refused */
  }
  for (const struct field *f = spec; f->name; f++) {
    v = json_object_get(o, f->name);
    if (!v || json_is_null(v)) {
      if (f->required)
        return false;
      continue;
    }
    if (!member_keeps(f, v))
      return false;
  }
  return true;
}

/* --- what the binding filled ------------------------------------------ */

#define PATTERN 0xa5 /* what the struct starts as */

union any_body {
  struct transaction_body transaction;
  struct device_auth_body device_auth;
  struct confirmation_body confirmation;
  struct method_body method;
  struct cancel_body cancel;
  struct token_reply_body token_reply;
  struct refund_body refund;
};

static bool untouched(const void *p, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (((const unsigned char *)p)[i] != PATTERN)
      return false;
  return true;
}

static void check_bound(const json_t *o, const struct field *spec, const char *base);

/* The member a row filled holds the body's value (the same string, not a
 * copy: the handler's pointers live as long as the body). */
static void check_member(const struct field *f, const json_t *v, const char *at)
{
  int64_t t;

  switch (f->type) {
  case FIELD_INT:
    if (*(const int64_t *)at != json_integer_value(v))
      abort();
    break;
  case FIELD_BOOL:
    if (*(const bool *)at != json_is_true(v))
      abort();
    break;
  case FIELD_OBJECT:
    check_bound(v, f->members, at);
    break;
  case FIELD_ARRAY:
    if (*(const size_t *)(at - f->offset + f->count_offset) != json_array_size(v))
      abort();
    for (size_t i = 0; i < json_array_size(v); i++)
      check_bound(json_array_get(v, i), f->members, at + i * f->item_size);
    break;
  case FIELD_TIME:
    if (((const struct field_time *)at)->text != json_string_value(v) || parse_rfc3339(json_string_value(v), &t) != 0
        || ((const struct field_time *)at)->at != t)
      abort();
    break;
  default:
    if (*(const char *const *)at != json_string_value(v))
      abort();
  }
}

static void check_bound(const json_t *o, const struct field *spec, const char *base)
{
  for (const struct field *f = spec; f->name; f++) {
    const json_t *v = json_object_get(o, f->name);
    if (v && !json_is_null(v))
      check_member(f, v, base + f->offset);
    else if (!untouched(base + f->offset, field_width(f)))
      abort(); /* an absent member was written */
  }
}

/* --- what the handlers rely on after the table ------------------------- */

static void check_accepted(const struct field *spec, const union any_body *b)
{
  if (spec == transaction_spec) {
    int64_t total, tax;
    if (items_total(b->transaction.items, b->transaction.n_items, &total, &tax) == 0
        && (total < 0 || total > MONEY_MAX_TOTAL || tax < 0 || tax > total))
      abort(); /* a total out of its bounds */
  } else if (spec == device_auth_spec) {
    /* ep_device_auth_post.c reads both times as bound, without checking again */
    int64_t t;
    const struct auth_result *r = &b->device_auth.auth_result;
    if (parse_rfc3339(r->verified_at.text, &t) != 0 || t != r->verified_at.at
        || parse_rfc3339(r->expires_at.text, &t) != 0 || t != r->expires_at.at)
      abort();
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct fake_fcgi *f = malloc(sizeof *f);
  union any_body *out = malloc(sizeof *out);
  struct request rq;
  char code[64];
  json_t *body = NULL;

  if (size < 1) {
    free(f);
    free(out);
    return 0;
  }
  memset(out, PATTERN, sizeof *out);
  const struct field *spec = specs[(data[0] & 7) % N_SPECS];
  const char *ctype = content_types[(data[0] >> 3) & 3];
  fake_fcgi_init(f, &rq, data + 1, size - 1);
  fake_fcgi_param(f, "REQUEST_METHOD", "POST", 4);
  fake_fcgi_param(f, "DOCUMENT_URI", "/v1/fuzz", 8);
  if (ctype)
    fake_fcgi_param(f, "CONTENT_TYPE", ctype, strlen(ctype));
  if (request_read(&rq, 65536) != 0)
    abort(); /* the body fits: nothing to refuse here */

  int rc = parse_json_body(&rq, spec, out, &body);
  int status = fake_fcgi_answer(f, code, sizeof code);
  json_t *mine = json_loadb(rq.body, rq.body_len, JSON_REJECT_DUPLICATES, NULL);
  const char *expect = !ctype || strcmp(ctype, "text/plain") == 0 ? "unsupported_media_type"
                       : !json_is_object(mine)                    ? "bad_json"
                       : !keeps(mine, spec)                       ? "invalid_field"
                                                                  : NULL;
  if (expect) {
    if (rc == 0 || body || strcmp(code, expect) != 0 || status != (*expect == 'u' ? 415 : 400))
      abort(); /* refused otherwise than the table says */
  } else {
    if (rc != 0 || !json_is_object(body) || status != 0)
      abort(); /* a body that keeps the table was refused */
    check_bound(body, spec, (const char *)out);
    check_accepted(spec, out);
  }
  json_decref(mine);
  json_decref(body);
  fake_fcgi_free(f, &rq);
  free(f);
  free(out);
  return 0;
}
