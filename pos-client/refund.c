/* refund.c — a refund at the POS (refund.h): what the clerk typed, the
 * request's body, the journal's refund lines and reading them back, and the
 * marks of refunds in flight.  The receipt and the list are refund_slip.c. */
#include "pos-client/refund.h"
#include "proxlink/clientutil.h"
#include "common/utf8.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NUMBER_CHARS "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define KEY_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

static const char *jstr(const json_t *o, const char *name)
{
  const char *v = json_string_value(json_object_get(o, name));
  return v ? v : "";
}

static bool all_of(const char *s, const char *set, size_t min, size_t max)
{
  size_t n = strlen(s);
  return n >= min && n <= max && strspn(s, set) == n;
}

int refund_set_transaction(struct pos_refund *r, const char *number, char *err, size_t errlen)
{
  if (!number || !all_of(number, NUMBER_CHARS, REFUND_NUMBER_LEN, REFUND_NUMBER_LEN)) {
    snprintf(err, errlen, "--transaction must be a transaction number: 16 characters of 0-9 and A-Z, got '%.40s'",
             number ? number : "");
    return -1;
  }
  snprintf(r->transaction, sizeof r->transaction, "%s", number);
  return 0;
}

int refund_set_amount(struct pos_refund *r, const char *text, char *err, size_t errlen)
{
  int64_t v = 0;
  size_t n = text ? strlen(text) : 0;

  for (size_t i = 0; i < n && n <= 12; i++) {
    if (text[i] < '0' || text[i] > '9') {
      n = 0;
      break;
    }
    v = v * 10 + (text[i] - '0');
  }
  if (n == 0 || n > 12 || v < 1) {
    snprintf(err, errlen, "--amount must be 1-%lld minor units (digits only), got '%.20s'", REFUND_AMOUNT_MAX,
             text ? text : "");
    return -1;
  }
  r->amount = v;
  return 0;
}

int refund_set_reason(struct pos_refund *r, const char *reason, char *err, size_t errlen)
{
  long chars = reason ? utf8_count(reason) : -1;

  if (!reason || !*reason) {
    snprintf(err, errlen, "--reason is empty");
    return -1;
  }
  if (chars < 0) {
    snprintf(err, errlen, "--reason is not valid UTF-8");
    return -1;
  }
  for (const char *p = reason; *p; p++)
    if ((unsigned char)*p < 0x20 || *p == 0x7f) {
      snprintf(err, errlen, "--reason holds a control character");
      return -1;
    }
  if (chars > REFUND_REASON_MAX || strlen(reason) >= sizeof r->reason) {
    snprintf(err, errlen, "--reason is longer than %d characters", REFUND_REASON_MAX);
    return -1;
  }
  snprintf(r->reason, sizeof r->reason, "%s", reason);
  return 0;
}

json_t *refund_request_json(const struct pos_refund *r)
{
  json_t *body = json_pack("{s:I}", "amount", (json_int_t)r->amount);
  if (body && r->reason[0])
    json_object_set_new(body, "reason", json_string(r->reason));
  return body;
}

bool refund_status_final(const char *status)
{
  static const char *const finals[] = { "completed", "declined", "failed", NULL };
  for (int i = 0; status && finals[i]; i++)
    if (strcmp(status, finals[i]) == 0)
      return true;
  return false;
}

static void set_str(json_t *o, const char *name, const char *v)
{
  if (v && *v)
    json_object_set_new(o, name, json_string(v));
}

/* Why a refund did not complete, from its decline or failure member. */
static const char *refund_end_reason(const json_t *refund)
{
  const json_t *d = json_object_get(refund, "decline");
  return jstr(d ? d : json_object_get(refund, "failure"), "reason");
}

char *refund_journal_line(const struct pos_refund *r, const char *when, const char *status, const json_t *refund,
                          const json_t *txn, const char *problem, const char *reason)
{
  json_t *line = json_pack("{s:s, s:s, s:s, s:s, s:I, s:o, s:s}", "time", when, "status", status, "transaction",
                           r->transaction, "terminal", r->terminal, "amount", (json_int_t)r->amount, "refund_reason",
                           r->reason[0] ? json_string(r->reason) : json_null(), "idempotency_key", r->key);
  if (!line)
    return NULL;
  set_str(line, "refund", jstr(refund, "id"));
  set_str(line, "kind", jstr(refund, "kind"));
  set_str(line, "currency", jstr(refund, "currency"));
  set_str(line, "response_code", jstr(refund, "response_code"));
  set_str(line, "decline_code", jstr(json_object_get(refund, "decline"), "code"));
  if (json_is_integer(json_object_get(txn, "refunded")))
    json_object_set(line, "refunded", json_object_get(txn, "refunded"));
  if (json_is_integer(json_object_get(txn, "refundable")))
    json_object_set(line, "refundable", json_object_get(txn, "refundable"));
  set_str(line, "problem", problem);
  set_str(line, "reason", reason && *reason ? reason : refund_end_reason(refund));
  char *text = json_dumps(line, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(line);
  return text;
}

int refund_from_line(const json_t *line, struct pos_refund *r)
{
  char err[160];
  const json_t *amount = json_object_get(line, "amount"), *reason = json_object_get(line, "refund_reason");

  memset(r, 0, sizeof *r);
  if (strncmp(jstr(line, "status"), "refund_", 7) != 0
      || refund_set_transaction(r, jstr(line, "transaction"), err, sizeof err) != 0 || !json_is_integer(amount)
      || json_integer_value(amount) < 1 || json_integer_value(amount) > REFUND_AMOUNT_MAX
      || !all_of(jstr(line, "idempotency_key"), KEY_CHARS, 1, 64) || !*jstr(line, "terminal")
      || strlen(jstr(line, "terminal")) >= sizeof r->terminal
      || (json_is_string(reason) && refund_set_reason(r, json_string_value(reason), err, sizeof err) != 0))
    return -1;
  r->amount = json_integer_value(amount);
  snprintf(r->key, sizeof r->key, "%s", jstr(line, "idempotency_key"));
  snprintf(r->terminal, sizeof r->terminal, "%s", jstr(line, "terminal"));
  snprintf(r->requested_at, sizeof r->requested_at, "%s", jstr(line, "time"));
  return 0;
}

void refund_open_free(struct refund_open *open, long n)
{
  for (long i = 0; open && i < n; i++)
    json_decref(open[i].line);
  free(open);
}

/* A refund_pending line opens a refund, any later line with its key ends
 * it; a line that is not a refund line is passed over. */
static int note_line(struct refund_open **open, long *n, const json_t *line)
{
  struct pos_refund r;
  long i;

  if (refund_from_line(line, &r) != 0)
    return 0;
  for (i = 0; i < *n && strcmp((*open)[i].r.key, r.key) != 0; i++)
    ;
  if (i < *n) { /* a later line of a refund already seen: it decides */
    json_decref((*open)[i].line);
    (*open)[i] = (*open)[--*n];
  }
  if (strcmp(jstr(line, "status"), "refund_pending") != 0)
    return 0;
  struct refund_open *more = realloc(*open, (size_t)(*n + 1) * sizeof *more);
  if (!more)
    return -1;
  *open = more;
  more[*n].r = r;
  more[(*n)++].line = json_incref((json_t *)line);
  return 0;
}

long refund_journal_open(FILE *journal, struct refund_open **open, char *err, size_t errlen)
{
  char *buf = NULL;
  size_t cap = 0;
  long n = 0;
  int rc = 0;

  *open = NULL;
  if (fseek(journal, 0, SEEK_SET) != 0) {
    snprintf(err, errlen, "cannot read the journal");
    return -1;
  }
  while (rc == 0 && getline(&buf, &cap, journal) > 0) {
    json_t *line = json_loads(buf, JSON_DISABLE_EOF_CHECK, NULL);
    rc = line ? note_line(open, &n, line) : 0;
    json_decref(line);
  }
  free(buf);
  if (rc != 0) {
    snprintf(err, errlen, "out of memory reading the journal");
    refund_open_free(*open, n);
    *open = NULL;
    return -1;
  }
  return n;
}

bool refund_key_still_kept(const struct pos_refund *r, time_t now)
{
  time_t at;
  return time_parse_rfc3339(r->requested_at, &at) == 0 && now - at < REFUND_KEY_KEPT_S;
}

int refund_marks_open(const char *journal, char *err, size_t errlen)
{
  char path[4200];

  snprintf(path, sizeof path, "%s.refunds", journal);
  int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    snprintf(err, errlen, "cannot open the refunds' marks %s: %s", path, strerror(errno));
  return fd;
}

/* The mark's byte: FNV-1a of the key, within 2^30 (locks may lie past the
 * end of the file).  Two keys sharing one only make recovery wait a start. */
static off_t mark_offset(const struct pos_refund *r)
{
  uint32_t h = 2166136261u;
  for (const char *p = r->key; *p; p++)
    h = (h ^ (unsigned char)*p) * 16777619u;
  return (off_t)(h & 0x3fffffffu);
}

static int lock_mark(int fd, short type, off_t at)
{
  struct flock fl = { .l_type = type, .l_whence = SEEK_SET, .l_start = at, .l_len = 1 };
  return fcntl(fd, F_OFD_SETLK, &fl);
}

int refund_hold(int marks_fd, const struct pos_refund *r)
{
  return lock_mark(marks_fd, F_WRLCK, mark_offset(r)) == 0 ? 0 : -1;
}

void refund_release(int marks_fd, const struct pos_refund *r)
{
  lock_mark(marks_fd, F_UNLCK, mark_offset(r));
}

const char *refund_terminal_code(const char *credential, char *buf, size_t len)
{
  const char *dot = credential ? strchr(credential, '.') : NULL;
  size_t n = dot ? (size_t)(dot - credential) : credential ? strlen(credential) : 0;
  snprintf(buf, len, "%.*s", (int)n, credential ? credential : "");
  return buf;
}
