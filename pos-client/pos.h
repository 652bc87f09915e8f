/* pos.h — one run of `pos` (main.c), shared with the token sale's second
 * half (token_sale.c): its settings, sale, gateway handle, journal and, for
 * token sales, the STAN counter and the credit server's link. */
#ifndef PAYGW_POS_POS_H
#define PAYGW_POS_POS_H

#include "pos-client/credit.h"
#include "pos-client/posconf.h"
#include "pos-client/refund.h"
#include "pos-client/sale.h"
#include "pos-client/stan.h"
#include "pos-client/token.h"
#include "proxlink/gwhttp.h"
#include "proxlink/proxlink.h"
#include "proxlink/reach.h"

#include <jansson.h>
#include <signal.h>
#include <stdbool.h>

enum pos_exit {
  POS_PAID = 0,
  POS_NOT_PAID = 1,
  POS_USAGE = 2,
  POS_NETWORK = 3,
  POS_CANCEL = 100 /* internal: a number came, but the POS gives the sale up */
};

struct pos_run {
  struct pos_config conf;
  struct sale sale;
  struct gw_http g;
  struct gw_reach reach; /* does the gateway answer: one line per change */
  int journal_fd;
  char user_id[PROXLINK_USER_MAX + 1];
  char auth_header[300];
  char number[64]; /* the transaction number, or the token request's id */
  /* token sales */
  bool token;               /* token-sale: POST /v1/tokens, then the POS's own 0100 */
  const char *api;          /* "/v1/transactions" or "/v1/tokens" */
  char method[3];           /* --method: L I B pB R */
  int installments;         /* --method I3: 3 */
  char key_id[32];          /* token-void --key-id */
  struct token_sale *tok;   /* once issued: what the journal's token lines carry */
  struct pos_stan stan;     /* the STAN counter beside the journal (fd -1: not open) */
  struct pos_credit credit; /* the credit server's link (ctx NULL: not set up) */
  /* refunds */
  bool refunding;           /* the command is refund or refunds */
  struct pos_refund refund; /* refund: --transaction, --amount, --reason; refunds: --transaction */
  bool refund_resume;       /* refund --resume: only the refunds the journal left without an end */
  int refund_marks;         /* the marks of refunds in flight (-1: not open) */
};

/* Set by SIGINT/SIGTERM (main.c): the first asks to give up, a second to
 * stop at once. */
extern volatile int pos_stop_requested, pos_stop_now;

/* Appends one line to the journal (a single write on an O_APPEND file, then
 * fsync).  Returns 0 or -1 (said on stderr). */
int pos_journal_write(struct pos_run *run, char *line);

/* token_sale.c: the token sale after the gateway's answer (issued or not):
 * the journal's pending line, the 0100, the receipt, the final line, and
 * the reversal when no answer came.  Returns an enum pos_exit. */
int token_conclude(struct pos_run *run, const json_t *answer);

/* Reverses the token sales the journal leaves in doubt (start-up).
 * Returns 0, or -1 when one could not be settled now (said). */
int token_recover(struct pos_run *run);

/* `pos token-void --key-id ID`.  Returns an enum pos_exit. */
int token_void(struct pos_run *run);

/* Sets up the STAN counter and the credit server's link when not yet done.
 * Returns 0 or -1 (said on stderr). */
int token_setup(struct pos_run *run);

/* refund_run.c: `pos refund` (run->refund filled from the options): the
 * journal's refund_pending line, the POST, following it to its end, the
 * receipt and the end line.  Returns an enum pos_exit. */
int refund_command(struct pos_run *run);

/* Asks the gateway again, with the same key, for every refund of this
 * terminal the journal leaves without an end (start-up, `refund --resume`),
 * following each for a bounded time.  Returns how many there were (0 or
 * more), or -1 when one is still open (said). */
int refund_recover(struct pos_run *run);

/* `pos refunds --transaction N`: the payment's refunds.  An enum pos_exit. */
int refunds_list(struct pos_run *run);

/* refund and refunds (list: refunds): the options each needs and no
 * other.  Returns 0, or -1 (said on stderr). */
int refund_options_check(const struct pos_run *run, bool list);

/* `refund --resume`: what the start-up recovery found (refund_recover's
 * result), said when there was nothing.  Returns an enum pos_exit. */
int refund_resumed(const struct pos_run *run, int refunds_open);

#endif
