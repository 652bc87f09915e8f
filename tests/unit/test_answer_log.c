/* test_answer_log.c — unit tests for answer_log.c: with PAYGW_ANSWER_LOG
 * naming a file, each answer and each webhook body is one JSON line there
 * (the route pattern, not the path; the body as JSON, or as a string when
 * it is not JSON), appended to what the file held. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "gateway/answer_log.h"
#include "gateway/router.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char log_path[] = "/tmp/test_answer_log.XXXXXX";

/* The file's lines as JSON values (n of them at most); their count. */
static int read_lines(json_t **lines, int n)
{
  FILE *f = fopen(log_path, "r");
  char buf[4096];
  int count = 0;

  assert_non_null(f);
  while (fgets(buf, sizeof buf, f)) {
    assert_true(strlen(buf) > 0 && buf[strlen(buf) - 1] == '\n'); /* whole lines */
    assert_true(count < n);
    lines[count] = json_loads(buf, 0, NULL);
    assert_non_null(lines[count]);
    count++;
  }
  fclose(f);
  return count;
}

static const struct route *route_with(const char *method, const char *pattern)
{
  for (const struct route *r = router_routes; r->method; r++)
    if (strcmp(r->method, method) == 0 && strcmp(r->pattern, pattern) == 0)
      return r;
  return NULL;
}

static void answers_and_webhooks_are_lines_of_json(void **state)
{
  struct request rq;
  json_t *lines[8];
  (void)state;

  memset(&rq, 0, sizeof rq);
  snprintf(rq.method, sizeof rq.method, "GET");
  snprintf(rq.path, sizeof rq.path, "/v1/transactions/ABCDEFGH12345678");
  rq.route = route_with("GET", "/v1/transactions/{number}");
  assert_non_null(rq.route);
  answer_log_answer(&rq, 200, "application/json", "{\"transaction\":\"ABCDEFGH12345678\",\"total\":1980}");
  /* refused before routing (a body too large): the route the path matches */
  rq.route = NULL;
  snprintf(rq.method, sizeof rq.method, "POST");
  snprintf(rq.path, sizeof rq.path, "/v1/transactions/ABCDEFGH12345678/cancel");
  answer_log_answer(&rq, 413, "application/problem+json", "{\"code\":\"body_too_large\"}");
  /* a path no route has */
  snprintf(rq.path, sizeof rq.path, "/v2/nothing");
  answer_log_answer(&rq, 404, "application/problem+json", "{\"code\":\"not_found\"}");
  /* a body that is not JSON */
  answer_log_answer(&rq, 200, "text/plain; version=0.0.4", "# TYPE x counter\nx 1\n");
  answer_log_webhook("payment.completed", "{\"type\":\"payment.completed\",\"data\":{}}");

  int n = read_lines(lines, 8);
  assert_int_equal(n, 6); /* the line written before: appended to */
  assert_string_equal(json_string_value(json_object_get(lines[0], "before")), "this test");

  json_t *a = lines[1];
  assert_string_equal(json_string_value(json_object_get(a, "kind")), "answer");
  assert_string_equal(json_string_value(json_object_get(a, "method")), "GET");
  assert_string_equal(json_string_value(json_object_get(a, "route")), "/v1/transactions/{number}");
  assert_int_equal(json_integer_value(json_object_get(a, "status")), 200);
  assert_string_equal(json_string_value(json_object_get(a, "content_type")), "application/json");
  assert_int_equal(json_integer_value(json_object_get(json_object_get(a, "body"), "total")), 1980);

  assert_string_equal(json_string_value(json_object_get(lines[2], "route")), "/v1/transactions/{number}/cancel");
  assert_int_equal(json_integer_value(json_object_get(lines[2], "status")), 413);
  assert_true(json_is_null(json_object_get(lines[3], "route")));
  assert_string_equal(json_string_value(json_object_get(lines[4], "body")), "# TYPE x counter\nx 1\n");

  json_t *w = lines[5];
  assert_string_equal(json_string_value(json_object_get(w, "kind")), "webhook");
  assert_string_equal(json_string_value(json_object_get(w, "type")), "payment.completed");
  assert_string_equal(json_string_value(json_object_get(json_object_get(w, "body"), "type")), "payment.completed");
  for (int i = 0; i < n; i++)
    json_decref(lines[i]);
}

int main(void)
{
  int fd = mkstemp(log_path);
  if (fd < 0 || write(fd, "{\"before\":\"this test\"}\n", 23) != 23)
    return 1;
  close(fd);
  setenv("PAYGW_ANSWER_LOG", log_path, 1);
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(answers_and_webhooks_are_lines_of_json),
  };
  int rc = cmocka_run_group_tests(tests, NULL, NULL);
  unlink(log_path);
  return rc;
}
