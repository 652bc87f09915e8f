/* validate.c — paygw-admin's input rules (see validate.h); the database's
 * CHECK constraints repeat them, so a bug here cannot store bad data. */
#include "validate.h"

#include "common/utf8.h"
#include "proxlink/prompt.h"

#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bool all_of(const char *s, size_t max_len, bool (*ok)(char))
{
  size_t n = s ? strlen(s) : 0;

  if (n == 0 || n > max_len)
    return false;
  for (; *s; s++)
    if (!ok(*s))
      return false;
  return true;
}

static bool is_digit(char c)
{
  return c >= '0' && c <= '9';
}
static bool is_alnum(char c)
{
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static bool is_ident_char(char c)
{
  return is_alnum(c) || c == '_' || c == '-';
}

bool valid_issuer_code(const char *s)
{
  return all_of(s, 16, is_alnum);
}
bool valid_merchant_code(const char *s)
{
  return all_of(s, 15, is_digit);
}
bool valid_ident(const char *s)
{
  return all_of(s, 32, is_ident_char);
}
bool valid_iso_terminal_id(const char *s)
{
  return all_of(s, 8, is_ident_char);
}
bool valid_range_bound(const char *s)
{
  return all_of(s, PAN_MAX_LEN, is_digit);
}

/* True when s has a control character (in well-formed UTF-8 every byte
 * below 0x20, and 0x7F, is a character of its own). */
static bool has_control_char(const char *s)
{
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if (*p < 0x20 || *p == 0x7F)
      return true;
  return false;
}

bool valid_text(const char *s, size_t max_chars)
{
  long chars = s ? utf8_count(s) : -1;

  return chars > 0 && (size_t)chars <= max_chars && !has_control_char(s);
}

/* The 19-digit form of a bound: padded with `fill` like rpad() in SQL. */
static void pad19(const char *bound, char fill, char out[PAN_MAX_LEN + 1])
{
  size_t n = strlen(bound);

  memset(out, fill, PAN_MAX_LEN);
  memcpy(out, bound, n > PAN_MAX_LEN ? PAN_MAX_LEN : n);
  out[PAN_MAX_LEN] = '\0';
}

bool range_bounds_ordered(const char *low, const char *high)
{
  char l[PAN_MAX_LEN + 1], h[PAN_MAX_LEN + 1];

  pad19(low, '0', l);
  pad19(high, '9', h);
  return strcmp(l, h) <= 0;
}

bool ranges_overlap(const char *low1, const char *high1, const char *low2, const char *high2)
{
  char l1[PAN_MAX_LEN + 1], h1[PAN_MAX_LEN + 1], l2[PAN_MAX_LEN + 1], h2[PAN_MAX_LEN + 1];

  pad19(low1, '0', l1);
  pad19(high1, '9', h1);
  pad19(low2, '0', l2);
  pad19(high2, '9', h2);
  return strcmp(l1, h2) <= 0 && strcmp(l2, h1) <= 0;
}

static const struct {
  const char *token;
  size_t offset;
} method_tokens[] = {
  { "L", offsetof(struct methods, lump_sum) },  { "I", offsetof(struct methods, installments) },
  { "B", offsetof(struct methods, bonus) },     { "pB", offsetof(struct methods, partial_bonus) },
  { "R", offsetof(struct methods, revolving) },
};
#define N_METHOD_TOKENS (sizeof method_tokens / sizeof method_tokens[0])

static int method_token_set(const char *tok, size_t len, struct methods *m)
{
  for (size_t i = 0; i < N_METHOD_TOKENS; i++)
    if (strlen(method_tokens[i].token) == len && strncmp(tok, method_tokens[i].token, len) == 0) {
      *(bool *)((char *)m + method_tokens[i].offset) = true;
      return 0;
    }
  return -1;
}

int methods_parse(const char *text, struct methods *m, char *err, size_t errlen)
{
  const char *p = text;
  int count = 0;

  memset(m, 0, sizeof *m);
  while (p && *p) {
    size_t len = strcspn(p, ", ");
    if (len > 0) {
      if (len > 8 || method_token_set(p, len, m) != 0) {
        snprintf(err, errlen, "unknown payment method '%.*s' (methods are L I B pB R)", (int)(len > 8 ? 8 : len), p);
        return -1;
      }
      count++;
    }
    p += len;
    p += strspn(p, ", ");
  }
  if (count == 0) {
    snprintf(err, errlen, "at least one payment method is needed (L I B pB R)");
    return -1;
  }
  return 0;
}

void methods_format(const struct methods *m, char *out, size_t outlen)
{
  size_t used = 0;

  out[0] = '\0';
  for (size_t i = 0; i < N_METHOD_TOKENS; i++)
    if (*(const bool *)((const char *)m + method_tokens[i].offset) && used < outlen)
      used += (size_t)snprintf(out + used, outlen - used, "%s%s", used ? "," : "", method_tokens[i].token);
}

static const int allowed_counts[INSTALLMENTS_MAX] = { 2, 3, 4, 5, 6, 10, 12, 15, 18, 20, 24, 30, 36 };

static bool count_allowed(long n)
{
  for (int i = 0; i < INSTALLMENTS_MAX; i++)
    if (allowed_counts[i] == n)
      return true;
  return false;
}

static int cmp_int(const void *a, const void *b)
{
  return *(const int *)a - *(const int *)b;
}

int installments_parse(const char *text, int counts[INSTALLMENTS_MAX], char *err, size_t errlen)
{
  const char *p = text;
  int n = 0;

  while (p && *p) {
    char *end;
    if (!is_digit(*p) || *p == '0')
      goto malformed;
    long v = strtol(p, &end, 10);
    if (!count_allowed(v)) {
      snprintf(err, errlen, "installment count %ld is not allowed (2 3 4 5 6 10 12 15 18 20 24 30 36)", v);
      return -1;
    }
    for (int i = 0; i < n; i++)
      if (counts[i] == v) {
        snprintf(err, errlen, "installment count %ld is given twice", v);
        return -1;
      }
    counts[n++] = (int)v;
    if (*end == ',' && end[1] != '\0')
      end++;
    else if (*end != '\0')
      goto malformed;
    p = end;
  }
  if (n == 0)
    goto malformed;
  qsort(counts, (size_t)n, sizeof counts[0], cmp_int);
  return n;
malformed:
  snprintf(err, errlen, "installments must be a comma-separated list of counts like 3,6,12");
  return -1;
}

void installments_format(const int *counts, int n, char *out, size_t outlen)
{
  size_t used = (size_t)snprintf(out, outlen, "{");

  for (int i = 0; i < n && used < outlen; i++)
    used += (size_t)snprintf(out + used, outlen - used, "%s%d", i ? "," : "", counts[i]);
  if (used < outlen)
    snprintf(out + used, outlen - used, "}");
}

enum pan_check pan_normalize(const char *line, char out[PAN_MAX_LEN + 1])
{
  size_t n = 0;

  out[0] = '\0';
  for (const char *p = line; *p; p++) {
    if (*p == ' ' || *p == '-')
      continue;
    if (!is_digit(*p)) {
      OPENSSL_cleanse(out, PAN_MAX_LEN + 1);
      return PAN_NOT_DIGITS;
    }
    if (n == PAN_MAX_LEN) {
      OPENSSL_cleanse(out, PAN_MAX_LEN + 1);
      return PAN_BAD_LENGTH;
    }
    out[n++] = *p;
  }
  out[n] = '\0';
  if (n == 0)
    return PAN_EMPTY;
  if (n < PAN_MIN_LEN)
    return PAN_BAD_LENGTH;
  return pan_is_valid(out) ? PAN_OK : PAN_BAD_LUHN;
}

const char *pan_check_message(enum pan_check c)
{
  switch (c) {
  case PAN_OK:
    return "card number is valid";
  case PAN_EMPTY:
    return "no card number on standard input (give it as one line)";
  case PAN_NOT_DIGITS:
    return "card number must contain only digits (spaces and dashes between groups are ignored)";
  case PAN_BAD_LENGTH:
    return "card number must be 12 to 19 digits long";
  case PAN_BAD_LUHN:
    return "card number fails the Luhn check";
  }
  return "card number is invalid";
}

enum expiry_check expiry_check(const char *yymm, long now)
{
  if (!expiry_is_wellformed(yymm))
    return EXPIRY_MALFORMED;
  return expiry_has_passed(yymm, now) ? EXPIRY_PASSED : EXPIRY_OK;
}

const char *password_problem(const char *password)
{
  long chars;

  if (!password || !*password)
    return "no password on standard input (give it as one line)";
  if (strlen(password) > PASSWORD_MAX_BYTES)
    return "password is too long (at most 256 bytes)";
  if ((chars = utf8_count(password)) < 0)
    return "password is not valid UTF-8";
  if (has_control_char(password))
    return "password must not contain control characters";
  return chars < PASSWORD_MIN_CHARS ? "password must be at least 8 characters long" : NULL;
}

const char *web_password_problem(const char *password)
{
  const char *problem = password_problem(password);

  if (problem)
    return problem;
  return utf8_count(password) < WEB_PASSWORD_MIN_CHARS ? "web password must be at least 12 characters long" : NULL;
}

bool parse_row_id(const char *s, long long *id)
{
  char *end;

  if (!s || !is_digit(*s) || strlen(s) > 18)
    return false;
  *id = strtoll(s, &end, 10);
  return *end == '\0' && *id > 0;
}

int read_line(FILE *in, char *buf, size_t len)
{
  if (!fgets(buf, (int)len, in))
    return -1;
  size_t n = strlen(buf);
  bool complete = n > 0 && buf[n - 1] == '\n';
  if (!complete && !feof(in)) {
    OPENSSL_cleanse(buf, len);
    return -1;
  }
  while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
    buf[--n] = '\0';
  return 0;
}

int read_secret_line(const char *question, char *buf, size_t len)
{
  if (!isatty(STDIN_FILENO))
    return read_line(stdin, buf, len);
  /* one byte more than buf: a line that fills it is too long */
  char *line = malloc(len + 1);
  int rc = -1;

  if (!line)
    return -1;
  fputs(question, stderr);
  fflush(stderr);
  if (prompt_line("", false, line, len + 1) == 0 && strlen(line) < len) {
    memcpy(buf, line, strlen(line) + 1);
    rc = 0;
  }
  OPENSSL_cleanse(line, len + 1);
  free(line);
  return rc;
}

/* The authority of an https URL: up to the first / ? or #, not empty, no
 * "@" (no user or password). */
static bool https_host_ok(const char *after_scheme)
{
  size_t n = strcspn(after_scheme, "/?#");

  return n > 0 && memchr(after_scheme, '@', n) == NULL;
}

/* "127.0.0.1" or "localhost", an optional :port of 1-5 digits, then the
 * end or "/". */
static bool loopback_ok(const char *after_scheme)
{
  static const char *const hosts[] = { "127.0.0.1", "localhost", NULL };

  for (int i = 0; hosts[i]; i++) {
    size_t len = strlen(hosts[i]);
    if (strncmp(after_scheme, hosts[i], len) != 0)
      continue;
    const char *p = after_scheme + len;
    if (*p == ':') {
      size_t digits = strspn(p + 1, "0123456789");
      if (digits < 1 || digits > 5)
        return false;
      p += 1 + digits;
    }
    return *p == '\0' || *p == '/';
  }
  return false;
}

bool valid_webhook_url(const char *s)
{
  if (!s || !*s || strlen(s) > WEBHOOK_URL_MAX_CHARS)
    return false;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if (*p <= ' ' || *p == 0x7f)
      return false;
  if (strncmp(s, "https://", 8) == 0)
    return https_host_ok(s + 8);
  if (strncmp(s, "http://", 7) == 0)
    return loopback_ok(s + 7);
  return false;
}
