/* flow.c — one payment as the POS and the handset make it (see flow.h).
 * Each step checks the answer the contract (docs/api.md) promises, so a
 * flow only counts as completed when every step behaved; a failed check
 * ends the flow with a reason. */
#include "bench/flow.h"
#include "common/b64url.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

const char *const endpoint_names[EP_COUNT] = {
  "POST /v1/transactions",   "GET /v1/mailbox",         "POST /v1/device-auth",     "POST .../confirmation",
  "GET .../payment-methods", "POST .../payment-method", "GET /v1/transactions/{n}", "GET /v1/ping",
};

/* what the handset learnt from the payment command */
struct command {
  char challenge[96], binding_code[16];
};

static int fail(char *why, size_t why_len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(char *why, size_t why_len, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(why, why_len, fmt, ap);
  va_end(ap);
  return -1;
}

/* "HTTP 409 wrong_state" or the transport error, for a reason text */
static void describe_answer(const struct http *c, const char *step, char *why, size_t why_len)
{
  if (c->status == 0) {
    snprintf(why, why_len, "%s: transport error: %s", step, c->error);
    return;
  }
  json_t *doc = json_loads(c->body, 0, NULL);
  const char *code = json_string_value(json_object_get(doc, "code"));
  snprintf(why, why_len, "%s: HTTP %ld %s", step, c->status, code ? code : "");
  json_decref(doc);
}

static const char *str_member(json_t *obj, const char *name)
{
  const char *s = json_string_value(json_object_get(obj, name));
  return s ? s : "";
}

/* true when the last answer on c is HTTP status with the problem code */
static bool answer_is(const struct http *c, long status, const char *code)
{
  if (c->status != status)
    return false;
  json_t *doc = json_loads(c->body, 0, NULL);
  bool is = strcmp(str_member(doc, "code"), code) == 0;
  json_decref(doc);
  return is;
}

/* 1 when the answer is a rate limit (429 rate_limited: nginx's per-address
 * one, or the gateway's per-terminal one on POST /v1/transactions), not the
 * gateway's own slow_down. */
static bool rate_limited(const struct http *c)
{
  return answer_is(c, 429, "rate_limited");
}

/* a 409 wrong_state saying the transaction is now in state: a step sent
 * again after its first copy took effect */
static bool moved_on_to(const struct http *c, const char *state)
{
  if (!answer_is(c, 409, "wrong_state"))
    return false;
  json_t *doc = json_loads(c->body, 0, NULL);
  bool is = strcmp(str_member(doc, "transaction_status"), state) == 0;
  json_decref(doc);
  return is;
}

/* --keep-going: how long one request is sent again, and how long the POS
 * reads a payment before giving up on seeing its end (the sweeper settles
 * an authorization in doubt within PAYGW_ISSUER_TIMEOUT_MS and its passes) */
#define KEEP_SENDING_US 60000000ull
#define SETTLE_US 120000000ull

/* --keep-going: an answer after which the clients send a request that is
 * safe twice again after a pause (docs/errors.md): none at all (the
 * connection broke), nginx's 502 (the worker died under the request) and
 * 504, and the 503s (nginx's gateway_unavailable, the gateway's
 * database_unavailable and outcome_unknown).  Which requests are safe to
 * send twice is the caller's business. */
static bool worth_sending_again(const struct http *c)
{
  return c->status == 0 || c->status == 502 || c->status == 503 || c->status == 504;
}

bool flow_status_final(const char *status)
{
  static const char *const finals[] = { "completed", "declined", "failed", "canceled", "expired" };
  for (size_t i = 0; i < sizeof finals / sizeof finals[0]; i++)
    if (strcmp(status, finals[i]) == 0)
      return true;
  return false;
}

/* A handset request as the handset app makes it: every flow of the
 * benchmark comes from 127.0.0.1, so nginx's per-address limit on the
 * device endpoints can answer 429 rate_limited when many handsets act at
 * once (as behind a carrier's NAT).  Nothing reached the gateway then, so
 * the request is sent again after nginx's Retry-After (1 s), a few times.
 * With --keep-going a request safe to send twice (resend) is also sent
 * again after an error worth it, for up to KEEP_SENDING_US. */
static long handset_request(struct flow_worker *w, const char *method, const char *path, const char *const *headers,
                            const char *body, struct hist *h, bool resend)
{
  long st = http_request(&w->handset, method, path, headers, body, h);
  unsigned long long give_up = now_us() + KEEP_SENDING_US;
  for (int tries = 1;; tries++) {
    if (tries < 5 && rate_limited(&w->handset))
      w->rate_limited++;
    else if (resend && w->cfg->keep_going && now_us() < give_up
             && (worth_sending_again(&w->handset) || rate_limited(&w->handset)))
      w->sent_again++;
    else
      break;
    sleep(1);
    st = http_request(&w->handset, method, path, headers, body, h);
  }
  return st;
}

static int64_t wall_ms(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void rfc3339(time_t t, char out[32])
{
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int sign_b64(const unsigned char key[ED25519_KEY_LEN], const char *text, char out[100])
{
  unsigned char sig[ED25519_SIG_LEN];
  if (ed25519_sign(key, text, strlen(text), sig) != 0)
    return -1;
  b64url_encode(sig, sizeof sig, out);
  return 0;
}

/* --- the POS -------------------------------------------------------------- */

static int pos_create(struct flow_worker *w, char txn[64], char binding[16], char *why, size_t why_len)
{
  const struct flow_config *cfg = w->cfg;
  char key_header[120];
  snprintf(key_header, sizeof key_header, "Idempotency-Key: bench-%ld-%d-%lu", (long)getpid(), w->id, w->seq);
  const char *headers[] = { cfg->terminal_auth, key_header, NULL };
  json_t *req = json_pack("{s:s, s:s, s:[{s:s, s:i, s:I, s:i}], s:s+}", "user_id", w->user->user_id, "currency", "JPY",
                          "items", "name", "bench item", "quantity", 1, "unit_price", (json_int_t)cfg->amount, "tax", 0,
                          "reference", "bench-", w->user->user_id);
  char *body = json_dumps(req, JSON_COMPACT);
  json_decref(req);
  long st = http_request(&w->pos, "POST", "/v1/transactions", headers, body, &cfg->hist[EP_TXN_POST]);
  /* every flow comes from one terminal: past its allowance (PAYGW_TERMINAL_RATE,
   * which scripts/bench lifts) the gateway answers 429 rate_limited and
   * stores nothing, so the sale is sent again with its key after the
   * Retry-After (1 s at the default rate), as a POS would.  With
   * --keep-going also after an error and after too_many_open (this POS's
   * abandoned payments are being canceled or settled): the same key gets
   * the first answer if the sale was made. */
  unsigned long long give_up = now_us() + KEEP_SENDING_US;
  for (int tries = 1;; tries++) {
    if (tries < 10 && rate_limited(&w->pos))
      w->rate_limited++;
    else if (cfg->keep_going && now_us() < give_up
             && (worth_sending_again(&w->pos) || rate_limited(&w->pos) || answer_is(&w->pos, 409, "too_many_open")))
      w->sent_again++;
    else
      break;
    sleep(1);
    st = http_request(&w->pos, "POST", "/v1/transactions", headers, body, &cfg->hist[EP_TXN_POST]);
  }
  free(body);
  if (st != 201) {
    describe_answer(&w->pos, "POST /v1/transactions", why, why_len);
    return -1;
  }
  json_t *ans = json_loads(w->pos.body, 0, NULL);
  int rc = 0;
  if (strcmp(str_member(ans, "status"), "awaiting_device") != 0 || !*str_member(ans, "transaction")
      || json_integer_value(json_object_get(ans, "total")) != cfg->amount)
    rc = fail(why, why_len, "POST /v1/transactions: unexpected answer");
  else {
    snprintf(txn, 64, "%s", str_member(ans, "transaction"));
    snprintf(binding, 16, "%s", str_member(ans, "binding_code"));
    snprintf(w->status, sizeof w->status, "awaiting_device");
  }
  json_decref(ans);
  return rc;
}

/* The POS fetches the outcome into w->status; returns 0, or -1 with why.
 * approval is the code the handset saw ("" for none). */
static int pos_fetch(struct flow_worker *w, const char *txn, const char *approval, char *why, size_t why_len)
{
  char *status = w->status;
  char path[128];
  snprintf(path, sizeof path, "/v1/transactions/%s", txn);
  const char *headers[] = { w->cfg->terminal_auth, NULL };
  if (http_request(&w->pos, "GET", path, headers, NULL, &w->cfg->hist[EP_TXN_GET]) != 200) {
    describe_answer(&w->pos, "GET /v1/transactions/{n}", why, why_len);
    return -1;
  }
  json_t *ans = json_loads(w->pos.body, 0, NULL);
  int rc = 0;
  snprintf(status, sizeof w->status, "%s", str_member(ans, "status"));
  json_t *completion = json_object_get(ans, "completion");
  if (strcmp(status, "completed") == 0 && (approval[0] || !w->cfg->keep_going)
      && strcmp(str_member(completion, "approval_code"), approval) != 0)
    rc = fail(why, why_len, "GET /v1/transactions/{n}: approval code differs from the handset's");
  json_decref(ans);
  return rc;
}

/* --- the handset ------------------------------------------------------------ */

/* Verifies one mailbox entry and returns its parsed message, or NULL. */
static json_t *verified_message(const struct flow_config *cfg, json_t *entry)
{
  const char *text = str_member(entry, "message"), *sig_text = str_member(entry, "signature");
  unsigned char sig[ED25519_SIG_LEN + 2];
  if (b64url_decode(sig_text, sig, sizeof sig) != ED25519_SIG_LEN
      || !ed25519_verify(cfg->message_key, text, strlen(text), sig))
    return NULL;
  return json_loads(text, 0, NULL);
}

/* One signed poll; takes the command for txn (if txn and present) into cmd.
 * Returns 1 when found, 0 when not, -1 on an error. */
static int handset_poll(struct flow_worker *w, const char *txn, struct command *cmd, long *interval, char *why,
                        size_t why_len)
{
  struct bench_user *u = w->user;
  int64_t ts = wall_ms();
  if (ts <= u->last_poll_ms)
    ts = u->last_poll_ms + 1;
  u->last_poll_ms = ts;
  char text[128], sig[100], h_dev[80], h_ts[64], h_sig[140];
  snprintf(text, sizeof text, "mailbox:%s:%lld", u->device_id, (long long)ts);
  if (sign_b64(u->device_key, text, sig) != 0)
    return fail(why, why_len, "signing the mailbox poll failed");
  snprintf(h_dev, sizeof h_dev, "X-Paygw-Device: %s", u->device_id);
  snprintf(h_ts, sizeof h_ts, "X-Paygw-Timestamp: %lld", (long long)ts);
  snprintf(h_sig, sizeof h_sig, "X-Paygw-Signature: %s", sig);
  const char *headers[] = { h_dev, h_ts, h_sig, NULL };

  /* never sent again as it is: a signed poll's copy is a replay (the
   * pickup polls anew) */
  long st = handset_request(w, "GET", "/v1/mailbox", headers, NULL, &w->cfg->hist[EP_MAILBOX], false);
  json_t *ans = json_loads(w->handset.body, 0, NULL);
  *interval = json_integer_value(json_object_get(ans, "interval"));
  if (st == 429 && !rate_limited(&w->handset)) { /* slow_down: wait as told */
    w->slow_downs++;
    json_decref(ans);
    return 0;
  }
  if (st != 200) {
    json_decref(ans);
    describe_answer(&w->handset, "GET /v1/mailbox", why, why_len);
    return -1;
  }
  int found = 0;
  json_t *messages = json_object_get(ans, "messages"), *entry;
  size_t i;
  json_array_foreach (messages, i, entry) {
    json_t *msg = verified_message(w->cfg, entry);
    if (!msg) {
      found = fail(why, why_len, "GET /v1/mailbox: a message's signature does not verify");
      break;
    }
    const char *kind = str_member(msg, "kind");
    if (strcmp(kind, "completion") == 0) {
      w->completions_seen++;
      if (strcmp(str_member(msg, "status"), "completed") != 0)
        w->completions_bad++;
    } else if (strcmp(kind, "payment_command") == 0 && txn && strcmp(str_member(msg, "transaction"), txn) == 0) {
      if (strcmp(str_member(msg, "user_id"), u->user_id) != 0
          || strcmp(str_member(msg, "device_id"), u->device_id) != 0)
        found = fail(why, why_len, "GET /v1/mailbox: the payment command names another user or device");
      else {
        snprintf(cmd->challenge, sizeof cmd->challenge, "%s", str_member(msg, "challenge"));
        snprintf(cmd->binding_code, sizeof cmd->binding_code, "%s", str_member(msg, "binding_code"));
        found = found < 0 ? found : 1;
      }
    } else {
      w->stale_commands++; /* a command of an earlier, abandoned flow */
    }
    json_decref(msg);
    if (found < 0)
      break;
  }
  json_decref(ans);
  if (found == 0)
    w->polls_empty++;
  return found;
}

/* Polls until the payment command for txn arrives (at most 30 s). */
static int handset_pickup(struct flow_worker *w, const char *txn, struct command *cmd, char *why, size_t why_len)
{
  unsigned long long deadline = now_us() + 30000000ull;
  for (;;) {
    long interval = 0;
    int rc = handset_poll(w, txn, cmd, &interval, why, why_len);
    if (rc < 0 && w->cfg->keep_going && worth_sending_again(&w->handset) && now_us() < deadline) {
      w->sent_again++; /* a poll that took effect took its messages: the next may find none */
      sleep(1);
      continue;
    }
    if (rc != 0)
      return rc > 0 ? 0 : -1;
    if (now_us() > deadline)
      return fail(why, why_len, "GET /v1/mailbox: no payment command within 30 s");
    if (interval > 0) /* the handset obeys the direction server */
      sleep((unsigned)interval);
  }
}

static int handset_device_auth(struct flow_worker *w, const char *txn, const struct command *cmd, char session[80],
                               char *why, size_t why_len)
{
  struct bench_user *u = w->user;
  time_t now = time(NULL);
  char verified[32], expires[32], text[400], sig[100];
  rfc3339(now - 1, verified);
  rfc3339(now + 1800, expires);
  snprintf(text, sizeof text, "device-auth:%s:%s:%s:%s", txn, u->user_id, cmd->challenge, expires);
  if (sign_b64(u->device_key, text, sig) != 0)
    return fail(why, why_len, "signing the device-auth challenge failed");
  json_t *req = json_pack("{s:s, s:s, s:s, s:{s:s, s:s}, s:s, s:s}", "transaction", txn, "user_id", u->user_id,
                          "device_id", u->device_id, "auth_result", "verified_at", verified, "expires_at", expires,
                          "challenge", cmd->challenge, "signature", sig);
  char *body = json_dumps(req, JSON_COMPACT);
  json_decref(req);
  /* sent again, the same challenge: if the first copy took effect the
   * challenge is used up (challenge_refused) and the flow is abandoned */
  long st = handset_request(w, "POST", "/v1/device-auth", NULL, body, &w->cfg->hist[EP_DEVICE_AUTH], true);
  free(body);
  if (st != 200) {
    describe_answer(&w->handset, "POST /v1/device-auth", why, why_len);
    return -1;
  }
  json_t *ans = json_loads(w->handset.body, 0, NULL);
  int rc = 0;
  if (strcmp(str_member(ans, "status"), "awaiting_confirmation") != 0 || strlen(str_member(ans, "session")) >= 80
      || !*str_member(ans, "session") || json_integer_value(json_object_get(ans, "total")) != w->cfg->amount
      || strcmp(str_member(ans, "binding_code"), cmd->binding_code) != 0)
    rc = fail(why, why_len, "POST /v1/device-auth: unexpected answer");
  else
    snprintf(session, 80, "%s", str_member(ans, "session"));
  json_decref(ans);
  return rc;
}

/* POST or GET on /v1/transactions/{n}/<what> with the session; expects 200
 * and returns the parsed answer (caller decrefs) or NULL. */
static json_t *session_call(struct flow_worker *w, const char *method, const char *txn, const char *what,
                            const char *session, const char *body, enum endpoint ep, char *why, size_t why_len)
{
  char path[160], auth[120];
  snprintf(path, sizeof path, "/v1/transactions/%s/%s", txn, what);
  snprintf(auth, sizeof auth, "Authorization: Bearer %s", session);
  const char *headers[] = { auth, NULL };
  /* the method choice is never sent twice (it may have reached the issuer):
   * after an error the POS reads the outcome */
  long st = handset_request(w, method, path, headers, body, &w->cfg->hist[ep], ep != EP_METHOD_POST);
  if (st != 200) {
    describe_answer(&w->handset, endpoint_names[ep], why, why_len);
    return NULL;
  }
  json_t *ans = json_loads(w->handset.body, 0, NULL);
  if (!ans)
    fail(why, why_len, "%s: the answer is not JSON", endpoint_names[ep]);
  return ans;
}

static bool offers_method(json_t *methods, const char *method)
{
  json_t *m;
  size_t i;
  json_array_foreach (methods, i, m) {
    if (strcmp(str_member(m, "method"), method) == 0)
      return true;
  }
  return false;
}

/* confirmation, method list, method choice; fills the approval code */
static int handset_pay(struct flow_worker *w, const char *txn, const char *session, char approval[16], char *why,
                       size_t why_len)
{
  const struct flow_config *cfg = w->cfg;
  json_t *ans =
      session_call(w, "POST", txn, "confirmation", session, "{\"agree\":true}", EP_CONFIRMATION, why, why_len);
  bool ok;
  if (ans) {
    ok = strcmp(str_member(ans, "status"), "awaiting_method") == 0;
    json_decref(ans);
  } else if (cfg->keep_going && moved_on_to(&w->handset, "awaiting_method")) {
    ok = true; /* sent again after its first copy took effect */
  } else {
    return -1;
  }
  if (!ok)
    return fail(why, why_len, "confirmation: status is not awaiting_method");

  ans = session_call(w, "GET", txn, "payment-methods", session, NULL, EP_METHODS_GET, why, why_len);
  if (!ans)
    return -1;
  ok = offers_method(json_object_get(ans, "methods"), cfg->method);
  json_decref(ans);
  if (!ok)
    return fail(why, why_len, "payment-methods: method %s is not offered", cfg->method);

  char body[80];
  if (cfg->installments > 0)
    snprintf(body, sizeof body, "{\"method\":\"%s\",\"installments\":%d}", cfg->method, cfg->installments);
  else
    snprintf(body, sizeof body, "{\"method\":\"%s\"}", cfg->method);
  ans = session_call(w, "POST", txn, "payment-method", session, body, EP_METHOD_POST, why, why_len);
  if (!ans)
    return -1;
  int rc = 0;
  const char *status = str_member(ans, "status");
  if (strcmp(status, "completed") != 0) {
    json_t *decline = json_object_get(ans, "decline");
    rc = fail(why, why_len, "payment-method: status %s %s", status, str_member(decline, "code"));
  } else if (!*str_member(ans, "approval_code") || json_integer_value(json_object_get(ans, "total")) != cfg->amount) {
    rc = fail(why, why_len, "payment-method: completed without approval code or with another total");
  } else {
    snprintf(approval, 16, "%s", str_member(ans, "approval_code"));
  }
  json_decref(ans);
  return rc;
}

/* --- the whole flow ---------------------------------------------------------- */

/* The POS cancels its payment (POST /v1/transactions/{n}/cancel, no body);
 * true once the gateway has answered it — canceled, or refused with
 * wrong_state when the payment had moved on — false when it is worth
 * sending again. */
static bool pos_cancel(struct flow_worker *w)
{
  char path[128];
  snprintf(path, sizeof path, "/v1/transactions/%s/cancel", w->txn);
  const char *headers[] = { w->cfg->terminal_auth, NULL };
  http_request(&w->pos, "POST", path, headers, NULL, NULL);
  return !worth_sending_again(&w->pos);
}

/* --keep-going: the POS reads the payment (sent again after an error) until
 * its status is final, for up to SETTLE_US.  When the handset did not see
 * the end (abandoned), a payment still waiting for the handset, the
 * agreement or a method is canceled, as a clerk would; one being
 * authorized is left to the gateway (the sweeper settles it).  Returns 0,
 * or -1 with why. */
static int pos_settle(struct flow_worker *w, const char *approval, bool abandoned, char *why, size_t why_len)
{
  unsigned long long give_up = now_us() + SETTLE_US;
  bool canceled = false;
  for (;;) {
    if (pos_fetch(w, w->txn, approval, why, why_len) == 0) {
      if (flow_status_final(w->status))
        return 0;
      if (abandoned && !canceled && strcmp(w->status, "authorizing") != 0)
        canceled = pos_cancel(w);
    } else if (!worth_sending_again(&w->pos)) {
      return -1; /* an answer that breaks the contract */
    } else {
      w->sent_again++;
    }
    if (now_us() > give_up)
      return fail(why, why_len, "the POS saw no final status within %llu s (last: %s)", SETTLE_US / 1000000,
                  w->status[0] ? w->status : "none");
    sleep(1);
  }
}

enum flow_outcome flow_run(struct flow_worker *w, unsigned long long *latency_us, char *why, size_t why_len)
{
  char binding[16], session[80], approval[16] = "";
  struct command cmd;
  bool keep_going = w->cfg->keep_going, reached_pay = false, broken = false;

  w->seq++;
  why[0] = '\0';
  w->txn[0] = w->status[0] = '\0';
  unsigned long long start = now_us();
  if (pos_create(w, w->txn, binding, why, why_len) != 0) {
    w->txn[0] = '\0';
    return FLOW_ERROR;
  }
  int paid = -1;
  if (handset_pickup(w, w->txn, &cmd, why, why_len) != 0) {
    /* no payment command: abandoned */
  } else if (strcmp(cmd.binding_code, binding) != 0) {
    broken = true;
    fail(why, why_len, "the handset's binding code differs from the POS's");
  } else if (handset_device_auth(w, w->txn, &cmd, session, why, why_len) == 0) {
    reached_pay = true;
    paid = handset_pay(w, w->txn, session, approval, why, why_len);
  }
  if (!reached_pay && !keep_going)
    return FLOW_ERROR;
  /* the POS asks for the outcome whatever the handset saw */
  char pos_why[200] = "";
  int fetched = keep_going ? pos_settle(w, approval, paid != 0, pos_why, sizeof pos_why)
                           : pos_fetch(w, w->txn, approval, pos_why, sizeof pos_why);
  if (fetched != 0) {
    if (paid == 0 || !why[0])
      snprintf(why, why_len, "%s", pos_why);
    return FLOW_ERROR;
  }
  *latency_us = now_us() - start;
  bool completed = strcmp(w->status, "completed") == 0;
  if (broken)
    return FLOW_ERROR;
  if (paid != 0) {
    /* with --keep-going the handset may have lost the answer of a payment
     * that went through: the POS's view is the outcome */
    if (keep_going)
      return completed ? FLOW_COMPLETED : FLOW_ENDED_OTHERWISE;
    return completed ? FLOW_ERROR : FLOW_ENDED_OTHERWISE;
  }
  if (!completed) {
    fail(why, why_len, "the handset saw completed but the POS sees %s", w->status);
    return FLOW_ERROR;
  }
  return FLOW_COMPLETED;
}

int flow_drain_mailbox(struct flow_worker *w, char *why, size_t why_len)
{
  struct command cmd;
  /* a poll right after the last flow's may be told to slow down: wait as
   * told and ask again */
  for (int attempt = 0; attempt < 3; attempt++) {
    long interval = 0;
    unsigned long slow_downs = w->slow_downs;
    if (handset_poll(w, NULL, &cmd, &interval, why, why_len) < 0)
      return -1;
    if (w->slow_downs == slow_downs)
      return 0;
    sleep(interval > 0 ? (unsigned)interval : 1);
  }
  return fail(why, why_len, "GET /v1/mailbox: still told to slow down");
}
