/* cmd_merchant.c — `paygw-admin merchant add|list|disable`: merchants of
 * figure 10 and the shop name the shopper sees on the handset. */
#include "admin.h"
#include "validate.h"

#include <stdio.h>

const struct opt_spec cmd_merchant_add_opts[] = {
  { "code", "CODE", true, "merchant code, 1-15 digits (fig 10), e.g. 1111111111" },
  { "name", "NAME", true, "merchant name, 1-80 characters" },
  { "shop", "SHOP", true, "shop name shown to the shopper, 1-80 characters" },
  { 0 }
};
const struct opt_spec cmd_merchant_list_opts[] = { { 0 } };
const struct opt_spec cmd_merchant_disable_opts[] = {
  { "code", "CODE", true, "merchant code" },
  { 0 }
};

int merchant_store(struct adb *db, const char *code, const char *name, const char *shop)
{
  static const char sql[] =
      "INSERT INTO gateway.merchants (code, name, shop_name) VALUES ($1, $2, $3) "
      "ON CONFLICT (code) DO NOTHING RETURNING id";
  const char *params[3] = { code, name, shop };
  long n = adb_exec_count(db, "merchant_insert", sql, 3, params);

  if (n < 0)
    return admin_db_failure(db);
  if (n == 0)
    return admin_invalid("merchant %s already exists", shown(code));
  return adb_log_action(db, "merchant add", code) == 0 ? ADMIN_OK : admin_db_failure(db);
}

struct merchant_add {
  const char *code, *name, *shop;
};

static int merchant_add_txn(struct adb *db, void *ctx)
{
  struct merchant_add *a = ctx;

  return merchant_store(db, a->code, a->name, a->shop);
}

int cmd_merchant_add(const char **opt)
{
  struct merchant_add a = { opt[0], opt[1], opt[2] };

  if (!valid_merchant_code(a.code))
    return admin_invalid("merchant code must be 1-15 digits, got '%.40s'", shown(a.code));
  if (!valid_text(a.name, NAME_MAX_CHARS))
    return admin_invalid("merchant name must be 1-80 characters without control characters");
  if (!valid_text(a.shop, NAME_MAX_CHARS))
    return admin_invalid("shop name must be 1-80 characters without control characters");
  int status = admin_transaction(merchant_add_txn, &a);
  if (status == ADMIN_OK)
    printf("merchant %s added\n", a.code);
  return status;
}

int cmd_merchant_list(const char **opt)
{
  (void)opt;
  return admin_list("merchant_list",
                    "SELECT m.code, m.name, m.shop_name AS shop, m.status, "
                    "(SELECT count(*) FROM gateway.terminals t WHERE t.merchant_id = m.id) AS terminals "
                    "FROM gateway.merchants m ORDER BY m.code");
}

int cmd_merchant_disable(const char **opt)
{
  return admin_update_one("merchant", "disabled", "merchant_disable",
                          "UPDATE gateway.merchants SET status = 'disabled' WHERE code = $1 RETURNING 1", opt[0]);
}
