/* cmd_method.c — `paygw-admin method set|list`: which payment methods a
 * merchant takes for an issuer's cards (fig 10), with installment counts. */
#include "admin.h"
#include "validate.h"

#include <stdio.h>

const struct opt_spec cmd_method_set_opts[] = {
  { "merchant", "CODE", true, "merchant code" },
  { "issuer", "CODE", true, "issuer code" },
  { "methods", "LIST", true, "comma-separated methods among L I B pB R, e.g. L,I,R" },
  { "installments", "LIST", false, "installment counts for I, e.g. 3,6,12" },
  { 0 },
};
const struct opt_spec cmd_method_list_opts[] = { { 0 } };

int method_store(struct db *db, const char *merchant_code, const char *issuer_code, const struct methods *m,
                 const int *counts, int n_counts)
{
  char counts_text[80], subject[120], text[32];
  long long merchant_id, issuer_id;
  int status = admin_find(db, ADB_MERCHANT, merchant_code, false, &merchant_id);

  if (status == ADMIN_OK)
    status = admin_find(db, ADB_ISSUER, issuer_code, false, &issuer_id);
  if (status != ADMIN_OK)
    return status;
  installments_format(counts, n_counts, counts_text, sizeof counts_text);
  const struct method_row row = {
    .merchant_id = merchant_id,
    .issuer_id = issuer_id,
    .lump_sum = m->lump_sum,
    .installments = m->installments,
    .bonus = m->bonus,
    .partial_bonus = m->partial_bonus,
    .revolving = m->revolving,
    .installment_counts = counts_text,
  };
  if (adb_method_set(db, &row) != DB_ONE_ROW)
    return admin_db_failure(db);
  methods_format(m, text, sizeof text);
  snprintf(subject, sizeof subject, "%s x %s: %s %s", merchant_code, issuer_code, text, counts_text);
  return admin_log_action(db, "method set", subject);
}

struct method_set {
  const char *merchant, *issuer;
  struct methods m;
  int counts[INSTALLMENTS_MAX];
  int n_counts;
};

static int method_set_txn(struct db *db, void *ctx)
{
  struct method_set *a = ctx;

  return method_store(db, a->merchant, a->issuer, &a->m, a->counts, a->n_counts);
}

int cmd_method_set(const char **opt)
{
  struct method_set a = { .merchant = opt[0], .issuer = opt[1] };
  char err[160];

  if (!valid_merchant_code(a.merchant))
    return admin_invalid("merchant code must be 1-15 digits, got '%.40s'", shown(a.merchant));
  if (!valid_issuer_code(a.issuer))
    return admin_invalid("issuer code must be 1-16 letters or digits, got '%.40s'", shown(a.issuer));
  if (methods_parse(opt[2], &a.m, err, sizeof err) != 0)
    return admin_invalid("%s", err);
  if (opt[3]) {
    if (!a.m.installments)
      return admin_invalid("--installments needs the installment method I in --methods");
    if ((a.n_counts = installments_parse(opt[3], a.counts, err, sizeof err)) < 0)
      return admin_invalid("%s", err);
  }
  int status = admin_transaction(method_set_txn, &a);
  if (status == ADMIN_OK)
    printf("methods of merchant %s for issuer %s set\n", a.merchant, a.issuer);
  return status;
}

int cmd_method_list(const char **opt)
{
  (void)opt;
  return admin_list(adb_method_list);
}
