/* test_metrics.c — the Prometheus text of lib/common/prom.c (label values
 * escaped, histogram buckets cumulative with +Inf equal to _count, _sum in
 * seconds) and the gateway's shared table (cgi/gateway/metrics.c): counts
 * made by another process through the same file are seen, a file of
 * another layout is made anew, and the rendering names routes by their
 * pattern. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/prom.h"
#include "gateway/metrics.h"
#include "gateway/router.h"
#include "prom_value.h"

static void test_label_escaped(void **state)
{
  char labels[64] = "";

  (void)state;
  assert_true(prom_label(labels, sizeof labels, "a", "x\"y\\z\nw"));
  assert_string_equal(labels, "a=\"x\\\"y\\\\z\\nw\"");
  assert_true(prom_label(labels, sizeof labels, "b", "/v1/transactions/{number}"));
  assert_string_equal(labels, "a=\"x\\\"y\\\\z\\nw\",b=\"/v1/transactions/{number}\"");
  /* one that does not fit leaves the list as it was */
  char small[12] = "";
  assert_true(prom_label(small, sizeof small, "k", "abcdef"));
  assert_false(prom_label(small, sizeof small, "l", "x"));
  assert_string_equal(small, "k=\"abcdef\"");
  /* a list already as long as the room given is left alone */
  assert_false(prom_label(small, 9, "m", "x"));
  assert_string_equal(small, "k=\"abcdef\"");
  /* escaping makes a value longer: "m=" and 4 quotes escaped need 13 */
  char tiny[12] = "";
  assert_false(prom_label(tiny, sizeof tiny, "m", "\"\"\"\""));
  assert_string_equal(tiny, "");
  assert_true(prom_label(tiny, sizeof tiny, "m", "\"\""));
  assert_string_equal(tiny, "m=\"\\\"\\\"\"");
}

static void test_histogram_cumulative(void **state)
{
  struct prom_hist h;
  struct prom_text t = { 0 };

  (void)state;
  memset(&h, 0, sizeof h);
  prom_hist_observe(&h, 0.0005); /* le 0.001 */
  prom_hist_observe(&h, 0.001);  /* le 0.001: the bound is inclusive */
  prom_hist_observe(&h, 0.003);  /* le 0.005 */
  prom_hist_observe(&h, 0.2);    /* le 0.25 */
  prom_hist_observe(&h, 60);     /* above 10: +Inf only */
  prom_hist_observe(&h, -1);     /* a clock step back counts as 0 */
  prom_header(&t, "x_seconds", "histogram", "test");
  prom_histogram(&t, "x_seconds", "e=\"a\"", &h);
  assert_false(t.failed);
  assert_non_null(strstr(t.text, "# HELP x_seconds test\n# TYPE x_seconds histogram\n"));
  assert_true(value_of(t.text, "x_seconds_bucket{e=\"a\",le=\"0.001\"}") == 3);
  assert_true(value_of(t.text, "x_seconds_bucket{e=\"a\",le=\"0.0025\"}") == 3);
  assert_true(value_of(t.text, "x_seconds_bucket{e=\"a\",le=\"0.005\"}") == 4);
  assert_true(value_of(t.text, "x_seconds_bucket{e=\"a\",le=\"0.1\"}") == 4);
  assert_true(value_of(t.text, "x_seconds_bucket{e=\"a\",le=\"0.25\"}") == 5);
  assert_true(value_of(t.text, "x_seconds_bucket{e=\"a\",le=\"10\"}") == 5);
  assert_true(value_of(t.text, "x_seconds_bucket{e=\"a\",le=\"+Inf\"}") == 6);
  assert_true(value_of(t.text, "x_seconds_count{e=\"a\"}") == 6);
  double sum = value_of(t.text, "x_seconds_sum{e=\"a\"}");
  assert_true(sum > 60.2044 && sum < 60.2046);
  /* no labels: no braces on _sum and _count */
  prom_histogram(&t, "y_seconds", "", &h);
  assert_true(value_of(t.text, "y_seconds_count") == 6);
  assert_true(value_of(t.text, "y_seconds_bucket{le=\"+Inf\"}") == 6);
  prom_text_free(&t);
}

static void test_text_grows(void **state)
{
  struct prom_text t = { 0 };

  (void)state;
  for (int i = 0; i < 5000; i++)
    prom_sample(&t, "many_total", "i=\"x\"", (uint64_t)i);
  assert_false(t.failed);
  assert_int_equal(strlen(t.text), t.len);
  assert_true(value_of(t.text, "many_total{i=\"x\"}") == 0);
  assert_non_null(strstr(t.text, "many_total{i=\"x\"} 4999\n"));
  prom_text_free(&t);
}

static char path[256];

static int setup_file(void **state)
{
  (void)state;
  snprintf(path, sizeof path, "/tmp/test_metrics.%d", (int)getpid());
  unlink(path);
  return 0;
}

static int teardown_file(void **state)
{
  (void)state;
  metrics_close();
  unlink(path);
  return 0;
}

static const struct route *route_named(const char *method, const char *pattern)
{
  for (const struct route *r = router_routes; r->method; r++)
    if (strcmp(r->method, method) == 0 && strcmp(r->pattern, pattern) == 0)
      return r;
  return NULL;
}

static void request_in(struct request *rq, const char *method, const struct route *r, int status)
{
  memset(rq, 0, sizeof *rq);
  snprintf(rq->method, sizeof rq->method, "%s", method);
  rq->route = r;
  rq->status = status;
  clock_gettime(CLOCK_MONOTONIC, &rq->started);
}

static char *rendered(void)
{
  struct prom_text t = { 0 };

  metrics_render(&t, NULL);
  assert_false(t.failed);
  return t.text;
}

/* Another process (a child) counts through the same file; the parent's
 * rendering shows the sum of both. */
static void test_shared_between_processes(void **state)
{
  struct request rq;
  const struct route *ping = route_named("GET", "/v1/ping");

  (void)state;
  assert_non_null(ping);
  assert_int_equal(metrics_open_path(path), 0);
  struct stat st;
  assert_int_equal(stat(path, &st), 0);
  assert_int_equal(st.st_mode & 0777, 0660);
  request_in(&rq, "GET", ping, 200);
  metrics_request_done(&rq);
  pid_t child = fork();
  assert_true(child >= 0);
  if (child == 0) {
    int ok = metrics_open_path(path) == 0;
    for (int i = 0; i < 4; i++)
      metrics_request_done(&rq);
    metrics_payment("completed");
    metrics_payments("expired", 3);
    metrics_payment("no-such-outcome");
    metrics_db_error("serialization");
    _exit(ok ? 0 : 1);
  }
  int wstatus;
  waitpid(child, &wstatus, 0);
  assert_true(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0);
  char *text = rendered();
  assert_true(value_of(text, "paygw_http_requests_total{endpoint=\"/v1/ping\",method=\"GET\",status=\"200\"}") == 5);
  assert_true(value_of(text, "paygw_http_request_duration_seconds_count{endpoint=\"/v1/ping\",method=\"GET\"}") == 5);
  assert_true(value_of(text, "paygw_payments_total{outcome=\"completed\"}") == 1);
  assert_true(value_of(text, "paygw_payments_total{outcome=\"expired\"}") == 3);
  assert_true(value_of(text, "paygw_payments_total{outcome=\"declined\"}") == 0);
  assert_true(value_of(text, "paygw_db_errors_total{kind=\"serialization\"}") == 1);
  /* without gauges: database_up 0 and no pending counts */
  assert_true(value_of(text, "paygw_metrics_database_up") == 0);
  assert_null(strstr(text, "paygw_refunds_pending"));
  free(text);
}

/* A request no route took is "unmatched" with its method; a route with a
 * parameter is named by its pattern; an odd method is "other". */
static void test_endpoint_labels(void **state)
{
  struct request rq;
  const struct route *get = route_named("GET", "/v1/transactions/{number}");

  (void)state;
  assert_int_equal(metrics_open_path(NULL), 0); /* a table of its own */
  request_in(&rq, "GET", NULL, 404);
  metrics_request_done(&rq);
  request_in(&rq, "BREW", NULL, 405);
  metrics_request_done(&rq);
  request_in(&rq, "GET", get, 200);
  strcpy(rq.path, "/v1/transactions/ABCDEFGHJKLMNPQR");
  metrics_request_done(&rq);
  char *text = rendered();
  assert_true(value_of(text, "paygw_http_requests_total{endpoint=\"unmatched\",method=\"GET\",status=\"404\"}") == 1);
  assert_true(value_of(text, "paygw_http_requests_total{endpoint=\"unmatched\",method=\"other\",status=\"405\"}") == 1);
  assert_true(
      value_of(text, "paygw_http_requests_total{endpoint=\"/v1/transactions/{number}\",method=\"GET\",status=\"200\"}")
      == 1);
  assert_null(strstr(text, "ABCDEFGHJKLMNPQR"));
  /* the issuer's round trip: answered into the histogram, else unanswered */
  metrics_issuer_sent("0100");
  metrics_issuer_done(true);
  metrics_issuer_sent("0401");
  metrics_issuer_done(false);
  free(text);
  struct metrics_gauges g = { .refunds_pending = 2, .webhooks_pending = 4, .webhook_oldest_ms = 1500 };
  struct prom_text t = { 0 };
  metrics_render(&t, &g);
  assert_true(value_of(t.text, "paygw_issuer_round_trip_seconds_count{mti=\"0100\"}") == 1);
  assert_true(value_of(t.text, "paygw_issuer_round_trip_seconds_count{mti=\"0401\"}") == 0);
  assert_true(value_of(t.text, "paygw_issuer_unanswered_total{mti=\"0401\"}") == 1);
  assert_true(value_of(t.text, "paygw_metrics_database_up") == 1);
  assert_true(value_of(t.text, "paygw_refunds_pending") == 2);
  assert_true(value_of(t.text, "paygw_webhook_queue_depth") == 4);
  assert_true(value_of(t.text, "paygw_webhook_oldest_age_seconds") == 1.5);
  prom_text_free(&t);
}

/* A file of another layout (an older build's) is made anew, not used. */
static void test_stale_file_replaced(void **state)
{
  struct request rq;
  char junk[4096];

  (void)state;
  memset(junk, 0x7f, sizeof junk);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fwrite(junk, 1, sizeof junk, f);
  fclose(f);
  struct stat before, after;
  assert_int_equal(stat(path, &before), 0);
  assert_int_equal(metrics_open_path(path), 0);
  assert_int_equal(stat(path, &after), 0);
  assert_true(after.st_ino != before.st_ino);
  assert_true(after.st_size > (off_t)sizeof junk);
  request_in(&rq, "GET", route_named("GET", "/v1/ping"), 200);
  metrics_request_done(&rq);
  char *text = rendered();
  assert_true(value_of(text, "paygw_http_requests_total{endpoint=\"/v1/ping\",method=\"GET\",status=\"200\"}") == 1);
  free(text);
}

/* No file can be made there: -1, and counting goes nowhere (no crash). */
static void test_no_place_for_the_file(void **state)
{
  struct request rq;

  (void)state;
  assert_int_equal(metrics_open_path("/nonexistent-paygw-dir/metrics"), -1);
  request_in(&rq, "GET", NULL, 404);
  metrics_request_done(&rq);
  metrics_payment("completed");
  metrics_issuer_sent("0100");
  metrics_issuer_done(true);
  metrics_db_error("connect");
  struct prom_text t = { 0 };
  metrics_render(&t, NULL);
  assert_non_null(strstr(t.text, "paygw_metrics_database_up 0\n"));
  assert_null(strstr(t.text, "paygw_http_requests_total"));
  prom_text_free(&t);
}

static void test_token(void **state)
{
  (void)state;
  unsetenv("PAYGW_METRICS_TOKEN");
  assert_true(metrics_token_ok(NULL));
  setenv("PAYGW_METRICS_TOKEN", "s3cret", 1);
  assert_false(metrics_token_ok(NULL));
  assert_false(metrics_token_ok("s3cret"));
  assert_false(metrics_token_ok("Bearer s3cre"));
  assert_false(metrics_token_ok("Bearer s3cret2"));
  assert_false(metrics_token_ok("Basic s3cret"));
  assert_true(metrics_token_ok("Bearer s3cret"));
  unsetenv("PAYGW_METRICS_TOKEN");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_label_escaped),
    cmocka_unit_test(test_histogram_cumulative),
    cmocka_unit_test(test_text_grows),
    cmocka_unit_test_setup_teardown(test_shared_between_processes, setup_file, teardown_file),
    cmocka_unit_test_setup_teardown(test_endpoint_labels, setup_file, teardown_file),
    cmocka_unit_test_setup_teardown(test_stale_file_replaced, setup_file, teardown_file),
    cmocka_unit_test(test_no_place_for_the_file),
    cmocka_unit_test(test_token),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
