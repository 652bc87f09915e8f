/* gwhttp.c — JSON over HTTPS to the gateway with libcurl (see gwhttp.h).
 * TLS peer and host name are always verified; there is no switch to turn
 * that off. */
#include "proxlink/gwhttp.h"

#include <curl/curl.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BODY_MAX (1024 * 1024)

struct buffer {
  char *data;
  size_t len;
  bool too_big;
};

static size_t on_body(char *ptr, size_t size, size_t nmemb, void *userdata)
{
  struct buffer *b = userdata;
  size_t n = size * nmemb;

  if (b->len + n > BODY_MAX) {
    b->too_big = true;
    return 0;
  }
  char *grown = realloc(b->data, b->len + n + 1);
  if (!grown)
    return 0;
  b->data = grown;
  memcpy(b->data + b->len, ptr, n);
  b->len += n;
  b->data[b->len] = '\0';
  return n;
}

static size_t on_header(char *ptr, size_t size, size_t nmemb, void *userdata)
{
  struct gw_reply *r = userdata;
  size_t n = size * nmemb;

  if (n > 12 && strncasecmp(ptr, "Retry-After:", 12) == 0)
    r->retry_after = strtol(ptr + 12, NULL, 10);
  return n;
}

static int on_progress(void *userdata, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d)
{
  struct gw_http *g = userdata;
  (void)a, (void)b, (void)c, (void)d;
  return g->abort_flag && *g->abort_flag ? 1 : 0;
}

int gw_http_init(struct gw_http *g, const char *base_url, const char *ca_pem, const char *ca_file, char *err,
                 size_t errlen)
{
  static bool global_done;

  memset(g, 0, sizeof *g);
  if (!base_url || strncmp(base_url, "https://", 8) != 0 || strlen(base_url) >= sizeof g->base_url) {
    snprintf(err, errlen, "the gateway URL must start with https:// (got '%.80s')", base_url ? base_url : "");
    return -1;
  }
  if ((!ca_pem || !*ca_pem) && (!ca_file || !*ca_file)) {
    snprintf(err, errlen, "no CA certificate to verify the gateway with");
    return -1;
  }
  if (!global_done) {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    global_done = true;
  }
  snprintf(g->base_url, sizeof g->base_url, "%s", base_url);
  size_t n = strlen(g->base_url);
  if (n > 0 && g->base_url[n - 1] == '/')
    g->base_url[n - 1] = '\0';
  g->ca_pem = ca_pem && *ca_pem ? strdup(ca_pem) : NULL;
  g->ca_file = !g->ca_pem && ca_file ? strdup(ca_file) : NULL;
  g->curl = curl_easy_init();
  if (!g->curl) {
    snprintf(err, errlen, "libcurl could not start");
    return -1;
  }
  return 0;
}

void gw_http_cleanup(struct gw_http *g)
{
  if (g->curl)
    curl_easy_cleanup(g->curl);
  free(g->ca_pem);
  free(g->ca_file);
  memset(g, 0, sizeof *g);
}

static void set_tls(struct gw_http *g, CURL *c)
{
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(c, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
  /* Only the configured CA: libcurl's built-in CA directory (/etc/ssl/certs)
   * would otherwise be trusted beside a CA file, so any public CA could vouch
   * for "the gateway".  CAPATH is cleared whichever way the CA is given. */
  curl_easy_setopt(c, CURLOPT_CAPATH, NULL);
  if (g->ca_pem) {
    struct curl_blob blob = { .data = g->ca_pem, .len = strlen(g->ca_pem), .flags = CURL_BLOB_COPY };
    curl_easy_setopt(c, CURLOPT_CAINFO_BLOB, &blob);
  } else {
    curl_easy_setopt(c, CURLOPT_CAINFO, g->ca_file);
  }
}

char *gw_body_text(const json_t *body)
{
  return json_dumps(body, JSON_COMPACT);
}

int gw_http_call(struct gw_http *g, const char *method, const char *path, const char *const *headers,
                 const json_t *body, long timeout_ms, struct gw_reply *r)
{
  CURL *c = g->curl;
  struct buffer buf = { 0 };
  struct curl_slist *hl = NULL;
  char url[1024], *text = NULL;
  int rc = -1;

  memset(r, 0, sizeof *r);
  r->retry_after = -1;
  snprintf(url, sizeof url, "%s%s", g->base_url, path);
  curl_easy_reset(c);
  set_tls(g, c);
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms < 10000 ? timeout_ms : 10000L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &buf);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, g);
  hl = curl_slist_append(hl, "Accept: application/json");
  for (const char *const *h = headers; h && *h; h++)
    hl = curl_slist_append(hl, *h);
  if (body) {
    text = gw_body_text(body);
    hl = curl_slist_append(hl, "Content-Type: application/json");
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, text ? text : "");
  } else if (strcmp(method, "POST") == 0) {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, "");
  }
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);

  CURLcode cc = curl_easy_perform(c);
  if (cc == CURLE_OK) {
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &r->status);
    if (buf.len > 0)
      r->json = json_loadb(buf.data, buf.len, 0, NULL);
    rc = 0;
  } else {
    r->timed_out = cc == CURLE_OPERATION_TIMEDOUT;
    r->aborted = cc == CURLE_ABORTED_BY_CALLBACK;
    long request_bytes = 0;
    r->sent = curl_easy_getinfo(c, CURLINFO_REQUEST_SIZE, &request_bytes) == CURLE_OK && request_bytes > 0;
    snprintf(r->error, sizeof r->error, "%s", buf.too_big ? "answer too large" : curl_easy_strerror(cc));
  }
  curl_slist_free_all(hl);
  if (text)
    OPENSSL_cleanse(text, strlen(text)); /* a body may carry a password */
  free(text);
  free(buf.data);
  return rc;
}

void gw_reply_clear(struct gw_reply *r)
{
  json_decref(r->json);
  r->json = NULL;
}

const char *gw_problem_code(const struct gw_reply *r)
{
  const char *code = json_string_value(json_object_get(r->json, "code"));
  return code ? code : "";
}

bool gw_rate_limited(const struct gw_reply *r)
{
  return r->status == 429 && strcmp(gw_problem_code(r), "rate_limited") == 0;
}

const char *gw_problem_text(const struct gw_reply *r, char *buf, size_t len)
{
  const char *detail = json_string_value(json_object_get(r->json, "detail"));
  const char *code = gw_problem_code(r);

  if (*code && detail)
    snprintf(buf, len, "%s: %s", code, detail);
  else
    snprintf(buf, len, "HTTP %ld", r->status);
  return buf;
}
