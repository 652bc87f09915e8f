/* problems.c — the registry of problem codes (see problems.h).  Keep
 * docs/errors.md in step with this table. */
#include "gateway/problems.h"

static const struct problem_info problems[PROBLEM_COUNT] = {
  [PROBLEM_BAD_JSON] = { "bad_json", 400, "The request body is not valid JSON" },
  [PROBLEM_INVALID_FIELD] = { "invalid_field", 400, "A field of the request is missing or malformed" },
  [PROBLEM_BODY_TOO_LARGE] = { "body_too_large", 413, "The request body is too large" },
  [PROBLEM_UNSUPPORTED_MEDIA_TYPE] = { "unsupported_media_type", 415, "The request body must be application/json" },
  [PROBLEM_NOT_FOUND] = { "not_found", 404, "No such resource" },
  [PROBLEM_METHOD_NOT_ALLOWED] = { "method_not_allowed", 405, "The resource does not support this method" },
  [PROBLEM_UNAUTHENTICATED] = { "unauthenticated", 401, "Credentials are missing or wrong" },
  [PROBLEM_FORBIDDEN] = { "forbidden", 403, "The caller may not do this" },
  [PROBLEM_UNKNOWN_TRANSACTION] = { "unknown_transaction", 404, "No such transaction for this caller" },
  [PROBLEM_WRONG_STATE] = { "wrong_state", 409, "The transaction is not in a state that allows this" },
  [PROBLEM_IDEMPOTENCY_CONFLICT] = { "idempotency_conflict", 409, "The idempotency key was used with another request" },
  [PROBLEM_TOO_MANY_OPEN] = { "too_many_open", 409, "The user ID has too many open transactions" },
  [PROBLEM_UNKNOWN_USER] = { "unknown_user", 404, "No such user ID" },
  [PROBLEM_DEVICE_REFUSED] = { "device_refused", 403, "The device is not enrolled for this user or its signature is wrong" },
  [PROBLEM_AUTH_RESULT_EXPIRED] = { "auth_result_expired", 401, "The handset's authentication result has expired; authenticate again" },
  [PROBLEM_CHALLENGE_REFUSED] = { "challenge_refused", 409, "The challenge is not the live one for this transaction" },
  [PROBLEM_CARD_NOT_ACCEPTED] = { "card_not_accepted", 422, "The merchant does not accept this card" },
  [PROBLEM_METHOD_NOT_OFFERED] = { "method_not_offered", 422, "The payment method is not offered for this card here" },
  [PROBLEM_SLOW_DOWN] = { "slow_down", 429, "Polling too fast" },
  [PROBLEM_RATE_LIMITED] = { "rate_limited", 429, "Too many requests" },
  [PROBLEM_DB_UNAVAILABLE] = { "database_unavailable", 503, "The database is not reachable" },
  [PROBLEM_OUTCOME_UNKNOWN] = { "outcome_unknown", 503, "The database connection broke during the commit; whether the request took effect is unknown" },
  [PROBLEM_ISSUER_UNAVAILABLE] = { "issuer_unavailable", 502, "The issuer's credit server did not answer in time" },
  [PROBLEM_INTERNAL] = { "internal_error", 500, "Internal error" },
  [PROBLEM_CARD_UNREADABLE] = { "card_unreadable", 500, "The card on file cannot be read" },
};

const struct problem_info *problem_info(enum problem p)
{
  return (p >= 0 && p < PROBLEM_COUNT) ? &problems[p] : &problems[PROBLEM_INTERNAL];
}
