/* ep_device_auth_post.c — POST /v1/device-auth (S6-S8): the handset proves
 * the user authenticated on it recently (the stored auth result, [0074]), that
 * it is the device enrolled for the user ([0068]) and that it holds the
 * device key (a signature over the transaction's live challenge).  The answer
 * is what the handset shows (fig 16) and a session for the next steps. */
#include "gateway/auth.h"
#include "gateway/cache.h"
#include "gateway/db/handset.h"
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
  { 0 },
};

const struct field device_auth_spec[] = {
  { .name = "transaction",
    .type = FIELD_CODE,
    .required = true,
    .min_len = 1,
    .max_len = 32,
    .offset = offsetof(struct device_auth_body, transaction) },
  { .name = "user_id",
    .type = FIELD_CODE,
    .required = true,
    .min_len = 1,
    .max_len = 32,
    .offset = offsetof(struct device_auth_body, user_id) },
  { .name = "device_id",
    .type = FIELD_CODE,
    .required = true,
    .min_len = 1,
    .max_len = 32,
    .offset = offsetof(struct device_auth_body, device_id) },
  { .name = "auth_result",
    .type = FIELD_OBJECT,
    .required = true,
    .members = auth_result_spec,
    .offset = offsetof(struct device_auth_body, auth_result),
    .size = sizeof(struct auth_result) },
  { .name = "challenge",
    .type = FIELD_B64URL,
    .required = true,
    .min_len = 43,
    .max_len = 43,
    .offset = offsetof(struct device_auth_body, challenge) },
  { .name = "signature",
    .type = FIELD_B64URL,
    .required = true,
    .min_len = 86,
    .max_len = 86,
    .offset = offsetof(struct device_auth_body, signature) },
  { 0 },
};

/* The auth result must be current and no longer than policy allows. */
static int check_auth_result(struct request *rq, const struct auth_result *result)
{
  int64_t verified = result->verified_at.at, expires = result->expires_at.at, now = (int64_t)time(NULL);

  if (expires <= now) {
    CLIENT_FAULT(rq, PROBLEM_AUTH_RESULT_EXPIRED, "the authentication on the handset has expired; authenticate again");
    return -1;
  }
  if (verified > now + settings.clock_skew_s || expires <= verified
      || expires - verified > settings.auth_result_max_s) {
    CLIENT_FAULT(rq, PROBLEM_INVALID_FIELD, "auth_result: must span at most %ld s and not start in the future",
                 settings.auth_result_max_s);
    return -1;
  }
  return 0;
}

/* The device named is the user's, and its key signed this request. */
static int check_device(struct request *rq, const struct device_auth_body *in, const struct user_key *user)
{
  unsigned char key[32], sig[ED25519_SIG_LEN + 2];
  char text[256];

  snprintf(text, sizeof text, "device-auth:%s:%s:%s:%s", in->transaction, in->user_id, in->challenge,
           in->auth_result.expires_at.text);
  if (strcmp(user->device_code, in->device_id) != 0) {
    CLIENT_FAULT(rq, PROBLEM_DEVICE_REFUSED, "this device is not the one registered for the user ID");
    return -1;
  }
  if (hex_to_key(user->public_key, key) != 0 || b64url_decode(in->signature, sig, sizeof sig) != ED25519_SIG_LEN
      || !ed25519_verify(key, text, strlen(text), sig)) {
    CLIENT_FAULT(rq, PROBLEM_DEVICE_REFUSED, "the device signature does not verify");
    return -1;
  }
  return 0;
}

/* What the handset shows (fig 16), as do_device_auth read it: names from
 * the merchant table, the card only masked. */
static json_t *details(const struct device_auth_out *d, const char *number, const char *confirm_by)
{
  char masked[PAN_MAX_LEN + 1];

  pan_mask(d->card_masked, masked, sizeof masked); /* stored masked; the rule again */
  json_t *items = json_loads(d->items ? d->items : "", 0, NULL);
  return json_pack("{s:s, s:s, s:{s:s, s:s}, s:s, s:o, s:I, s:I, s:s, s:s, s:{s:s, s:s}, s:s}", "transaction", number,
                   "status", "awaiting_confirmation", "merchant", "code", d->merchant_code, "name", d->merchant_name,
                   "shop", d->shop_name, "items", items ? items : json_array(), "tax_total", (json_int_t)d->tax_total,
                   "total", (json_int_t)d->total, "currency", d->currency, "binding_code", d->binding_code, "card",
                   "label", d->card_label, "masked", masked, "confirm_by", confirm_by);
}

static int answer(struct request *rq, const struct device_auth_body *in, const struct device_auth_out *d,
                  const char *session, const char *deadline)
{
  switch (d->outcome) {
  case DEVICE_AUTHENTICATED: {
    json_t *a = details(d, in->transaction, deadline);
    if (!a)
      break;
    json_object_set_new(a, "session", json_string(session));
    json_object_set_new(a, "status", json_string("awaiting_confirmation"));
    return reply_json(rq, 200, a);
  }
  case DEVICE_UNKNOWN_TXN:
    return CLIENT_FAULT(rq, PROBLEM_UNKNOWN_TRANSACTION, "no transaction %s", in->transaction);
  case DEVICE_OTHER_USER:
    return CLIENT_FAULT(rq, PROBLEM_DEVICE_REFUSED, "the transaction is not for this user ID");
  case DEVICE_CHALLENGE:
    return CLIENT_FAULT(rq, PROBLEM_CHALLENGE_REFUSED, "the challenge is not the live one for this transaction");
  case DEVICE_WRONG_STATE:
    return txn_reply_wrong_state(rq, d->txn_status, "device authentication");
  case DEVICE_STALE: /* the user's rows changed twice meanwhile */
    break;
  }
  return reply_db_failed(rq, "the database is not reachable");
}

/* The user's handset and key come from the worker's cache; the one call
 * (db/txn_device_auth.c) checks they are still the user's, and answers
 * stale when not: the cache's copy is dropped and everything checked again
 * from a fresh read, so a stale copy costs a round trip, never a wrong
 * answer. */
int ep_device_auth_post(struct request *rq)
{
  json_t *body = NULL;
  struct device_auth_body in = { 0 };
  struct user_key user;
  struct device_auth_out d = { .outcome = DEVICE_STALE };
  char session[SESSION_TOKEN_LEN + 1] = "", session_hex[65], deadline[RFC3339_LEN];
  int status;

  if (parse_json_body(rq, device_auth_spec, &in, &body) != 0)
    return rq->status;
  if (check_auth_result(rq, &in.auth_result) != 0) {
    status = rq->status;
    goto out;
  }
  for (int round = 0; round < 2 && d.outcome == DEVICE_STALE; round++) {
    if (round > 0)
      cache_user_key_forget(in.user_id);
    enum db_status st = cache_user_key(rq->db, in.user_id, &user);
    if (st < 0) {
      status = reply_problem(rq, PROBLEM_DB_UNAVAILABLE, "the database is not reachable");
      goto out;
    }
    if (st == DB_NO_ROWS) {
      status = CLIENT_FAULT(rq, PROBLEM_DEVICE_REFUSED, "no active user ID %s on this device", in.user_id);
      goto out;
    }
    if (check_device(rq, &in, &user) != 0) {
      status = rq->status;
      goto out;
    }
    rq->device.device_id = user.device_id;
    snprintf(rq->device.device_code, sizeof rq->device.device_code, "%s", user.device_code);
    if (!*session && token_b64url32(session) != 0) {
      status = BUG(rq, "no random numbers");
      goto out;
    }
    /* a session is handed out only once it is stored */
    rfc3339(time(NULL) + settings.confirm_window_s, deadline);
    token_sha256_hex(session, session_hex);
    struct device_auth_in call = { .number = in.transaction,
                                   .user_id = in.user_id,
                                   .device_code = user.device_code,
                                   .public_key = user.public_key,
                                   .challenge = in.challenge,
                                   .session_hash = session_hex,
                                   .deadline = deadline,
                                   .card_digest = *user.card_digest ? user.card_digest : NULL,
                                   .issuer_id = *user.issuer_id ? user.issuer_id : NULL };
    free(d.items);
    if (db_txn_device_auth(rq->db, &call, &d) != DB_ONE_ROW) {
      status = reply_db_failed(rq, "the database is not reachable");
      goto out;
    }
  }
  status = answer(rq, &in, &d, session, deadline);
out:
  free(d.items);
  json_decref(body);
  return status;
}
