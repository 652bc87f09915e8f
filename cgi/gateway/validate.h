/* validate.h — declarative request bodies: each endpoint writes the shape it
 * accepts as a table of fields, and one function checks types, bounds,
 * patterns and refuses unknown members.  Handlers then only see values that
 * are already well formed. */
#ifndef PAYGW_VALIDATE_H
#define PAYGW_VALIDATE_H

#include "gateway/request.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

enum field_type {
  FIELD_STRING,     /* any printable UTF-8 text within min_len..max_len */
  FIELD_DIGITS,     /* ASCII digits only */
  FIELD_CODE,       /* [A-Za-z0-9_-] only: IDs, currency codes, methods */
  FIELD_B64URL,     /* base64url without padding */
  FIELD_INT,        /* JSON integer within min..max */
  FIELD_BOOL,
  FIELD_OBJECT,     /* checked against `members` */
  FIELD_ARRAY,      /* of objects checked against `members`, min_len..max_len items */
  FIELD_TIME,       /* RFC 3339 UTC text, e.g. 2026-11-25T08:00:00Z */
};

struct field {
  const char *name;
  enum field_type type;
  bool required;
  size_t min_len, max_len;       /* text length, or array item count */
  int64_t min, max;              /* FIELD_INT bounds */
  const struct field *members;   /* FIELD_OBJECT / FIELD_ARRAY items */
};

/* Checks `value` (an object) against spec.  Returns 0, or -1 with a message
 * naming the offending field (by JSON path, never its value) in err. */
int validate_object(const json_t *value, const struct field *spec, const char *path, char *err, size_t errlen);

/* Parses rq->body as JSON and validates it.  On failure answers 400 with
 * problem+json and returns -1; on success *out holds the body (caller
 * decrefs). */
int parse_json_body(struct request *rq, const struct field *spec, json_t **out);

/* Parses an RFC 3339 "YYYY-MM-DDTHH:MM:SSZ" (optionally with fractional
 * seconds) into seconds since the epoch.  Returns 0 or -1. */
int parse_rfc3339(const char *text, int64_t *out);

#endif
