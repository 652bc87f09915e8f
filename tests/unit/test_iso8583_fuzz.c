/* test_iso8583_fuzz.c — runs the libFuzzer entry point (tests/fuzz/) under
 * the normal build on 200 000 mutations of the documented 0100 and on
 * random bytes, so every `make check` exercises the decoder's edges even
 * without clang.  A failure aborts (the fuzz entry's own checks). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../fuzz/fuzz_iso8583.c"

#include <stdio.h>

static uint64_t rng = 0x9e3779b97f4a7c15ULL; /* fixed seed: repeatable */
static uint64_t next(void)
{
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

/* docs/iso8583.md's example 0100 (card 00001), whole: it decodes, so the
 * mutations that still decode run the entry's encode-again checks */
static const char seed_hex[] = "30313030723c040008c18000313631353235303030303132333435363738303030303030"
                               "3030303030303030323539323131323530393433303330303030343230393433303331"
                               "3132353330313230313030393433303330303030343270"
                               "6f732d31313131313131313131313131312020202020303036504d4c203030333932";

/* how many inputs decoded, to show the round trip was exercised */
static int decoded(const uint8_t *buf, size_t len)
{
  struct iso_msg m;
  return iso_unpack(&m, buf, len) == ISO_OK;
}

static void mutations_of_a_real_message(void **state)
{
  (void)state;
  uint8_t seed[256], buf[400];
  size_t n = strlen(seed_hex) / 2;
  for (size_t i = 0; i < n; i++) {
    unsigned v;
    sscanf(seed_hex + 2 * i, "%2x", &v);
    seed[i] = (uint8_t)v;
  }
  assert_true(decoded(seed, n));
  int kept = 0;
  for (int round = 0; round < 200000; round++) {
    size_t len = n;
    memcpy(buf, seed, n);
    int edits = 1 + (int)(next() % 4);
    for (int e = 0; e < edits; e++) {
      switch (next() % 3) {
      case 0:
        if (len)
          buf[next() % len] = (uint8_t)next();
        break; /* flip a byte */
      case 1:
        len = next() % (len + 1);
        break; /* truncate */
      case 2:
        if (len < sizeof buf)
          buf[len++] = (uint8_t)next();
        break; /* extend */
      }
    }
    kept += decoded(buf, len);
    LLVMFuzzerTestOneInput(buf, len);
  }
  print_message("%d of 200000 mutations decoded (and were encoded again)\n", kept);
  assert_true(kept > 2000);
}

static void random_bytes(void **state)
{
  (void)state;
  uint8_t buf[300];
  for (int round = 0; round < 50000; round++) {
    size_t len = next() % sizeof buf;
    for (size_t i = 0; i < len; i++)
      buf[i] = (uint8_t)next();
    if (len >= 4)
      memcpy(buf, "0100", 4);
    LLVMFuzzerTestOneInput(buf, len);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(mutations_of_a_real_message),
    cmocka_unit_test(random_bytes),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
