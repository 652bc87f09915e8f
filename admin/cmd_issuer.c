/* cmd_issuer.c — `paygw-admin issuer add|list|disable`: the credit
 * companies of figure 9. */
#include "admin.h"
#include "validate.h"

#include <stdio.h>

const struct opt_spec cmd_issuer_add_opts[] = {
  { "code", "CODE", true, "issuer code, 1-16 letters or digits (fig 9), e.g. 2a11111" },
  { "name", "NAME", true, "issuer name, 1-80 characters" },
  { 0 }
};
const struct opt_spec cmd_issuer_list_opts[] = { { 0 } };
const struct opt_spec cmd_issuer_disable_opts[] = {
  { "code", "CODE", true, "issuer code" },
  { 0 }
};

int issuer_store(struct adb *db, const char *code, const char *name)
{
  static const char sql[] =
      "INSERT INTO gateway.issuers (code, name) VALUES ($1, $2) ON CONFLICT (code) DO NOTHING RETURNING id";
  const char *params[2] = { code, name };
  long n = adb_exec_count(db, "issuer_insert", sql, 2, params);

  if (n < 0)
    return admin_db_failure(db);
  if (n == 0)
    return admin_invalid("issuer %s already exists", shown(code));
  return adb_log_action(db, "issuer add", code) == 0 ? ADMIN_OK : admin_db_failure(db);
}

struct issuer_add {
  const char *code, *name;
};

static int issuer_add_txn(struct adb *db, void *ctx)
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
  return admin_list("issuer_list",
                    "SELECT code, name, status, "
                    "(SELECT count(*) FROM gateway.issuer_ranges r WHERE r.issuer_id = i.id) AS ranges "
                    "FROM gateway.issuers i ORDER BY code");
}

int cmd_issuer_disable(const char **opt)
{
  return admin_update_one("issuer", "disabled", "issuer_disable",
                          "UPDATE gateway.issuers SET status = 'disabled' WHERE code = $1 RETURNING 1", opt[0]);
}
