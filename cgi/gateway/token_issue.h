/* token_issue.h — the end of a token request the shopper agreed to with the
 * right password ([0145]-[0148], [0159]-[0161]): the card decrypted in
 * memory, a fresh key made, the card number encrypted under it
 * (lib/common/tokencrypt), the key delivered to the issuer's credit server
 * (issuer_deliver_key, 0600/0610) and the outcome recorded.  The key and
 * the card number are wiped before it returns; neither is stored or
 * logged. */
#ifndef PAYGW_TOKEN_ISSUE_H
#define PAYGW_TOKEN_ISSUE_H

#include "db/db.h"
#include "gateway/db/token.h"

/* Runs the delivery of d (token request id) (gateway.do_token_reply answered deliver) and
 * records it.  The status and reason stored go to status and reason (the
 * sweeper's if it ended the request first).  DB_ONE_ROW, or an error when
 * the end could not be recorded (the sweeper fails the request later). */
enum db_status token_issue(struct db *db, const char *id, const struct token_reply_out *d, char status[32],
                           char reason[32]);

#endif
