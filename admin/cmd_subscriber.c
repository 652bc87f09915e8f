/* cmd_subscriber.c — `paygw-admin subscriber add|list|disable`: the people
 * who subscribed; each holds devices, cards and user IDs (fig 7). */
#include "admin.h"
#include "validate.h"

#include <stdio.h>

const struct opt_spec cmd_subscriber_add_opts[] = {
  { "code", "CODE", true, "subscriber code, 1-32 of A-Z a-z 0-9 _ -, e.g. S1" },
  { "name", "NAME", true, "the subscriber's name, 1-80 characters" },
  { 0 },
};
const struct opt_spec cmd_subscriber_list_opts[] = { { 0 } };
const struct opt_spec cmd_subscriber_disable_opts[] = {
  { "code", "CODE", true, "subscriber code" },
  { 0 },
};

int subscriber_store(struct db *db, const char *code, const char *name)
{
  const struct subscriber_new in = { .code = code, .name = name };
  enum db_status s = adb_subscriber_add(db, &in);

  if (s < 0)
    return admin_db_failure(db);
  if (s == DB_NO_ROWS)
    return admin_invalid("subscriber %s already exists", shown(code));
  return admin_log_action(db, "subscriber add", code);
}

struct subscriber_add {
  const char *code, *name;
};

static int subscriber_add_txn(struct db *db, void *ctx)
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
  return admin_list(adb_subscriber_list);
}

int cmd_subscriber_disable(const char **opt)
{
  return admin_disable("subscriber", ADB_SUBSCRIBER, opt[0]);
}
