/* gateway_client.c — calling the gateway's terminal API with libcurl. */
#include "shop/gateway_client.h"
#include "shop/settings.h"

#include <curl/curl.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static CURL *curl; /* kept: its connection and TLS session are reused */

struct buffer {
  char *data;
  size_t len;
};

static size_t collect(char *ptr, size_t size, size_t nmemb, void *arg)
{
  struct buffer *b = arg;
  size_t n = size * nmemb;

  if (b->len + n > 1048576)
    return 0; /* an answer this large is no gateway's */
  char *grown = realloc(b->data, b->len + n + 1);
  if (!grown)
    return 0;
  b->data = grown;
  memcpy(b->data + b->len, ptr, n);
  b->len += n;
  b->data[b->len] = '\0';
  return n;
}

static CURL *handle(void)
{
  if (!curl) {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    curl = curl_easy_init();
  }
  if (curl)
    curl_easy_reset(curl); /* options only: the connection cache stays */
  return curl;
}

int gw_post(const char *path, const char *idem_key, const json_t *body, struct gw_answer *out)
{
  char url[512], credential[256], auth[300], idem[160];
  struct buffer b = { 0 };
  struct curl_slist *headers = NULL;
  int rc = -1;

  memset(out, 0, sizeof *out);
  if (shop_read_secret(shop_settings.credential_file, credential, sizeof credential) != 0) {
    snprintf(out->error, sizeof out->error,
             "the shop has no terminal credential (PAYGW_SHOP_TERMINAL_CREDENTIAL_FILE)");
    return -1;
  }
  CURL *c = handle();
  char *text = json_dumps(body, JSON_COMPACT);
  if (!c || !text) {
    snprintf(out->error, sizeof out->error, "out of memory");
    goto done;
  }
  snprintf(url, sizeof url, "%s%s", shop_settings.gateway_url, path);
  snprintf(auth, sizeof auth, "Authorization: Bearer %s", credential);
  headers = curl_slist_append(headers, "Content-Type: application/json");
  headers = curl_slist_append(headers, auth);
  if (idem_key) {
    snprintf(idem, sizeof idem, "Idempotency-Key: %s", idem_key);
    headers = curl_slist_append(headers, idem);
  }
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, text);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, shop_settings.gateway_timeout_ms);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, shop_settings.gateway_timeout_ms);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https,http");
  curl_easy_setopt(c, CURLOPT_USERAGENT, "paygw-shop/1");
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
  if (shop_settings.gateway_ca)
    curl_easy_setopt(c, CURLOPT_CAINFO, shop_settings.gateway_ca);
  CURLcode cc = curl_easy_perform(c);
  if (cc != CURLE_OK) {
    snprintf(out->error, sizeof out->error, "%s", curl_easy_strerror(cc));
    goto done;
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->http_status);
  out->body = b.data ? json_loads(b.data, 0, NULL) : NULL;
  rc = 0;
done:
  OPENSSL_cleanse(credential, sizeof credential);
  OPENSSL_cleanse(auth, sizeof auth);
  curl_slist_free_all(headers);
  free(text);
  free(b.data);
  return rc;
}

void gw_answer_free(struct gw_answer *a)
{
  json_decref(a->body);
  a->body = NULL;
}

const char *gw_problem_code(const struct gw_answer *a)
{
  const char *code = json_string_value(json_object_get(a->body, "code"));
  return code ? code : "";
}

void gw_cleanup(void)
{
  if (curl)
    curl_easy_cleanup(curl);
  curl = NULL;
}
