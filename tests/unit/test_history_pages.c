/* test_history_pages.c — unit tests for the HTML history's pure logic
 * (issue 13): the CSV writer of lib/web/csv.c (RFC 4180 quoting, CRLF, the
 * formula-injection guard) and cgi/history's query (dates, status, keyset
 * cursors, page links) and transaction view (method and status words, the
 * CSV record).  Amounts as text: test_money_text.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "common/b64url.h"
#include "history/query.h"
#include "history/refund_view.h"
#include "history/txn_view.h"
#include "web/csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The record of the given fields, as text. */
static const char *record(struct csv_line *l, int n, const char *const *fields)
{
  csv_clear(l);
  for (int i = 0; i < n; i++)
    assert_int_equal(csv_add(l, fields[i]), 0);
  assert_int_equal(csv_end(l), 0);
  return l->text;
}

static void csv_quotes_only_what_needs_it(void **state)
{
  struct csv_line l = { 0 };
  (void)state;

  assert_string_equal(record(&l, 3, (const char *[]){ "a", "b c", "" }), "a,b c,\r\n");
  assert_string_equal(record(&l, 2, (const char *[]){ "x,y", "z" }), "\"x,y\",z\r\n");
  assert_string_equal(record(&l, 1, (const char *[]){ "say \"hi\"" }), "\"say \"\"hi\"\"\"\r\n");
  assert_string_equal(record(&l, 2, (const char *[]){ "two\nlines", "cr\rhere" }), "\"two\nlines\",\"cr\rhere\"\r\n");
  assert_string_equal(record(&l, 2, (const char *[]){ NULL, "ü<>&'" }), ",ü<>&'\r\n");
  assert_string_equal(record(&l, 1, (const char *[]){ "\"" }), "\"\"\"\"\r\n");
  /* two records in a row: the second starts without a comma */
  csv_clear(&l);
  csv_add(&l, "a");
  csv_end(&l);
  csv_add(&l, "b");
  csv_end(&l);
  assert_string_equal(l.text, "a\r\nb\r\n");
  csv_line_free(&l);
}

static void csv_guards_formulas(void **state)
{
  struct csv_line l = { 0 };
  (void)state;

  assert_string_equal(record(&l, 1, (const char *[]){ "=1+2" }), "'=1+2\r\n");
  assert_string_equal(record(&l, 1, (const char *[]){ "+1" }), "'+1\r\n");
  assert_string_equal(record(&l, 1, (const char *[]){ "-1" }), "'-1\r\n");
  assert_string_equal(record(&l, 1, (const char *[]){ "@SUM(A1)" }), "'@SUM(A1)\r\n");
  assert_string_equal(record(&l, 1, (const char *[]){ "\tx" }), "'\tx\r\n");
  /* a guarded field that also needs quotes: the apostrophe inside them */
  assert_string_equal(record(&l, 1, (const char *[]){ "=HYPERLINK(\"http://x\",\"y\")" }),
                      "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"\r\n");
  assert_string_equal(record(&l, 1, (const char *[]){ "\rx" }), "\"'\rx\"\r\n");
  /* only the first character counts */
  assert_string_equal(record(&l, 1, (const char *[]){ "a=b" }), "a=b\r\n");
  assert_string_equal(record(&l, 1, (const char *[]){ " =b" }), " =b\r\n");
  assert_true(csv_needs_guard("=x"));
  assert_false(csv_needs_guard(""));
  assert_false(csv_needs_guard(NULL));
  assert_false(csv_needs_guard("12.34"));
  csv_line_free(&l);
}

static void csv_grows_for_long_fields(void **state)
{
  struct csv_line l = { 0 };
  char big[5000];
  (void)state;

  memset(big, '"', sizeof big - 1);
  big[sizeof big - 1] = '\0';
  assert_int_equal(csv_add(&l, big), 0);
  assert_int_equal(csv_end(&l), 0);
  assert_int_equal(l.len, 2 + 2 * 4999 + 2);
  assert_int_equal(strlen(l.text), l.len);
  csv_line_free(&l);
  assert_null(l.text);
}

static void cursors_round_trip_and_refuse_edits(void **state)
{
  char text[HISTORY_CURSOR_MAX];
  struct history_cursor c = { .us = 1764915153123456, .id = 42 }, back;
  (void)state;

  history_cursor_encode(&c, text);
  assert_int_equal(history_cursor_decode(text, &back), 0);
  assert_true(back.us == c.us && back.id == c.id);
  c = (struct history_cursor){ .us = 0, .id = 1 };
  history_cursor_encode(&c, text);
  assert_int_equal(history_cursor_decode(text, &back), 0);
  assert_true(back.us == 0 && back.id == 1);
  c = (struct history_cursor){ .us = 999999999999999999, .id = 999999999999999999 };
  history_cursor_encode(&c, text);
  assert_true(strlen(text) < HISTORY_CURSOR_MAX);
  assert_int_equal(history_cursor_decode(text, &back), 0);

  /* what encode never writes: base64url of other texts */
  static const char *const bad_plain[] = { "",     "1",    "1.",    ".1",  "1.0",  "1.-1", "-1.1",
                                           "01.1", "1.01", "1.1.1", "a.1", "1.1 ", " 1.1", "1234567890123456789.1" };
  for (size_t i = 0; i < sizeof bad_plain / sizeof bad_plain[0]; i++) {
    char enc[128];
    b64url_encode((const unsigned char *)bad_plain[i], strlen(bad_plain[i]), enc);
    assert_int_equal(history_cursor_decode(enc, &back), -1);
  }
  assert_int_equal(history_cursor_decode("MTIzLjQ1=", &back), -1); /* padding */
  assert_int_equal(history_cursor_decode("MTIz*jQ1", &back), -1);  /* not the alphabet */
  assert_int_equal(history_cursor_decode("MTIzLjQ1MTIzLjQ1MTIzLjQ1MTIzLjQ1MTIzLjQ1MTIzLjQ1MTIz", &back), -1);
  history_cursor_encode(&(struct history_cursor){ .us = 5, .id = 7 }, text);
  assert_string_equal(text, "NS43"); /* "5.7" */
  assert_int_equal(history_cursor_decode("NS43", &back), 0);
}

static void dates_are_calendar_days(void **state)
{
  (void)state;
  assert_true(history_date_valid("2026-12-05"));
  assert_true(history_date_valid("2024-02-29"));
  assert_true(history_date_valid("2000-02-29"));
  assert_false(history_date_valid("1900-02-29") || history_date_valid("2026-02-29"));
  assert_false(history_date_valid("2026-13-01"));
  assert_false(history_date_valid("2026-00-10"));
  assert_false(history_date_valid("2026-04-31"));
  assert_false(history_date_valid("2026-1-01"));
  assert_false(history_date_valid("2026/01/01"));
  assert_false(history_date_valid("26-01-01"));
  assert_false(history_date_valid("0999-01-01"));
  assert_false(history_date_valid("2026-01-01x"));
  assert_false(history_date_valid("+026-01-01"));
  assert_false(history_date_valid(""));
}

static void days_start_at_midnight_utc(void **state)
{
  (void)state;
  assert_true(history_day_start_us("1970-01-01", 0) == 0);
  assert_true(history_day_start_us("1970-01-01", 1) == 86400LL * 1000000);
  assert_true(history_day_start_us("1969-12-31", 0) == -86400LL * 1000000);
  /* date -u -d 2025-03-01 +%s = 1740787200 */
  assert_true(history_day_start_us("2025-03-01", 0) == 1740787200LL * 1000000);
  /* the day after 2024-02-28 is the 29th; after 2025-02-28 the 1st of March */
  assert_true(history_day_start_us("2024-02-28", 1) == history_day_start_us("2024-02-29", 0));
  assert_true(history_day_start_us("2025-02-28", 1) == history_day_start_us("2025-03-01", 0));
  assert_true(history_day_start_us("2025-12-31", 1) == history_day_start_us("2026-01-01", 0));
  /* date -u -d 2000-03-01 +%s = 951868800; 9999-12-31 = 253402214400 */
  assert_true(history_day_start_us("2000-03-01", 0) == 951868800LL * 1000000);
  assert_true(history_day_start_us("9999-12-31", 0) == 253402214400LL * 1000000);
  assert_true(history_day_start_us("1000-01-01", 0) == -30610224000LL * 1000000);
}

static void queries_parse_and_refuse(void **state)
{
  struct history_query q;
  char err[200], text[HISTORY_CURSOR_MAX], raw[200];
  (void)state;

  assert_int_equal(history_query_parse("", &q, err, sizeof err), 0);
  assert_int_equal(q.direction, HISTORY_FIRST);
  assert_string_equal(q.from, "");
  assert_string_equal(q.status, "");
  assert_int_equal(history_query_parse(NULL, &q, err, sizeof err), 0);
  /* the filter form's empty fields: no limit */
  assert_int_equal(history_query_parse("from=&to=&status=", &q, err, sizeof err), 0);
  assert_string_equal(q.to, "");
  assert_int_equal(history_query_parse("from=2026-01-01&to=2026-01-31&status=declined&x=1", &q, err, sizeof err), 0);
  assert_string_equal(q.from, "2026-01-01");
  assert_string_equal(q.to, "2026-01-31");
  assert_string_equal(q.status, "declined");
  /* percent-escapes decoded before the check */
  assert_int_equal(history_query_parse("from=2026%2D01%2D01", &q, err, sizeof err), 0);
  assert_string_equal(q.from, "2026-01-01");
  assert_int_equal(history_query_parse("from=2026-01-01&to=2026-01-01", &q, err, sizeof err), 0);

  history_cursor_encode(&(struct history_cursor){ .us = 1000, .id = 9 }, text);
  snprintf(raw, sizeof raw, "after=%s&status=completed", text);
  assert_int_equal(history_query_parse(raw, &q, err, sizeof err), 0);
  assert_int_equal(q.direction, HISTORY_OLDER);
  assert_true(q.cursor.us == 1000 && q.cursor.id == 9);
  snprintf(raw, sizeof raw, "before=%s", text);
  assert_int_equal(history_query_parse(raw, &q, err, sizeof err), 0);
  assert_int_equal(q.direction, HISTORY_NEWER);

  static const struct {
    const char *raw, *says;
  } bad[] = {
    { "from=2026-02-30", "from must be a date" },
    { "to=yesterday", "to must be a date" },
    { "from=2026-02-02&to=2026-02-01", "is after to" },
    { "status=paid", "status must be" },
    { "status=COMPLETED", "status must be" },
    { "after=xyz", "after is not a page link" },
    { "before=MS4x%00", "malformed" },
    { "from=%zz", "malformed" },
    { "status=completed&status=declined", "status is given more than once" },
    { "from=2026-01-01&from=2026-01-01", "from is given more than once" },
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    err[0] = '\0';
    assert_int_equal(history_query_parse(bad[i].raw, &q, err, sizeof err), -1);
    if (!strstr(err, bad[i].says))
      fail_msg("'%s' refused as '%s', expected '%s'", bad[i].raw, err, bad[i].says);
    assert_int_equal(q.direction, HISTORY_FIRST); /* nothing left half-filled */
  }
  snprintf(raw, sizeof raw, "after=%s&before=%s", text, text);
  assert_int_equal(history_query_parse(raw, &q, err, sizeof err), -1);
  assert_non_null(strstr(err, "both"));
  /* a long value is not echoed whole */
  char long_status[120];
  snprintf(long_status, sizeof long_status, "status=%0100d", 7);
  assert_int_equal(history_query_parse(long_status, &q, err, sizeof err), -1);
  assert_true(strlen(err) < 120);
}

static void links_keep_the_filter(void **state)
{
  struct history_query q;
  char err[100], out[200], text[HISTORY_CURSOR_MAX];
  struct history_cursor c = { .us = 77, .id = 5 };
  (void)state;

  history_cursor_encode(&c, text);
  assert_int_equal(history_query_parse("to=2026-03-01&status=completed", &q, err, sizeof err), 0);
  history_query_link(&q, HISTORY_OLDER, &c, out, sizeof out);
  char want[200];
  snprintf(want, sizeof want, "to=2026-03-01&status=completed&after=%s", text);
  assert_string_equal(out, want);
  history_query_link(&q, HISTORY_NEWER, &c, out, sizeof out);
  snprintf(want, sizeof want, "to=2026-03-01&status=completed&before=%s", text);
  assert_string_equal(out, want);
  history_query_link(&q, HISTORY_FIRST, NULL, out, sizeof out);
  assert_string_equal(out, "to=2026-03-01&status=completed");
  assert_int_equal(history_query_parse("", &q, err, sizeof err), 0);
  history_query_link(&q, HISTORY_FIRST, NULL, out, sizeof out);
  assert_string_equal(out, "");
  history_query_link(&q, HISTORY_OLDER, &c, out, sizeof out);
  snprintf(want, sizeof want, "after=%s", text);
  assert_string_equal(out, want);
  /* too small: nothing rather than a cut link */
  history_query_link(&q, HISTORY_OLDER, &c, out, 4);
  assert_string_equal(out, "");
}

static void transactions_read_as_words(void **state)
{
  char m[48];
  (void)state;

  history_method_text("I", 3, m, sizeof m);
  assert_string_equal(m, "Installments ×3");
  history_method_text("L", 0, m, sizeof m);
  assert_string_equal(m, "Lump sum");
  history_method_text("pB", 0, m, sizeof m);
  assert_string_equal(m, "Partial bonus");
  history_method_text("", 0, m, sizeof m);
  assert_string_equal(m, "—");
  assert_string_equal(history_status_text("awaiting_device"), "Waiting for the handset");
  assert_string_equal(history_status_text("completed"), "Completed");
  for (int i = 0; history_statuses[i]; i++)
    assert_string_not_equal(history_status_text(history_statuses[i]), history_statuses[i]);
}

static void csv_records_of_transactions(void **state)
{
  struct csv_line l = { 0 };
  struct history_row r = { .total = 123456, .installments = 3 };
  (void)state;

  strcpy(r.created, "2026-12-05 06:12");
  strcpy(r.number, "ABCDEFGH12345678");
  strcpy(r.merchant, "=cmd|' /C calc'!A0");
  strcpy(r.shop, "Shop, \"Main\"");
  strcpy(r.currency, "USD");
  strcpy(r.method, "I");
  strcpy(r.status, "completed");
  strcpy(r.card_masked, "411111******1111");
  strcpy(r.approval_code, "A1B2C3");
  assert_int_equal(history_csv_header(&l), 0);
  assert_string_equal(l.text, "date,number,merchant,shop,amount,currency,method,installments,status,card,"
                              "approval_code,refunded\r\n");
  csv_clear(&l);
  assert_int_equal(history_csv_row(&l, &r), 0);
  assert_string_equal(l.text, "2026-12-05 06:12,ABCDEFGH12345678,'=cmd|' /C calc'!A0,\"Shop, \"\"Main\"\"\",1234.56,"
                              "USD,Installments,3,completed,411111******1111,A1B2C3,0.00\r\n");
  csv_clear(&l);
  r.refunded = 30001; /* the completed refunds' sum, in major units like the amount */
  assert_int_equal(history_csv_row(&l, &r), 0);
  assert_non_null(strstr(l.text, ",A1B2C3,300.01\r\n"));
  csv_line_free(&l);
}

static void detail_json_reads_what_was_stored(void **state)
{
  struct history_detail d = { .tax_total = 157 };
  (void)state;

  strcpy(d.row.number, "ABCDEFGH12345678");
  strcpy(d.row.currency, "JPY");
  strcpy(d.row.status, "declined");
  strcpy(d.reason, "over the credit limit");
  strcpy(d.response_code, "51");
  d.items = strdup("[{\"name\":\"<b>tea</b>\",\"quantity\":2,\"unit_price\":1200,\"tax\":240}]");
  d.events = strdup("[[\"awaiting_device\",\"2026-12-05 06:00:00\"],[\"declined\",\"2026-12-05 06:00:09\"]]");
  json_t *ctx = history_detail_json(&d);
  assert_non_null(ctx);
  json_t *item = json_array_get(json_object_get(ctx, "items"), 0);
  assert_string_equal(json_string_value(json_object_get(item, "name")), "<b>tea</b>"); /* the template escapes */
  assert_string_equal(json_string_value(json_object_get(item, "unit_price")), "1,200");
  assert_int_equal(json_integer_value(json_object_get(item, "quantity")), 2);
  assert_int_equal(json_array_size(json_object_get(ctx, "events")), 2);
  assert_string_equal(
      json_string_value(json_object_get(json_array_get(json_object_get(ctx, "events"), 1), "status_text")), "Declined");
  assert_string_equal(json_string_value(json_object_get(ctx, "decline_reason")), "over the credit limit");
  assert_null(json_object_get(ctx, "approval_code"));
  assert_string_equal(json_string_value(json_object_get(ctx, "tax_total")), "157");
  json_decref(ctx);

  /* stored data that is not what POST /v1/transactions writes: NULL, not a page */
  static const char *const bad_items[] = { "", "{}", "[1]", "[{\"name\":1,\"quantity\":1,\"unit_price\":1,\"tax\":0}]",
                                           "[{\"name\":\"x\",\"quantity\":1,\"unit_price\":1.5,\"tax\":0}]" };
  for (size_t i = 0; i < sizeof bad_items / sizeof bad_items[0]; i++) {
    free(d.items);
    d.items = strdup(bad_items[i]);
    assert_null(history_detail_json(&d));
  }
  free(d.items);
  d.items = strdup("[]");
  free(d.events);
  d.events = strdup("[[\"completed\"]]");
  assert_null(history_detail_json(&d));
  history_detail_free(&d);
}

static void refunds_read_as_the_receipt_shows_them(void **state)
{
  int64_t refunded = -1;
  (void)state;

  /* the list's badge: by the completed refunds against the total */
  assert_null(history_refund_state(0, 1000));
  assert_string_equal(history_refund_state(1, 1000), "partly_refunded");
  assert_string_equal(history_refund_state(999, 1000), "partly_refunded");
  assert_string_equal(history_refund_state(1000, 1000), "refunded");
  assert_string_equal(history_refund_state_text("refunded"), "Refunded");
  assert_string_equal(history_refund_state_text("partly_refunded"), "Partly refunded");
  assert_null(history_refund_state_text(NULL));
  assert_string_equal(history_refund_kind_text("void"), "Void");
  assert_string_equal(history_refund_kind_text("refund"), "Refund");
  assert_string_equal(history_refund_status_text("pending"), "Pending");
  assert_string_equal(history_refund_status_text("declined"), "Declined");

  json_t *rows = history_refunds_json("[[\"refund\",300,\"completed\",\"<b>damaged</b>\",\"2026-12-05 10:00:00\","
                                      "\"2026-12-05 10:00:01\",\"00\"],"
                                      "[\"refund\",1200,\"declined\",null,\"2026-12-05 10:01:00\","
                                      "\"2026-12-05 10:01:01\",\"13\"],"
                                      "[\"refund\",250,\"pending\",null,\"2026-12-05 10:02:00\",null,null],"
                                      "[\"refund\",1450,\"completed\",null,\"2026-12-05 10:03:00\","
                                      "\"2026-12-05 10:03:01\",\"00\"]]",
                                      "JPY", &refunded);
  assert_non_null(rows);
  assert_int_equal(json_array_size(rows), 4);
  assert_int_equal(refunded, 1750); /* completed only: not the declined, not the pending */
  json_t *first = json_array_get(rows, 0), *second = json_array_get(rows, 1);
  assert_string_equal(json_string_value(json_object_get(first, "reason")), "<b>damaged</b>"); /* the template escapes */
  assert_string_equal(json_string_value(json_object_get(first, "kind_text")), "Refund");
  assert_string_equal(json_string_value(json_object_get(second, "amount")), "1,200");
  assert_string_equal(json_string_value(json_object_get(second, "status_text")), "Declined");
  assert_true(json_is_null(json_object_get(second, "reason"))); /* present as null: no look-up outwards */
  json_decref(rows);

  rows = history_refunds_json("[[\"void\",6000,\"completed\",null,\"2026-12-05 10:00:00\",null,\"00\"]]", "USD",
                              &refunded);
  assert_int_equal(refunded, 6000);
  assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0), "amount")), "60.00");
  json_decref(rows);

  static const char *const bad[] = { "",
                                     "{}",
                                     "[1]",
                                     "[[\"refund\",\"300\",\"completed\",null,\"x\",null,null]]",
                                     "[[\"refund\",0,\"completed\",null,\"x\",null,null]]",
                                     "[[\"refund\",300,\"completed\",7,\"x\",null,null]]" };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
    assert_null(history_refunds_json(bad[i], "JPY", &refunded));
}

static void detail_json_shows_refunds_and_net(void **state)
{
  struct history_detail d = { .row.total = 1000 };
  (void)state;

  strcpy(d.row.number, "ABCDEFGH12345678");
  strcpy(d.row.currency, "JPY");
  strcpy(d.row.status, "completed");
  strcpy(d.row.approval_code, "A1B2C3");
  d.items = strdup("[]");
  d.events = strdup("[]");
  d.refunds = strdup("[]");
  json_t *ctx = history_detail_json(&d);
  assert_null(json_object_get(ctx, "refunds")); /* no section, no badge */
  assert_null(json_object_get(ctx, "refund"));
  json_decref(ctx);

  free(d.refunds);
  d.refunds = strdup("[[\"refund\",300,\"completed\",\"damaged\",\"2026-12-05 10:00:00\",\"2026-12-05 10:00:01\","
                     "\"00\"],[\"refund\",100,\"pending\",null,\"2026-12-05 10:02:00\",null,null]]");
  ctx = history_detail_json(&d);
  json_t *refunds = json_object_get(ctx, "refunds");
  assert_int_equal(json_array_size(json_object_get(refunds, "rows")), 2);
  assert_string_equal(json_string_value(json_object_get(refunds, "refunded")), "300");
  assert_string_equal(json_string_value(json_object_get(refunds, "net")), "700");
  assert_string_equal(json_string_value(json_object_get(json_object_get(ctx, "refund"), "state")), "partly_refunded");
  json_decref(ctx);

  free(d.refunds);
  d.refunds = strdup("[[\"refund\",300,\"completed\",null,\"x\",null,\"00\"],"
                     "[\"refund\",700,\"completed\",null,\"y\",null,\"00\"]]");
  ctx = history_detail_json(&d);
  assert_string_equal(json_string_value(json_object_get(json_object_get(ctx, "refunds"), "net")), "0");
  assert_string_equal(json_string_value(json_object_get(json_object_get(ctx, "refund"), "text")), "Refunded");
  json_decref(ctx);

  free(d.refunds);
  d.refunds = strdup("[[\"refund\"]]");
  assert_null(history_detail_json(&d));
  history_detail_free(&d);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(csv_quotes_only_what_needs_it),     cmocka_unit_test(csv_guards_formulas),
    cmocka_unit_test(csv_grows_for_long_fields),         cmocka_unit_test(cursors_round_trip_and_refuse_edits),
    cmocka_unit_test(dates_are_calendar_days),           cmocka_unit_test(days_start_at_midnight_utc),
    cmocka_unit_test(queries_parse_and_refuse),          cmocka_unit_test(links_keep_the_filter),
    cmocka_unit_test(transactions_read_as_words),        cmocka_unit_test(csv_records_of_transactions),
    cmocka_unit_test(detail_json_reads_what_was_stored), cmocka_unit_test(refunds_read_as_the_receipt_shows_them),
    cmocka_unit_test(detail_json_shows_refunds_and_net),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
