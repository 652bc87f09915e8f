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
  { NULL }
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
  assert_null(v[2]);   /* nothing left over from the first parse */
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
    cmocka_unit_test(help_wins),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
