/* ep_device_auth_post.c — POST /v1/device-auth (S6-S8): the handset proves
 * the user authenticated on it recently (the stored auth result, [0074]), that
 * it is the device enrolled for the user ([0068]) and that it holds the
 * device key (a signature over the transaction's live challenge).  The answer
 * is what the handset shows (fig 16) and a session for the next steps. */
#include "gateway/auth.h"
#include "gateway/db/queries.h"
#include "gateway/endpoints.h"
#include "gateway/reply.h"
#include "gateway/settings.h"
#include "gateway/timefmt.h"
#include "gateway/tokens.h"
#include "gateway/txn.h"
#include "gateway/validate.h"
#include "common/b64url.h"
#include "common/ed25519.h"
#include "common/pan.h"

#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct field auth_result_spec[] = {
  { .name = "verified_at", .type = FIELD_TIME, .required = true, .offset = offsetof(struct auth_result, verified_at) },
  { .name = "expires_at", .type = FIELD_TIME, .required = true, .offset = offsetof(struct auth_result, expires_at) },
  { 0 }
};

const struct field device_auth_spec[] = {
  { .name = "transaction", .type = FIELD_CODE, .required = true, .min_len = 1, .max_len = 32,
    .offset = offsetof(struct device_auth_body, transaction) },
  { .name = "user_id", .type = FIELD_CODE, .required = true, .min_len = 1, .max_len = 32,
    .offset = offsetof(struct device_auth_body, user_id) },
  { .name = "device_id", .type = FIELD_CODE, .required = true, .min_len = 1, .max_len = 32,
    .offset = offsetof(struct device_auth_body, device_id) },
  { .name = "auth_result", .type = FIELD_OBJECT, .required = true, .members = auth_result_spec,
    .offset = offsetof(struct device_auth_body, auth_result), .size = sizeof(struct auth_result) },
  { .name = "challenge", .type = FIELD_B64URL, .required = true, .min_len = 43, .max_len = 43,
    .offset = offsetof(struct device_auth_body, challenge) },
  { .name = "signature", .type = FIELD_B64URL, .required = true, .min_len = 86, .max_len = 86,
    .offset = offsetof(struct device_auth_body, signature) },
  { 0 }
};

enum refusal { R_NONE, R_UNKNOWN_TXN, R_OTHER_USER, R_CHALLENGE, R_STATE, R_DB };

struct device_auth {
  const struct device_auth_body *in;
  const char *user_device_id;       /* gateway.devices.id of the user's device */
  char session[SESSION_TOKEN_LEN + 1];
  enum refusal refusal;
  char status[32];
  json_t *answer;
};

/* The auth result must be current and no longer than policy allows. */
static int check_auth_result(struct request *rq, const struct auth_result *result)
{
  int64_t verified = result->verified_at.at, expires = result->expires_at.at, now = (int64_t)time(NULL);

  if (expires <= now) {
    CLIENT_FAULT(rq, PROBLEM_AUTH_RESULT_EXPIRED, "the authentication on the handset has expired; authenticate again");
    return -1;
  }
  if (verified > now + settings.clock_skew_s || expires <= verified || expires - verified > settings.auth_result_max_s) {
    CLIENT_FAULT(rq, PROBLEM_INVALID_FIELD, "auth_result: must span at most %ld s and not start in the future",
                 settings.auth_result_max_s);
    return -1;
  }
  return 0;
}

/* The device named is the user's, and its key signed this request. */
static int check_device(struct request *rq, const struct device_auth_body *in, PGresult *user)
{
  unsigned char key[32], sig[ED25519_SIG_LEN + 2];
  char text[256];

  snprintf(text, sizeof text, "device-auth:%s:%s:%s:%s", in->transaction, in->user_id, in->challenge,
           in->auth_result.expires_at.text);
  if (strcmp(db_text(user, 0, "device_code"), in->device_id) != 0) {
    CLIENT_FAULT(rq, PROBLEM_DEVICE_REFUSED, "this device is not the one registered for the user ID");
    return -1;
  }
  if (hex_to_key(db_text(user, 0, "public_key"), key) != 0
      || b64url_decode(in->signature, sig, sizeof sig) != ED25519_SIG_LEN
      || !ed25519_verify(key, text, strlen(text), sig)) {
    CLIENT_FAULT(rq, PROBLEM_DEVICE_REFUSED, "the device signature does not verify");
    return -1;
  }
  return 0;
}

/* What the handset shows (fig 16), from the locked row and what txn_lock
 * joined to it: names from the merchant table, the card only masked. */
static json_t *details(PGresult *txn, const char *confirm_by)
{
  char masked[PAN_MAX_LEN + 1];

  pan_mask(db_text(txn, 0, "card_pan_masked"), masked, sizeof masked);   /* stored masked; the rule again */
  json_t *items = json_loads(db_text(txn, 0, "items"), 0, NULL);
  json_t *answer = json_pack(
      "{s:s, s:s, s:{s:s, s:s}, s:s, s:o, s:I, s:I, s:s, s:s, s:{s:s, s:s}, s:s}",
      "transaction", db_text(txn, 0, "number"), "status", "awaiting_confirmation",
      "merchant", "code", db_text(txn, 0, "merchant_code"), "name", db_text(txn, 0, "merchant_name"),
      "shop", db_text(txn, 0, "shop_name"), "items", items ? items : json_array(),
      "tax_total", (json_int_t)strtoll(db_text(txn, 0, "tax_total"), NULL, 10),
      "total", (json_int_t)strtoll(db_text(txn, 0, "total"), NULL, 10), "currency", db_text(txn, 0, "currency"),
      "binding_code", db_text(txn, 0, "binding_code"),
      "card", "label", db_text(txn, 0, "card_label"), "masked", masked, "confirm_by", confirm_by);
  return answer;
}

static enum db_status authenticate_in_db(struct db *db, void *ctx)
{
  struct device_auth *a = ctx;
  PGresult *txn;
  char deadline[RFC3339_LEN], session_hex[65];
  enum db_status st = txn_lock(db, a->in->transaction, &txn);

  a->refusal = R_DB;
  if (st < 0)
    return st;
  if (st == DB_NO_ROWS) {
    a->refusal = R_UNKNOWN_TXN;
    PQclear(txn);
    return DB_ABORT;
  }
  snprintf(a->status, sizeof a->status, "%s", db_text(txn, 0, "status"));
  if (strcmp(db_text(txn, 0, "user_id"), a->in->user_id) != 0)
    a->refusal = R_OTHER_USER;
  else if (strcmp(db_text(txn, 0, "challenge_used"), "t") == 0
           || CRYPTO_memcmp(db_text(txn, 0, "challenge"), a->in->challenge, CHALLENGE_LEN) != 0)
    a->refusal = R_CHALLENGE;
  else if (strcmp(a->status, "awaiting_device") != 0)
    a->refusal = R_STATE;
  else
    a->refusal = R_NONE;
  if (a->refusal != R_NONE) {
    PQclear(txn);
    return DB_NO_ROWS;      /* refused; commits an expiry txn_lock applied */
  }
  rfc3339(time(NULL) + settings.confirm_window_s, deadline);
  token_sha256_hex(a->session, session_hex);
  struct db_params params;
  db_params_init(&params);
  db_param_text(&params, db_text(txn, 0, "id"));
  db_param_text(&params, session_hex);
  db_param_text(&params, deadline);
  st = db_call(db, &q_txn_device_authed, &params, NULL);
  if (st == DB_ONE_ROW) {
    a->answer = details(txn, deadline);
    st = a->answer ? DB_ONE_ROW : DB_HARD_ERROR;
  } else if (st == DB_NO_ROWS) {
    a->refusal = R_STATE;
    st = DB_ABORT;
  }
  PQclear(txn);
  return st;
}

static int answer(struct request *rq, struct device_auth *a)
{
  switch (a->refusal) {
  case R_NONE:
    json_object_set_new(a->answer, "session", json_string(a->session));
    json_object_set_new(a->answer, "status", json_string("awaiting_confirmation"));
    a->answer = json_incref(a->answer);
    return reply_json(rq, 200, a->answer);
  case R_UNKNOWN_TXN:
    return CLIENT_FAULT(rq, PROBLEM_UNKNOWN_TRANSACTION, "no transaction %s", a->in->transaction);
  case R_OTHER_USER:
    return CLIENT_FAULT(rq, PROBLEM_DEVICE_REFUSED, "the transaction is not for this user ID");
  case R_CHALLENGE:
    return CLIENT_FAULT(rq, PROBLEM_CHALLENGE_REFUSED, "the challenge is not the live one for this transaction");
  case R_STATE:
    return txn_reply_wrong_state(rq, a->status, "device authentication");
  case R_DB:
    break;
  }
  return reply_db_failed(rq, "the database is not reachable");
}

int ep_device_auth_post(struct request *rq)
{
  json_t *body = NULL;
  struct device_auth_body in = { 0 };
  PGresult *user = NULL;
  struct device_auth a = { .in = &in, .refusal = R_DB };
  int status;

  if (parse_json_body(rq, device_auth_spec, &in, &body) != 0)
    return rq->status;
  if (check_auth_result(rq, &in.auth_result) != 0) {
    status = rq->status;
    goto out;
  }
  struct db_params params;
  db_params_init(&params);
  db_param_text(&params, in.user_id);
  enum db_status st = db_call(rq->db, &q_user_for_payment, &params, &user);
  if (st < 0) {
    status = reply_problem(rq, PROBLEM_DB_UNAVAILABLE, "the database is not reachable");
    goto out;
  }
  if (st == DB_NO_ROWS) {
    status = CLIENT_FAULT(rq, PROBLEM_DEVICE_REFUSED, "no active user ID %s on this device", in.user_id);
    goto out;
  }
  if (check_device(rq, &in, user) != 0) {
    status = rq->status;
    goto out;
  }
  rq->device.device_id = strtoll(db_text(user, 0, "device_id"), NULL, 10);
  snprintf(rq->device.device_code, sizeof rq->device.device_code, "%s", db_text(user, 0, "device_code"));
  if (token_b64url32(a.session) != 0) {
    status = BUG(rq, "no random numbers");
    goto out;
  }
  /* a session is handed out only once it is stored */
  if (db_run_transaction(rq->db, "device auth", authenticate_in_db, &a) < 0 && a.refusal == R_NONE)
    a.refusal = R_DB;
  status = answer(rq, &a);
out:
  json_decref(a.answer);
  if (user)
    PQclear(user);
  json_decref(body);
  return status;
}
