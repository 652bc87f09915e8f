/* cmd_range.c — `paygw-admin range add|list`: the card-number ranges that
 * name a card's issuer (fig 9).  Bounds are digit prefixes of differing
 * lengths; ranges may not overlap, so every card number has one issuer. */
#include "admin.h"
#include "validate.h"

#include <stdio.h>

const struct opt_spec cmd_range_add_opts[] = {
  { "issuer", "CODE", true, "issuer code the range belongs to" },
  { "low", "DIGITS", true, "lowest card-number prefix, 1-19 digits" },
  { "high", "DIGITS", true, "highest card-number prefix, 1-19 digits" },
  { 0 }
};
const struct opt_spec cmd_range_list_opts[] = { { 0 } };

/* Refuses a range sharing a card number with one already stored. */
static int check_no_overlap(struct adb *db, const char *low, const char *high)
{
  static const char sql[] =
      "SELECT r.low, r.high, i.code FROM gateway.issuer_ranges r JOIN gateway.issuers i ON i.id = r.issuer_id "
      "ORDER BY r.id";
  PGresult *res = adb_exec(db, "range_all", sql, 0, NULL);
  int status = ADMIN_OK;

  if (!res)
    return admin_db_failure(db);
  for (int r = 0; r < PQntuples(res) && status == ADMIN_OK; r++) {
    const char *l = adb_get(res, r, "low"), *h = adb_get(res, r, "high");
    if (ranges_overlap(low, high, l, h))
      status = admin_invalid("range %s-%s overlaps range %s-%s of issuer %s", shown(low), shown(high), shown(l), shown(h),
                             adb_get(res, r, "code"));
  }
  PQclear(res);
  return status;
}

int range_store(struct adb *db, const char *issuer_code, const char *low, const char *high)
{
  static const char insert_sql[] =
      "INSERT INTO gateway.issuer_ranges (issuer_id, low, high) VALUES ($1, $2, $3)";
  char id_text[24], subject[80];
  long long issuer_id;
  int status = admin_find(db, "issuer", issuer_code, false, &issuer_id);

  if (status != ADMIN_OK)
    return status;
  /* serialise range changes so two concurrent adds cannot both pass the check */
  if (adb_exec_count(db, "range_lock", "LOCK TABLE gateway.issuer_ranges IN SHARE ROW EXCLUSIVE MODE", 0, NULL) < 0)
    return admin_db_failure(db);
  status = check_no_overlap(db, low, high);
  if (status != ADMIN_OK)
    return status;
  snprintf(id_text, sizeof id_text, "%lld", issuer_id);
  const char *params[3] = { id_text, low, high };
  if (adb_exec_count(db, "range_insert", insert_sql, 3, params) != 1)
    return admin_db_failure(db);
  snprintf(subject, sizeof subject, "%s %s-%s", issuer_code, low, high);
  return adb_log_action(db, "range add", subject) == 0 ? ADMIN_OK : admin_db_failure(db);
}

struct range_add {
  const char *issuer, *low, *high;
};

static int range_add_txn(struct adb *db, void *ctx)
{
  struct range_add *a = ctx;

  return range_store(db, a->issuer, a->low, a->high);
}

int cmd_range_add(const char **opt)
{
  struct range_add a = { opt[0], opt[1], opt[2] };

  if (!valid_issuer_code(a.issuer))
    return admin_invalid("issuer code must be 1-16 letters or digits, got '%.40s'", shown(a.issuer));
  if (!valid_range_bound(a.low) || !valid_range_bound(a.high))
    return admin_invalid("range bounds must be card-number prefixes of 1-19 digits");
  if (!range_bounds_ordered(a.low, a.high))
    return admin_invalid("range low bound %s is above its high bound %s", shown(a.low), shown(a.high));
  int status = admin_transaction(range_add_txn, &a);
  if (status == ADMIN_OK)
    printf("range %s-%s added to issuer %s\n", a.low, a.high, a.issuer);
  return status;
}

int cmd_range_list(const char **opt)
{
  (void)opt;
  return admin_list("range_list",
                    "SELECT r.id, i.code AS issuer, i.name, r.low, r.high, i.status "
                    "FROM gateway.issuer_ranges r JOIN gateway.issuers i ON i.id = r.issuer_id "
                    "ORDER BY rpad(r.low, 19, '0')");
}
