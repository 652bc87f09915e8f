/* test_qr_svg.c — unit tests for lib/common/qr_svg.c.  The SVG is read
 * back strictly (its fixed parts, then nothing in its path but runs of
 * dark modules) into a bitmap, which must be libqrencode's own code at
 * level M inside a 4-module light margin; the bitmap, drawn into a PBM
 * image, must decode back to the text with zbarimg (Debian's zbar-tools,
 * installed by scripts/deps).  And: the same text gives the same bytes,
 * the caller's text never shows in the SVG, bad input is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "common/qr_svg.h"

#include <qrencode.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PAY_URL "https://127.0.0.1:28843/shop/pay/ABCDEFGH"
#define QUIET 4
#define MAX_MODULES (177 + 2 * QUIET) /* version 40 */

struct bitmap {
  int size; /* modules a side, the margin included */
  bool dark[MAX_MODULES][MAX_MODULES];
};

/* Reads svg into bm; fails the test on anything but the expected form. */
static void parse_svg(const char *svg, struct bitmap *bm)
{
  int size = 0, w = 0, h = 0, vw = 0, vh = 0, rw = 0, rh = 0, used = 0;

  memset(bm, 0, sizeof *bm);
  int n = sscanf(svg,
                 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                 "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                 " shape-rendering=\"crispEdges\">\n"
                 "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n"
                 "<path fill=\"#000\" d=\"%n",
                 &w, &h, &vw, &vh, &rw, &rh, &used);
  assert_int_equal(n, 6);
  assert_true(used > 0);
  size = vw;
  assert_int_equal(vh, size);
  assert_int_equal(rw, size);
  assert_int_equal(rh, size);
  assert_int_equal(w, 8 * size);
  assert_int_equal(h, 8 * size);
  assert_in_range(size, 21 + 2 * QUIET, MAX_MODULES);
  bm->size = size;
  const char *p = svg + used;
  int runs = 0;
  while (*p == 'M') {
    int x, y, len, back, k = 0;
    assert_int_equal(sscanf(p, "M%d %dh%dv1h-%dz%n", &x, &y, &len, &back, &k), 4);
    assert_true(k > 0);
    assert_int_equal(back, len);
    assert_true(len >= 1 && x >= 0 && y >= 0 && x + len <= size && y < size);
    for (int i = 0; i < len; i++) {
      assert_false(bm->dark[y][x + i]); /* runs never overlap */
      bm->dark[y][x + i] = true;
    }
    /* a run is maximal: the module after it is not one more dark one */
    assert_false(x + len < size && bm->dark[y][x + len]);
    p += k;
    runs++;
  }
  assert_true(runs > 0);
  assert_string_equal(p, "\"/>\n</svg>\n");
}

/* bm is qrencode's symbol of text at level M, with a light margin. */
static void expect_symbol(const struct bitmap *bm, const char *text)
{
  QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  assert_non_null(qr);
  assert_int_equal(qr->width, 17 + 4 * qr->version);
  assert_int_equal(bm->size, qr->width + 2 * QUIET);
  for (int y = 0; y < bm->size; y++)
    for (int x = 0; x < bm->size; x++) {
      bool in = x >= QUIET && y >= QUIET && x < QUIET + qr->width && y < QUIET + qr->width;
      bool want = in && (qr->data[(y - QUIET) * qr->width + (x - QUIET)] & 1);
      if (bm->dark[y][x] != want)
        fail_msg("module (%d, %d) is %s", x, y, want ? "light, not dark" : "dark, not light");
    }
  QRcode_free(qr);
}

/* What zbarimg reads from bm drawn 4 pixels a module, "" when nothing. */
static void zbar_decode(const struct bitmap *bm, char *out, size_t cap)
{
  char path[] = "/tmp/test_qr_svg.XXXXXX", cmd[128];
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  FILE *f = fdopen(fd, "w");
  assert_non_null(f);
  fprintf(f, "P1\n%d %d\n", 4 * bm->size, 4 * bm->size);
  for (int y = 0; y < 4 * bm->size; y++) {
    for (int x = 0; x < 4 * bm->size; x++)
      fputs(bm->dark[y / 4][x / 4] ? "1 " : "0 ", f);
    fputc('\n', f);
  }
  assert_int_equal(fclose(f), 0);
  snprintf(cmd, sizeof cmd, "zbarimg --quiet --raw '%s' 2>/dev/null", path);
  FILE *z = popen(cmd, "r");
  assert_non_null(z);
  size_t n = fread(out, 1, cap - 1, z);
  out[n] = '\0';
  pclose(z);
  unlink(path);
}

static void a_pay_url_round_trips(void **state)
{
  static struct bitmap bm;
  char err[128], back[4096];
  (void)state;

  if (system("command -v zbarimg >/dev/null") != 0)
    fail_msg("zbarimg is missing: run scripts/deps (Debian package zbar-tools)");
  char *svg = qr_svg(PAY_URL, err, sizeof err);
  assert_non_null(svg);
  parse_svg(svg, &bm);
  expect_symbol(&bm, PAY_URL);
  zbar_decode(&bm, back, sizeof back);
  assert_string_equal(back, PAY_URL "\n");
  free(svg);

  /* a longer text, a larger version, still decodes */
  char text[600];
  for (size_t i = 0; i < sizeof text - 1; i++)
    text[i] = "abcdefghijklmnopqrstuvwxyz0123456789/?=&"[i % 40];
  text[sizeof text - 1] = '\0';
  svg = qr_svg(text, err, sizeof err);
  assert_non_null(svg);
  parse_svg(svg, &bm);
  expect_symbol(&bm, text);
  assert_true(bm.size > 37 + 2 * QUIET);
  zbar_decode(&bm, back, sizeof back);
  assert_int_equal(strlen(back), strlen(text) + 1);
  assert_memory_equal(back, text, strlen(text));
  free(svg);
}

static void the_decoder_sees_a_wrong_symbol(void **state)
{
  static struct bitmap bm;
  char err[128], back[4096];
  (void)state;

  /* what proves the round trip above: a bitmap without its margin's
   * finder pattern does not decode */
  char *svg = qr_svg(PAY_URL, err, sizeof err);
  assert_non_null(svg);
  parse_svg(svg, &bm);
  for (int y = QUIET; y < QUIET + 7; y++)
    for (int x = QUIET; x < QUIET + 7; x++)
      bm.dark[y][x] = false;
  for (int y = QUIET; y < QUIET + 7; y++)
    for (int x = bm.size - QUIET - 7; x < bm.size - QUIET; x++)
      bm.dark[y][x] = false;
  zbar_decode(&bm, back, sizeof back);
  assert_string_equal(back, "");
  free(svg);
}

static void the_same_text_gives_the_same_svg(void **state)
{
  char err[128];
  (void)state;

  char *a = qr_svg(PAY_URL, err, sizeof err);
  char *b = qr_svg(PAY_URL, err, sizeof err);
  char *c = qr_svg(PAY_URL "X", err, sizeof err);
  assert_non_null(a);
  assert_non_null(b);
  assert_non_null(c);
  assert_string_equal(a, b);
  assert_string_not_equal(a, c);
  free(a);
  free(b);
  free(c);
}

static void the_text_never_enters_the_svg(void **state)
{
  static struct bitmap bm;
  static const char *const texts[] = {
    "\"/><script>alert(1)</script>",
    "]]><!-- -->&amp;",
    "日本語のテキスト",
  };
  char err[128];
  (void)state;

  for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
    char *svg = qr_svg(texts[i], err, sizeof err);
    assert_non_null(svg);
    assert_null(strstr(svg, "script"));
    assert_null(strstr(svg, "--"));
    assert_null(strstr(svg, "&"));
    for (const char *p = svg; *p; p++)
      assert_true((unsigned char)*p < 0x80); /* no byte of the UTF-8 text */
    parse_svg(svg, &bm);
    expect_symbol(&bm, texts[i]);
    free(svg);
  }
}

static void bad_input_is_refused(void **state)
{
  char err[128], *big;
  (void)state;

  assert_null(qr_svg(NULL, err, sizeof err));
  assert_string_equal(err, "no text to encode");
  assert_null(qr_svg("", err, sizeof err));
  assert_string_equal(err, "no text to encode");
  /* level M holds 2331 bytes at most (version 40) */
  big = malloc(2401);
  assert_non_null(big);
  memset(big, 'a', 2400);
  big[2400] = '\0';
  assert_null(qr_svg(big, err, sizeof err));
  assert_string_equal(err, "text too long for a QR code (2400 bytes)");
  big[2331] = '\0';
  char *svg = qr_svg(big, err, sizeof err);
  assert_non_null(svg);
  assert_non_null(strstr(svg, "viewBox=\"0 0 185 185\"")); /* 177 + 8 */
  free(svg);
  free(big);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(a_pay_url_round_trips),
    cmocka_unit_test(the_decoder_sees_a_wrong_symbol),
    cmocka_unit_test(the_same_text_gives_the_same_svg),
    cmocka_unit_test(the_text_never_enters_the_svg),
    cmocka_unit_test(bad_input_is_refused),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
