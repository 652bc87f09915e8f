/* method_list.c — adb_method_list: the payment methods of each merchant for each issuer
 * (letters as `method set` takes them), as `method list` prints them. */
#include "table.h"

enum db_status adb_method_list(struct db *db, struct adb_table *out)
{
  static struct db_statement st =
      DB_STATEMENT("adb_method_list", DB_READ, 0,
                   "SELECT m.code AS merchant, m.name AS merchant_name, i.code AS issuer, "
                   "concat_ws(',', CASE WHEN mm.lump_sum THEN 'L' END, CASE WHEN mm.installments THEN 'I' END, "
                   "CASE WHEN mm.bonus THEN 'B' END, CASE WHEN mm.partial_bonus THEN 'pB' END, "
                   "CASE WHEN mm.revolving THEN 'R' END) AS methods, "
                   "array_to_string(mm.installment_counts, ',') AS installments "
                   "FROM gateway.merchant_methods mm JOIN gateway.merchants m ON m.id = mm.merchant_id "
                   "JOIN gateway.issuers i ON i.id = mm.issuer_id ORDER BY m.code, i.code");

  return adb_table_read(db, &st, out);
}
