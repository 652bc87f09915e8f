/* pg_errors.h — how the gateway and the credit server read a failed
 * statement's SQLSTATE: which errors are worth trying again.  Header only,
 * so lib/common itself needs no libpq; its includers have it. */
#ifndef PAYGW_PG_ERRORS_H
#define PAYGW_PG_ERRORS_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <string.h>

/* A serialization failure or a deadlock: the transaction may simply be run
 * again. */
static inline bool pg_error_retryable(const PGresult *res)
{
  const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
  return state && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0);
}

/* A migration changed a result type under this connection's prepared
 * statements (0A000 "cached plan must not change result type"): they must
 * be prepared again before the statement is tried again. */
static inline bool pg_error_plan_outdated(const PGresult *res)
{
  const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
  const char *text = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
  return state && strcmp(state, "0A000") == 0 && text && strstr(text, "cached plan must not change result type");
}

#endif
