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

static bool is_digit(unsigned char c)
{
  return c >= '0' && c <= '9';
}
static bool is_code(unsigned char c)
{
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-';
}
static bool is_printable(unsigned char c)
{
  return c >= 0x20 && c != 0x7f;
}

int parse_rfc3339(const char *text, int64_t *out)
{
  struct tm tm = { 0 };
  int consumed = 0;

  if (sscanf(text, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
             &tm.tm_sec, &consumed)
          != 6
      || consumed != 19)
    return -1;
  const char *rest = text + consumed;
  if (*rest == '.') {
    rest++;
    if (!is_digit((unsigned char)*rest))
      return -1;
    while (is_digit((unsigned char)*rest))
      rest++;
  }
  if (strcmp(rest, "Z") != 0 || tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23
      || tm.tm_min > 59 || tm.tm_sec > 60)
    return -1;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  *out = (int64_t)timegm(&tm);
  return 0;
}

static int check_text(const struct field *f, const char *s, const char *path, char *err, size_t errlen)
{
  long chars = utf8_count(s); /* Jansson has refused text that is not UTF-8 already */
  int64_t ignored;

  if (chars < 0) {
    snprintf(err, errlen, "%s is not valid UTF-8", path);
    return -1;
  }
  size_t len = (size_t)chars;

  if (len < f->min_len || (f->max_len && len > f->max_len)) {
    snprintf(err, errlen, "%s must be %zu to %zu characters long, got %zu", path, f->min_len, f->max_len, len);
    return -1;
  }
  bool ok = true;
  switch (f->type) {
  case FIELD_DIGITS:
    ok = all_chars_in(s, is_digit);
    break;
  case FIELD_CODE:
    ok = all_chars_in(s, is_code);
    break;
  case FIELD_B64URL:
    ok = all_chars_in(s, is_code) && strlen(s) % 4 != 1;
    break;
  case FIELD_TIME:
    ok = parse_rfc3339(s, &ignored) == 0;
    break;
  default:
    ok = all_chars_in(s, is_printable);
    break;
  }
  if (!ok) {
    static const char *const what[] = { [FIELD_DIGITS] = "only digits",
                                        [FIELD_CODE] = "only letters, digits, '_' and '-'",
                                        [FIELD_B64URL] = "base64url text",
                                        [FIELD_TIME] = "an RFC 3339 UTC time" };
    snprintf(err, errlen, "%s must be %s", path,
             f->type < sizeof what / sizeof *what && what[f->type] ? what[f->type] : "printable text");
    return -1;
  }
  return 0;
}

/* The member a row fills, within the struct `out` (NULL: only checking). */
static void *slot(void *out, const struct field *f)
{
  return out ? (char *)out + f->offset : NULL;
}

static int check_array(const struct field *f, const json_t *v, void *out, const char *path, char *err, size_t errlen)
{
  size_t n = json_array_size(v), i;
  json_t *item;
  char item_path[200];

  if (n < f->min_len || (f->max_len && n > f->max_len)) {
    snprintf(err, errlen, "%s must have %zu to %zu items, got %zu", path, f->min_len, f->max_len, n);
    return -1;
  }
  if (out && (f->item_size == 0 || n > f->size / f->item_size)) {
    snprintf(err, errlen, "the table gives %s room for %zu items, fewer than %zu", path,
             f->item_size ? f->size / f->item_size : 0, n);
    return -2; /* validate_spec_problem() would have said so */
  }
  json_array_foreach (v, i, item) {
    snprintf(item_path, sizeof item_path, "%s[%zu]", path, i);
    if (!json_is_object(item)) {
      snprintf(err, errlen, "%s must be an object", item_path);
      return -1;
    }
    void *item_out = out ? (char *)slot(out, f) + i * f->item_size : NULL;
    int rc = validate_object(item, f->members, item_out, item_path, err, errlen);
    if (rc != 0)
      return rc;
  }
  if (out)
    *(size_t *)((char *)out + f->count_offset) = n;
  return 0;
}

/* Checks text and, when out, fills the const char * or struct field_time. */
static int bind_text(const struct field *f, const json_t *v, void *out, const char *path, char *err, size_t errlen)
{
  if (!json_is_string(v)) {
    snprintf(err, errlen, "%s must be a string", path);
    return -1;
  }
  const char *s = json_string_value(v);
  if (check_text(f, s, path, err, errlen) != 0)
    return -1;
  if (out && f->type == FIELD_TIME) {
    struct field_time *t = slot(out, f);
    t->text = s;
    parse_rfc3339(s, &t->at); /* check_text parsed it already */
  } else if (out) {
    *(const char **)slot(out, f) = s;
  }
  return 0;
}

static int check_field(const struct field *f, const json_t *v, void *out, const char *path, char *err, size_t errlen)
{
  switch (f->type) {
  case FIELD_INT:
    if (!json_is_integer(v)) {
      snprintf(err, errlen, "%s must be an integer", path);
      return -1;
    }
    if (json_integer_value(v) < f->min || json_integer_value(v) > f->max) {
      snprintf(err, errlen, "%s must be between %lld and %lld, got %lld", path, (long long)f->min, (long long)f->max,
               (long long)json_integer_value(v));
      return -1;
    }
    if (out)
      *(int64_t *)slot(out, f) = (int64_t)json_integer_value(v);
    return 0;
  case FIELD_BOOL:
    if (!json_is_boolean(v)) {
      snprintf(err, errlen, "%s must be true or false", path);
      return -1;
    }
    if (out)
      *(bool *)slot(out, f) = json_is_true(v);
    return 0;
  case FIELD_OBJECT:
    if (!json_is_object(v)) {
      snprintf(err, errlen, "%s must be an object", path);
      return -1;
    }
    return validate_object(v, f->members, slot(out, f), path, err, errlen);
  case FIELD_ARRAY:
    if (!json_is_array(v)) {
      snprintf(err, errlen, "%s must be an array", path);
      return -1;
    }
    return check_array(f, v, out, path, err, errlen);
  default:
    return bind_text(f, v, out, path, err, errlen);
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

int validate_object(const json_t *value, const struct field *spec, void *out, const char *path, char *err,
                    size_t errlen)
{
  const char *key;
  json_t *member;
  char member_path[160];

  json_object_foreach ((json_t *)value, key, member) {
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
    int rc = check_field(f, member, out, member_path, err, errlen);
    if (rc != 0)
      return rc;
  }
  return 0;
}

int parse_json_body(struct request *rq, const struct field *spec, void *out, json_t **body)
{
  json_error_t jerr;
  char err[256];
  const char *ctype = request_header(rq, "CONTENT_TYPE");

  *body = NULL;
  if (!ctype || strncmp(ctype, "application/json", 16) != 0) {
    CLIENT_FAULT(rq, PROBLEM_UNSUPPORTED_MEDIA_TYPE, "content type must be application/json, got %.60s",
                 ctype ? ctype : "none");
    return -1;
  }
  json_t *parsed = json_loadb(rq->body, rq->body_len, JSON_REJECT_DUPLICATES, &jerr);
  if (!parsed) {
    CLIENT_FAULT(rq, PROBLEM_BAD_JSON, "malformed JSON at line %d column %d: %.100s", jerr.line, jerr.column,
                 jerr.text);
    return -1;
  }
  if (!json_is_object(parsed)) {
    json_decref(parsed);
    CLIENT_FAULT(rq, PROBLEM_BAD_JSON, "the body must be a JSON object");
    return -1;
  }
  int rc = validate_object(parsed, spec, out, "", err, sizeof err);
  if (rc != 0) {
    json_decref(parsed);
    if (rc == -2)
      BUG(rq, "%s", err);
    else
      CLIENT_FAULT(rq, PROBLEM_INVALID_FIELD, "%s", err);
    return -1;
  }
  *body = parsed;
  return 0;
}

/* --- the table's own rules (validate_spec_problem) ----------------------- */

struct region {
  size_t from, to;
  const char *name;
};

size_t field_width(const struct field *f)
{
  switch (f->type) {
  case FIELD_INT:
    return sizeof(int64_t);
  case FIELD_BOOL:
    return sizeof(bool);
  case FIELD_TIME:
    return sizeof(struct field_time);
  case FIELD_OBJECT:
  case FIELD_ARRAY:
    return f->size;
  default:
    return sizeof(const char *);
  }
}

static const char *row_problem(const struct field *f)
{
  bool text = f->type != FIELD_INT && f->type != FIELD_BOOL && f->type != FIELD_OBJECT && f->type != FIELD_ARRAY;

  if ((text || f->type == FIELD_ARRAY) && f->max_len && f->min_len > f->max_len)
    return "min_len is over max_len";
  if (f->type == FIELD_INT && f->min > f->max)
    return "min is over max";
  if ((f->type == FIELD_OBJECT || f->type == FIELD_ARRAY) && (!f->members || !f->size))
    return "an object or array row needs members and a size";
  if (f->type == FIELD_ARRAY && (!f->item_size || !f->max_len || f->max_len > f->size / f->item_size))
    return "an array row needs room for max_len items of item_size";
  return NULL;
}

const char *validate_spec_problem(const struct field *spec, size_t size)
{
  static char why[160];
  struct region regions[64];
  size_t n = 0;

  for (const struct field *f = spec; f->name; f++) {
    const char *problem = row_problem(f);
    if (!problem && (f->offset + field_width(f) > size || n + 2 > sizeof regions / sizeof *regions))
      problem = "its member lies outside the struct";
    if (!problem && f->type == FIELD_ARRAY && f->count_offset + sizeof(size_t) > size)
      problem = "its count lies outside the struct";
    if (!problem && find_field(spec, f->name) != f)
      problem = "the name is used twice";
    if (!problem && (f->type == FIELD_OBJECT || f->type == FIELD_ARRAY)) {
      const char *inner = validate_spec_problem(f->members, f->type == FIELD_OBJECT ? f->size : f->item_size);
      if (inner)
        return inner; /* names the inner row already */
    }
    if (problem) {
      snprintf(why, sizeof why, "field %s: %s", f->name, problem);
      return why;
    }
    regions[n++] = (struct region){ .from = f->offset, .to = f->offset + field_width(f), .name = f->name };
    if (f->type == FIELD_ARRAY)
      regions[n++] =
          (struct region){ .from = f->count_offset, .to = f->count_offset + sizeof(size_t), .name = f->name };
  }
  for (size_t i = 0; i < n; i++)
    for (size_t j = i + 1; j < n; j++)
      if (regions[i].from < regions[j].to && regions[j].from < regions[i].to) {
        snprintf(why, sizeof why, "fields %s and %s fill the same bytes (an .offset left out?)", regions[i].name,
                 regions[j].name);
        return why;
      }
  return NULL;
}
