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
  { 0 },
};
const struct opt_spec cmd_range_list_opts[] = { { 0 } };

/* Refuses a range sharing a card number with one already stored. */
static int check_no_overlap(struct db *db, const char *low, const char *high)
{
  struct adb_ranges all;
  int status = ADMIN_OK;

  if (adb_ranges_all(db, &all) < 0)
    return admin_db_failure(db);
  for (int r = 0; r < all.n && status == ADMIN_OK; r++) {
    const struct adb_range *o = &all.rows[r];
    if (ranges_overlap(low, high, o->low, o->high))
      status = admin_invalid("range %s-%s overlaps range %s-%s of issuer %s", shown(low), shown(high), shown(o->low),
                             shown(o->high), o->issuer_code);
  }
  adb_ranges_free(&all);
  return status;
}

int range_store(struct db *db, const char *issuer_code, const char *low, const char *high)
{
  struct range_new in = { .low = low, .high = high };
  char subject[80];
  long long issuer_id;
  int status = admin_find(db, ADB_ISSUER, issuer_code, false, &issuer_id);

  if (status != ADMIN_OK)
    return status;
  /* serialise range changes so two concurrent adds cannot both pass the check */
  if (adb_ranges_lock(db) < 0)
    return admin_db_failure(db);
  status = check_no_overlap(db, low, high);
  if (status != ADMIN_OK)
    return status;
  in.issuer_id = issuer_id;
  if (adb_range_add(db, &in) != DB_ONE_ROW)
    return admin_db_failure(db);
  snprintf(subject, sizeof subject, "%s %s-%s", issuer_code, low, high);
  return admin_log_action(db, "range add", subject);
}

struct range_add {
  const char *issuer, *low, *high;
};

static int range_add_txn(struct db *db, void *ctx)
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
  return admin_list(adb_range_list);
}
