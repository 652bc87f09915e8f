/* authorization.h — the typed operations that end a 0100 after it was
 * recorded (gateway.do_begin_authorization), one file each in
 * cgi/gateway/db/: the issuer's answer recorded (auth_answer.c) and a
 * failure without one (auth_fail.c, gateway.do_fail_authorization of
 * sql/0016), used by the worker and, for what a dead worker left, by the
 * sweeper.  Each is one statement: one round trip, one commit. */
#ifndef PAYGW_DB_AUTHORIZATION_H
#define PAYGW_DB_AUTHORIZATION_H

#include "db/db.h"

#include <stdbool.h>

/* The issuer's answer: the authorization answered, the transaction ended
 * (`status` completed or declined, `reason` for a decline) and the signed
 * completion put in the handset's mailbox. */
struct auth_answer_in {
  const char *txn_id;                        /* gateway.transactions.id, decimal */
  const char *response_code, *approval_code; /* as the 0110 carried them */
  const char *status, *reason;
  const char *txn_approval_code; /* kept with the transaction: NULL unless approved */
  const char *message, *signature;
};

/* DB_ONE_ROW only when all three happened (the authorization was still
 * "sent" and the transaction "authorizing"), DB_NO_ROWS when the guards
 * found it settled already, or an error (DB_CHANGE: a lost answer is
 * DB_IN_DOUBT, and the failure that follows reads what became of it). */
enum db_status db_auth_record_answer(struct db *db, const struct auth_answer_in *in);

/* No answer in time (or none could be recorded, or the card did not
 * decrypt): the reversal falls due, the transaction fails with `reason`
 * and the handset is told (the signed completion), and `wake` (a channel,
 * NULL for none) is NOTIFYed at commit. */
struct auth_fail_in {
  const char *txn_id; /* decimal */
  const char *reason, *message, *signature;
  const char *wake;
};

struct auth_fail_out {
  bool was_sent;       /* the authorization was still "sent": its reversal is ours */
  char txn_status[32]; /* the transaction's status after the call */
};

/* One call of gateway.do_fail_authorization (DB_REPEATABLE: sent again, it
 * recognises the failure it recorded and answers was_sent again).
 * DB_ONE_ROW with *out, or an error. */
enum db_status db_auth_fail(struct db *db, const struct auth_fail_in *in, struct auth_fail_out *out);

#endif
