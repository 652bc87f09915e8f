/* test_admin_args.c — unit tests of admin/args.c: paygw-admin's option
 * parsing against a command's option table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "args.h"

#include <string.h>

static const struct opt_spec spec[] = {
  { "merchant", "CODE", true, "merchant code" },
  { "issuer", "CODE", true, "issuer code" },
  { "installments", "LIST", false, "counts" },
  { 0 },
};

static enum args_result parse(int argc, char **argv, const char **values, char *err)
{
  return args_parse(spec, argc, argv, values, err, 200);
}

static void values_land_in_table_order(void **state)
{
  char *argv[] = { "set", "--issuer", "2a11111", "--merchant=1111111111", NULL };
  const char *v[ARGS_MAX];
  char err[200];
  (void)state;
  assert_int_equal(parse(4, argv, v, err), ARGS_OK);
  assert_string_equal(v[0], "1111111111");
  assert_string_equal(v[1], "2a11111");
  assert_null(v[2]);
}

static void a_second_parse_starts_afresh(void **state)
{
  char *a1[] = { "set", "--merchant", "1", "--issuer", "A", "--installments", "3", NULL };
  char *a2[] = { "set", "--merchant", "2", "--issuer", "B", NULL };
  const char *v[ARGS_MAX];
  char err[200];
  (void)state;
  assert_int_equal(parse(7, a1, v, err), ARGS_OK);
  assert_int_equal(parse(5, a2, v, err), ARGS_OK);
  assert_string_equal(v[0], "2");
  assert_null(v[2]); /* nothing left over from the first parse */
}

static void missing_required_option_is_named(void **state)
{
  char *argv[] = { "set", "--merchant", "1", NULL };
  const char *v[ARGS_MAX];
  char err[200];
  (void)state;
  assert_int_equal(parse(3, argv, v, err), ARGS_ERROR);
  assert_string_equal(err, "option --issuer is required");
}

static void unknown_repeated_and_valueless_options_are_refused(void **state)
{
  char *unknown[] = { "set", "--merchant", "1", "--issuer", "A", "--colour", "red", NULL };
  char *twice[] = { "set", "--merchant", "1", "--merchant", "2", "--issuer", "A", NULL };
  char *novalue[] = { "set", "--issuer", "A", "--merchant", NULL };
  const char *v[ARGS_MAX];
  char err[200];
  (void)state;
  assert_int_equal(parse(7, unknown, v, err), ARGS_ERROR);
  assert_non_null(strstr(err, "unknown option --colour"));
  assert_int_equal(parse(7, twice, v, err), ARGS_ERROR);
  assert_string_equal(err, "option --merchant is given twice");
  assert_int_equal(parse(4, novalue, v, err), ARGS_ERROR);
  assert_non_null(strstr(err, "--merchant needs a value"));
}

static void stray_arguments_are_refused_and_card_numbers_never_echoed(void **state)
{
  char *stray[] = { "set", "--merchant", "1", "--issuer", "A", "extra", NULL };
  char *pan[] = { "set", "--merchant", "1", "--issuer", "A", "1525000012345678", NULL };
  char *pan_opt[] = { "set", "--merchant", "1", "--issuer", "A", "--pan=1525000012345678", NULL };
  const char *v[ARGS_MAX];
  char err[200];
  (void)state;
  assert_int_equal(parse(6, stray, v, err), ARGS_ERROR);
  assert_non_null(strstr(err, "'extra'"));
  assert_int_equal(parse(6, pan, v, err), ARGS_ERROR);
  assert_null(strstr(err, "1525000012345678"));
  assert_null(strstr(err, "12345678"));
  assert_int_equal(parse(6, pan_opt, v, err), ARGS_ERROR);
  assert_non_null(strstr(err, "--pan"));
  assert_null(strstr(err, "1525000012345678"));
}

static void a_card_number_as_an_option_name_is_not_echoed(void **state)
{
  char *name[] = { "set", "--merchant", "1", "--issuer", "A", "--1525000012345678", NULL };
  char *named[] = { "set", "--merchant", "1", "--issuer", "A", "--1525000012345678=x", NULL };
  char *novalue[] = { "set", "--issuer", "A", "--merchant", NULL };
  const char *v[ARGS_MAX];
  char err[200];
  (void)state;
  assert_int_equal(parse(6, name, v, err), ARGS_ERROR);
  assert_string_equal(err, "unknown option (not shown) (see --help)");
  assert_int_equal(parse(6, named, v, err), ARGS_ERROR);
  assert_string_equal(err, "unknown option (not shown) (see --help)");
  assert_int_equal(parse(4, novalue, v, err), ARGS_ERROR);
  assert_string_equal(err, "option --merchant needs a value");
}

static void shown_hides_what_might_be_a_card_number(void **state)
{
  (void)state;
  assert_string_equal(shown("S1"), "S1");
  assert_string_equal(shown("12345678901"), "12345678901");  /* 11 digits */
  assert_string_equal(shown("123456789012"), "(not shown)"); /* 12 */
  assert_string_equal(shown("4111 1111 1111 1111"), "(not shown)");
  assert_string_equal(shown("4111-1111-1111-1111x"), "(not shown)");
  assert_string_equal(shown("/tmp/a4111111111111111.pem"), "(not shown)");
  assert_string_equal(shown(""), "");
  assert_string_equal(shown(NULL), "");
}

static void redact_card_numbers_catches_runs_in_any_text(void **state)
{
  char a[] = "invalid input syntax for type bigint: \"4111111111111111x\"";
  char b[] = "value 4111 1111 1111 1111 and 4111-1111-1111-1111 end";
  char c[] = "card 12 of S1 at 2026-11-25 14:00:00, 12345678901 ok";
  char d[] = "123456789012";
  (void)state;
  redact_card_numbers(a);
  assert_string_equal(a, "invalid input syntax for type bigint: \"(not shown)x\"");
  redact_card_numbers(b);
  assert_string_equal(b, "value (not shown) and (not shown) end");
  redact_card_numbers(c);
  assert_string_equal(c, "card 12 of S1 at 2026-11-25 14:00:00, 12345678901 ok");
  redact_card_numbers(d);
  assert_string_equal(d, "(not shown)");
}

static void help_wins(void **state)
{
  char *argv[] = { "set", "--help", NULL };
  char *short_h[] = { "set", "-h", NULL };
  const char *v[ARGS_MAX];
  char err[200];
  (void)state;
  assert_int_equal(parse(2, argv, v, err), ARGS_HELP);
  assert_int_equal(parse(2, short_h, v, err), ARGS_HELP);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(values_land_in_table_order),
    cmocka_unit_test(a_second_parse_starts_afresh),
    cmocka_unit_test(missing_required_option_is_named),
    cmocka_unit_test(unknown_repeated_and_valueless_options_are_refused),
    cmocka_unit_test(stray_arguments_are_refused_and_card_numbers_never_echoed),
    cmocka_unit_test(a_card_number_as_an_option_name_is_not_echoed),
    cmocka_unit_test(shown_hides_what_might_be_a_card_number),
    cmocka_unit_test(redact_card_numbers_catches_runs_in_any_text),
    cmocka_unit_test(help_wins),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
