/* handler.h — from one framed message to its answer (the token sales'
 * conversations are token_handler.h's).  Two steps, so that a
 * 0100 held back by a test-control delay can run on a thread of its own
 * while its connection keeps serving (a reversal arriving during the delay
 * must be seen by the late 0100):
 *   handler_prepare: decode; answer a format error at once, or make a job;
 *   handler_run:     decide (database) and build the answer. */
#ifndef PAYGW_CREDIT_HANDLER_H
#define PAYGW_CREDIT_HANDLER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "credit-server/credit.h"
#include "iso8583/iso8583.h"

enum handler_step {
  HANDLER_ANSWER, /* out holds an answer: send it */
  HANDLER_JOB,    /* run the job (after job->delay_ms) */
  HANDLER_IGNORE, /* nothing to answer (an answer MTI sent to us) */
  HANDLER_CLOSE,  /* unreadable: close the connection */
};

struct handler_job {
  struct iso_msg request;
  struct credit_peer peer; /* who sent it (set by the server after handler_prepare) */
  long delay_ms;           /* test control: sleep this long before deciding */
  bool drop;               /* test control: decide, never answer */
};

/* Decodes body.  For HANDLER_ANSWER the encoded answer is in out and *out_len. */
enum handler_step handler_prepare(const uint8_t *body, size_t len, struct handler_job *job, uint8_t *out, size_t cap,
                                  size_t *out_len);

/* Runs a job.  Returns true with an answer in out and *out_len, or false when
 * nothing is to be sent (drop control, or the answer could not be built). */
bool handler_run(struct handler_job *job, uint8_t *out, size_t cap, size_t *out_len);

/* Builds an answer to rq: the fields of `echo` (0-ended) copied, then 38
 * (when approval is not empty) and 39 = code.  False when it cannot be built. */
bool handler_answer(const struct iso_msg *rq, const int *echo, const char *code, const char *approval, uint8_t *out,
                    size_t cap, size_t *out_len);

/* The fields an answer to a request of this MTI echoes (docs/iso8583.md). */
const int *handler_echo_for(const char *mti);

/* Reads the MTI and the STAN (field 11) of a message that does not decode
 * as a whole, walking the fields before 11 with the dictionary and never
 * reading past len.  Returns true when both are readable. */
bool handler_salvage(const uint8_t *body, size_t len, char mti[5], char stan[7]);

/* The answer MTI for a request MTI ("0100" -> "0110", "0401" -> "0410");
 * false for an MTI that is not a request. */
bool handler_answer_mti(const char *mti, char out[5]);

#endif
