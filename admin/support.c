/* support.c — what every paygw-admin command leans on: messages and exit
 * statuses, the connection and one lib/db transaction per command with its
 * admin-log lines, lists, disabling, private files and the card key
 * file. */
#include "admin.h"

#include "common/cardcrypt.h"
#include "common/config.h"
#include "common/log.h"

#include <errno.h>
#include <pwd.h>
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
            json_pack("{s:s, s:s, s:s}", "msg",
                      status == ADMIN_INVALID ? "admin input refused" : "admin command failed", "actor", admin_actor(),
                      "detail", text));
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

int admin_db_failure(struct db *db)
{
  const char *error = db_error(db);

  if (strncmp(db_sqlstate(db), "23", 2) == 0)
    return admin_invalid("the database refused the change: %s", error);
  return admin_failure("database error: %s", error[0] ? error : "unknown");
}

const char *admin_actor(void)
{
  static char actor[64];
  const char *sudo = getenv("SUDO_USER");
  struct passwd *pw;

  if (actor[0])
    return actor;
  if (sudo && *sudo)
    snprintf(actor, sizeof actor, "%s (sudo)", sudo);
  else if ((pw = getpwuid(getuid())))
    snprintf(actor, sizeof actor, "%s", pw->pw_name);
  else
    snprintf(actor, sizeof actor, "uid %u", (unsigned)getuid());
  return actor;
}

struct db *admin_db_open(void)
{
  const char *uri = config_str("PAYGW_ADMIN_DB_URI", config_str("PAYGW_DB_URI", NULL));

  if (!uri) {
    fprintf(stderr, "paygw-admin: no database: set PAYGW_ADMIN_DB_URI or PAYGW_DB_URI (. var/stack.env)\n");
    return NULL;
  }
  struct db *db = db_open(uri, "paygw-admin");
  if (!db) {
    admin_failure("out of memory");
    return NULL;
  }
  if (db_socket(db) < 0) {
    /* libpq's message names host and port, never the password */
    fprintf(stderr, "paygw-admin: cannot connect to the database: %s\n", db_error(db));
    db_close(db);
    return NULL;
  }
  return db;
}

/* The JSON lines of the admin actions of the transaction in hand: written
 * once it has committed, dropped when it rolls back or runs again. */
static json_t *pending_log;
static bool log_rows_only;

void admin_log_rows_only(bool on)
{
  log_rows_only = on;
}

int admin_log_action(struct db *db, const char *action, const char *subject)
{
  const struct admin_log_entry entry = { .actor = admin_actor(), .action = action, .subject = subject };

  if (adb_admin_log_add(db, &entry) != DB_ONE_ROW)
    return admin_db_failure(db);
  if (!log_rows_only && pending_log)
    json_array_append_new(pending_log, json_pack("{s:s, s:s, s:s, s:s}", "msg", "admin action", "actor", entry.actor,
                                                 "action", action, "subject", subject));
  return ADMIN_OK;
}

struct admin_txn {
  int (*fn)(struct db *db, void *ctx);
  void *ctx;
  int status;
};

/* The body adb_transaction runs: fn's exit status kept, and anything
 * but ADMIN_OK a rollback (DB_ABORT: fn has said what was wrong, so the
 * runner does not run it again). */
static enum db_status admin_txn_body(struct db *db, void *ctx)
{
  struct admin_txn *t = ctx;

  json_array_clear(pending_log);
  log_rows_only = false;
  t->status = t->fn(db, t->ctx);
  return t->status == ADMIN_OK ? DB_NO_ROWS : DB_ABORT;
}

int admin_transaction(int (*fn)(struct db *db, void *ctx), void *ctx)
{
  struct db *db = admin_db_open();

  if (!db)
    return ADMIN_FAILURE;
  int status = admin_transaction_on(db, fn, ctx);
  db_close(db);
  return status;
}

int admin_transaction_on(struct db *db, int (*fn)(struct db *db, void *ctx), void *ctx)
{
  struct admin_txn t = { fn, ctx, ADMIN_FAILURE };
  size_t i;
  json_t *line;

  pending_log = json_array();
  enum db_status s = adb_transaction(db, admin_txn_body, &t);
  if (s == DB_IN_DOUBT)
    t.status = admin_failure("the connection to the database was lost at COMMIT and whether the change was made "
                             "is unknown: look (the list commands) before running it again");
  else if (s == DB_ABORT)
    ; /* fn said why */
  else if (s < 0)
    t.status = admin_db_failure(db);
  else
    json_array_foreach (pending_log, i, line)
      log_event(LOG_INFO, json_incref(line));
  json_decref(pending_log);
  pending_log = NULL;
  return t.status;
}

int admin_list(enum db_status (*list)(struct db *db, struct adb_table *out))
{
  struct adb_table t;
  struct db *db = admin_db_open();
  int status = ADMIN_OK;

  if (!db)
    return ADMIN_FAILURE;
  if (list(db, &t) < 0)
    status = admin_db_failure(db);
  else
    admin_table_print(stdout, &t);
  adb_table_free(&t);
  db_close(db);
  return status;
}

struct disable {
  const char *what, *key;
  enum adb_entity kind;
};

static int disable_txn(struct db *db, void *ctx)
{
  struct disable *u = ctx;
  char action[64];
  enum db_status s = adb_set_disabled(db, u->kind, u->key);

  if (s < 0)
    return admin_db_failure(db);
  if (s == DB_NO_ROWS)
    return admin_invalid("unknown %s '%s'", u->what, shown(u->key));
  snprintf(action, sizeof action, "%s disabled", u->what);
  return admin_log_action(db, action, u->key);
}

int admin_disable(const char *what, enum adb_entity kind, const char *key)
{
  struct disable u = { what, key, kind };
  int status = admin_transaction(disable_txn, &u);

  if (status == ADMIN_OK)
    printf("%s %s disabled\n", what, key);
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

int admin_find(struct db *db, enum adb_entity kind, const char *code, bool need_active, long long *id)
{
  const char *what = kind == ADB_ISSUER       ? "issuer"
                     : kind == ADB_MERCHANT   ? "merchant"
                     : kind == ADB_SUBSCRIBER ? "subscriber"
                                              : "device";
  struct adb_found found;
  enum db_status s = adb_find_by_code(db, kind, code, &found);

  if (s < 0)
    return admin_db_failure(db);
  if (s == DB_NO_ROWS)
    return admin_invalid("unknown %s '%s'", what, shown(code));
  if (need_active && strcmp(found.status, "active") != 0)
    return admin_invalid("%s %s is disabled", what, shown(code));
  *id = found.id;
  return ADMIN_OK;
}
