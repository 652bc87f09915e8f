/* test_pos_token.c — the POS's token sale (pos-client/token.c, stan.c):
 * the gateway's issued answer read and checked, the token 0100 and its
 * reversal on the wire (fields 60-62, no card number), the journal's token
 * lines read back, the sales in doubt found (last line wins), the sale to
 * void, the STAN counter shared by two opens with its in-flight marks, the
 * receipt, the credit server's settings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pos-client/posconf.h"
#include "pos-client/stan.h"
#include "pos-client/token.h"

#define KEY_ID "AbCdEfGhIjKlMnOpQrSt_-"
#define ECN "nOnCe-ciphertext_and_tag-0123456789abcdefABCDEFghijklmnopqrs"

static struct sale sale_of(void)
{
  struct sale s;
  char err[256];
  assert_int_equal(sale_init(&s, "JPY", err, sizeof err), 0);
  assert_int_equal(sale_add_item(&s, "Coffee beans,2,1200,192", err, sizeof err), 0);
  assert_int_equal(sale_add_item(&s, "Mug,1,800,64", err, sizeof err), 0);
  assert_int_equal(sale_set_reference(&s, "t-42", err, sizeof err), 0);
  assert_int_equal(sale_totals(&s, err, sizeof err), 0);
  return s;
}

static json_t *issued_answer(json_int_t total)
{
  return json_pack("{s:s, s:s, s:n, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:{s:s, s:s, s:s, s:s, s:s}}", "id",
                   "tk_0123456789abcdefABCDEF", "status", "issued", "reason", "user_id", "00001", "merchant",
                   "1111111111", "shop", "Shop A Ginza", "iso_terminal_id", "pos-1111", "currency", "JPY",
                   "currency_numeric", "392", "total", total, "binding_code", "ETWP", "token", "key_id", KEY_ID,
                   "encrypted_card_number", ECN, "expires_at", "2026-12-05T10:15:00Z", "expiry", "20261205101500",
                   "card_last4", "5678");
}

static void answer_read(void **state)
{
  struct sale s = sale_of();
  struct token_sale t;
  char err[256];
  json_t *a = issued_answer(3456);
  (void)state;

  assert_int_equal(token_sale_from_answer(&t, a, &s, "I", 3, err, sizeof err), 0);
  assert_string_equal(t.key_id, KEY_ID);
  assert_string_equal(t.ecn, ECN);
  assert_string_equal(t.expiry, "20261205101500");
  assert_string_equal(t.terminal_id, "pos-1111");
  assert_string_equal(t.merchant, "1111111111");
  assert_string_equal(t.currency_numeric, "392");
  assert_string_equal(t.card_last4, "5678");
  assert_string_equal(t.method, "I");
  assert_int_equal(t.installments, 3);
  assert_int_equal(t.amount, 3456);
  json_decref(a);

  /* another total: not this sale's token */
  a = issued_answer(3457);
  assert_int_equal(token_sale_from_answer(&t, a, &s, "L", 0, err, sizeof err), -1);
  json_decref(a);
  /* malformed parts */
  static const char *const bad[][2] = {
    { "encrypted_card_number", "short" },
    { "encrypted_card_number", "has spaces in it has spaces in it has spaces in it has spaces" },
    { "key_id", "AbCdEfGhIjKlMnOpQrSt_" },
    { "expiry", "2026120510150" },
    { "expiry", "20261345101500" },
    { "card_last4", "56789" },
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    a = issued_answer(3456);
    json_object_set_new(json_object_get(a, "token"), bad[i][0], json_string(bad[i][1]));
    assert_int_equal(token_sale_from_answer(&t, a, &s, "L", 0, err, sizeof err), -1);
    json_decref(a);
  }
  /* not issued */
  a = issued_answer(3456);
  json_object_set_new(a, "status", json_string("delivering"));
  assert_int_equal(token_sale_from_answer(&t, a, &s, "L", 0, err, sizeof err), -1);
  json_decref(a);
  assert_true(token_status_final("issued") && token_status_final("rejected") && token_status_final("expired"));
  assert_false(token_status_final("awaiting_reply") || token_status_final("delivering") || token_status_final(NULL));
}

static struct token_sale sale_token(void)
{
  struct sale s = sale_of();
  struct token_sale t;
  char err[256];
  json_t *a = issued_answer(3456);
  assert_int_equal(token_sale_from_answer(&t, a, &s, "L", 0, err, sizeof err), 0);
  json_decref(a);
  t.stan = 42;
  snprintf(t.transmission_time, sizeof t.transmission_time, "1205100102");
  return t;
}

static void request_on_the_wire(void **state)
{
  struct token_sale t = sale_token();
  struct iso_msg m, back;
  uint8_t buf[ISO8583_MAX_MESSAGE];
  size_t len;
  (void)state;

  assert_int_equal(token_build_request(&t, &m), ISO_OK);
  assert_int_equal(iso_pack(&m, buf, sizeof buf, &len), ISO_OK);
  assert_int_equal(iso_unpack(&back, buf, len), ISO_OK);
  assert_string_equal(back.mti, "0100");
  assert_null(iso_get(&back, ISO_F_PAN));
  assert_null(iso_get(&back, ISO_F_EXPIRY));
  static const struct {
    int field;
    const char *value;
  } want[] = {
    { 3, "000000" },  { 4, "000000003456" }, { 7, "1205100102" },    { 11, "000042" },   { 12, "100102" },
    { 13, "1205" },   { 22, "010" },         { 37, "100102000042" }, { 41, "pos-1111" }, { 42, "1111111111     " },
    { 48, "PML 00" }, { 49, "392" },         { 60, KEY_ID },         { 61, ECN },        { 62, "20261205101500" },
  };
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    assert_non_null(iso_get(&back, want[i].field));
    assert_string_equal(iso_get(&back, want[i].field), want[i].value);
  }

  /* its reversal names it in field 90; a repeat is 0401 */
  struct iso_auth_fields f;
  token_auth_fields(&t, &f);
  assert_int_equal(iso_reversal_build(&m, &f, false), ISO_OK);
  assert_string_equal(m.mti, "0400");
  assert_string_equal(iso_get(&m, ISO_F_STAN), "000042");
  assert_string_equal(iso_get(&m, ISO_F_AMOUNT), "000000003456");
  assert_int_equal(strncmp(iso_get(&m, ISO_F_ORIGINAL_DATA), "01000000421205100102", 20), 0);
  assert_null(iso_get(&m, 60));
  assert_int_equal(iso_reversal_build(&m, &f, true), ISO_OK);
  assert_string_equal(m.mti, "0401");
}

static char *line_of(const char *status, const struct token_sale *t, const char *code, const char *approval)
{
  struct sale s = sale_of();
  json_t *a = issued_answer(3456);
  char *line = token_journal_line(&s, "2026-12-05T10:01:02Z", status, "00001", a, t, code, approval, NULL);
  json_decref(a);
  return line;
}

static void journal_lines(void **state)
{
  struct token_sale t = sale_token(), back;
  (void)state;
  char *text = line_of("token_completed", &t, "00", "A1B2C3");
  json_t *line = json_loads(text, 0, NULL);

  assert_non_null(line);
  assert_string_equal(json_string_value(json_object_get(line, "status")), "token_completed");
  assert_string_equal(json_string_value(json_object_get(line, "token")), "tk_0123456789abcdefABCDEF");
  assert_string_equal(json_string_value(json_object_get(line, "key_id")), KEY_ID);
  assert_string_equal(json_string_value(json_object_get(line, "encrypted_card_number")), ECN);
  assert_string_equal(json_string_value(json_object_get(line, "stan")), "000042");
  assert_string_equal(json_string_value(json_object_get(line, "approval_code")), "A1B2C3");
  assert_string_equal(json_string_value(json_object_get(line, "card")), "************5678");
  assert_string_equal(json_string_value(json_object_get(line, "reference")), "t-42");
  assert_int_equal(json_integer_value(json_object_get(line, "total")), 3456);
  assert_null(json_object_get(line, "transaction"));
  assert_int_equal(token_sale_from_line(line, &back), 0);
  assert_string_equal(back.key_id, t.key_id);
  assert_string_equal(back.ecn, t.ecn);
  assert_string_equal(back.transmission_time, t.transmission_time);
  assert_string_equal(back.terminal_id, t.terminal_id);
  assert_int_equal(back.stan, 42);
  assert_int_equal(back.amount, 3456);
  assert_string_equal(back.card_last4, "5678");
  json_decref(line);
  free(text);

  /* a line before the token (rejected) names no 0100 */
  text = line_of("token_rejected", NULL, NULL, NULL);
  line = json_loads(text, 0, NULL);
  assert_int_equal(token_sale_from_line(line, &back), -1);
  assert_null(json_object_get(line, "key_id"));
  json_decref(line);
  free(text);
}

/* A journal of lines for sales a (stan 1), b (2), c (3), in this order. */
static FILE *journal_of(const char *const *statuses, const unsigned long *stans, size_t n, char **buf)
{
  size_t len = 0;
  FILE *f = open_memstream(buf, &len);
  for (size_t i = 0; i < n; i++) {
    struct token_sale t = sale_token();
    t.stan = stans[i];
    if (stans[i] == 3)
      snprintf(t.key_id, sizeof t.key_id, "CCCCCCCCCCCCCCCCCCCCCC");
    char *line = line_of(statuses[i], &t, NULL, NULL);
    fprintf(f, "%s\n", line);
    free(line);
  }
  fprintf(f, "{\"status\":\"completed\",\"transaction\":\"X\"}\nnot json\n");
  fclose(f);
  return fmemopen(*buf, len, "r"); /* the caller frees *buf after fclose */
}

static void sales_in_doubt(void **state)
{
  static const char *const statuses[] = { "token_pending", "token_completed", "token_pending", "token_completed",
                                          "token_voiding" };
  static const unsigned long stans[] = { 1, 1, 2, 3, 3 };
  struct token_open *open = NULL;
  char err[128], *buf = NULL;
  (void)state;
  FILE *j = journal_of(statuses, stans, 5, &buf);

  long n = token_journal_open(j, &open, err, sizeof err);
  assert_int_equal(n, 2);
  unsigned long seen = open[0].t.stan * 10 + open[1].t.stan;
  assert_true(seen == 23 || seen == 32);
  for (long i = 0; i < n; i++)
    assert_string_equal(open[i].status, open[i].t.stan == 2 ? "token_pending" : "token_voiding");
  token_open_free(open, n);

  /* void: sale a is completed, c is being voided, an unknown key is not there */
  struct token_sale t;
  json_t *line;
  char status[32];
  assert_int_equal(token_journal_find_completed(j, KEY_ID, &t, &line, status, sizeof status), 1); /* b pending */
  assert_string_equal(status, "token_pending");
  assert_int_equal(token_journal_find_completed(j, "CCCCCCCCCCCCCCCCCCCCCC", &t, &line, status, sizeof status), 1);
  assert_string_equal(status, "token_voiding");
  assert_int_equal(token_journal_find_completed(j, "DDDDDDDDDDDDDDDDDDDDDD", &t, &line, status, sizeof status), -1);
  fclose(j);
  free(buf);

  static const char *const done[] = { "token_pending", "token_completed" };
  static const unsigned long one[] = { 1, 1 };
  j = journal_of(done, one, 2, &buf);
  assert_int_equal(token_journal_open(j, &open, err, sizeof err), 0);
  token_open_free(open, 0);
  assert_int_equal(token_journal_find_completed(j, KEY_ID, &t, &line, status, sizeof status), 0);
  assert_int_equal(t.stan, 1);
  assert_string_equal(json_string_value(json_object_get(line, "status")), "token_completed");
  json_decref(line);
  fclose(j);
  free(buf);
}

static void stan_counter(void **state)
{
  char dir[] = "/tmp/pos-stan-XXXXXX", journal[256], err[256];
  struct pos_stan a, b;
  unsigned long s1, s2, s3;
  (void)state;

  assert_non_null(mkdtemp(dir));
  snprintf(journal, sizeof journal, "%s/pos-journal.log", dir);
  assert_int_equal(stan_open(&a, journal, err, sizeof err), 0);
  assert_int_equal(stan_open(&b, journal, err, sizeof err), 0); /* a second POS on the same journal */
  assert_int_equal(stan_next(&a, &s1, err, sizeof err), 0);
  assert_int_equal(stan_next(&b, &s2, err, sizeof err), 0);
  assert_int_equal(s1, 1);
  assert_int_equal(s2, 2);
  /* each sale in flight is held by its POS: the other cannot take it over */
  assert_int_equal(stan_hold(&b, s1), -1);
  assert_int_equal(stan_hold(&a, s2), -1);
  stan_release(&a, s1);
  assert_int_equal(stan_hold(&b, s1), 0);
  stan_release(&b, s1);
  /* a POS that ends (its file closed) lets go of its sales */
  stan_close(&b);
  assert_int_equal(stan_hold(&a, s2), 0);
  stan_release(&a, s2);

  /* the counter wraps to 1, skipping a number still in flight */
  FILE *f = fopen(a.path, "w");
  fputs("999999\n", f);
  fclose(f);
  assert_int_equal(stan_open(&b, journal, err, sizeof err), 0);
  assert_int_equal(stan_hold(&b, 1), 0);
  assert_int_equal(stan_next(&a, &s3, err, sizeof err), 0);
  assert_int_equal(s3, 2);
  /* a corrupt counter is refused, not guessed */
  f = fopen(a.path, "w");
  fputs("x\n", f);
  fclose(f);
  assert_int_equal(stan_next(&a, &s3, err, sizeof err), -1);
  assert_non_null(strstr(err, "corrupt"));
  stan_close(&a);
  stan_close(&b);
  unlink(a.path);
  rmdir(dir);
}

static void receipts(void **state)
{
  struct sale s = sale_of();
  struct token_sale t = sale_token();
  char *buf = NULL;
  size_t len = 0;
  (void)state;
  FILE *f = open_memstream(&buf, &len);

  token_receipt(f, &s, "Shop A Ginza", "token_completed", NULL, &t, "00", "A1B2C3", NULL);
  fclose(f);
  assert_non_null(strstr(buf, "\nRECEIPT\n"));
  assert_non_null(strstr(buf, "Approval code A1B2C3"));
  assert_non_null(strstr(buf, "Card          ************5678"));
  assert_non_null(strstr(buf, "Key ID        " KEY_ID));
  assert_non_null(strstr(buf, "TOTAL"));
  free(buf);

  t.card_last4[0] = '\0';
  f = open_memstream(&buf, &len);
  token_receipt(f, &s, "Shop A Ginza", "token_declined", NULL, &t, "63", NULL, NULL);
  fclose(f);
  assert_non_null(strstr(buf, "SALE NOT PAID - DECLINED"));
  assert_non_null(strstr(buf, "already used (code 63)"));
  assert_non_null(strstr(buf, "Card          (token)"));
  assert_null(strstr(buf, "Approval"));
  free(buf);

  json_t *a = json_pack("{s:s, s:s, s:s}", "id", "tk_x", "status", "canceled", "reason", "not_agreed");
  f = open_memstream(&buf, &len);
  token_receipt(f, &s, "Shop A Ginza", "token_canceled", a, NULL, NULL, NULL, "not_agreed");
  fclose(f);
  assert_non_null(strstr(buf, "SALE NOT PAID - CANCELED"));
  assert_non_null(strstr(buf, "Reason        not_agreed"));
  assert_non_null(strstr(buf, "Token request tk_x"));
  free(buf);
  json_decref(a);
}

static void credit_settings(void **state)
{
  struct pos_config c;
  char err[512];
  (void)state;

  posconf_defaults(&c);
  assert_int_equal(c.credit_timeout_s, 5);
  assert_int_equal(posconf_credit_check(&c, err, sizeof err), -1);
  assert_non_null(strstr(err, "credit_addr"));
  assert_int_equal(posconf_set(&c, "credit_addr", "127.0.0.1:8583", err, sizeof err), 0);
  assert_int_equal(posconf_set(&c, "credit_ca", "/ca.crt", err, sizeof err), 0);
  assert_int_equal(posconf_set(&c, "credit_cert", "/pos.crt", err, sizeof err), 0);
  assert_int_equal(posconf_credit_check(&c, err, sizeof err), -1); /* no key yet */
  assert_int_equal(posconf_set(&c, "credit_key", "/pos.key", err, sizeof err), 0);
  assert_int_equal(posconf_set(&c, "credit_server_name", "credit-server", err, sizeof err), 0);
  assert_int_equal(posconf_credit_check(&c, err, sizeof err), 0);
  assert_int_equal(posconf_set(&c, "credit_timeout", "0", err, sizeof err), -1);
  assert_int_equal(posconf_set(&c, "credit_timeout", "2", err, sizeof err), 0);
  assert_int_equal(c.credit_timeout_s, 2);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(answer_read),     cmocka_unit_test(request_on_the_wire), cmocka_unit_test(journal_lines),
    cmocka_unit_test(sales_in_doubt),  cmocka_unit_test(stan_counter),        cmocka_unit_test(receipts),
    cmocka_unit_test(credit_settings),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
