/* test_pos_sale.c — the POS sale: item parsing (and what is refused), files
 * with comments and line numbers in errors, totals, the display, the receipt
 * of a completed and of a declined sale, the journal line, the settings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pos-client/posconf.h"
#include "pos-client/sale.h"

static void items_parse(void **state)
{
  struct sale s;
  char err[256];
  (void)state;
  assert_int_equal(sale_init(&s, "JPY", err, sizeof err), 0);
  assert_int_equal(sale_add_item(&s, "Coffee beans,2,1200,192", err, sizeof err), 0);
  assert_int_equal(sale_add_item(&s, "Mug, large,1,800,64", err, sizeof err), 0); /* a comma in the name */
  assert_int_equal(s.n_items, 2);
  assert_string_equal(s.items[1].name, "Mug, large");
  assert_int_equal(s.items[0].quantity, 2);
  assert_int_equal(s.items[0].unit_price, 1200);
  assert_int_equal(s.items[0].tax, 192);
  assert_int_equal(sale_totals(&s, err, sizeof err), 0);
  assert_int_equal(s.subtotal, 3200);
  assert_int_equal(s.tax_total, 256);
  assert_int_equal(s.total, 3456);
}

static void items_refused(void **state)
{
  static const char *const bad[] = {
    "Coffee,2,1200",
    ",1,100,0",
    "Coffee,0,100,0",
    "Coffee,10000,100,0",
    "Coffee,-1,100,0",
    "Coffee,1,-100,0",
    "Coffee,1,1.5,0",
    "Coffee,1,100,x",
    "Coffee,1,100000000001,0",
    "Coffee, 1,100,0",
    "Coffee,1,100,",
    "Tab\there,1,100,0",
    "123456789012345678901234567890123456789012345678901234567890123456789012345678901,1,1,0", /* 81 characters */
  };
  struct sale s;
  char err[256];
  (void)state;
  sale_init(&s, "JPY", err, sizeof err);
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    assert_int_equal(sale_add_item(&s, bad[i], err, sizeof err), -1);
    assert_true(strlen(err) > 0);
  }
  assert_int_equal(s.n_items, 0);
  assert_int_equal(sale_totals(&s, err, sizeof err), -1); /* no item */
  assert_int_equal(sale_init(&s, "XYZ", err, sizeof err), -1);
  sale_init(&s, "JPY", err, sizeof err);
  for (int i = 0; i < SALE_MAX_ITEMS; i++)
    assert_int_equal(sale_add_item(&s, "x,1,1,0", err, sizeof err), 0);
  assert_int_equal(sale_add_item(&s, "x,1,1,0", err, sizeof err), -1);
  sale_init(&s, "JPY", err, sizeof err);
  sale_add_item(&s, "free,1,0,0", err, sizeof err);
  assert_int_equal(sale_totals(&s, err, sizeof err), -1); /* nothing to pay */
}

static void biggest_sale_does_not_overflow(void **state)
{
  struct sale s;
  char err[256];
  (void)state;
  sale_init(&s, "USD", err, sizeof err);
  for (int i = 0; i < SALE_MAX_ITEMS; i++)
    assert_int_equal(sale_add_item(&s, "big,9999,10000000000,10000000000", err, sizeof err), 0);
  assert_int_equal(sale_totals(&s, err, sizeof err), 0);
  assert_int_equal(s.total, 50LL * (9999LL * 10000000000LL + 10000000000LL));
}

static void file_parse(void **state)
{
  struct sale s;
  char err[256];
  (void)state;
  const char *text = "# a sale\n\nCoffee beans,2,1200,192\n  Mug,1,800,64\n";
  FILE *f = fmemopen((void *)text, strlen(text), "r");
  sale_init(&s, "JPY", err, sizeof err);
  assert_int_equal(sale_add_file(&s, f, "sale.txt", err, sizeof err), 0);
  fclose(f);
  assert_int_equal(s.n_items, 2);
  const char *bad = "Coffee,1,100,0\nbroken line\n";
  f = fmemopen((void *)bad, strlen(bad), "r");
  assert_int_equal(sale_add_file(&s, f, "sale.txt", err, sizeof err), -1);
  fclose(f);
  assert_non_null(strstr(err, "sale.txt:2:"));
}

static char *capture_receipt(const struct sale *s, const json_t *txn)
{
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  sale_receipt(f, s, "Shop A Ginza", txn);
  fclose(f);
  return buf;
}

static struct sale demo_sale(void)
{
  struct sale s;
  char err[128];
  sale_init(&s, "JPY", err, sizeof err);
  snprintf(s.reference, sizeof s.reference, "sale-0042");
  sale_add_item(&s, "Coffee beans,2,1200,192", err, sizeof err);
  sale_add_item(&s, "Mug,1,800,64", err, sizeof err);
  sale_totals(&s, err, sizeof err);
  return s;
}

static void display_and_receipt(void **state)
{
  struct sale s = demo_sale();
  char *buf = NULL;
  size_t len = 0;
  (void)state;
  FILE *f = open_memstream(&buf, &len);
  sale_display(f, &s, "Shop A Ginza");
  fclose(f);
  assert_non_null(strstr(buf, "Shop A Ginza"));
  assert_non_null(strstr(buf, "Coffee beans"));
  assert_non_null(strstr(buf, "2,400"));
  assert_non_null(strstr(buf, "3,456 JPY"));
  free(buf);

  json_t *done =
      json_loads("{\"transaction\": \"7KQ2M9XW4T1BZC3D\", \"status\": \"completed\", \"binding_code\": \"K7QX\","
                 " \"completion\": {\"approval_code\": \"A1B2C3\", \"method\": \"I\", \"installments\": 3,"
                 " \"card\": \"152500******5678\", \"completed_at\": \"2026-11-25T09:01:00Z\"}}",
                 0, NULL);
  buf = capture_receipt(&s, done);
  assert_non_null(strstr(buf, "RECEIPT"));
  assert_non_null(strstr(buf, "Transaction   7KQ2M9XW4T1BZC3D"));
  assert_non_null(strstr(buf, "Method        I (3 payments)"));
  assert_non_null(strstr(buf, "Approval code A1B2C3"));
  assert_non_null(strstr(buf, "Card          152500******5678"));
  assert_non_null(strstr(buf, "TOTAL"));
  free(buf);
  json_decref(done);

  json_t *declined = json_loads("{\"transaction\": \"N1\", \"status\": \"declined\","
                                " \"decline\": {\"code\": \"51\", \"reason\": \"over the credit limit\"}}",
                                0, NULL);
  buf = capture_receipt(&s, declined);
  assert_non_null(strstr(buf, "DECLINED: over the credit limit (code 51)"));
  assert_null(strstr(buf, "RECEIPT"));
  free(buf);
  json_decref(declined);

  json_t *canceled = json_loads("{\"transaction\": \"N2\", \"status\": \"canceled\","
                                " \"ended\": {\"reason\": \"the shopper did not agree\"}}",
                                0, NULL);
  buf = capture_receipt(&s, canceled);
  assert_non_null(strstr(buf, "CANCELED: the shopper did not agree"));
  free(buf);
  json_decref(canceled);

  /* a card number with too many digits is never shown */
  json_t *leaky = json_loads("{\"transaction\": \"N3\", \"status\": \"completed\","
                             " \"completion\": {\"card\": \"1525000012345678\"}}",
                             0, NULL);
  buf = capture_receipt(&s, leaky);
  assert_null(strstr(buf, "1525000012345678"));
  assert_non_null(strstr(buf, "(withheld)"));
  free(buf);
  json_decref(leaky);

  /* a short card shows its last 4 only; the first 6 of one are withheld */
  json_t *short_card = json_loads("{\"transaction\": \"N4\", \"status\": \"completed\","
                                  " \"completion\": {\"card\": \"**********1234\"}}",
                                  0, NULL);
  buf = capture_receipt(&s, short_card);
  assert_non_null(strstr(buf, "Card          **********1234\n"));
  free(buf);
  json_decref(short_card);
  json_t *old_rule = json_loads("{\"transaction\": \"N5\", \"status\": \"completed\","
                                " \"completion\": {\"card\": \"135591****1234\"}}",
                                0, NULL);
  buf = capture_receipt(&s, old_rule);
  assert_null(strstr(buf, "135591"));
  assert_non_null(strstr(buf, "(withheld)"));
  free(buf);
  json_decref(old_rule);
}

/* After a cancel the POS may still hold a status that is not final, or one
 * that expired: the slip says so and never "CANCELED: no reason given". */
static void receipt_unknown_and_expired(void **state)
{
  struct sale s = demo_sale();
  char *buf;
  (void)state;

  json_t *open_txn = json_loads("{\"transaction\": \"N4\", \"status\": \"awaiting_confirmation\"}", 0, NULL);
  assert_false(sale_status_final("awaiting_confirmation"));
  buf = capture_receipt(&s, open_txn);
  assert_non_null(strstr(buf, "OUTCOME UNKNOWN - check transaction N4"));
  assert_null(strstr(buf, "SALE NOT PAID"));
  assert_null(strstr(buf, "CANCELED"));
  assert_null(strstr(buf, "RECEIPT"));
  free(buf);
  json_decref(open_txn);

  json_t *expired = json_loads("{\"transaction\": \"N5\", \"status\": \"expired\","
                               " \"ended\": {\"reason\": \"no confirmation in time\"}}",
                               0, NULL);
  assert_true(sale_status_final("expired"));
  buf = capture_receipt(&s, expired);
  assert_non_null(strstr(buf, "SALE NOT PAID"));
  assert_non_null(strstr(buf, "EXPIRED: no confirmation in time"));
  assert_null(strstr(buf, "CANCELED"));
  free(buf);
  json_decref(expired);
}

/* --reference: not UTF-8, or more than 64 characters, is refused whole (it
 * was cut at 64 bytes, mid-character, and the journal line became NULL). */
static void reference_checked(void **state)
{
  struct sale s;
  char err[128], long_ref[300];
  (void)state;
  sale_init(&s, "JPY", err, sizeof err);
  assert_int_equal(sale_set_reference(&s, "bad-\xff\xfe", err, sizeof err), -1);
  assert_non_null(strstr(err, "UTF-8"));
  assert_int_equal(sale_set_reference(&s, "", err, sizeof err), -1);
  assert_int_equal(sale_set_reference(&s, "tab\there", err, sizeof err), -1);
  memset(long_ref, 'a', 65);
  long_ref[65] = '\0';
  assert_int_equal(sale_set_reference(&s, long_ref, err, sizeof err), -1);
  assert_non_null(strstr(err, "64 characters"));
  /* 64 three-byte characters (192 bytes) are 64 characters: taken whole */
  long_ref[0] = '\0';
  for (int i = 0; i < 64; i++)
    strcat(long_ref, "\xe5\x95\x86"); /* U+5546 */
  assert_int_equal(sale_set_reference(&s, long_ref, err, sizeof err), 0);
  assert_string_equal(s.reference, long_ref);
  sale_add_item(&s, "Tea,1,500,40", err, sizeof err);
  sale_totals(&s, err, sizeof err);
  char *line = sale_journal_line(&s, "2026-11-25T09:01:00Z", "no_user", "", NULL, "x");
  assert_non_null(line);
  json_t *j = json_loads(line, 0, NULL);
  assert_string_equal(json_string_value(json_object_get(j, "reference")), long_ref);
  json_decref(j);
  free(line);
  json_t *body = sale_request_json(&s, "00001");
  assert_string_equal(json_string_value(json_object_get(body, "reference")), long_ref);
  json_decref(body);
  strcat(long_ref, "b"); /* the 65th character */
  assert_int_equal(sale_set_reference(&s, long_ref, err, sizeof err), -1);
}

static void journal_line(void **state)
{
  struct sale s = demo_sale();
  (void)state;
  json_t *done =
      json_loads("{\"transaction\": \"7KQ2M9XW4T1BZC3D\", \"status\": \"completed\", \"binding_code\": \"K7QX\","
                 " \"completion\": {\"approval_code\": \"A1B2C3\", \"method\": \"L\","
                 " \"card\": \"152500******5678\"}}",
                 0, NULL);
  char *line = sale_journal_line(&s, "2026-11-25T09:01:00Z", "completed", "00001", done, NULL);
  assert_null(strchr(line, '\n'));
  json_t *j = json_loads(line, 0, NULL);
  assert_non_null(j);
  assert_string_equal(json_string_value(json_object_get(j, "status")), "completed");
  assert_string_equal(json_string_value(json_object_get(j, "transaction")), "7KQ2M9XW4T1BZC3D");
  assert_string_equal(json_string_value(json_object_get(j, "user_id")), "00001");
  assert_string_equal(json_string_value(json_object_get(j, "reference")), "sale-0042");
  assert_int_equal(json_integer_value(json_object_get(j, "total")), 3456);
  assert_int_equal(json_integer_value(json_object_get(j, "tax_total")), 256);
  assert_string_equal(json_string_value(json_object_get(j, "approval_code")), "A1B2C3");
  assert_string_equal(json_string_value(json_object_get(j, "card")), "152500******5678");
  assert_int_equal(json_array_size(json_object_get(j, "items")), 2);
  json_decref(j);
  free(line);
  line = sale_journal_line(&s, "2026-11-25T09:01:00Z", "no_user", "", NULL, "no user ID arrived in time");
  j = json_loads(line, 0, NULL);
  assert_true(json_is_null(json_object_get(j, "transaction")));
  assert_string_equal(json_string_value(json_object_get(j, "reason")), "no user ID arrived in time");
  json_decref(j);
  free(line);
  json_decref(done);
}

static void settings_file(void **state)
{
  struct pos_config c;
  char path[] = "/tmp/pos-conf-XXXXXX", err[512];
  (void)state;
  int fd = mkstemp(path);
  const char *text = "# POS\ngateway_url = https://127.0.0.1:10443\nca=/x/ca.crt\nterminal=pos-1111111111.secret\n"
                     "shop=Shop A Ginza\nlink_timeout=30\n";
  assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
  fchmod(fd, 0644);
  close(fd);
  posconf_defaults(&c);
  assert_int_equal(posconf_load_file(&c, path, err, sizeof err), -1); /* credential in a readable file */
  assert_non_null(strstr(err, "0600"));
  chmod(path, 0600);
  posconf_defaults(&c);
  assert_int_equal(posconf_load_file(&c, path, err, sizeof err), 0);
  assert_string_equal(c.gateway_url, "https://127.0.0.1:10443");
  assert_string_equal(c.shop, "Shop A Ginza");
  assert_int_equal(c.link_timeout_s, 30);
  assert_int_equal(posconf_finish(&c, err, sizeof err), 0);
  assert_string_equal(c.journal, "/tmp/pos-journal.log"); /* next to the config */
  assert_int_equal(posconf_set(&c, "colour", "red", err, sizeof err), -1);
  assert_int_equal(posconf_set(&c, "link_timeout", "0", err, sizeof err), -1);
  unlink(path);
}

/* With no shop name set, the display's label: the merchant code when
 * --merchant gave one, else the terminal code — never "Merchant <terminal>". */
static void settings_default_shop(void **state)
{
  struct pos_config c;
  char err[512];
  (void)state;
  unsetenv("PAYGW_POS_SHOP");
  posconf_defaults(&c);
  assert_int_equal(posconf_set(&c, "gateway_url", "https://127.0.0.1:10443", err, sizeof err), 0);
  assert_int_equal(posconf_set(&c, "ca", "/x/ca.crt", err, sizeof err), 0);
  assert_int_equal(posconf_set(&c, "terminal", "pos-a-1.secret", err, sizeof err), 0);
  assert_int_equal(posconf_finish(&c, err, sizeof err), 0);
  assert_string_equal(c.shop, "Terminal pos-a-1");

  posconf_defaults(&c);
  assert_int_equal(posconf_set(&c, "gateway_url", "https://127.0.0.1:10443", err, sizeof err), 0);
  assert_int_equal(posconf_set(&c, "ca", "/x/ca.crt", err, sizeof err), 0);
  assert_int_equal(posconf_set(&c, "terminal", "pos-1111111111.secret", err, sizeof err), 0);
  assert_int_equal(posconf_set(&c, "merchant", "1111111111", err, sizeof err), 0);
  assert_int_equal(posconf_finish(&c, err, sizeof err), 0);
  assert_string_equal(c.shop, "Merchant 1111111111");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(items_parse),
    cmocka_unit_test(items_refused),
    cmocka_unit_test(biggest_sale_does_not_overflow),
    cmocka_unit_test(file_parse),
    cmocka_unit_test(display_and_receipt),
    cmocka_unit_test(receipt_unknown_and_expired),
    cmocka_unit_test(reference_checked),
    cmocka_unit_test(journal_line),
    cmocka_unit_test(settings_file),
    cmocka_unit_test(settings_default_shop),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
