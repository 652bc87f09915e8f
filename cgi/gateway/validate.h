/* validate.h — declarative request bodies that bind: each endpoint writes the
 * shape it accepts as a table of fields, one row per member, and one function
 * checks types, bounds and patterns, refuses unknown members and fills the
 * endpoint's struct (each row says where its value goes, by offsetof), so a
 * handler reads its struct and never looks a member up by name again (GNU
 * Taler's GNUNET_JSON_spec_* fill variables the same way):
 *
 *   static const struct field item_spec[] = {
 *     { .name = "quantity", .type = FIELD_INT, .required = true, .min = 1, .max = 9999,
 *       .offset = offsetof(struct item, quantity) },
 *     { 0 }
 *   };
 *
 * What each type fills (the member at .offset):
 *   FIELD_STRING, _DIGITS, _CODE, _B64URL   const char *  (points into the parsed
 *                                           body: valid while the caller holds it)
 *   FIELD_TIME                              struct field_time (its text and seconds)
 *   FIELD_INT                               int64_t
 *   FIELD_BOOL                              bool
 *   FIELD_OBJECT                            a struct, filled by .members (whose
 *                                           offsets are within it); .size its size
 *   FIELD_ARRAY                             an array of structs, each filled by
 *                                           .members; .size the whole array's size,
 *                                           .item_size one item's, .count_offset
 *                                           where the item count (size_t) goes
 * A member absent or null leaves its member as the caller set it (zero, or a
 * default).  validate_spec_problem() says whether a table keeps these rules;
 * the unit tests run it on every endpoint's table. */
#ifndef PAYGW_VALIDATE_H
#define PAYGW_VALIDATE_H

#include "gateway/request.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum field_type {
  FIELD_STRING, /* any printable UTF-8 text within min_len..max_len */
  FIELD_DIGITS, /* ASCII digits only */
  FIELD_CODE,   /* [A-Za-z0-9_-] only: IDs, currency codes, methods */
  FIELD_B64URL, /* base64url without padding */
  FIELD_INT,    /* JSON integer within min..max */
  FIELD_BOOL,
  FIELD_OBJECT, /* checked against `members` */
  FIELD_ARRAY,  /* of objects checked against `members`, min_len..max_len items */
  FIELD_TIME,   /* RFC 3339 UTC text, e.g. 2026-11-25T08:00:00Z */
};

/* What a FIELD_TIME fills: the text as sent (a signature may cover it) and
 * the time it names. */
struct field_time {
  const char *text;
  int64_t at; /* seconds since the epoch */
};

struct field {
  const char *name;
  enum field_type type;
  bool required;
  size_t min_len, max_len;     /* text length in characters, or array item count */
  int64_t min, max;            /* FIELD_INT bounds */
  const struct field *members; /* FIELD_OBJECT / FIELD_ARRAY items; ends with { 0 } */
  size_t offset;               /* where the value goes in the struct being filled */
  size_t size;                 /* FIELD_OBJECT: the struct's size; FIELD_ARRAY: the array's */
  size_t item_size;            /* FIELD_ARRAY: one item's size */
  size_t count_offset;         /* FIELD_ARRAY: where the item count (size_t) goes */
};

/* The size of a member, for .size: FIELD_SIZEOF(struct transaction_body, items). */
#define FIELD_SIZEOF(type, member) sizeof(((type *)0)->member)

/* Checks `value` (an object) against spec and fills `out` (the struct the
 * table's offsets are within; NULL only checks).  Returns 0; -1 with a
 * message naming the offending field (by JSON path, never its value) in err;
 * -2 when the table itself is wrong (an array longer than its room), a bug
 * with the reason in err. */
int validate_object(const json_t *value, const struct field *spec, void *out, const char *path, char *err,
                    size_t errlen);

/* Parses rq->body as JSON, validates it and fills `out` (see above).  On
 * failure answers the problem (415, 400, or 500 for a table that is wrong)
 * and returns -1; on success returns 0 and *body holds the parsed body the
 * text members of `out` point into (the caller decrefs it after its last
 * use of them). */
int parse_json_body(struct request *rq, const struct field *spec, void *out, json_t **body);

/* Whether a table keeps the rules above (offsets of the rows of one table
 * do not overlap, an array's room holds max_len items, text bounds are
 * sane, OBJECT and ARRAY rows have members).  Returns NULL, or what is
 * wrong (static text naming the row).  `size` is the struct's size. */
const char *validate_spec_problem(const struct field *spec, size_t size);

/* How many bytes a row fills at its offset in the struct it binds. */
size_t field_width(const struct field *f);

/* Parses an RFC 3339 "YYYY-MM-DDTHH:MM:SSZ" (optionally with fractional
 * seconds) into seconds since the epoch.  Returns 0 or -1. */
int parse_rfc3339(const char *text, int64_t *out);

#endif
