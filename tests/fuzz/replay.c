/* replay.c — runs one fuzz harness on every input of its corpus
 * (tests/fuzz/corpus/<harness>/: the hand-made seeds and each input a
 * fuzzer once crashed on), as a unit test of every `make check`, built with
 * the plain compiler and, under `scripts/check --sanitize`, with the
 * sanitizers.  A harness aborts on a broken invariant, so a finding that
 * comes back fails here.  FUZZ_HARNESS names the corpus; the test harness
 * of automake sets $srcdir. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int by_name(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static unsigned char *read_all(const char *path, size_t *len)
{
  FILE *f = fopen(path, "rb");
  unsigned char *buf = NULL;
  size_t cap = 0;

  *len = 0;
  assert_non_null(f);
  for (;;) {
    if (*len == cap) {
      cap = cap ? cap * 2 : 4096;
      buf = realloc(buf, cap);
      assert_non_null(buf);
    }
    size_t got = fread(buf + *len, 1, cap - *len, f);
    *len += got;
    if (got == 0)
      break;
  }
  fclose(f);
  /* an allocation of the input's own size, as libFuzzer gives it */
  unsigned char *exact = malloc(*len ? *len : 1);
  memcpy(exact, buf, *len);
  free(buf);
  return exact;
}

static void every_corpus_input_passes(void **state)
{
  const char *srcdir = getenv("srcdir");
  char dir[4096], path[4352];
  char *names[4096];
  size_t n = 0;
  (void)state;

  snprintf(dir, sizeof dir, "%s/tests/fuzz/corpus/%s", srcdir ? srcdir : ".", FUZZ_HARNESS);
  DIR *d = opendir(dir);
  if (!d)
    fail_msg("no corpus at %s", dir);
  for (struct dirent *e; (e = readdir(d)) && n < sizeof names / sizeof *names;)
    if (e->d_name[0] != '.')
      names[n++] = strdup(e->d_name);
  closedir(d);
  qsort(names, n, sizeof *names, by_name);
  if (n == 0)
    fail_msg("the corpus %s is empty", dir);
  for (size_t i = 0; i < n; i++) {
    size_t len;
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    unsigned char *data = read_all(path, &len);
    print_message("%s (%zu bytes)\n", names[i], len); /* the last one named is the one that failed */
    LLVMFuzzerTestOneInput(data, len);
    free(data);
    free(names[i]);
  }
  print_message("%zu inputs of %s passed\n", n, FUZZ_HARNESS);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(every_corpus_input_passes),
  };
  return cmocka_run_group_tests_name(FUZZ_HARNESS, tests, NULL, NULL);
}
