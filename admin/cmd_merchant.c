/* cmd_merchant.c — `paygw-admin merchant add|list|disable`: merchants of
 * figure 10 and the shop name the shopper sees on the handset. */
#include "admin.h"
#include "validate.h"

#include <stdio.h>

const struct opt_spec cmd_merchant_add_opts[] = {
  { "code", "CODE", true, "merchant code, 1-15 digits (fig 10), e.g. 1111111111" },
  { "name", "NAME", true, "merchant name, 1-80 characters" },
  { "shop", "SHOP", true, "shop name shown to the shopper, 1-80 characters" },
  { 0 },
};
const struct opt_spec cmd_merchant_list_opts[] = { { 0 } };
const struct opt_spec cmd_merchant_disable_opts[] = {
  { "code", "CODE", true, "merchant code" },
  { 0 },
};

int merchant_store(struct db *db, const char *code, const char *name, const char *shop)
{
  const struct merchant_new in = { .code = code, .name = name, .shop = shop };
  enum db_status s = adb_merchant_add(db, &in);

  if (s < 0)
    return admin_db_failure(db);
  if (s == DB_NO_ROWS)
    return admin_invalid("merchant %s already exists", shown(code));
  return admin_log_action(db, "merchant add", code);
}

struct merchant_add {
  const char *code, *name, *shop;
};

static int merchant_add_txn(struct db *db, void *ctx)
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
  return admin_list(adb_merchant_list);
}

int cmd_merchant_disable(const char **opt)
{
  return admin_disable("merchant", ADB_MERCHANT, opt[0]);
}
