/* cmd_subscriber.c — `paygw-admin subscriber add|list|disable`: the people
 * who subscribed; each holds devices, cards and user IDs (fig 7). */
#include "admin.h"
#include "validate.h"

#include <stdio.h>

const struct opt_spec cmd_subscriber_add_opts[] = {
  { "code", "CODE", true, "subscriber code, 1-32 of A-Z a-z 0-9 _ -, e.g. S1" },
  { "name", "NAME", true, "the subscriber's name, 1-80 characters" },
  { 0 }
};
const struct opt_spec cmd_subscriber_list_opts[] = { { 0 } };
const struct opt_spec cmd_subscriber_disable_opts[] = {
  { "code", "CODE", true, "subscriber code" },
  { 0 }
};

int subscriber_store(struct adb *db, const char *code, const char *name)
{
  static const char sql[] =
      "INSERT INTO gateway.subscribers (code, name) VALUES ($1, $2) ON CONFLICT (code) DO NOTHING RETURNING id";
  const char *params[2] = { code, name };
  long n = adb_exec_count(db, "subscriber_insert", sql, 2, params);

  if (n < 0)
    return admin_db_failure(db);
  if (n == 0)
    return admin_invalid("subscriber %s already exists", shown(code));
  return adb_log_action(db, "subscriber add", code) == 0 ? ADMIN_OK : admin_db_failure(db);
}

struct subscriber_add {
  const char *code, *name;
};

static int subscriber_add_txn(struct adb *db, void *ctx)
{
  struct subscriber_add *a = ctx;

  return subscriber_store(db, a->code, a->name);
}

int cmd_subscriber_add(const char **opt)
{
  struct subscriber_add a = { opt[0], opt[1] };

  if (!valid_ident(a.code))
    return admin_invalid("subscriber code must be 1-32 of A-Z a-z 0-9 _ -, got '%.40s'", shown(a.code));
  if (!valid_text(a.name, NAME_MAX_CHARS))
    return admin_invalid("subscriber name must be 1-80 characters without control characters");
  int status = admin_transaction(subscriber_add_txn, &a);
  if (status == ADMIN_OK)
    printf("subscriber %s added\n", a.code);
  return status;
}

int cmd_subscriber_list(const char **opt)
{
  (void)opt;
  return admin_list("subscriber_list",
                    "SELECT s.code, s.name, s.status, "
                    "(SELECT count(*) FROM gateway.devices d WHERE d.subscriber_id = s.id) AS devices, "
                    "(SELECT count(*) FROM gateway.cards c WHERE c.subscriber_id = s.id) AS cards, "
                    "(SELECT count(*) FROM gateway.users u WHERE u.subscriber_id = s.id) AS users "
                    "FROM gateway.subscribers s ORDER BY s.code");
}

int cmd_subscriber_disable(const char **opt)
{
  return admin_update_one("subscriber", "disabled", "subscriber_disable",
                          "UPDATE gateway.subscribers SET status = 'disabled' WHERE code = $1 RETURNING 1", opt[0]);
}
