/* tokenapp.c — the token confirmation ([0149]-[0155], docs/handset.md): the
 * shop asked the gateway for an encrypted card number for one sale; the
 * handset shows the sale, asks Agree / Not agree and, on Agree, the user's
 * web password (the one the gateway holds, argon2id; never stored on the
 * handset), and replies POST /v1/tokens/{id}/reply with the device ID,
 * signed by the device key over "token-reply:<id>:<device>:<timestamp ms>:
 * <SHA-256 hex of the body>" in the X-Paygw-Device/-Timestamp/-Signature
 * headers.  The answer is the request's status, never the encrypted
 * number. */
#include "handset-client/handset.h"
#include "handset-client/screens.h"
#include "common/b64url.h"
#include "common/ed25519.h"
#include "proxlink/prompt.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#define PASSWORD_MAX 256

static const char *mstr(const json_t *m, const char *name)
{
  const char *v = json_string_value(json_object_get(m, name));
  return v ? v : "";
}

/* The three signed headers over the exact body text. */
static int sign_reply(const struct handset_opts *o, const struct uim_store *s, const char *id, const char *body,
                      char h[3][160])
{
  unsigned char digest[32], sig[ED25519_SIG_LEN];
  unsigned int dlen = 0;
  char hex[65], text[256], sig64[100];
  struct timeval tv;

  if (EVP_Digest(body, strlen(body), digest, &dlen, EVP_sha256(), NULL) != 1)
    return -1;
  for (unsigned i = 0; i < dlen; i++)
    snprintf(hex + 2 * i, 3, "%02x", digest[i]);
  gettimeofday(&tv, NULL);
  long long ms = ((long long)tv.tv_sec + o->clock_offset_s) * 1000LL + tv.tv_usec / 1000;
  snprintf(text, sizeof text, "token-reply:%s:%s:%lld:%s", id, s->device_id, ms, hex);
  if (ed25519_sign(s->device_priv, text, strlen(text), sig) != 0)
    return -1;
  b64url_encode(sig, sizeof sig, sig64);
  snprintf(h[0], 160, "X-Paygw-Device: %s", s->device_id);
  snprintf(h[1], 160, "X-Paygw-Timestamp: %lld", ms);
  snprintf(h[2], 160, "X-Paygw-Signature: %s", sig64);
  return 0;
}

/* The web password: the option's or the variable's, else typed with echo
 * off.  Returns 0, or -1 when none can be had (not on a terminal). */
static int web_password(const struct handset_opts *o, char *buf, size_t len)
{
  if (o->web_password && *o->web_password) {
    snprintf(buf, len, "%s", o->web_password);
    return 0;
  }
  if (!prompt_is_interactive()) {
    printf("No web password: give --password-fd N or PAYGW_WEB_PASSWORD when not on a terminal.\n");
    return -1;
  }
  return prompt_line("Web password (the one for your transaction history): ", false, buf, len) == 0 && *buf ? 0 : -1;
}

/* What the gateway answered, in plain words; the exit status. */
static int show_outcome(const struct gw_reply *r)
{
  char why[512];
  const char *status = mstr(r->json, "status"), *reason = mstr(r->json, "reason"), *code = gw_problem_code(r);

  if (r->status == 200 && strcmp(status, "issued") == 0) {
    printf("Confirmed: the shop received the encrypted card number for this sale and now asks the card issuer.\n");
    return EXIT_DONE;
  }
  if (r->status == 200 && strcmp(status, "canceled") == 0 && strcmp(reason, "not_agreed") == 0) {
    printf("You did not agree: the shop's request was canceled.\n");
    return EXIT_NOT_PAID;
  }
  if (r->status == 200) {
    printf("The shop's request ended %s%s%s.\n", status, *reason ? ": " : "", reason);
    return EXIT_NOT_PAID;
  }
  if (strcmp(code, "wrong_password") == 0) {
    printf("Wrong web password: the shop's request was canceled.\n");
    return EXIT_AUTH;
  }
  if (strcmp(code, "user_locked") == 0) {
    const char *until = mstr(r->json, "locked_until");
    printf("Too many wrong web passwords: the user ID is locked%s%s; the shop's request was canceled.\n",
           *until ? " until " : "", until);
    return EXIT_LOCKED;
  }
  if (strcmp(code, "wrong_device") == 0) {
    printf("The gateway refused this device for the user ID: the shop's request was canceled.\n");
    return EXIT_AUTH;
  }
  if (strcmp(code, "wrong_state") == 0) {
    /* an old message (canceled or expired meanwhile): like a payment
     * command whose transaction ended, it does not count for --once */
    printf("The shop's request is no longer open (%s); nothing changed.\n", gw_problem_text(r, why, sizeof why));
    return PAYAPP_NOT_OPEN;
  }
  printf("The gateway did not take the reply (%s).\n", gw_problem_text(r, why, sizeof why));
  return EXIT_NOT_PAID;
}

int tokenapp_run(const struct handset_opts *o, struct gw_http *g, const json_t *m)
{
  char password[PASSWORD_MAX + 1] = "", h[3][160], path[160];
  const char *headers[] = { h[0], h[1], h[2], NULL };
  const char *id = mstr(m, "token");
  struct uim_store s;
  struct gw_reply r;
  json_t *body;
  int rc = handset_open_store(o, &s);

  if (rc != 0)
    return rc;
  screen_token(stdout, m);
  bool agree = handset_ask_agree(o);
  if (agree && web_password(o, password, sizeof password) != 0) {
    uim_free(&s);
    printf("No reply sent: the shop's request expires at the gateway.\n");
    /* nothing was answered: like an ended request, it does not count for
     * --once (a script's watch for a payment goes on to its command) */
    return PAYAPP_NOT_OPEN;
  }
  body = agree ? json_pack("{s:b, s:s, s:s}", "agree", 1, "password", password, "device_id", s.device_id)
               : json_pack("{s:b, s:s}", "agree", 0, "device_id", s.device_id);
  OPENSSL_cleanse(password, sizeof password);
  char *text = gw_body_text(body);
  rc = text && sign_reply(o, &s, id, text, h) == 0 ? 0 : EXIT_USAGE;
  if (text)
    OPENSSL_cleanse(text, strlen(text));
  free(text);
  uim_free(&s);
  if (rc != 0) {
    fprintf(stderr, "handset: cannot sign the reply with the device key\n");
    json_decref(body);
    return rc;
  }
  snprintf(path, sizeof path, "/v1/tokens/%s/reply", id);
  int called = gw_http_call(g, "POST", path, headers, body, o->timeout_s * 1000L, &r);
  json_decref(body); /* jansson frees the password's copy: the handset process ends soon after */
  if (called != 0) {
    if (r.timed_out)
      printf(TIMEOUT_MESSAGE "\n", o->timeout_s);
    else
      printf("The gateway could not be reached (%s); the shop's request expires unanswered.\n", r.error);
    gw_reply_clear(&r);
    return EXIT_NETWORK;
  }
  rc = show_outcome(&r);
  gw_reply_clear(&r);
  return rc;
}
