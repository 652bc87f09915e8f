/* test_utf8.c — lib/common/utf8.c, the one UTF-8 reader: counting
 * characters (utf8_count, utf8_count_n), validity and scrubbing, at every
 * edge RFC 3629 draws — the first and last code point of each sequence
 * length, overlong forms, surrogates, code points above U+10FFFF, sequences
 * cut short, and NUL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "common/utf8.h"

#include <stdlib.h>
#include <string.h>

static void counts_characters_not_bytes(void **state)
{
  (void)state;
  assert_int_equal(utf8_count(""), 0);
  assert_int_equal(utf8_count("plain ASCII"), 11);
  assert_int_equal(utf8_count("\xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x92\xb3"), 7); /* été € 💳 */
  assert_int_equal(utf8_count("\xe3\x81\x82\xe3\x81\x82"), 2);                        /* あ あ: 6 bytes */
}

/* The first and last code point of each length are well-formed, one each. */
static void each_length_from_first_to_last_code_point(void **state)
{
  static const char *const good[] = {
    "\x01",
    "\x7f", /* U+0001, U+007F */
    "\xc2\x80",
    "\xdf\xbf", /* U+0080, U+07FF */
    "\xe0\xa0\x80",
    "\xef\xbf\xbf", /* U+0800, U+FFFF */
    "\xed\x9f\xbf",
    "\xee\x80\x80", /* U+D7FF and U+E000, around the surrogates */
    "\xf0\x90\x80\x80",
    "\xf4\x8f\xbf\xbf", /* U+10000, U+10FFFF */
  };
  (void)state;
  for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
    assert_int_equal(utf8_count(good[i]), 1);
    assert_true(utf8_valid(good[i]));
  }
}

static void overlong_forms_are_refused(void **state)
{
  static const char *const overlong[] = {
    "\xc0\x80",                             /* NUL in two bytes (Java's "modified UTF-8") */
    "\xc0\xaf",         "\xc1\xbf",         /* '/' and U+007F in two bytes */
    "\xe0\x80\xaf",     "\xe0\x9f\xbf",     /* '/' and U+07FF in three */
    "\xf0\x80\x80\xaf", "\xf0\x8f\xbf\xbf", /* '/' and U+FFFF in four */
  };
  (void)state;
  for (size_t i = 0; i < sizeof overlong / sizeof *overlong; i++) {
    assert_int_equal(utf8_count(overlong[i]), -1);
    assert_false(utf8_valid(overlong[i]));
  }
}

static void surrogates_are_refused(void **state)
{
  (void)state;
  assert_int_equal(utf8_count("\xed\xa0\x80"), -1);             /* U+D800 */
  assert_int_equal(utf8_count("\xed\xbf\xbf"), -1);             /* U+DFFF */
  assert_int_equal(utf8_count("\xed\xa0\xbd\xed\xb2\xb3"), -1); /* a CESU-8 pair for 💳 */
}

static void beyond_unicode_is_refused(void **state)
{
  (void)state;
  assert_int_equal(utf8_count("\xf4\x90\x80\x80"), -1);         /* U+110000 */
  assert_int_equal(utf8_count("\xf7\xbf\xbf\xbf"), -1);         /* U+1FFFFF */
  assert_int_equal(utf8_count("\xf8\x88\x80\x80\x80"), -1);     /* the old 5-byte form */
  assert_int_equal(utf8_count("\xfc\x84\x80\x80\x80\x80"), -1); /* the old 6-byte form */
  assert_int_equal(utf8_count("\xfe"), -1);
  assert_int_equal(utf8_count("\xff"), -1);
}

static void truncated_sequences_are_refused(void **state)
{
  (void)state;
  assert_int_equal(utf8_count("\xc3"), -1);         /* cut after the lead byte */
  assert_int_equal(utf8_count("\xe2\x82"), -1);     /* inside a 3-byte form */
  assert_int_equal(utf8_count("\xf0\x9f\x92"), -1); /* inside a 4-byte form */
  assert_int_equal(utf8_count("caf\xc3 ok"), -1);   /* ASCII where a continuation belongs */
  assert_int_equal(utf8_count("\x80"), -1);         /* a lone continuation */
  assert_int_equal(utf8_count("a\xa9\xa9"), -1);    /* continuations with no lead */
}

/* utf8_count_n stops at len, whatever follows, and never reads past it. */
static void a_length_bound_is_never_read_past(void **state)
{
  (void)state;
  assert_int_equal(utf8_count_n("", 0), 0);
  assert_int_equal(utf8_count_n("\xc3\xa9t\xc3\xa9", 2), 1);
  assert_int_equal(utf8_count_n("\xc3\xa9t\xc3\xa9", 4), -1); /* the second é cut by len */
  /* exactly the bytes of a sequence, with no NUL after them: a read past
   * the end shows under AddressSanitizer (scripts/check --sanitize) */
  char *euro = malloc(3), *cut = malloc(2);
  assert_non_null(euro);
  assert_non_null(cut);
  memcpy(euro, "\xe2\x82\xac", 3);
  memcpy(cut, "\xe2\x82", 2);
  assert_int_equal(utf8_count_n(euro, 3), 1);
  assert_int_equal(utf8_count_n(cut, 2), -1);
  assert_int_equal(utf8_count_n(euro, 2), -1);
  free(euro);
  free(cut);
}

/* A C string ends at its NUL; given a length, a NUL inside is not text. */
static void nul_ends_a_string_and_is_refused_inside_a_length(void **state)
{
  (void)state;
  assert_int_equal(utf8_count("ab\0cd"), 2);
  assert_int_equal(utf8_count_n("ab\0cd", 5), -1);
  assert_int_equal(utf8_count_n("\0", 1), -1);
  assert_int_equal(utf8_count_n("\xc3\0", 2), -1); /* a NUL where a continuation belongs */
  assert_int_equal(utf8_count("\xc3"), -1);        /* the same cut by the terminator */
}

static void scrub_replaces_each_bad_byte(void **state)
{
  (void)state;
  char path[] = "/v1/transactions/\xff\xfe/confirmation";
  assert_string_equal(utf8_scrub(path), "/v1/transactions/?"
                                        "?/confirmation");
  char cut[] = "caf\xc3"; /* a detail truncated mid-character */
  assert_string_equal(utf8_scrub(cut), "caf?");
  char good[] = "\xc3\xa9t\xc3\xa9";
  assert_string_equal(utf8_scrub(good), "\xc3\xa9t\xc3\xa9");
  char mixed[] = "a\xe2\x82"
                 "b"; /* a broken sequence before ASCII */
  assert_string_equal(utf8_scrub(mixed), "a??b");
  assert_true(utf8_valid(mixed));
  char surrogate[] = "x\xed\xa0\x80y";
  assert_string_equal(utf8_scrub(surrogate), "x???y");
  assert_int_equal(utf8_count(surrogate), 5);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(counts_characters_not_bytes),
    cmocka_unit_test(each_length_from_first_to_last_code_point),
    cmocka_unit_test(overlong_forms_are_refused),
    cmocka_unit_test(surrogates_are_refused),
    cmocka_unit_test(beyond_unicode_is_refused),
    cmocka_unit_test(truncated_sequences_are_refused),
    cmocka_unit_test(a_length_bound_is_never_read_past),
    cmocka_unit_test(nul_ends_a_string_and_is_refused_inside_a_length),
    cmocka_unit_test(scrub_replaces_each_bad_byte),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
