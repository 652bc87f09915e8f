/* test_gateway_rules.c — unit tests for the payment flow's pure rules:
 * issuer ranges of differing lengths (fig 9), the methods of figure 10,
 * totals and currencies, random tokens, ISO 8583 field 41, the parties a
 * payment rests on (issue 6), the terminal rate limit's figures (issue 4)
 * and the outcomes of gateway.do_create_transaction (issue 19). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "gateway/auth.h"
#include "gateway/db/device.h"
#include "gateway/db/handset.h"
#include "gateway/db/terminal.h"
#include "gateway/db/txn.h"
#include "gateway/issuer_link.h"
#include "gateway/methods.h"
#include "gateway/money.h"
#include "gateway/parties.h"
#include "gateway/rate_limit.h"
#include "gateway/tokens.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void ranges_are_prefixes_of_differing_lengths(void **state)
{
  (void)state;
  /* figure 9: 1525000000-1525059999 (10 digits) for 16-digit cards */
  assert_true(methods_range_holds("1525000000", "1525059999", "1525000012345678"));
  assert_true(methods_range_holds("1525000000", "1525059999", "1525059999999999"));
  assert_false(methods_range_holds("1525000000", "1525059999", "1525060000000000"));
  /* a 5-digit range 13500-13560 */
  assert_true(methods_range_holds("13500", "13560", "1355500123456780"));
  assert_true(methods_range_holds("13500", "13560", "1356099999999999"));
  assert_false(methods_range_holds("13500", "13560", "1356100000000000"));
  /* a single-number range 13600-13600 holds every card that starts with it */
  assert_true(methods_range_holds("13600", "13600", "1360000123456784"));
  assert_false(methods_range_holds("13600", "13600", "1360100000000000"));
  /* a short card still compares by its digits */
  assert_true(methods_range_holds("153996010", "153996010", "1539960101234568"));
}

static void methods_follow_the_row(void **state)
{
  (void)state;
  struct method_offer offer = {
    .found = true, .lump_sum = true, .installments = true, .revolving = true, .counts = { 3, 6, 12, 0 }
  };
  json_t *list = methods_json(&offer);
  assert_int_equal(json_array_size(list), 3);
  assert_string_equal(json_string_value(json_object_get(json_array_get(list, 1), "method")), "I");
  assert_int_equal(json_array_size(json_object_get(json_array_get(list, 1), "installments")), 3);
  json_decref(list);
}

static void totals_are_integers_and_bounded(void **state)
{
  (void)state;
  int64_t total, tax;
  const struct item items[] = {
    { .name = "beans", .quantity = 2, .unit_price = 1200, .tax = 192 },
    { .name = "cup", .quantity = 1, .unit_price = 800, .tax = 64 },
  };
  assert_int_equal(items_total(items, 2, &total, &tax), 0);
  assert_int_equal(total, 3456);
  assert_int_equal(tax, 256);
  char *text = items_json_text(items, 2);
  assert_string_equal(text, "[{\"name\":\"beans\",\"quantity\":2,\"unit_price\":1200,\"tax\":192},"
                            "{\"name\":\"cup\",\"quantity\":1,\"unit_price\":800,\"tax\":64}]");
  free(text);
  const struct item big = { .name = "big", .quantity = 9999, .unit_price = 10000000000LL, .tax = 0 };
  assert_int_equal(items_total(&big, 1, &total, &tax), -1); /* over 12 digits */
  assert_string_equal(currency_by_alpha("JPY")->numeric, "392");
  assert_int_equal(currency_by_alpha("USD")->exponent, 2);
  assert_null(currency_by_alpha("XXX"));
  assert_null(currency_by_alpha("jpy"));
}

static void tokens_have_their_shape(void **state)
{
  (void)state;
  char number[TXN_NUMBER_LEN + 1], other[TXN_NUMBER_LEN + 1], code[BINDING_CODE_LEN + 1], ch[CHALLENGE_LEN + 1];
  assert_int_equal(token_txn_number(number), 0);
  assert_int_equal(token_txn_number(other), 0);
  assert_int_equal(strlen(number), 16);
  assert_int_equal(strspn(number, "0123456789ABCDEFGHJKMNPQRSTVWXYZ"), 16);
  assert_string_not_equal(number, other);
  assert_int_equal(token_binding_code(code), 0);
  assert_int_equal(strlen(code), 4);
  assert_int_equal(strcspn(code, "01IO"), 4);
  assert_int_equal(token_b64url32(ch), 0);
  assert_int_equal(strlen(ch), 43);
  assert_true(token_is_code(ch, 43));
  assert_false(token_is_code("", 5));
  assert_false(token_is_code("abc def", 10));
  assert_false(token_is_code("abcdef", 5));
}

static void terminal_field_is_eight_characters(void **state)
{
  (void)state;
  char f[9];
  issuer_terminal_field("T1", f);
  assert_string_equal(f, "T1      ");
  issuer_terminal_field("a-very-long-terminal", f);
  assert_string_equal(f, "a-very-l");
}

/* A row of do_begin_authorization's party statuses: every column "active" but the one named (set to
 * `value`, or NULL for a missing column). */
struct fake_parties {
  const char *off, *value;
};
static const char *fake_status(void *ctx, const char *column)
{
  const struct fake_parties *f = ctx;
  return f->off && strcmp(column, f->off) == 0 ? f->value : "active";
}

static void a_disabled_party_is_named(void **state)
{
  (void)state;
  struct fake_parties all = { NULL, NULL };
  assert_null(parties_inactive_reason(fake_status, &all));
  static const struct {
    const char *column, *word;
  } cases[] = {
    { "card_status", "card" },         { "user_status", "user ID" },
    { "device_status", "handset" },    { "subscriber_status", "subscriber" },
    { "issuer_status", "issuer" },     { "merchant_status", "merchant" },
    { "terminal_status", "terminal" },
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    struct fake_parties one = { cases[i].column, "disabled" };
    const char *reason = parties_inactive_reason(fake_status, &one);
    assert_non_null(reason);
    assert_non_null(strstr(reason, cases[i].word));
  }
  /* anything but "active" is not active, a missing status neither */
  struct fake_parties odd = { "merchant_status", "Active" }, missing = { "terminal_status", NULL };
  assert_non_null(strstr(parties_inactive_reason(fake_status, &odd), "merchant"));
  assert_non_null(strstr(parties_inactive_reason(fake_status, &missing), "terminal"));
}

/* Every outcome word a gateway.do_* function answers (a literal right after
 * SELECT, THEN or ELSE in the function's text in sql/) has its C value, and
 * nothing else does: a word the C side did not know would be answered as a
 * database failure.  Returns how many it saw. */
static int outcomes_match(const char *file, const char *function, int (*outcome_of)(const char *))
{
  char path[512], line[1024], opening[128];
  const char *dir = getenv("srcdir");
  snprintf(path, sizeof path, "%s/sql/%s", dir && *dir ? dir : ".", file);
  snprintf(opening, sizeof opening, "CREATE FUNCTION gateway.%s(", function);
  FILE *f = fopen(path, "r");
  assert_non_null(f);
  bool inside = false;
  int seen = 0;
  while (fgets(line, sizeof line, f)) {
    if (strstr(line, opening))
      inside = true;
    else if (inside && strncmp(line, "$$;", 3) == 0)
      break;
    for (char *p = line; inside && (p = strchr(p, '\'')) != NULL;) {
      char *end = strchr(p + 1, '\'');
      if (!end)
        break;
      bool answered = (p - line >= 7 && strncmp(p - 7, "SELECT ", 7) == 0)
                      || (p - line >= 5 && (strncmp(p - 5, "THEN ", 5) == 0 || strncmp(p - 5, "ELSE ", 5) == 0));
      if (answered && end - p > 1) {
        char word[64];
        snprintf(word, sizeof word, "%.*s", (int)(end - p - 1), p + 1);
        if (outcome_of(word) < 0)
          fail_msg("outcome %s of %s has no C value", word, function);
        seen++;
      }
      p = end + 1;
    }
  }
  fclose(f);
  return seen;
}

static void create_outcomes_match_the_function(void **state)
{
  (void)state;
  assert_true(outcomes_match("0014_gateway_do.sql", "do_create_transaction", txn_create_outcome_of) >= 8);
  assert_int_equal(txn_create_outcome_of("created"), TXN_CREATED);
  assert_int_equal(txn_create_outcome_of("sign_again"), TXN_SIGN_AGAIN);
  assert_int_equal(txn_create_outcome_of("too_many_open"), TXN_TOO_MANY_OPEN);
  assert_int_equal(txn_create_outcome_of("Created"), -1);
  assert_int_equal(txn_create_outcome_of(""), -1);
}

/* The same for the rest of the flow (sql/0015). */
static void flow_outcomes_match_the_functions(void **state)
{
  (void)state;
  assert_true(outcomes_match("0015_gateway_do_flow.sql", "do_mailbox_poll", mailbox_poll_outcome_of) >= 5);
  assert_int_equal(mailbox_poll_outcome_of("raced"), POLL_RACED);
  assert_true(outcomes_match("0015_gateway_do_flow.sql", "do_device_auth", device_auth_outcome_of) >= 6);
  assert_int_equal(device_auth_outcome_of("stale"), DEVICE_STALE);
  assert_true(outcomes_match("0015_gateway_do_flow.sql", "do_confirm", confirm_outcome_of) >= 8);
  assert_int_equal(confirm_outcome_of("card_unchecked"), CONFIRM_CARD_UNCHECKED);
  assert_int_equal(confirm_outcome_of("Confirmed"), -1);
  assert_true(outcomes_match("0015_gateway_do_flow.sql", "do_payment_methods", methods_outcome_of) >= 4);
  assert_true(outcomes_match("0015_gateway_do_flow.sql", "do_begin_authorization", begin_auth_outcome_of) >= 7);
  assert_int_equal(begin_auth_outcome_of("party_disabled"), BEGIN_PARTY_DISABLED);
  assert_true(outcomes_match("0015_gateway_do_flow.sql", "do_end_waiting", end_waiting_outcome_of) >= 4);
  assert_true(outcomes_match("0015_gateway_do_flow.sql", "do_cancel", cancel_outcome_of) >= 4);
}

static void rate_limit_figures(void **state)
{
  (void)state;
  char interval[32], tolerance[32];
  rate_limit_params(10, 20, interval, tolerance);
  assert_string_equal(interval, "0.100000");  /* 1/rate seconds */
  assert_string_equal(tolerance, "2.000000"); /* burst/rate seconds */
  rate_limit_params(3, 0, interval, tolerance);
  assert_string_equal(interval, "0.333333");
  assert_string_equal(tolerance, "0.000000"); /* no burst: one at a time */
  rate_limit_params(100000, 100000, interval, tolerance);
  assert_string_equal(interval, "0.000010");
  assert_string_equal(tolerance, "1.000000");
  /* Retry-After: whole seconds, never 0 (the statement rounds up) */
  assert_int_equal(rate_limit_retry_after("1"), 1);
  assert_int_equal(rate_limit_retry_after("7"), 7);
  assert_int_equal(rate_limit_retry_after("0"), 1);
  assert_int_equal(rate_limit_retry_after("-3"), 1);
  assert_int_equal(rate_limit_retry_after(""), 1); /* NULL from the database */
  assert_int_equal(rate_limit_retry_after("99999"), 3600);
}

/* The signed mailbox poll's headers, before any database work (auth_device.c) */
static void device_headers_have_their_shape(void **state)
{
  char sig_text[87];
  unsigned char sig[ED25519_SIG_LEN];
  int64_t ts = -1;
  (void)state;
  memset(sig_text, 'A', 86);
  sig_text[86] = '\0';
  assert_int_equal(device_headers_parse("1234567", "1795000000123", sig_text, &ts, sig), 0);
  assert_true(ts == 1795000000123LL);
  assert_int_equal(device_headers_parse("dev_1-x", "0", sig_text, &ts, sig), 0);
  assert_int_equal(device_headers_parse("", "1", sig_text, &ts, sig), -1);      /* no device */
  assert_int_equal(device_headers_parse("12 34", "1", sig_text, &ts, sig), -1); /* not a code */
  assert_int_equal(device_headers_parse("123456789012345678901234567890123", "1", sig_text, &ts, sig), -1); /* 33 */
  assert_int_equal(device_headers_parse("1234567", "", sig_text, &ts, sig), -1);
  assert_int_equal(device_headers_parse("1234567", "-5", sig_text, &ts, sig), -1);
  assert_int_equal(device_headers_parse("1234567", "1234567890123456", sig_text, &ts, sig), -1); /* 16 digits */
  sig_text[85] = '\0';                                                                           /* 85 characters */
  assert_int_equal(device_headers_parse("1234567", "1", sig_text, &ts, sig), -1);
  assert_int_equal(device_headers_parse("1234567", "1", "AAAA", &ts, sig), -1); /* 3 bytes */
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(ranges_are_prefixes_of_differing_lengths),
    cmocka_unit_test(methods_follow_the_row),
    cmocka_unit_test(totals_are_integers_and_bounded),
    cmocka_unit_test(tokens_have_their_shape),
    cmocka_unit_test(terminal_field_is_eight_characters),
    cmocka_unit_test(a_disabled_party_is_named),
    cmocka_unit_test(rate_limit_figures),
    cmocka_unit_test(create_outcomes_match_the_function),
    cmocka_unit_test(flow_outcomes_match_the_functions),
    cmocka_unit_test(device_headers_have_their_shape),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
