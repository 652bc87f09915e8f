/* idempotency.c — merchants' Idempotency-Key values (kept at least 24 h). */
#include "gateway/db/queries.h"

struct db_statement q_idem_forget = DB_STATEMENT("idem_forget", DB_REPEATABLE, 0,
  "DELETE FROM gateway.idempotency_keys WHERE created_at < now() - interval '48 hours'");
