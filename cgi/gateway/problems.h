/* problems.h — every error the gateway can answer, as a stable code with its
 * HTTP status, title and hint (the registry is problems.c and
 * docs/errors.md).  Clients branch on `code`, people read `detail`. */
#ifndef PAYGW_PROBLEMS_H
#define PAYGW_PROBLEMS_H

enum problem {
  PROBLEM_BAD_JSON,
  PROBLEM_INVALID_FIELD,
  PROBLEM_BODY_TOO_LARGE,
  PROBLEM_UNSUPPORTED_MEDIA_TYPE,
  PROBLEM_NOT_FOUND,
  PROBLEM_METHOD_NOT_ALLOWED,
  PROBLEM_UNAUTHENTICATED,
  PROBLEM_FORBIDDEN,
  PROBLEM_UNKNOWN_TRANSACTION,
  PROBLEM_WRONG_STATE,
  PROBLEM_IDEMPOTENCY_CONFLICT,
  PROBLEM_TOO_MANY_OPEN,
  PROBLEM_UNKNOWN_USER,
  PROBLEM_DEVICE_REFUSED,
  PROBLEM_AUTH_RESULT_EXPIRED,
  PROBLEM_CHALLENGE_REFUSED,
  PROBLEM_CARD_NOT_ACCEPTED,
  PROBLEM_METHOD_NOT_OFFERED,
  PROBLEM_SLOW_DOWN,
  PROBLEM_RATE_LIMITED,
  PROBLEM_DB_UNAVAILABLE,
  PROBLEM_OUTCOME_UNKNOWN,
  PROBLEM_ISSUER_UNAVAILABLE,
  PROBLEM_INTERNAL,
  PROBLEM_CARD_UNREADABLE,
  PROBLEM_UNKNOWN_TOKEN,
  PROBLEM_WRONG_DEVICE,
  PROBLEM_WRONG_PASSWORD,
  PROBLEM_USER_LOCKED,
  PROBLEM_UNKNOWN_REFUND,
  PROBLEM_REFUND_EXCEEDS_REFUNDABLE,
  PROBLEM_COUNT
};

struct problem_info {
  const char *code;  /* stable, snake_case, part of the API */
  int status;        /* HTTP status */
  const char *title; /* short, constant per code */
  const char *hint;  /* what the caller should do about it, constant per code */
};

const struct problem_info *problem_info(enum problem p);

#endif
