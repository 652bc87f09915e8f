/* cmd_issuer.c — `paygw-admin issuer add|list|disable`: the credit
 * companies of figure 9. */
#include "admin.h"
#include "validate.h"

#include <stdio.h>

const struct opt_spec cmd_issuer_add_opts[] = {
  { "code", "CODE", true, "issuer code, 1-16 letters or digits (fig 9), e.g. 2a11111" },
  { "name", "NAME", true, "issuer name, 1-80 characters" },
  { 0 },
};
const struct opt_spec cmd_issuer_list_opts[] = { { 0 } };
const struct opt_spec cmd_issuer_disable_opts[] = {
  { "code", "CODE", true, "issuer code" },
  { 0 },
};

int issuer_store(struct db *db, const char *code, const char *name)
{
  const struct issuer_new in = { .code = code, .name = name };
  enum db_status s = adb_issuer_add(db, &in);

  if (s < 0)
    return admin_db_failure(db);
  if (s == DB_NO_ROWS)
    return admin_invalid("issuer %s already exists", shown(code));
  return admin_log_action(db, "issuer add", code);
}

struct issuer_add {
  const char *code, *name;
};

static int issuer_add_txn(struct db *db, void *ctx)
{
  struct issuer_add *a = ctx;

  return issuer_store(db, a->code, a->name);
}

int cmd_issuer_add(const char **opt)
{
  struct issuer_add a = { opt[0], opt[1] };

  if (!valid_issuer_code(a.code))
    return admin_invalid("issuer code must be 1-16 letters or digits, got '%.40s'", shown(a.code));
  if (!valid_text(a.name, NAME_MAX_CHARS))
    return admin_invalid("issuer name must be 1-80 characters without control characters");
  int status = admin_transaction(issuer_add_txn, &a);
  if (status == ADMIN_OK)
    printf("issuer %s added\n", a.code);
  return status;
}

int cmd_issuer_list(const char **opt)
{
  (void)opt;
  return admin_list(adb_issuer_list);
}

int cmd_issuer_disable(const char **opt)
{
  return admin_disable("issuer", ADB_ISSUER, opt[0]);
}
