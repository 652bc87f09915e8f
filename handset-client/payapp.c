/* payapp.c — the payment application (figure 15, [0080]-[0089]): device
 * authentication over TLS with the stored auth result and a signature over
 * the command's challenge (S6); the details (fig 16) with Agree / Not agree;
 * the methods (fig 17) and the choice; the result.  Every gateway call has
 * the time-out of [0083] (--timeout, default 2 minutes). */
#include "handset-client/handset.h"
#include "handset-client/screens.h"
#include "common/b64url.h"
#include "common/ed25519.h"
#include "common/pan.h"
#include "proxlink/prompt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RATE_LIMIT_TRIES 3 /* sends of one request while nginx answers rate_limited */

struct payment {
  const struct handset_opts *o;
  struct gw_http *g;
  const char *number;
  char session_header[160];
};

static const char *mstr(const json_t *m, const char *name)
{
  const char *v = json_string_value(json_object_get(m, name));
  return v ? v : "";
}

/* nginx's per-address limit answered (429 rate_limited): the request never
 * reached the gateway, so it may be sent again once Retry-After has passed.
 * Many handsets behind one carrier NAT share an address. */
static bool rate_limited_wait(const struct gw_reply *r, int tries)
{
  if (!gw_rate_limited(r) || tries >= RATE_LIMIT_TRIES)
    return false;
  long wait = r->retry_after > 0 && r->retry_after <= 10 ? r->retry_after : 1;
  printf("The gateway is busy; trying again in %ld s.\n", wait);
  fflush(stdout);
  sleep((unsigned)wait);
  return true;
}

/* One call; prints the time-out message (or the network error) when no
 * answer came, or nginx's limit did not lift after RATE_LIMIT_TRIES sends.
 * Returns 0 with r filled, or EXIT_NETWORK. */
static int call(struct payment *p, const char *method, const char *path, const json_t *body, struct gw_reply *r)
{
  const char *headers[] = { p->session_header[0] ? p->session_header : NULL, NULL };
  int rc, tries = 1;

  while ((rc = gw_http_call(p->g, method, path, headers, body, p->o->timeout_s * 1000L, r)) == 0
         && rate_limited_wait(r, tries++))
    gw_reply_clear(r);
  if (rc == 0 && gw_rate_limited(r)) {
    printf("The gateway is too busy to answer (rate_limited). This payment has been aborted and must be carried "
           "out from the beginning.\n");
    gw_reply_clear(r);
    return EXIT_NETWORK;
  }
  if (rc == 0)
    return 0;
  if (r->timed_out)
    printf(TIMEOUT_MESSAGE "\n", p->o->timeout_s);
  else
    printf("The gateway could not be reached (%s). This payment has been aborted and must be carried out "
           "from the beginning.\n",
           r->error);
  gw_reply_clear(r);
  return EXIT_NETWORK;
}

/* S6: device-auth.  On success *details holds the answer (fig 16). */
static int device_auth(struct payment *p, struct uim_store *s, const json_t *cmd, json_t **details)
{
  char verified[32], expires[32], text[512], sig64[100], why[512];
  unsigned char sig[ED25519_SIG_LEN];
  const char *user = mstr(cmd, "user_id");
  struct gw_reply r;
  int rc;

  if (uim_auth_find(s, user, handset_now(p->o), verified, expires) != 0) {
    printf("There is no valid authentication for user ID %s on this handset. Please authenticate again "
           "(handset pay).\n",
           user);
    return EXIT_AUTH;
  }
  snprintf(text, sizeof text, "device-auth:%s:%s:%s:%s", p->number, user, mstr(cmd, "challenge"), expires);
  if (ed25519_sign(s->device_priv, text, strlen(text), sig) != 0)
    return EXIT_USAGE;
  b64url_encode(sig, sizeof sig, sig64);
  json_t *body = json_pack("{s:s, s:s, s:s, s:{s:s, s:s}, s:s, s:s}", "transaction", p->number, "user_id", user,
                           "device_id", s->device_id, "auth_result", "verified_at", verified, "expires_at", expires,
                           "challenge", mstr(cmd, "challenge"), "signature", sig64);
  rc = call(p, "POST", "/v1/device-auth", body, &r);
  json_decref(body);
  if (rc != 0)
    return rc;
  const char *code = gw_problem_code(&r);
  if (r.status == 200) {
    *details = json_incref(r.json);
    snprintf(p->session_header, sizeof p->session_header, "Authorization: Bearer %s", mstr(r.json, "session"));
    rc = 0;
  } else if (strcmp(code, "auth_result_expired") == 0) {
    printf("The gateway refused the authentication result: it has expired. Please authenticate again "
           "(handset pay).\n");
    rc = EXIT_AUTH;
  } else if (strcmp(code, "challenge_refused") == 0 || strcmp(code, "wrong_state") == 0) {
    printf("Transaction %s is no longer open (%s); nothing to do.\n", p->number, gw_problem_text(&r, why, sizeof why));
    rc = PAYAPP_NOT_OPEN;
  } else {
    printf("The gateway refused this device (%s).\n", gw_problem_text(&r, why, sizeof why));
    rc = EXIT_AUTH;
  }
  gw_reply_clear(&r);
  return rc;
}

/* Fig 16: Agree / Not agree, from the option or the keyboard. */
bool handset_ask_agree(const struct handset_opts *o)
{
  char line[16];

  if (o->agree >= 0) {
    printf("Answer: %s\n", o->agree ? "Agree" : "Not agree");
    return o->agree == 1;
  }
  for (;;) {
    if (prompt_line("[A] Agree   [N] Not agree: ", true, line, sizeof line) != 0)
      return false;
    if (strcasecmp(line, "a") == 0 || strcasecmp(line, "agree") == 0)
      return true;
    if (strcasecmp(line, "n") == 0 || strcasecmp(line, "not agree") == 0)
      return false;
  }
}

/* Fig 17: a method (and installment count), from the options or the keyboard. */
static int ask_method(const struct handset_opts *o, const json_t *methods, char *method, size_t mlen,
                      long *installments)
{
  char line[32], err[256], counts[96];
  char *end;

  if (o->method) {
    snprintf(method, mlen, "%s", o->method);
    *installments = o->installments;
    if (method_check(methods, method, *installments, err, sizeof err) != 0) {
      printf("Cannot pay this way: %s.\n", err);
      return -1;
    }
    if (*installments)
      printf("Method: %s, %ld payments\n", method, *installments);
    else
      printf("Method: %s\n", method);
    return 0;
  }
  for (;;) {
    size_t n = json_array_size(methods);
    snprintf(line, sizeof line, "Choose 1-%zu: ", n);
    if (prompt_line(line, true, line, sizeof line) != 0)
      return -1;
    const char *m = method_at(methods, strtoul(line, &end, 10));
    if (!m || *end)
      continue;
    snprintf(method, mlen, "%s", m);
    *installments = 0;
    method_installments_text(methods, m, counts, sizeof counts);
    while (*counts) {
      char q[160];
      snprintf(q, sizeof q, "Number of payments (%s): ", counts);
      if (prompt_line(q, true, line, sizeof line) != 0)
        return -1;
      *installments = strtol(line, &end, 10);
      if (*line && !*end && method_check(methods, m, *installments, err, sizeof err) == 0)
        break;
    }
    return 0;
  }
}

/* The result of the payment-method call. */
static int show_result(const struct gw_reply *r)
{
  char why[512];
  const char *status = mstr(r->json, "status");
  const json_t *decline = json_object_get(r->json, "decline");

  if (r->status == 200 && strcmp(status, "completed") == 0) {
    char masked[PAN_MAX_LEN + 1];
    pan_mask(mstr(r->json, "card"), masked, sizeof masked);
    printf("Approval code %s, card %s.\n", mstr(r->json, "approval_code"), masked);
    printf("Payment has now been completed.\n");
    return EXIT_DONE;
  }
  if (r->status == 200 && strcmp(status, "declined") == 0) {
    printf("The payment was declined: %s.\n", mstr(decline, "reason"));
    return EXIT_NOT_PAID;
  }
  if (strcmp(gw_problem_code(r), "issuer_unavailable") == 0) {
    printf("The payment failed: the card issuer did not answer in time; nothing was charged.\n");
    return EXIT_NOT_PAID;
  }
  printf("The payment failed (%s).\n", gw_problem_text(r, why, sizeof why));
  return EXIT_NOT_PAID;
}

/* Fig 16 answer → confirmation; on agree, fig 17 → payment-method. */
static int confirm_and_pay(struct payment *p, const json_t *details)
{
  char path[128], method[8], why[512];
  long installments = 0;
  struct gw_reply r;
  bool agree;
  int rc;

  screen_details(stdout, details);
  agree = handset_ask_agree(p->o);
  snprintf(path, sizeof path, "/v1/transactions/%s/confirmation", p->number);
  json_t *body = json_pack("{s:b}", "agree", agree);
  rc = call(p, "POST", path, body, &r);
  json_decref(body);
  if (rc != 0)
    return rc;
  const char *status = mstr(r.json, "status");
  if (r.status != 200 || strcmp(status, "awaiting_method") != 0) {
    if (r.status == 200 && strcmp(status, "canceled") == 0)
      printf("You did not agree: the payment was canceled.\n");
    else if (r.status == 200 && strcmp(status, "declined") == 0)
      printf("The payment was declined: %s.\n", mstr(json_object_get(r.json, "decline"), "reason"));
    else
      printf("The gateway did not take the answer (%s).\n", gw_problem_text(&r, why, sizeof why));
    gw_reply_clear(&r);
    return EXIT_NOT_PAID;
  }
  json_t *methods = json_incref(json_object_get(r.json, "methods"));
  gw_reply_clear(&r);
  screen_methods(stdout, methods);
  if (ask_method(p->o, methods, method, sizeof method, &installments) != 0) {
    json_decref(methods);
    printf("No method chosen: the payment will expire at the gateway.\n");
    return EXIT_USAGE;
  }
  json_decref(methods);
  snprintf(path, sizeof path, "/v1/transactions/%s/payment-method", p->number);
  body = installments ? json_pack("{s:s, s:I}", "method", method, "installments", (json_int_t)installments)
                      : json_pack("{s:s}", "method", method);
  rc = call(p, "POST", path, body, &r);
  json_decref(body);
  if (rc != 0)
    return rc;
  rc = show_result(&r);
  gw_reply_clear(&r);
  return rc;
}

int payapp_run(const struct handset_opts *o, struct gw_http *g, const json_t *command)
{
  struct payment p = { .o = o, .g = g, .number = mstr(command, "transaction") };
  struct uim_store s;
  json_t *details = NULL;
  int rc = handset_open_store(o, &s);

  if (rc != 0)
    return rc;
  rc = device_auth(&p, &s, command, &details);
  uim_free(&s);
  if (rc == 0)
    rc = confirm_and_pay(&p, details);
  json_decref(details);
  return rc;
}
