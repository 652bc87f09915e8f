/* problems.c — the registry of problem codes (see problems.h).  Keep
 * docs/errors.md in step with this table: tests/static/problem_codes_documented.t
 * fails when a code here is missing there. */
#include "gateway/problems.h"

/* One row per code, as tests/static/problem_codes_documented.t reads it. */
/* clang-format off */
static const struct problem_info problems[PROBLEM_COUNT] = {
  [PROBLEM_BAD_JSON] = { .code = "bad_json", .status = 400, .title = "The request body is not valid JSON",
    .hint = "Send one JSON object, UTF-8, without duplicate members; the detail gives the line and column." },
  [PROBLEM_INVALID_FIELD] = { .code = "invalid_field", .status = 400, .title = "A field of the request is missing or malformed",
    .hint = "Fix the field the detail names (docs/api.md gives each body's fields and bounds) and send the request again." },
  [PROBLEM_BODY_TOO_LARGE] = { .code = "body_too_large", .status = 413, .title = "The request body is too large",
    .hint = "Send a smaller body (fewer items, shorter texts); the limit is 16384 bytes unless the operator set PAYGW_MAX_BODY." },
  [PROBLEM_UNSUPPORTED_MEDIA_TYPE] = { .code = "unsupported_media_type", .status = 415, .title = "The request body must be application/json",
    .hint = "Send the body with Content-Type: application/json." },
  [PROBLEM_NOT_FOUND] = { .code = "not_found", .status = 404, .title = "No such resource",
    .hint = "Check the path against docs/api.md." },
  [PROBLEM_METHOD_NOT_ALLOWED] = { .code = "method_not_allowed", .status = 405, .title = "The resource does not support this method",
    .hint = "Use a method docs/api.md lists for this path." },
  [PROBLEM_UNAUTHENTICATED] = { .code = "unauthenticated", .status = 401, .title = "Credentials are missing or wrong",
    .hint = "Send the credential the route needs (terminal Basic, device signature or session; see docs/api.md), with a fresh timestamp for a signed poll." },
  [PROBLEM_FORBIDDEN] = { .code = "forbidden", .status = 403, .title = "The caller may not do this",
    .hint = "Use the credential of the party the resource belongs to." },
  [PROBLEM_UNKNOWN_TRANSACTION] = { .code = "unknown_transaction", .status = 404, .title = "No such transaction for this caller",
    .hint = "Check the transaction number; a terminal sees only its merchant's transactions." },
  [PROBLEM_WRONG_STATE] = { .code = "wrong_state", .status = 409, .title = "The transaction is not in a state that allows this",
    .hint = "Read the transaction (transaction_status says where it is) and take the step that state allows; do not repeat this one." },
  [PROBLEM_IDEMPOTENCY_CONFLICT] = { .code = "idempotency_conflict", .status = 409, .title = "The idempotency key was used with another request",
    .hint = "Use a new Idempotency-Key for a new request, or send the first request's body unchanged." },
  [PROBLEM_TOO_MANY_OPEN] = { .code = "too_many_open", .status = 409, .title = "The user ID has too many open transactions",
    .hint = "Wait until one of the user's transactions ends (completed, declined, canceled or expired), or cancel one, then ask again." },
  [PROBLEM_UNKNOWN_USER] = { .code = "unknown_user", .status = 404, .title = "No such user ID",
    .hint = "Check the user ID the shopper gave; a disabled one counts as unknown." },
  [PROBLEM_DEVICE_REFUSED] = { .code = "device_refused", .status = 403, .title = "The device is not enrolled for this user or its signature is wrong",
    .hint = "Use the handset enrolled for this user ID and sign with its device key; enrol the device again if the key was lost." },
  [PROBLEM_AUTH_RESULT_EXPIRED] = { .code = "auth_result_expired", .status = 401, .title = "The handset's authentication result has expired; authenticate again",
    .hint = "Have the user authenticate on the handset again and send the new auth_result." },
  [PROBLEM_CHALLENGE_REFUSED] = { .code = "challenge_refused", .status = 409, .title = "The challenge is not the live one for this transaction",
    .hint = "Take the challenge from the newest payment command in the mailbox; each challenge is used once." },
  [PROBLEM_CARD_NOT_ACCEPTED] = { .code = "card_not_accepted", .status = 422, .title = "The merchant does not accept this card",
    .hint = "Pay with another card or at another shop." },
  [PROBLEM_METHOD_NOT_OFFERED] = { .code = "method_not_offered", .status = 422, .title = "The payment method is not offered for this card here",
    .hint = "Choose one of the methods GET .../payment-methods lists, with an installment count it allows." },
  [PROBLEM_SLOW_DOWN] = { .code = "slow_down", .status = 429, .title = "Polling too fast",
    .hint = "Poll again after the interval (seconds) the answer and its Retry-After give." },
  [PROBLEM_RATE_LIMITED] = { .code = "rate_limited", .status = 429, .title = "Too many requests",
    .hint = "Wait for the Retry-After seconds, then send again." },
  [PROBLEM_DB_UNAVAILABLE] = { .code = "database_unavailable", .status = 503, .title = "The database is not reachable",
    .hint = "Send the request again after Retry-After (with the same Idempotency-Key where it has one); nothing was changed unless the detail says otherwise." },
  [PROBLEM_OUTCOME_UNKNOWN] = { .code = "outcome_unknown", .status = 503, .title = "The database connection broke during the commit; whether the request took effect is unknown",
    .hint = "After Retry-After, read the transaction's state before acting again, or send the request again with the same Idempotency-Key." },
  [PROBLEM_ISSUER_UNAVAILABLE] = { .code = "issuer_unavailable", .status = 502, .title = "The issuer's credit server did not answer in time",
    .hint = "The payment failed and was reversed: start a new transaction, or try again later." },
  [PROBLEM_INTERNAL] = { .code = "internal_error", .status = 500, .title = "Internal error",
    .hint = "A bug on our side: report the request_id to the operator; sending the same request again will not help." },
  [PROBLEM_CARD_UNREADABLE] = { .code = "card_unreadable", .status = 500, .title = "The card on file cannot be read",
    .hint = "The transaction failed: report the request_id to the operator, who must re-enrol or re-encrypt the card." },
  [PROBLEM_UNKNOWN_TOKEN] = { .code = "unknown_token", .status = 404, .title = "No such token request for this caller",
    .hint = "Check the token request's ID; a terminal sees only the requests it made." },
  [PROBLEM_WRONG_DEVICE] = { .code = "wrong_device", .status = 403, .title = "The reply is not from the user's handset",
    .hint = "Reply from the handset enrolled for the user ID, signed with its device key; the token request is canceled: the POS must ask again." },
  [PROBLEM_WRONG_PASSWORD] = { .code = "wrong_password", .status = 403, .title = "The web password is wrong",
    .hint = "The token request is canceled and the try counted (10 in a row lock the user ID for 30 minutes): the POS must ask again." },
  [PROBLEM_USER_LOCKED] = { .code = "user_locked", .status = 423, .title = "The user ID is locked after too many wrong web passwords",
    .hint = "Wait until locked_until (or have the operator run paygw-admin user unlock), then ask again." },
  [PROBLEM_UNKNOWN_REFUND] = { .code = "unknown_refund", .status = 404, .title = "No such refund of this transaction",
    .hint = "Check the refund's ID (GET /v1/transactions/{number}/refunds lists them)." },
  [PROBLEM_REFUND_EXCEEDS_REFUNDABLE] = { .code = "refund_exceeds_refundable", .status = 409, .title = "The amount is more than the payment has left to refund",
    .hint = "Read refundable (in the problem, or GET /v1/transactions/{number}/refunds) and ask for at most that." },
};
/* clang-format on */

const struct problem_info *problem_info(enum problem p)
{
  return (p >= 0 && p < PROBLEM_COUNT) ? &problems[p] : &problems[PROBLEM_INTERNAL];
}
