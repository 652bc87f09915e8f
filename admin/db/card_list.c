/* card_list.c — adb_card_list: the cards, masked as stored at enrolment (the
 * ciphertext is never read here), as `card list` prints them. */
#include "table.h"

enum db_status adb_card_list(struct db *db, struct adb_table *out)
{
  static struct db_statement st =
      DB_STATEMENT("adb_card_list", DB_READ, 0,
                   "SELECT c.id, s.code AS subscriber, c.pan_masked AS card, c.expiry, c.label, "
                   "c.key_id, c.status, coalesce(u.user_id, '-') AS user_id "
                   "FROM gateway.cards c JOIN gateway.subscribers s ON s.id = c.subscriber_id "
                   "LEFT JOIN gateway.users u ON u.card_id = c.id ORDER BY c.id");

  return adb_table_read(db, &st, out);
}
