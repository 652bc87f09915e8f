/* goods_list.c — db_goods_list: the catalog. */
#include "shop/db/shop_db.h"

#include <string.h>

enum db_status db_goods_list(struct db *db, struct good *out, int max, int *n)
{
  static struct db_statement st = DB_STATEMENT(
      "goods_list", DB_READ, 0,
      "SELECT id, name, unit_price, currency, tax_rate_pct, icon FROM shop.goods WHERE active ORDER BY id");
  PGresult *res = NULL;

  *n = 0;
  enum db_status s = db_call(db, &st, NULL, &res);
  if (s >= 0) {
    int rows = PQntuples(res);
    for (int i = 0; i < rows && i < max; i++) {
      struct good *g = &out[i];
      memset(g, 0, sizeof *g);
      g->id = db_int64(res, i, "id");
      db_copy(res, i, "name", g->name);
      g->unit_price = db_int64(res, i, "unit_price");
      db_copy(res, i, "currency", g->currency);
      g->tax_rate_pct = (int)db_int64(res, i, "tax_rate_pct");
      db_copy(res, i, "icon", g->icon);
      (*n)++;
    }
  }
  if (res)
    PQclear(res);
  return s;
}
