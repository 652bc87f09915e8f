/* credit.h — the POS's link to the card issuer's credit server for token
 * sales ([0162]-[0163]): ISO 8583 under mutual TLS (lib/iso8583/tls.h),
 * the POS presenting its merchant's client certificate and sending nothing
 * to a server whose certificate does not chain to credit_ca and name
 * credit_server_name.  One connection, opened on first use and again after
 * a failure. */
#ifndef PAYGW_POS_CREDIT_H
#define PAYGW_POS_CREDIT_H

#include "pos-client/posconf.h"
#include "iso8583/iso8583.h"

#include <stddef.h>

struct pos_credit {
  const struct pos_config *conf;
  void *ctx;       /* SSL_CTX * */
  void *link;      /* struct iso_link * */
  char error[256]; /* why the last exchange got no answer */
};

/* Prepares the TLS context from conf (CA, certificate, key).  Returns 0 or
 * -1 with err. */
int credit_open(struct pos_credit *c, const struct pos_config *conf, char *err, size_t errlen);

/* Sends m and waits up to conf->credit_timeout_s for the answer with MTI
 * answer_mti and m's STAN.  Returns 0 with *answer, or -1 (c->error says
 * why; the connection is closed). */
int credit_exchange(struct pos_credit *c, const struct iso_msg *m, const char *answer_mti, struct iso_msg *answer);

void credit_close(struct pos_credit *c);

#endif
