/* credit.c — the POS's ISO 8583 link (credit.h). */
#include "pos-client/credit.h"
#include "iso8583/authmsg.h"
#include "iso8583/frame.h"
#include "iso8583/tls.h"

#include <stdio.h>
#include <string.h>

#define CONNECT_TIMEOUT_MS 3000

int credit_open(struct pos_credit *c, const struct pos_config *conf, char *err, size_t errlen)
{
  memset(c, 0, sizeof *c);
  c->conf = conf;
  c->ctx = iso_tls_client_ctx(conf->credit_ca, conf->credit_cert, conf->credit_key, err, errlen);
  return c->ctx ? 0 : -1;
}

static void drop_link(struct pos_credit *c)
{
  iso_link_close(c->link);
  c->link = NULL;
}

/* Sends m, on a new connection when there is none or the kept one has gone. */
static int send_message(struct pos_credit *c, const struct iso_msg *m, long timeout_ms)
{
  uint8_t buf[ISO8583_MAX_MESSAGE];
  size_t len;
  enum iso_link_fail fail;

  if (iso_pack(m, buf, sizeof buf, &len) != ISO_OK) {
    snprintf(c->error, sizeof c->error, "cannot encode the %s", m->mti);
    return -1;
  }
  for (int attempt = 0; attempt < 2; attempt++) {
    if (c->link && !iso_link_usable(c->link))
      drop_link(c);
    const char *name = c->conf->credit_server_name[0] ? c->conf->credit_server_name : NULL;
    if (!c->link
        && !(c->link = iso_link_connect(c->ctx, c->conf->credit_addr, name,
                                        (int)(timeout_ms < CONNECT_TIMEOUT_MS ? timeout_ms : CONNECT_TIMEOUT_MS), &fail,
                                        c->error, sizeof c->error)))
      return -1;
    if (iso_link_send(c->link, buf, len, (int)timeout_ms) == ISO_FRAME_OK)
      return 0;
    snprintf(c->error, sizeof c->error, "the credit server closed the link");
    drop_link(c);
  }
  return -1;
}

int credit_exchange(struct pos_credit *c, const struct iso_msg *m, const char *answer_mti, struct iso_msg *answer)
{
  long timeout_ms = c->conf->credit_timeout_s * 1000L;
  const char *stan = iso_get(m, ISO_F_STAN);

  c->error[0] = '\0';
  if (!stan || send_message(c, m, timeout_ms) != 0)
    return -1;
  enum iso_await rc = iso_link_await(c->link, answer_mti, stan, answer, timeout_ms, NULL);
  if (rc == ISO_AWAIT_ANSWER)
    return 0;
  if (rc == ISO_AWAIT_TIMEOUT)
    snprintf(c->error, sizeof c->error, "no %s within %ld s", answer_mti, c->conf->credit_timeout_s);
  else
    snprintf(c->error, sizeof c->error, "the credit server closed the link%s%s", *iso_link_error(c->link) ? ": " : "",
             iso_link_error(c->link));
  drop_link(c);
  return -1;
}

void credit_close(struct pos_credit *c)
{
  drop_link(c);
  iso_tls_ctx_free(c->ctx);
  c->ctx = NULL;
}
