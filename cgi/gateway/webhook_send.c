/* webhook_send.c — see webhook_send.h.  At least once toward the shop: an
 * event is claimed (attempt counted, lease taken) in a commit of its own
 * before it is POSTed, and only a 2xx makes it delivered; every attempt
 * carries the same webhook-id and body, so the shop ignores a repeat. */
#include "gateway/webhook_send.h"
#include "gateway/answer_log.h"
#include "gateway/backoff.h"
#include "gateway/db/webhook.h"
#include "common/cardcrypt.h"
#include "common/config.h"
#include "common/log.h"
#include "common/webhook_sig.h"

#include <curl/curl.h>
#include <jansson.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* A claim outlasts its attempt: the POST's time-out and a margin for the
 * database round trips, plus the back-off. */
#define CLAIM_MARGIN_MS 2000
#define ERROR_MAX 256

struct webhook_settings webhook_settings;
static CURL *curl;

void webhook_settings_load(void)
{
  struct webhook_settings *s = &webhook_settings;

  s->timeout_ms = config_long("PAYGW_WEBHOOK_TIMEOUT_MS", 10000, 100, 120000);
  s->connect_timeout_ms = config_long("PAYGW_WEBHOOK_CONNECT_TIMEOUT_MS", 3000, 100, 60000);
  s->backoff_ms = config_long("PAYGW_WEBHOOK_BACKOFF_MS", 5000, 10, 3600000);
  s->backoff_max_ms = config_long("PAYGW_WEBHOOK_BACKOFF_MAX_MS", 3600000, 10, 86400000);
  s->retry_for_s = config_long("PAYGW_WEBHOOK_RETRY_FOR_S", 259200, 1, 30 * 86400);
  s->every_s = config_long("PAYGW_WEBHOOK_EVERY", 30, 1, 3600);
  s->budget_ms = config_long("PAYGW_WEBHOOK_BUDGET_MS", 30000, 100, 600000);
  s->ca_file = config_str("PAYGW_WEBHOOK_CA", NULL);
}

bool webhook_send_init(void)
{
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
    return false;
  curl = curl_easy_init(); /* kept: its connections are reused between attempts */
  return curl != NULL;
}

void webhook_send_cleanup(void)
{
  curl_easy_cleanup(curl);
  curl = NULL;
  curl_global_cleanup();
}

static size_t discard(char *data, size_t size, size_t n, void *user)
{
  (void)data;
  (void)user;
  return size * n;
}

/* http only to this machine (tests, the demo): the database's CHECK says
 * so too; anything else must be https. */
static bool url_allowed(const char *url)
{
  static const char *const loopback[] = { "http://127.0.0.1/", "http://127.0.0.1:", "http://localhost/",
                                          "http://localhost:", NULL };
  if (strncmp(url, "https://", 8) == 0)
    return true;
  for (int i = 0; loopback[i]; i++)
    if (strncmp(url, loopback[i], strlen(loopback[i])) == 0)
      return true;
  return strcmp(url, "http://127.0.0.1") == 0 || strcmp(url, "http://localhost") == 0;
}

/* The signature of this attempt with the merchant's secret, opened from
 * its sealed form for as long as it takes.  False with why in err. */
static bool sign_attempt(const struct webhook_claim *c, long long timestamp, char sig[WEBHOOK_SIG_LEN], char *err)
{
  unsigned char aad[WEBHOOK_AAD_LEN], secret[CARDCRYPT_SEAL_MAX + 1];
  size_t secret_len = 0;

  if (c->sealed_len == 0) {
    snprintf(err, ERROR_MAX, "the merchant has no webhook secret");
    return false;
  }
  webhook_secret_aad(c->merchant_id, aad);
  if (cardkeys_open(c->key_id, aad, sizeof aad, c->sealed, c->sealed_len, secret, sizeof secret, &secret_len) != 0) {
    snprintf(err, ERROR_MAX, "the merchant's webhook secret does not open (is data key %d in the key file?)",
             c->key_id);
    return false;
  }
  int rc = webhook_sign(secret, secret_len, c->event_id, timestamp, c->body, strlen(c->body), sig);
  OPENSSL_cleanse(secret, sizeof secret);
  if (rc != 0)
    snprintf(err, ERROR_MAX, "the body could not be signed");
  return rc == 0;
}

/* POSTs the event; the HTTP status into *status (0: none came).  True for
 * a 2xx. */
static bool post(const struct webhook_claim *c, const char *sig, long long timestamp, long *status, char *err)
{
  char h_id[80], h_ts[48], h_sig[WEBHOOK_SIG_LEN + 32], curl_err[CURL_ERROR_SIZE] = "";
  struct curl_slist *headers = NULL;

  snprintf(h_id, sizeof h_id, "webhook-id: %s", c->event_id);
  snprintf(h_ts, sizeof h_ts, "webhook-timestamp: %lld", timestamp);
  snprintf(h_sig, sizeof h_sig, "webhook-signature: %s", sig);
  const char *lines[] = { "Content-Type: application/json", h_id, h_ts, h_sig, "Expect:", NULL };
  for (int i = 0; lines[i]; i++)
    headers = curl_slist_append(headers, lines[i]);
  curl_easy_reset(curl);
  curl_easy_setopt(curl, CURLOPT_URL, c->url);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https,http");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L); /* a redirect is not a delivery */
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, c->body);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)strlen(c->body));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "paygw-webhooks/1");
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, webhook_settings.timeout_ms);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, webhook_settings.connect_timeout_ms);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curl_err);
  if (webhook_settings.ca_file)
    curl_easy_setopt(curl, CURLOPT_CAINFO, webhook_settings.ca_file);
  CURLcode rc = curl_easy_perform(curl);
  *status = 0;
  if (rc == CURLE_OK)
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, status);
  curl_slist_free_all(headers);
  if (rc != CURLE_OK)
    snprintf(err, ERROR_MAX, "%s", curl_err[0] ? curl_err : curl_easy_strerror(rc));
  else if (*status < 200 || *status > 299)
    snprintf(err, ERROR_MAX, "HTTP status %ld", *status);
  return rc == CURLE_OK && *status >= 200 && *status <= 299;
}

static void log_attempt(const struct webhook_claim *c, bool delivered, long status, enum webhook_outcome outcome,
                        long retry_ms, const char *err)
{
  json_t *line = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:b, s:i}", "msg", "webhook attempt", "event", c->event_id,
                           "type", c->event_type, "transaction", c->txn_number, "merchant", c->merchant_code, "attempt",
                           c->attempt, "delivered", delivered, "sender", (int)getpid());
  if (status > 0)
    json_object_set_new(line, "http_status", json_integer(status));
  if (!delivered) {
    json_object_set_new(line, "error", json_string(err));
    if (outcome == WEBHOOK_RETRY)
      json_object_set_new(line, "retry_in_ms", json_integer(retry_ms));
    if (outcome == WEBHOOK_GAVE_UP)
      json_object_set_new(line, "gave_up", json_true());
  }
  log_event(delivered ? LOG_INFO : outcome == WEBHOOK_GAVE_UP ? LOG_ERROR : LOG_WARN, line);
}

bool webhook_send_one(struct db *db)
{
  struct webhook_claim c;
  long leases[WEBHOOK_LEASES_MAX], status = 0;
  char sig[WEBHOOK_SIG_LEN], err[ERROR_MAX] = "";
  const struct webhook_settings *s = &webhook_settings;

  int n_leases =
      backoff_leases(leases, WEBHOOK_LEASES_MAX, s->timeout_ms + CLAIM_MARGIN_MS, s->backoff_ms, s->backoff_max_ms);
  if (db_webhook_claim(db, leases, n_leases, &c) != DB_ONE_ROW)
    return false;
  long long timestamp = (long long)time(NULL);
  bool delivered = false;
  if (!c.url[0])
    snprintf(err, sizeof err, "the merchant has no webhook URL");
  else if (!url_allowed(c.url))
    snprintf(err, sizeof err, "the webhook URL is neither https nor http to this machine");
  else if (sign_attempt(&c, timestamp, sig, err)) {
    answer_log_webhook(c.event_type, c.body); /* PAYGW_ANSWER_LOG, for the tests */
    delivered = post(&c, sig, timestamp, &status, err);
  }
  struct webhook_result_in in = {
    .id = c.id,
    .attempt = c.attempt,
    .delivered = delivered,
    .http_status = status,
    .error = err,
    .retry_ms = backoff_ms(c.attempt, s->backoff_ms, s->backoff_max_ms),
    .give_up_s = s->retry_for_s,
  };
  enum webhook_outcome outcome = WEBHOOK_STALE;
  /* a failure to record leaves the claim's lease: the event comes back
   * then, with the same webhook-id, which the shop ignores if it had it */
  db_webhook_result(db, &in, &outcome);
  log_attempt(&c, delivered, status, outcome, in.retry_ms, err);
  db_webhook_claim_free(&c);
  return true;
}
