/* support.c — what every paygw-admin command leans on: messages and exit
 * statuses, one transaction per command, list printing, status updates,
 * private files and the card key file. */
#include "admin.h"

#include "common/cardcrypt.h"
#include "common/config.h"
#include "common/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int report(int status, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

static int report(int status, const char *fmt, va_list ap)
{
  char text[600];

  vsnprintf(text, sizeof text, fmt, ap);
  /* values are echoed through shown(); this catches what is quoted by
   * others (a database error repeating a value) */
  redact_card_numbers(text);
  fprintf(stderr, "paygw-admin: %s\n", text);
  /* messages never hold a secret (card numbers are never echoed) */
  log_event(status == ADMIN_INVALID ? LOG_INFO : LOG_ERROR,
            json_pack("{s:s, s:s, s:s}", "msg", status == ADMIN_INVALID ? "admin input refused" : "admin command failed",
                      "actor", adb_actor(), "detail", text));
  return status;
}

int admin_invalid(const char *fmt, ...)
{
  va_list ap;

  va_start(ap, fmt);
  int status = report(ADMIN_INVALID, fmt, ap);
  va_end(ap);
  return status;
}

int admin_failure(const char *fmt, ...)
{
  va_list ap;

  va_start(ap, fmt);
  int status = report(ADMIN_FAILURE, fmt, ap);
  va_end(ap);
  return status;
}

int admin_db_failure(struct adb *db)
{
  if (adb_error_is_constraint(db))
    return admin_invalid("the database refused the change: %s", db->error);
  return admin_failure("database error: %s", db->error[0] ? db->error : "unknown");
}

int admin_transaction(int (*fn)(struct adb *db, void *ctx), void *ctx)
{
  struct adb db;
  int status;

  if (adb_open(&db) != 0)
    return ADMIN_FAILURE;
  if (adb_begin(&db) != 0)
    status = admin_db_failure(&db);
  else if ((status = fn(&db, ctx)) == ADMIN_OK && adb_commit(&db) != 0)
    status = admin_db_failure(&db);
  adb_close(&db);       /* rolls back whatever did not commit */
  return status;
}

static void print_row(const PGresult *res, int row, const int *widths)
{
  int cols = PQnfields(res);

  for (int c = 0; c < cols; c++) {
    const char *v = row < 0 ? PQfname(res, c) : PQgetvalue(res, row, c);
    if (c == cols - 1)
      printf("%s\n", v);
    else
      printf("%-*s  ", widths[c], v);
  }
}

int admin_list(const char *name, const char *sql)
{
  struct adb db;
  int widths[32] = { 0 };

  if (adb_open(&db) != 0)
    return ADMIN_FAILURE;
  PGresult *res = adb_exec(&db, name, sql, 0, NULL);
  if (!res) {
    int status = admin_db_failure(&db);
    adb_close(&db);
    return status;
  }
  int cols = PQnfields(res) < 32 ? PQnfields(res) : 32;
  for (int c = 0; c < cols; c++) {
    widths[c] = (int)strlen(PQfname(res, c));
    for (int r = 0; r < PQntuples(res); r++)
      if (PQgetlength(res, r, c) > widths[c])
        widths[c] = PQgetlength(res, r, c);
  }
  print_row(res, -1, widths);
  for (int r = 0; r < PQntuples(res); r++)
    print_row(res, r, widths);
  PQclear(res);
  adb_close(&db);
  return ADMIN_OK;
}

struct update_one {
  const char *what, *name, *sql, *key;
  char action[64];
};

static int update_one_txn(struct adb *db, void *ctx)
{
  struct update_one *u = ctx;
  const char *params[1] = { u->key };
  long n = adb_exec_count(db, u->name, u->sql, 1, params);

  if (n < 0)
    return admin_db_failure(db);
  if (n == 0)
    return admin_invalid("unknown %s '%s'", u->what, shown(u->key));
  return adb_log_action(db, u->action, u->key) == 0 ? ADMIN_OK : admin_db_failure(db);
}

int admin_update_one(const char *what, const char *done, const char *name, const char *sql,
                     const char *key)
{
  struct update_one u = { what, name, sql, key, "" };

  snprintf(u.action, sizeof u.action, "%s %s", what, done);
  int status = admin_transaction(update_one_txn, &u);
  if (status == ADMIN_OK)
    printf("%s %s %s\n", what, key, done);
  return status;
}

int file_write_private(const char *path, const char *text, bool overwrite)
{
  char tmp[4096];
  size_t len = strlen(text);

  if (!overwrite && access(path, F_OK) == 0) {
    errno = EEXIST;
    return -1;
  }
  if (snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid()) >= (int)sizeof tmp) {
    errno = ENAMETOOLONG;
    return -1;
  }
  int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0)
    return -1;
  bool ok = fchmod(fd, 0600) == 0 && write(fd, text, len) == (ssize_t)len && fsync(fd) == 0;
  ok = close(fd) == 0 && ok;
  /* link() refuses an existing target, so "no overwrite" holds even in a race */
  if (ok)
    ok = overwrite ? rename(tmp, path) == 0 : link(tmp, path) == 0;
  int saved = errno;
  unlink(tmp);
  errno = saved;
  return ok ? 0 : -1;
}

char *file_read_text(const char *path, size_t max_len)
{
  FILE *f = fopen(path, "r");
  char *text = f ? calloc(1, max_len + 1) : NULL;
  size_t n = 0;

  if (text) {
    n = fread(text, 1, max_len + 1, f);
    if (ferror(f) || n > max_len) {
      free(text);
      text = NULL;
      errno = ferror(f) ? EIO : EFBIG;
    } else {
      text[n] = '\0';
    }
  }
  if (f)
    fclose(f);
  return text;
}

int admin_load_card_keys(void)
{
  const char *path = config_str("PAYGW_CARD_KEY_FILE", NULL);
  char err[300];

  if (!path)
    return admin_failure("no card key file: set PAYGW_CARD_KEY_FILE (. var/stack.env)");
  if (cardkeys_load(path, err, sizeof err) != 0)
    return admin_failure("%s", err);
  return ADMIN_OK;
}

static const struct {
  const char *what, *name, *sql;
} finders[] = {
  { "issuer", "issuer_by_code", "SELECT id, status FROM gateway.issuers WHERE code = $1" },
  { "merchant", "merchant_by_code", "SELECT id, status FROM gateway.merchants WHERE code = $1" },
  { "subscriber", "subscriber_by_code", "SELECT id, status FROM gateway.subscribers WHERE code = $1" },
  { "device", "device_by_code", "SELECT id, status FROM gateway.devices WHERE code = $1" },
};

int admin_find(struct adb *db, const char *what, const char *code, bool need_active, long long *id)
{
  char status[16];

  for (size_t i = 0; i < sizeof finders / sizeof finders[0]; i++) {
    if (strcmp(finders[i].what, what) != 0)
      continue;
    int found = adb_lookup(db, finders[i].name, finders[i].sql, code, id, status);
    if (found < 0)
      return admin_db_failure(db);
    if (found == 0)
      return admin_invalid("unknown %s '%s'", what, shown(code));
    if (need_active && strcmp(status, "active") != 0)
      return admin_invalid("%s %s is disabled", what, shown(code));
    return ADMIN_OK;
  }
  return admin_failure("internal error: no finder for %s", what);
}

void admin_bytea_param(const unsigned char *blob, size_t len, char *out)
{
  strcpy(out, "\\x");
  for (size_t i = 0; i < len; i++)
    snprintf(out + 2 + 2 * i, 3, "%02x", blob[i]);
}
