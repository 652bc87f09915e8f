/* test_web.c — lib/web: session tokens, cookies, Content-Type matching,
 * an answer's header block, route patterns (the form parser's cases are in
 * test_shop.c, which came first). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "web/answer.h"
#include "web/cookie.h"
#include "web/route.h"
#include "web/token.h"
#include "web/worker.h"

#include <stdio.h>
#include <string.h>

static void random_hex_is_hex_and_differs(void **state)
{
  (void)state;
  char a[65], b[65];

  assert_int_equal(token_random_hex(a, 32), 0);
  assert_int_equal(token_random_hex(b, 32), 0);
  assert_int_equal(strlen(a), 64);
  assert_true(cookie_hex_wellformed(a, 64));
  assert_string_not_equal(a, b);
  char big[200];
  assert_int_equal(token_random_hex(big, 65), -1); /* more than 64 bytes */
}

static void sha256_hex_is_the_known_digest(void **state)
{
  (void)state;
  char out[65];

  token_sha256_hex("abc", out);
  assert_string_equal(out, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void equal_compares_whole_texts(void **state)
{
  (void)state;
  assert_true(token_equal("abcd", "abcd"));
  assert_false(token_equal("abcd", "abce"));
  assert_false(token_equal("abcd", "abc")); /* a prefix */
  assert_false(token_equal("abc", "abcd"));
  assert_false(token_equal(NULL, "abcd"));
  assert_false(token_equal("abcd", NULL));
  assert_true(token_equal("", ""));
}

static void hex_wellformed_wants_lower_case_and_the_length(void **state)
{
  (void)state;
  assert_true(cookie_hex_wellformed("00ff", 4));
  assert_false(cookie_hex_wellformed("00FF", 4));
  assert_false(cookie_hex_wellformed("00f", 4));
  assert_false(cookie_hex_wellformed("00ff0", 4));
  assert_false(cookie_hex_wellformed("00fg", 4));
}

static void cookie_lines_say_host_cookie_attributes(void **state)
{
  (void)state;
  char line[200];

  cookie_line("__Host-x", "ab", "Strict", -1, line, sizeof line);
  assert_string_equal(line, "Set-Cookie: __Host-x=ab; Path=/; Secure; HttpOnly; SameSite=Strict");
  cookie_line("__Host-x", "", "Strict", 0, line, sizeof line);
  assert_string_equal(line, "Set-Cookie: __Host-x=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0");
  char v[8];
  assert_int_equal(cookie_get("a=1; __Host-x=ab", "__Host-x", v, sizeof v), 0);
  assert_string_equal(v, "ab");
  assert_int_equal(cookie_get("__Host-x=123456789", "__Host-x", v, sizeof v), -1); /* too long for v */
}

static void content_type_ignores_parameters_and_case(void **state)
{
  (void)state;
  const char *form = "application/x-www-form-urlencoded";

  assert_true(web_content_type_matches(form, form));
  assert_true(web_content_type_matches("Application/X-WWW-Form-Urlencoded; charset=utf-8", form));
  assert_true(web_content_type_matches("application/x-www-form-urlencoded ;charset=utf-8", form));
  assert_false(web_content_type_matches(NULL, form));
  assert_false(web_content_type_matches("", form));
  assert_false(web_content_type_matches("application/x-www-form-urlencodedX", form));
  assert_false(web_content_type_matches("application/json", form));
}

static void answer_head_has_every_header_and_the_length(void **state)
{
  (void)state;
  struct web_request w = { .request_id = "0123456789abcdef0123456789abcdef" };
  char head[2048];

  web_add_header(&w, "Location: /shop/cart");
  web_add_header(&w, "Set-Cookie: a=b");
  int n = web_answer_head(head, sizeof head, &w, 303, "text/plain; charset=utf-8", 0);
  assert_int_equal(n, (int)strlen(head));
  assert_string_equal(head, "Status: 303\r\nContent-Type: text/plain; charset=utf-8\r\nCache-Control: no-store\r\n"
                            "X-Request-Id: 0123456789abcdef0123456789abcdef\r\n"
                            "Location: /shop/cart\r\nSet-Cookie: a=b\r\nContent-Length: 0\r\n\r\n");
}

static void answer_head_too_long_is_a_bare_500(void **state)
{
  (void)state;
  struct web_request w = { .request_id = "r" };
  char head[120];

  web_add_header(&w, "Set-Cookie: a-long-enough-cookie-value-to-overflow-the-small-head-buffer-of-this-test");
  int n = web_answer_head(head, sizeof head, &w, 200, "text/html; charset=utf-8", 42);
  assert_string_equal(head, "Status: 500\r\nContent-Length: 42\r\n\r\n");
  assert_int_equal(n, (int)strlen(head));
}

static void header_past_the_limit_is_dropped(void **state)
{
  (void)state;
  struct web_request w = { .n_headers = 0 };

  for (int i = 0; i < WEB_MAX_HEADERS + 1; i++)
    web_add_header(&w, "X-A: b");
  assert_int_equal(w.n_headers, WEB_MAX_HEADERS);
}

static void route_without_slot_is_the_whole_path(void **state)
{
  (void)state;
  assert_true(web_route_match("/shop/cart", "/shop/cart", NULL, 0));
  assert_false(web_route_match("/shop/cart", "/shop/cart/", NULL, 0));
  assert_false(web_route_match("/shop/cart", "/shop/car", NULL, 0));
}

static void route_slot_takes_one_segment(void **state)
{
  (void)state;
  char slot[8];

  assert_true(web_route_match("/o/{CODE}/qr.svg", "/o/AB-12/qr.svg", slot, sizeof slot));
  assert_string_equal(slot, "AB-12");
  assert_true(web_route_match("/o/{CODE}", "/o/1234567", slot, sizeof slot)); /* 7: just fits */
  assert_string_equal(slot, "1234567");
  assert_false(web_route_match("/o/{CODE}", "/o/12345678", slot, sizeof slot)); /* 8: too long */
  assert_false(web_route_match("/o/{CODE}", "/o/", slot, sizeof slot));         /* empty */
  assert_false(web_route_match("/o/{CODE}", "/o/AB/x", slot, sizeof slot));     /* a tail the pattern lacks */
  assert_false(web_route_match("/o/{CODE}/qr.svg", "/o/AB/status", slot, sizeof slot));
  assert_false(web_route_match("/o/{CODE}/qr.svg", "/o/AB", slot, sizeof slot));
  assert_false(web_route_match("/o/{CODE}", "/p/AB", slot, sizeof slot));
}

/* A program's table as route.h wants it: a struct web_route first. */
struct test_route {
  struct web_route at;
  int id;
};

static const struct test_route test_routes[] = {
  { { "GET", "/t/" }, 1 },
  { { "POST", "/t/" }, 2 },
  { { "GET", "/t/items/{ID}" }, 3 },
  { { "GET", "/t/items/{ID}/more" }, 4 },
  { { NULL, NULL }, 0 },
};

static char taken[64];

/* Takes digits only, as a program takes only its own codes. */
static bool take_digits(struct web_request *w, const char *segment)
{
  (void)w;
  if (strspn(segment, "0123456789") != strlen(segment))
    return false;
  snprintf(taken, sizeof taken, "%s", segment);
  return true;
}

static int found_id(const char *method, const char *path, int *refusal)
{
  struct web_request w = { .n_headers = 0 };

  snprintf(w.method, sizeof w.method, "%s", method);
  snprintf(w.path, sizeof w.path, "%s", path);
  const struct test_route *r = (const struct test_route *)WEB_ROUTE_FIND(test_routes, &w, take_digits, refusal);
  return r ? r->id : 0;
}

static void route_find_walks_the_program_table(void **state)
{
  (void)state;
  int refusal;

  assert_int_equal(found_id("GET", "/t/", &refusal), 1);
  assert_int_equal(found_id("HEAD", "/t/", &refusal), 1);
  assert_int_equal(found_id("POST", "/t/", &refusal), 2);
  assert_int_equal(found_id("GET", "/t/items/42", &refusal), 3);
  assert_string_equal(taken, "42");
  assert_int_equal(found_id("GET", "/t/items/7/more", &refusal), 4);
  assert_string_equal(taken, "7");
  assert_int_equal(found_id("DELETE", "/t/", &refusal), 0);
  assert_int_equal(refusal, 405);
  assert_int_equal(found_id("POST", "/t/items/42", &refusal), 0);
  assert_int_equal(refusal, 405);
  assert_int_equal(found_id("GET", "/t/items/4x2", &refusal), 0); /* the slot refused: unknown path */
  assert_int_equal(refusal, 404);
  assert_int_equal(found_id("POST", "/t/items/4x2", &refusal), 0);
  assert_int_equal(refusal, 404);
  assert_int_equal(found_id("GET", "/u/", &refusal), 0);
  assert_int_equal(refusal, 404);
}

static void head_is_routed_as_get(void **state)
{
  (void)state;
  assert_string_equal(web_route_method("HEAD"), "GET");
  assert_string_equal(web_route_method("GET"), "GET");
  assert_string_equal(web_route_method("POST"), "POST");
}

static void elapsed_ms_counts_from_the_start(void **state)
{
  (void)state;
  struct timespec start;

  clock_gettime(CLOCK_MONOTONIC, &start);
  start.tv_sec -= 2; /* two seconds ago */
  double ms = web_elapsed_ms(&start);
  assert_true(ms >= 2000.0 && ms < 60000.0);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(random_hex_is_hex_and_differs),
    cmocka_unit_test(sha256_hex_is_the_known_digest),
    cmocka_unit_test(equal_compares_whole_texts),
    cmocka_unit_test(hex_wellformed_wants_lower_case_and_the_length),
    cmocka_unit_test(cookie_lines_say_host_cookie_attributes),
    cmocka_unit_test(content_type_ignores_parameters_and_case),
    cmocka_unit_test(answer_head_has_every_header_and_the_length),
    cmocka_unit_test(answer_head_too_long_is_a_bare_500),
    cmocka_unit_test(header_past_the_limit_is_dropped),
    cmocka_unit_test(route_without_slot_is_the_whole_path),
    cmocka_unit_test(route_slot_takes_one_segment),
    cmocka_unit_test(route_find_walks_the_program_table),
    cmocka_unit_test(head_is_routed_as_get),
    cmocka_unit_test(elapsed_ms_counts_from_the_start),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
