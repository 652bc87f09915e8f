/* idempotency.c — merchants' Idempotency-Key values (kept at least 24 h). */
#include "gateway/db/queries.h"

struct db_statement q_idem_claim = {
  "idem_claim",
  "INSERT INTO gateway.idempotency_keys (terminal_id, key, request_hash) VALUES ($1, $2, decode($3, 'hex'))"
  " ON CONFLICT DO NOTHING",
  3, 0
};

struct db_statement q_idem_get = {
  "idem_get",
  "SELECT encode(request_hash, 'hex') AS request_hash, response_status, response_body"
  "  FROM gateway.idempotency_keys WHERE terminal_id = $1 AND key = $2",
  2, 0
};

struct db_statement q_idem_forget = {
  "idem_forget",
  "DELETE FROM gateway.idempotency_keys WHERE created_at < now() - interval '48 hours'",
  0, 0
};
