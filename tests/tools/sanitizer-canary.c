/* sanitizer-canary.c — a program with a planted defect, built only by
 * ./configure --enable-sanitize: `scripts/check --sanitize` runs it once per
 * kind of report before the tests, to show that the sanitizers of this build
 * write their reports where it looks for them and that it counts them.
 *   sanitizer-canary heap-overflow | integer-overflow | leak */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* volatile: the compiler may neither fold the values nor drop the
 * allocations before the sanitizers see them */
static char *volatile block;
static volatile int big = 2147483647;

int main(int argc, char **argv)
{
  const char *kind = argc > 1 ? argv[1] : "";

  if (strcmp(kind, "heap-overflow") == 0) {
    block = malloc(8);
    block[8] = 'x'; /* one past the end (AddressSanitizer) */
    free(block);
  } else if (strcmp(kind, "integer-overflow") == 0) {
    printf("%d\n", big + 1); /* signed overflow (UndefinedBehaviorSanitizer) */
  } else if (strcmp(kind, "leak") == 0) {
    block = malloc(24);
    block = NULL; /* lost (LeakSanitizer, at exit) */
  } else {
    fprintf(stderr, "usage: sanitizer-canary heap-overflow|integer-overflow|leak\n");
    return 2;
  }
  return 0;
}
