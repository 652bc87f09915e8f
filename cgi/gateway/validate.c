/* validate.c — checks JSON values against field tables (see validate.h). */
#include "gateway/validate.h"
#include "gateway/reply.h"
#include "common/utf8.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static bool all_chars_in(const char *s, bool (*ok)(unsigned char))
{
  for (; *s; s++)
    if (!ok((unsigned char)*s))
      return false;
  return true;
}

static bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static bool is_code(unsigned char c)
{
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-';
}
static bool is_printable(unsigned char c) { return c >= 0x20 && c != 0x7f; }

int parse_rfc3339(const char *text, int64_t *out)
{
  struct tm tm = { 0 };
  int consumed = 0;

  if (sscanf(text, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
             &tm.tm_min, &tm.tm_sec, &consumed) != 6 || consumed != 19)
    return -1;
  const char *rest = text + consumed;
  if (*rest == '.') {
    rest++;
    if (!is_digit((unsigned char)*rest))
      return -1;
    while (is_digit((unsigned char)*rest))
      rest++;
  }
  if (strcmp(rest, "Z") != 0 || tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31
      || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
    return -1;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  *out = (int64_t)timegm(&tm);
  return 0;
}

static int check_text(const struct field *f, const char *s, const char *path, char *err, size_t errlen)
{
  long chars = utf8_count(s);     /* Jansson has refused text that is not UTF-8 already */
  int64_t ignored;

  if (chars < 0) {
    snprintf(err, errlen, "%s is not valid UTF-8", path);
    return -1;
  }
  size_t len = (size_t)chars;

  if (len < f->min_len || (f->max_len && len > f->max_len)) {
    snprintf(err, errlen, "%s must be %zu to %zu characters long, got %zu", path, f->min_len,
             f->max_len, len);
    return -1;
  }
  bool ok = true;
  switch (f->type) {
  case FIELD_DIGITS: ok = all_chars_in(s, is_digit); break;
  case FIELD_CODE: ok = all_chars_in(s, is_code); break;
  case FIELD_B64URL: ok = all_chars_in(s, is_code) && strlen(s) % 4 != 1; break;
  case FIELD_TIME: ok = parse_rfc3339(s, &ignored) == 0; break;
  default: ok = all_chars_in(s, is_printable); break;
  }
  if (!ok) {
    static const char *const what[] = { [FIELD_DIGITS] = "only digits", [FIELD_CODE] = "only letters, digits, '_' and '-'",
                                        [FIELD_B64URL] = "base64url text", [FIELD_TIME] = "an RFC 3339 UTC time" };
    snprintf(err, errlen, "%s must be %s", path, f->type < sizeof what / sizeof *what && what[f->type] ? what[f->type] : "printable text");
    return -1;
  }
  return 0;
}

static int check_array(const struct field *f, const json_t *v, const char *path, char *err, size_t errlen)
{
  size_t n = json_array_size(v), i;
  json_t *item;
  char item_path[200];

  if (n < f->min_len || (f->max_len && n > f->max_len)) {
    snprintf(err, errlen, "%s must have %zu to %zu items, got %zu", path, f->min_len, f->max_len, n);
    return -1;
  }
  json_array_foreach(v, i, item) {
    snprintf(item_path, sizeof item_path, "%s[%zu]", path, i);
    if (!json_is_object(item)) {
      snprintf(err, errlen, "%s must be an object", item_path);
      return -1;
    }
    if (validate_object(item, f->members, item_path, err, errlen) != 0)
      return -1;
  }
  return 0;
}

static int check_field(const struct field *f, const json_t *v, const char *path, char *err, size_t errlen)
{
  switch (f->type) {
  case FIELD_INT:
    if (!json_is_integer(v)) {
      snprintf(err, errlen, "%s must be an integer", path);
      return -1;
    }
    if (json_integer_value(v) < f->min || json_integer_value(v) > f->max) {
      snprintf(err, errlen, "%s must be between %lld and %lld, got %lld", path, (long long)f->min,
               (long long)f->max, (long long)json_integer_value(v));
      return -1;
    }
    return 0;
  case FIELD_BOOL:
    if (!json_is_boolean(v)) {
      snprintf(err, errlen, "%s must be true or false", path);
      return -1;
    }
    return 0;
  case FIELD_OBJECT:
    if (!json_is_object(v)) {
      snprintf(err, errlen, "%s must be an object", path);
      return -1;
    }
    return validate_object(v, f->members, path, err, errlen);
  case FIELD_ARRAY:
    if (!json_is_array(v)) {
      snprintf(err, errlen, "%s must be an array", path);
      return -1;
    }
    return check_array(f, v, path, err, errlen);
  default:
    if (!json_is_string(v)) {
      snprintf(err, errlen, "%s must be a string", path);
      return -1;
    }
    return check_text(f, json_string_value(v), path, err, errlen);
  }
}

static const struct field *find_field(const struct field *spec, const char *name)
{
  for (; spec->name; spec++)
    if (strcmp(spec->name, name) == 0)
      return spec;
  return NULL;
}

static void join_path(char *out, size_t outlen, const char *path, const char *name)
{
  if (path && *path)
    snprintf(out, outlen, "%s.%s", path, name);
  else
    snprintf(out, outlen, "%s", name);
}

int validate_object(const json_t *value, const struct field *spec, const char *path, char *err, size_t errlen)
{
  const char *key;
  json_t *member;
  char member_path[160];

  json_object_foreach((json_t *)value, key, member) {
    join_path(member_path, sizeof member_path, path, key);
    if (!find_field(spec, key)) {
      snprintf(err, errlen, "%.100s is not a known field", member_path);
      return -1;
    }
  }
  for (const struct field *f = spec; f->name; f++) {
    join_path(member_path, sizeof member_path, path, f->name);
    member = json_object_get(value, f->name);
    if (!member || json_is_null(member)) {
      if (f->required) {
        snprintf(err, errlen, "%s is required", member_path);
        return -1;
      }
      continue;
    }
    if (check_field(f, member, member_path, err, errlen) != 0)
      return -1;
  }
  return 0;
}

int parse_json_body(struct request *rq, const struct field *spec, json_t **out)
{
  json_error_t jerr;
  char err[256];
  const char *ctype = request_header(rq, "CONTENT_TYPE");

  *out = NULL;
  if (!ctype || strncmp(ctype, "application/json", 16) != 0) {
    reply_problem(rq, PROBLEM_UNSUPPORTED_MEDIA_TYPE, "content type must be application/json, got %.60s",
                  ctype ? ctype : "none");
    return -1;
  }
  json_t *body = json_loadb(rq->body, rq->body_len, JSON_REJECT_DUPLICATES, &jerr);
  if (!body) {
    reply_problem(rq, PROBLEM_BAD_JSON, "malformed JSON at line %d column %d: %.100s", jerr.line,
                  jerr.column, jerr.text);
    return -1;
  }
  if (!json_is_object(body)) {
    json_decref(body);
    reply_problem(rq, PROBLEM_BAD_JSON, "the body must be a JSON object");
    return -1;
  }
  if (validate_object(body, spec, "", err, sizeof err) != 0) {
    json_decref(body);
    reply_problem(rq, PROBLEM_INVALID_FIELD, "%s", err);
    return -1;
  }
  *out = body;
  return 0;
}
