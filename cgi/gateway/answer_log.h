/* answer_log.h — every answer the gateway gives, and every webhook body
 * paygw-webhooks sends, as one JSON line in the file PAYGW_ANSWER_LOG names
 * (off when unset).  scripts/check sets it for its stacks and then checks
 * each line against docs/openapi.yaml (tests/tools/openapi_answers.js,
 * docs/openapi.md); nothing else reads the file. */
#ifndef PAYGW_ANSWER_LOG_H
#define PAYGW_ANSWER_LOG_H

#include "gateway/request.h"

/* {"kind":"answer","method","route","status","content_type","body"}: route
 * is the route pattern that matched the path ("/v1/transactions/{number}")
 * or null, body the answer's JSON (a text that is not JSON as a string). */
void answer_log_answer(const struct request *rq, int status, const char *content_type, const char *body);

/* {"kind":"webhook","type","body"}: an event as it is POSTed. */
void answer_log_webhook(const char *event_type, const char *body);

#endif
