/* http.c — the benchmark's HTTP client on libcurl (see http.h).  One easy
 * handle per simulated device keeps its connection open between requests,
 * as a POS or a handset would; HTTP/1.1 so that the ping figure and the
 * flows use the same transport. */
#include "bench/http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

unsigned long long now_us(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (unsigned long long)ts.tv_sec * 1000000ull + (unsigned long long)ts.tv_nsec / 1000ull;
}

static size_t collect(char *data, size_t size, size_t n, void *userdata)
{
  struct http *c = userdata;
  size_t add = size * n;
  if (c->len + add + 1 > c->cap) {
    size_t cap = c->cap ? c->cap : 4096;
    while (c->len + add + 1 > cap)
      cap *= 2;
    char *grown = realloc(c->body, cap);
    if (!grown)
      return 0; /* curl then fails the transfer */
    c->body = grown;
    c->cap = cap;
  }
  memcpy(c->body + c->len, data, add);
  c->len += add;
  c->body[c->len] = '\0';
  return add;
}

int http_open(struct http *c, const char *base_url, const char *ca)
{
  memset(c, 0, sizeof *c);
  c->base_url = base_url;
  c->curl = curl_easy_init();
  if (!c->curl)
    return -1;
  curl_easy_setopt(c->curl, CURLOPT_CAINFO, ca);
  curl_easy_setopt(c->curl, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
  curl_easy_setopt(c->curl, CURLOPT_NOSIGNAL, 1L); /* threads */
  curl_easy_setopt(c->curl, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(c->curl, CURLOPT_TIMEOUT_MS, 60000L);
  curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, c);
  curl_easy_setopt(c->curl, CURLOPT_ERRORBUFFER, c->error);
  return 0;
}

void http_close(struct http *c)
{
  if (c->curl)
    curl_easy_cleanup(c->curl);
  free(c->body);
  memset(c, 0, sizeof *c);
}

long http_request(struct http *c, const char *method, const char *path, const char *const *headers, const char *body,
                  struct hist *h)
{
  char url[512];
  struct curl_slist *list = NULL;

  snprintf(url, sizeof url, "%s%s", c->base_url, path);
  for (const char *const *p = headers; p && *p; p++)
    list = curl_slist_append(list, *p);
  if (body)
    list = curl_slist_append(list, "Content-Type: application/json");
  list = curl_slist_append(list, "Expect:"); /* no 100-continue round trip */
  curl_easy_setopt(c->curl, CURLOPT_URL, url);
  curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, list);
  if (body) {
    curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
  } else {
    curl_easy_setopt(c->curl, CURLOPT_HTTPGET, 1L);
  }
  curl_easy_setopt(c->curl, CURLOPT_CUSTOMREQUEST, strcmp(method, body ? "POST" : "GET") ? method : NULL);
  c->len = 0;
  if (c->body)
    c->body[0] = '\0';
  c->error[0] = '\0';

  unsigned long long start = now_us();
  CURLcode rc = curl_easy_perform(c->curl);
  unsigned long long took = now_us() - start;
  c->requests++;
  curl_slist_free_all(list);
  c->status = 0;
  if (rc != CURLE_OK) {
    if (!c->error[0])
      snprintf(c->error, sizeof c->error, "%s", curl_easy_strerror(rc));
    return 0;
  }
  curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &c->status);
  if (h)
    hist_record(h, took);
  if (!c->body) /* an empty answer: keep body a string */
    collect("", 1, 0, c);
  return c->status;
}
