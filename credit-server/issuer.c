/* issuer.c — the pool of database connections the credit server's threads
 * share (one connection per message being decided), and the two
 * conversations: each takes a connection, makes its one call
 * (credit-server/db/) and maps lib/db's status to what the handler answers. */
#include "credit-server/issuer.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "common/cardcrypt.h"
#include "common/log.h"
#include "credit-server/db/ops.h"

struct pooled {
  struct db *db;
  bool busy;
};

static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pool_free = PTHREAD_COND_INITIALIZER;
static struct pooled *pool;
static int pool_size;

int issuer_pool_open(const char *uri, int size)
{
  pool = calloc((size_t)size, sizeof *pool);
  if (!pool)
    return -1;
  pool_size = size;
  for (int i = 0; i < size; i++) {
    /* a database that is not there at start is a configuration error: say
     * so now rather than answer 96 to every 0100 */
    pool[i].db = db_open(uri, "credit-server");
    if (!pool[i].db || !db_ensure_connected(pool[i].db)) {
      log_event(LOG_ERROR, json_pack("{s:s}", "msg", "cannot connect to the issuer database"));
      return -1;
    }
  }
  return 0;
}

void issuer_pool_close(void)
{
  for (int i = 0; i < pool_size; i++)
    db_close(pool[i].db);
  free(pool);
  pool = NULL;
  pool_size = 0;
}

static struct pooled *pool_take(void)
{
  pthread_mutex_lock(&pool_lock);
  for (;;) {
    for (int i = 0; i < pool_size; i++)
      if (!pool[i].busy) {
        pool[i].busy = true;
        pthread_mutex_unlock(&pool_lock);
        return &pool[i];
      }
    pthread_cond_wait(&pool_free, &pool_lock);
  }
}

static void pool_give(struct pooled *p)
{
  pthread_mutex_lock(&pool_lock);
  p->busy = false;
  pthread_cond_signal(&pool_free);
  pthread_mutex_unlock(&pool_lock);
}

int issuer_authorize_request(const struct credit_request *rq, long now, struct authorize_result *out)
{
  return issuer_authorize_from("acquirer", NULL, rq, now, out);
}

int issuer_authorize_from(const char *peer, const char *token_key_id, const struct credit_request *rq, long now,
                          struct authorize_result *out)
{
  char card_hash[CARDCRYPT_LOOKUP_HEX], approval[7];
  struct auth_answer answer;

  memset(out, 0, sizeof *out);
  /* the approval code is drawn here (OpenSSL's generator) and stored only
   * when the function approves */
  if (card_lookup_hash(rq->pan, card_hash) != 0 || credit_approval_code(approval) != 0)
    return -1;
  struct auth_request in = {
    .peer = peer, .token_key_id = token_key_id, .rq = rq, .card_hash = card_hash, .approval_code = approval, .now = now
  };
  struct pooled *conn = pool_take();
  enum db_status s = issuer_authorize(conn->db, &in, &answer);
  pool_give(conn);
  if (s == DB_IN_DOUBT)
    return -2;
  if (s != DB_ONE_ROW) {
    log_event(LOG_ERROR, json_pack("{s:s, s:s}", "msg", "transaction failed", "transaction", "authorize"));
    return -1;
  }
  memcpy(out->response_code, answer.response_code, sizeof out->response_code);
  memcpy(out->approval_code, answer.approval_code, sizeof out->approval_code);
  out->duplicate = answer.outcome != AUTH_DECIDED;
  out->differs = answer.differs;
  out->charged = answer.charged;
  return 0;
}

int issuer_reverse_request(const char *peer, const struct reversal_request *rv, enum reversal_outcome *outcome)
{
  struct pooled *conn = pool_take();
  enum db_status s = issuer_reverse(conn->db, peer, rv, outcome);

  pool_give(conn);
  if (s != DB_ONE_ROW) {
    log_event(LOG_ERROR, json_pack("{s:s, s:s}", "msg", "transaction failed", "transaction", "reverse"));
    return -1;
  }
  return 0;
}

int issuer_refund_request(const char *peer, const struct refund_request *rf, enum refund_outcome *outcome, char code[3])
{
  struct pooled *conn = pool_take();
  struct refund_answer answer;
  enum db_status s = issuer_refund(conn->db, peer, rf, &answer);

  pool_give(conn);
  if (s != DB_ONE_ROW) {
    log_event(LOG_ERROR, json_pack("{s:s, s:s}", "msg", "transaction failed", "transaction", "refund"));
    return -1;
  }
  *outcome = answer.outcome;
  memcpy(code, answer.response_code, 3);
  return 0;
}

int issuer_token_key_store(const struct token_key_new *in, struct token_key_put_answer *out)
{
  struct pooled *conn = pool_take();
  enum db_status s = issuer_token_key_put(conn->db, in, out);

  pool_give(conn);
  if (s != DB_ONE_ROW) {
    log_event(LOG_ERROR, json_pack("{s:s, s:s}", "msg", "transaction failed", "transaction", "token key put"));
    return -1;
  }
  return 0;
}

int issuer_token_key_find(const char *key_id, struct token_key_row *out)
{
  struct pooled *conn = pool_take();
  enum db_status s = issuer_token_key_read(conn->db, key_id, out);

  pool_give(conn);
  if (s == DB_NO_ROWS)
    return 0;
  if (s != DB_ONE_ROW) {
    log_event(LOG_ERROR, json_pack("{s:s, s:s}", "msg", "transaction failed", "transaction", "token key read"));
    return -1;
  }
  return 1;
}

int issuer_merchant_taken(const char *merchant_code)
{
  struct pooled *conn = pool_take();
  bool active = false;
  enum db_status s = issuer_merchant_active(conn->db, merchant_code, &active);

  pool_give(conn);
  if (s != DB_ONE_ROW) {
    log_event(LOG_ERROR, json_pack("{s:s, s:s}", "msg", "transaction failed", "transaction", "merchant active"));
    return -1;
  }
  return active ? 1 : 0;
}
