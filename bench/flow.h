/* flow.h — one complete first-embodiment payment as the POS and the handset
 * make it (docs/api.md): transaction number, mailbox pickup with a signed
 * poll, device authentication with a real Ed25519 signature, confirmation,
 * method list, method choice (the gateway's ISO 8583 authorization at the
 * credit server) and the POS fetching the completion. */
#ifndef PAYGW_BENCH_FLOW_H
#define PAYGW_BENCH_FLOW_H

#include "bench/hist.h"
#include "bench/http.h"
#include "common/ed25519.h"

#include <stdbool.h>
#include <stdint.h>

enum endpoint {
  EP_TXN_POST,
  EP_MAILBOX,
  EP_DEVICE_AUTH,
  EP_CONFIRMATION,
  EP_METHODS_GET,
  EP_METHOD_POST,
  EP_TXN_GET,
  EP_PING,
  EP_COUNT
};
extern const char *const endpoint_names[EP_COUNT];

/* A benchmark user: its user ID, its handset's device ID and key. */
struct bench_user {
  char user_id[40], device_id[40];
  unsigned char device_key[ED25519_KEY_LEN];
  int64_t last_poll_ms; /* signed poll timestamps must increase */
};

/* What every flow shares (read-only while flows run). */
struct flow_config {
  const char *url, *ca;
  char terminal_auth[160];                    /* "Authorization: Bearer <credential>" */
  unsigned char message_key[ED25519_KEY_LEN]; /* the gateway's message public key */
  const char *method;                         /* L, I, R ... */
  int installments;                           /* for I, else 0 */
  long amount;                                /* JPY */
  struct hist *hist;                          /* EP_COUNT histograms */
  bool keep_going;                            /* --keep-going: after an error, the clients' own rules (flow.c) */
};

/* One simulated pair of POS and handset, run by one thread. */
struct flow_worker {
  int id;
  const struct flow_config *cfg;
  struct bench_user *user;
  struct http pos, handset;
  unsigned long seq;
  /* counts for the report */
  unsigned long completions_seen, completions_bad, stale_commands, polls_empty, slow_downs;
  unsigned long rate_limited; /* nginx's per-address limit, sent again after 1 s */
  unsigned long sent_again;   /* --keep-going: requests sent again after an error */
  /* the last flow as its client saw it: its transaction number ("" when the
   * POS never learnt one) and the last status an answer gave ("" for none) */
  char txn[64], status[24];
};

enum flow_outcome { FLOW_COMPLETED, FLOW_ENDED_OTHERWISE, FLOW_ERROR };

/* Runs one payment.  Returns the outcome; *latency_us is the time from
 * POST /v1/transactions until the POS saw the final status; why (for
 * anything but FLOW_COMPLETED) says what happened, never a card number.
 * With cfg->keep_going a failed request is handled as the clients'
 * documented rules say (docs/errors.md): sent again when that is safe,
 * else the outcome read by the POS, an abandoned payment canceled by its
 * POS, and the POS reads until the status is final; FLOW_ERROR is then a
 * flow whose end the POS never saw, or an answer that broke the contract.
 * w->txn and w->status say how the flow ended. */
enum flow_outcome flow_run(struct flow_worker *w, unsigned long long *latency_us, char *why, size_t why_len);

/* A last signed poll that collects the completion messages still waiting
 * in the user's mailbox (the handset's view of the last payments).
 * Returns 0 or -1. */
int flow_drain_mailbox(struct flow_worker *w, char *why, size_t why_len);

/* true for the statuses a transaction never leaves */
bool flow_status_final(const char *status);

#endif
