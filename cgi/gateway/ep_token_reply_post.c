/* ep_token_reply_post.c — POST /v1/tokens/{id}/reply ([0151], [0155]): the
 * handset answers a token_confirmation, signed by its device key
 * (X-Paygw-Device, X-Paygw-Timestamp, X-Paygw-Signature over
 * "token-reply:<id>:<device>:<timestamp>:<SHA-256 hex of the body>",
 * token_request.h), with {"agree": true, "password": <web password>,
 * "device_id": ...} or {"agree": false, "device_id": ...}.
 *
 *   headers missing or malformed, stale timestamp → 401, nothing changes
 *   request not awaiting the reply               → 409 wrong_state (a replay changes nothing)
 *   not the user's handset or key                → 403 wrong_device, canceled
 *   Not agree                                    → 200 canceled/not_agreed
 *   user locked                                  → 423 user_locked, canceled
 *   wrong web password (or none)                 → 403 wrong_password, canceled, counted;
 *                                                  the one that locks → 423 user_locked
 *   right password                               → the card checked again (rejected), then
 *                                                  the key delivered (token_issue.c): 200 issued | failed
 * The password is the user's web password (the history's argon2id hash and
 * its lock: one counter for every door that takes it).  The handset never
 * gets the encrypted number: the answer is the status only. */
#include "gateway/auth.h"
#include "gateway/db/token.h"
#include "gateway/endpoints.h"
#include "gateway/reply.h"
#include "gateway/settings.h"
#include "gateway/token_issue.h"
#include "gateway/token_request.h"
#include "gateway/validate.h"
#include "common/ed25519.h"
#include "common/log.h"
#include "common/pwhash.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const struct field token_reply_spec[] = {
  { .name = "agree", .type = FIELD_BOOL, .required = true, .offset = offsetof(struct token_reply_body, agree) },
  { .name = "password",
    .type = FIELD_STRING,
    .min_len = 1,
    .max_len = 256,
    .offset = offsetof(struct token_reply_body, password) },
  { .name = "device_id",
    .type = FIELD_CODE,
    .required = true,
    .min_len = 1,
    .max_len = 32,
    .offset = offsetof(struct token_reply_body, device_id) },
  { 0 },
};

/* The signed headers, well formed and fresh; 401 (nothing changes) else. */
struct signed_headers {
  const char *device, *stamp;
  unsigned char sig[ED25519_SIG_LEN];
};

static int unauthenticated(struct request *rq, const char *detail)
{
  reply_add_header(rq, "WWW-Authenticate: Signature realm=\"paygw\"");
  return CLIENT_FAULT(rq, PROBLEM_UNAUTHENTICATED, "%s", detail);
}

static int read_headers(struct request *rq, struct signed_headers *h)
{
  const char *sig_text = request_header(rq, "HTTP_X_PAYGW_SIGNATURE");
  int64_t ts;

  h->device = request_header(rq, "HTTP_X_PAYGW_DEVICE");
  h->stamp = request_header(rq, "HTTP_X_PAYGW_TIMESTAMP");
  if (!h->device || !h->stamp || !sig_text) {
    unauthenticated(rq, "X-Paygw-Device, X-Paygw-Timestamp and X-Paygw-Signature are required");
    return -1;
  }
  if (device_headers_parse(h->device, h->stamp, sig_text, &ts, h->sig) != 0) {
    unauthenticated(rq, "the device signature headers are malformed");
    return -1;
  }
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  if (llabs((int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000 - ts) > settings.clock_skew_s * 1000) {
    unauthenticated(rq, "X-Paygw-Timestamp is too far from the gateway's clock");
    return -1;
  }
  return 0;
}

/* Both the header and the body name the request's handset, still the
 * user's, and its key signed this very body for this request. */
static bool device_ok(struct request *rq, const struct signed_headers *h, const struct token_reply_body *in,
                      const struct token_reply_row *row)
{
  unsigned char key[32];
  char text[256];

  if (!row->device_ok || strcmp(h->device, row->device_code) != 0 || strcmp(in->device_id, row->device_code) != 0)
    return false;
  if (hex_to_key(row->public_key, key) != 0
      || token_reply_signed_text(rq->path_param, h->device, h->stamp, rq->body, rq->body_len, text, sizeof text) < 0)
    return false;
  return ed25519_verify(key, text, strlen(text), h->sig);
}

static int answer_status(struct request *rq, const char *status, const char *reason)
{
  return reply_json(rq, 200,
                    json_pack("{s:s, s:s, s:o}", "id", rq->path_param, "status", status, "reason",
                              reason && *reason ? json_string(reason) : json_null()));
}

static int locked(struct request *rq, const char *until)
{
  return CLIENT_FAULT_EXTRA(rq, PROBLEM_USER_LOCKED, json_pack("{s:s}", "locked_until", until),
                            "the user ID is locked after too many wrong web passwords, until %s; the token request "
                            "is canceled",
                            until);
}

static int answer(struct request *rq, enum token_verdict verdict, struct token_reply_out *out)
{
  char status[32], reason[32];

  switch (out->outcome) {
  case REPLY_UNKNOWN:
    return CLIENT_FAULT(rq, PROBLEM_UNKNOWN_TOKEN, "no token request %s", rq->path_param);
  case REPLY_WRONG_STATE:
    return CLIENT_FAULT_EXTRA(rq, PROBLEM_WRONG_STATE, json_pack("{s:s}", "token_status", out->status),
                              "the token request is %s; a reply is not taken now", out->status);
  case REPLY_LOCKED:
    return locked(rq, out->locked_until);
  case REPLY_ENDED:
    if (verdict == VERDICT_WRONG_DEVICE)
      return CLIENT_FAULT(rq, PROBLEM_WRONG_DEVICE,
                          "the reply is not from the handset enrolled for the user ID, or its signature does not "
                          "verify; the token request is canceled");
    if (verdict == VERDICT_WRONG_PASSWORD)
      return CLIENT_FAULT(rq, PROBLEM_WRONG_PASSWORD, "the web password is wrong; the token request is canceled");
    return answer_status(rq, out->status, out->reason);
  case REPLY_DELIVER:
    if (token_issue(rq->db, rq->path_param, out, status, reason) != DB_ONE_ROW)
      return reply_db_failed(rq, "the outcome of the key delivery could not be recorded; read the token request");
    return answer_status(rq, status, reason);
  }
  return BUG(rq, "unknown outcome of gateway.do_token_reply");
}

int ep_token_reply_post(struct request *rq)
{
  json_t *body = NULL;
  struct token_reply_body in = { 0 };
  struct signed_headers h;
  struct token_reply_row row;
  struct token_reply_out out;
  int status;

  if (parse_json_body(rq, token_reply_spec, &in, &body) != 0)
    return rq->status;
  if (in.agree && !in.password) {
    status = CLIENT_FAULT(rq, PROBLEM_INVALID_FIELD, "password: required when agree is true");
    goto out;
  }
  if (read_headers(rq, &h) != 0) {
    status = rq->status;
    goto out;
  }
  enum db_status st = db_token_reply_read(rq->db, rq->path_param, &row);
  if (st < 0) {
    status = reply_problem(rq, PROBLEM_DB_UNAVAILABLE, "the database is not reachable");
    goto out;
  }
  if (st == DB_NO_ROWS) {
    status = CLIENT_FAULT(rq, PROBLEM_UNKNOWN_TOKEN, "no token request %s", rq->path_param);
    goto out;
  }
  /* a reply to a request that has ended (a replay, or too late) changes
   * nothing and costs no password check; an overdue one is expired by the
   * next read or the sweeper */
  if (strcmp(row.status, "awaiting_reply") != 0 || row.overdue) {
    const char *now = row.overdue ? "expired" : row.status;
    status = CLIENT_FAULT_EXTRA(rq, PROBLEM_WRONG_STATE, json_pack("{s:s}", "token_status", now),
                                "the token request is %s; a reply is not taken now", now);
    goto out;
  }
  struct token_reply_facts facts = { .device_ok = device_ok(rq, &h, &in, &row),
                                     .agree = in.agree,
                                     .locked = row.locked };
  if (token_reply_needs_password(&facts))
    facts.password_ok = *row.password_hash && pwhash_verify(row.password_hash, in.password);
  enum token_verdict verdict = token_reply_verdict(&facts);
  OPENSSL_cleanse(row.password_hash, sizeof row.password_hash);
  if (db_token_reply(rq->db, rq->path_param, token_verdict_word(verdict), settings.lock_after, settings.lock_s, &out)
      != DB_ONE_ROW) {
    status = reply_db_failed(rq, "the reply could not be recorded; read the token request before replying again");
    goto out;
  }
  status = answer(rq, verdict, &out);
out:
  /* the password lives no longer than the request: in jansson's copy and in the body read */
  if (in.password)
    OPENSSL_cleanse((char *)in.password, strlen(in.password));
  if (rq->body)
    OPENSSL_cleanse(rq->body, rq->body_len);
  json_decref(body);
  return status;
}
