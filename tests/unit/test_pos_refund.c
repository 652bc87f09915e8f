/* test_pos_refund.c — the POS's refunds (pos-client/refund.h): what `pos
 * refund` takes and refuses, the request body, the journal's refund lines
 * and reading them back (which refunds are left without an end, the key
 * kept for a repeat), the marks of refunds in flight shared by two opens,
 * the refund receipt of each outcome (never a card number), the refusals
 * in plain words and the list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pos-client/refund.h"
#include "proxlink/clientutil.h"

/* What f printed, as a string (malloc'd). */
static char *printed(FILE *f)
{
  long n = ftell(f);
  char *buf = calloc(1, (size_t)n + 1);
  rewind(f);
  assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
  fclose(f);
  return buf;
}

static void a_refund(struct pos_refund *r, const char *key, const char *at)
{
  char err[256];
  memset(r, 0, sizeof *r);
  assert_int_equal(refund_set_transaction(r, "6YRGSSXT9TYDM6FT", err, sizeof err), 0);
  assert_int_equal(refund_set_amount(r, "300", err, sizeof err), 0);
  assert_int_equal(refund_set_reason(r, "damaged, \"returned\"", err, sizeof err), 0);
  snprintf(r->terminal, sizeof r->terminal, "pos-1111111111");
  snprintf(r->key, sizeof r->key, "%s", key);
  snprintf(r->requested_at, sizeof r->requested_at, "%s", at);
}

static void options_taken_and_refused(void **state)
{
  struct pos_refund r;
  char err[256], long_reason[300];
  (void)state;
  memset(&r, 0, sizeof r);
  assert_int_equal(refund_set_amount(&r, "999999999999", err, sizeof err), 0);
  assert_int_equal(r.amount, 999999999999LL);
  assert_int_equal(refund_set_amount(&r, "1", err, sizeof err), 0);
  assert_int_equal(r.amount, 1);
  static const char *const bad_amounts[] = { "0", "", "-5", "1000000000000", "12a", " 5", "3.5", "0000000000001" };
  for (size_t i = 0; i < sizeof bad_amounts / sizeof bad_amounts[0]; i++) {
    r.amount = 7;
    assert_int_equal(refund_set_amount(&r, bad_amounts[i], err, sizeof err), -1);
    assert_non_null(strstr(err, "--amount"));
    assert_int_equal(r.amount, 7); /* unchanged */
  }
  static const char *const bad_numbers[] = { "6yrgssxt9tydm6ft", "6YRGSSXT9TYDM6F", "6YRGSSXT9TYDM6FTX",
                                             "6YRG-SXT9TYDM6FT", "" };
  for (size_t i = 0; i < sizeof bad_numbers / sizeof bad_numbers[0]; i++)
    assert_int_equal(refund_set_transaction(&r, bad_numbers[i], err, sizeof err), -1);
  assert_int_equal(refund_set_transaction(&r, "7KQ2M9XW4T1BZC3D", err, sizeof err), 0);
  assert_string_equal(r.transaction, "7KQ2M9XW4T1BZC3D");

  memset(long_reason, 'x', 200);
  long_reason[200] = '\0';
  assert_int_equal(refund_set_reason(&r, long_reason, err, sizeof err), 0);
  long_reason[200] = 'y';
  long_reason[201] = '\0';
  assert_int_equal(refund_set_reason(&r, long_reason, err, sizeof err), -1); /* 201: refused, never cut */
  assert_int_equal(refund_set_reason(&r, "tab\there", err, sizeof err), -1);
  assert_int_equal(refund_set_reason(&r, "", err, sizeof err), -1);
  assert_int_equal(refund_set_reason(&r, "\xff\xfe", err, sizeof err), -1);
  assert_int_equal(refund_set_reason(&r, "返品 (damaged)", err, sizeof err), 0);
  assert_string_equal(r.reason, "返品 (damaged)");
}

static void request_body(void **state)
{
  struct pos_refund r;
  (void)state;
  a_refund(&r, "k1", "2026-12-05T10:00:00Z");
  json_t *b = refund_request_json(&r);
  char *text = json_dumps(b, JSON_COMPACT | JSON_SORT_KEYS);
  assert_string_equal(text, "{\"amount\":300,\"reason\":\"damaged, \\\"returned\\\"\"}");
  free(text);
  json_decref(b);
  r.reason[0] = '\0';
  b = refund_request_json(&r);
  text = json_dumps(b, JSON_COMPACT);
  assert_string_equal(text, "{\"amount\":300}"); /* no reason: no member, never null */
  free(text);
  json_decref(b);
  assert_true(refund_status_final("completed") && refund_status_final("declined") && refund_status_final("failed"));
  assert_false(refund_status_final("pending") || refund_status_final("") || refund_status_final(NULL));
}

static void journal_lines_read_back(void **state)
{
  struct pos_refund r, back;
  (void)state;
  a_refund(&r, "AbC_-123", "2026-12-05T10:00:00Z");
  char *pending = refund_journal_line(&r, r.requested_at, "refund_pending", NULL, NULL, NULL, NULL);
  json_t *line = json_loads(pending, 0, NULL);
  assert_non_null(line);
  assert_string_equal(json_string_value(json_object_get(line, "status")), "refund_pending");
  assert_string_equal(json_string_value(json_object_get(line, "idempotency_key")), "AbC_-123");
  assert_string_equal(json_string_value(json_object_get(line, "refund_reason")), "damaged, \"returned\"");
  assert_null(json_object_get(line, "refund")); /* no answer yet */
  assert_null(json_object_get(line, "reason"));
  assert_int_equal(refund_from_line(line, &back), 0);
  assert_string_equal(back.transaction, r.transaction);
  assert_int_equal(back.amount, 300);
  assert_string_equal(back.reason, r.reason);
  assert_string_equal(back.terminal, "pos-1111111111");
  assert_string_equal(back.key, "AbC_-123");
  assert_string_equal(back.requested_at, "2026-12-05T10:00:00Z");
  json_decref(line);
  free(pending);

  json_t *declined =
      json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:{s:s, s:s}}", "id", "rf_AAAAAAAAAAAAAAAAAAAAAA", "transaction",
                "6YRGSSXT9TYDM6FT", "kind", "refund", "amount", (json_int_t)300, "currency", "JPY", "status",
                "declined", "decline", "code", "13", "reason", "invalid amount");
  json_object_set_new(declined, "response_code", json_string("13"));
  json_t *txn = json_pack("{s:I, s:I}", "refunded", (json_int_t)0, "refundable", (json_int_t)1000);
  char *end = refund_journal_line(&r, "2026-12-05T10:00:05Z", "refund_declined", declined, txn, NULL, NULL);
  line = json_loads(end, 0, NULL);
  assert_string_equal(json_string_value(json_object_get(line, "refund")), "rf_AAAAAAAAAAAAAAAAAAAAAA");
  assert_string_equal(json_string_value(json_object_get(line, "kind")), "refund");
  assert_string_equal(json_string_value(json_object_get(line, "currency")), "JPY");
  assert_string_equal(json_string_value(json_object_get(line, "decline_code")), "13");
  assert_string_equal(json_string_value(json_object_get(line, "response_code")), "13");
  assert_string_equal(json_string_value(json_object_get(line, "reason")), "invalid amount");
  assert_int_equal(json_integer_value(json_object_get(line, "refundable")), 1000);
  assert_int_equal(refund_from_line(line, &back), 0); /* an end line names its refund too */
  json_decref(line);
  free(end);

  char *refusal = refund_journal_line(&r, "2026-12-05T10:00:05Z", "refund_refused", NULL, NULL,
                                      "refund_exceeds_refundable", "only 200 JPY is left");
  line = json_loads(refusal, 0, NULL);
  assert_string_equal(json_string_value(json_object_get(line, "problem")), "refund_exceeds_refundable");
  assert_string_equal(json_string_value(json_object_get(line, "reason")), "only 200 JPY is left");
  json_decref(line);
  free(refusal);
  json_decref(declined);
  json_decref(txn);

  /* not refund lines: a sale's, a token sale's, a refund line without its key */
  static const char *const others[] = {
    "{\"status\":\"completed\",\"transaction\":\"6YRGSSXT9TYDM6FT\",\"total\":300}",
    "{\"status\":\"token_pending\",\"amount\":300}",
    "{\"status\":\"refund_pending\",\"transaction\":\"6YRGSSXT9TYDM6FT\",\"terminal\":\"t\",\"amount\":300}",
    /* one string in two pieces: parenthesised, as clang asks of a deliberate concatenation */
    ("{\"status\":\"refund_pending\",\"transaction\":\"6YRGSSXT9TYDM6FT\",\"terminal\":\"t\",\"amount\":0,"
     "\"idempotency_key\":\"k\"}"),
  };
  for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
    line = json_loads(others[i], 0, NULL);
    assert_int_equal(refund_from_line(line, &back), -1);
    json_decref(line);
  }
}

/* Appends a line of refund r with status to f. */
static void put(FILE *f, const struct pos_refund *r, const char *status)
{
  char *text = refund_journal_line(r, r->requested_at, status, NULL, NULL, NULL, NULL);
  fprintf(f, "%s\n", text);
  free(text);
}

static void open_refunds_of_a_journal(void **state)
{
  struct pos_refund a, b, c, d;
  struct refund_open *open = NULL;
  char err[128];
  (void)state;
  a_refund(&a, "keyA", "2026-12-05T10:00:00Z");
  a_refund(&b, "keyB", "2026-12-05T10:01:00Z");
  a_refund(&c, "keyC", "2026-12-05T10:02:00Z");
  a_refund(&d, "keyD", "2026-12-05T10:03:00Z");
  FILE *j = tmpfile();
  put(j, &a, "refund_pending");
  fprintf(j, "{\"status\":\"completed\",\"transaction\":\"6YRGSSXT9TYDM6FT\"}\n"); /* a sale between */
  put(j, &b, "refund_pending");
  put(j, &a, "refund_completed");
  put(j, &c, "refund_pending");
  fprintf(j, "{\"status\":\"refund_pend"); /* a torn last line (a crash while writing) */
  fprintf(j, "\n");
  put(j, &d, "refund_pending");
  put(j, &d, "refund_refused");
  put(j, &c, "refund_error");
  put(j, &c, "refund_pending"); /* never written so in practice, but the last line decides */
  long n = refund_journal_open(j, &open, err, sizeof err);
  assert_int_equal(n, 2);
  bool saw_b = false, saw_c = false;
  for (long i = 0; i < n; i++) {
    saw_b |= strcmp(open[i].r.key, "keyB") == 0;
    saw_c |= strcmp(open[i].r.key, "keyC") == 0;
    assert_string_equal(json_string_value(json_object_get(open[i].line, "status")), "refund_pending");
  }
  assert_true(saw_b && saw_c);
  refund_open_free(open, n);
  fclose(j);

  j = tmpfile();
  assert_int_equal(refund_journal_open(j, &open, err, sizeof err), 0); /* empty journal */
  refund_open_free(open, 0);
  fclose(j);
}

static void key_kept_for_a_day(void **state)
{
  struct pos_refund r;
  time_t at;
  (void)state;
  a_refund(&r, "k", "2026-12-05T10:00:00Z");
  assert_int_equal(time_parse_rfc3339("2026-12-05T10:00:00Z", &at), 0);
  assert_true(refund_key_still_kept(&r, at + 60));
  assert_true(refund_key_still_kept(&r, at + 23 * 3600));
  assert_false(refund_key_still_kept(&r, at + 24 * 3600)); /* the gateway may have forgotten the key */
  snprintf(r.requested_at, sizeof r.requested_at, "not a time");
  assert_false(refund_key_still_kept(&r, at)); /* unknown age: never asked again */
}

static void marks_shared_by_two_opens(void **state)
{
  char dir[] = "/tmp/test_pos_refund_XXXXXX", journal[64], err[256];
  struct pos_refund a, b;
  (void)state;
  assert_non_null(mkdtemp(dir));
  snprintf(journal, sizeof journal, "%s/j.log", dir);
  int one = refund_marks_open(journal, err, sizeof err), two = refund_marks_open(journal, err, sizeof err);
  assert_true(one >= 0 && two >= 0);
  a_refund(&a, "first-key", "2026-12-05T10:00:00Z");
  a_refund(&b, "second-key", "2026-12-05T10:00:00Z");
  assert_int_equal(refund_hold(one, &a), 0);
  assert_int_equal(refund_hold(two, &a), -1); /* held by the other open: another POS is on it */
  assert_int_equal(refund_hold(two, &b), 0);  /* another refund is free */
  refund_release(one, &a);
  assert_int_equal(refund_hold(two, &a), 0);
  close(one);
  close(two);
  char marks[80];
  snprintf(marks, sizeof marks, "%s.refunds", journal);
  assert_int_equal(access(marks, F_OK), 0);
  unlink(marks);
  rmdir(dir);
}

static json_t *refund_object(const char *status, const char *kind)
{
  json_t *r = json_pack("{s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s}", "id", "rf_AbCdEfGhIjKlMnOpQrStUv", "transaction",
                        "6YRGSSXT9TYDM6FT", "kind", kind, "amount", (json_int_t)300, "currency", "JPY", "reason",
                        "damaged", "status", status, "created_at", "2026-12-05T10:00:00Z");
  if (strcmp(status, "completed") == 0)
    json_object_set_new(r, "completed_at", json_string("2026-12-05T10:00:02Z"));
  if (strcmp(status, "declined") == 0)
    json_object_set_new(r, "decline", json_pack("{s:s, s:s}", "code", "13", "reason", "invalid amount"));
  if (strcmp(status, "failed") == 0)
    json_object_set_new(r, "failure", json_pack("{s:s}", "reason", "no answer from the card issuer"));
  return r;
}

static char *receipt_of(json_t *refund, json_t *txn)
{
  FILE *f = tmpfile();
  refund_receipt(f, "Fallback shop", "pos-1111111111", refund, txn);
  json_decref(refund);
  return printed(f);
}

static void receipts(void **state)
{
  (void)state;
  /* a completed partial refund: the payment's card (masked) is in the transaction's answer, never on the slip */
  json_t *txn = json_pack("{s:s, s:s, s:I, s:I, s:I, s:s, s:{s:s}}", "transaction", "6YRGSSXT9TYDM6FT", "shop",
                          "Shop A Ginza", "total", (json_int_t)1000, "refunded", (json_int_t)600, "refundable",
                          (json_int_t)400, "currency", "JPY", "completion", "card", "152500******5678");
  char *text = receipt_of(refund_object("completed", "refund"), txn);
  assert_non_null(strstr(text, "Shop A Ginza\nREFUND\n"));
  assert_non_null(strstr(text, "Terminal      pos-1111111111\n"));
  assert_non_null(strstr(text, "Transaction   6YRGSSXT9TYDM6FT\n"));
  assert_non_null(strstr(text, "Refund ID     rf_AbCdEfGhIjKlMnOpQrStUv\n"));
  assert_non_null(strstr(text, "Kind          refund\n"));
  assert_non_null(strstr(text, "Reason        damaged\n"));
  assert_non_null(strstr(text, "\nAmount                                   300 JPY\n"));
  assert_non_null(strstr(text, "\nRefunded so far                          600 JPY\n"));
  assert_non_null(strstr(text, "\nRefundable left                          400 JPY\n"));
  assert_non_null(strstr(text, "\nPaid total                             1,000 JPY\n"));
  assert_non_null(strstr(text, "Time          2026-12-05T10:00:02Z\n"));
  assert_null(strstr(text, "5678"));
  assert_null(strstr(text, "152500"));
  free(text);

  /* a void */
  text = receipt_of(refund_object("completed", "void"), txn);
  assert_non_null(strstr(text, "\nVOID\n"));
  assert_non_null(strstr(text, "Kind          void (the whole payment, the same day)\n"));
  free(text);

  /* declined: the code and the reason, nothing refunded */
  text = receipt_of(refund_object("declined", "refund"), txn);
  assert_non_null(strstr(text, "\nREFUND DECLINED\n"));
  assert_non_null(strstr(text, "DECLINED: invalid amount (code 13)\nNothing was refunded.\n"));
  assert_non_null(strstr(text, "Time          2026-12-05T10:00:00Z\n")); /* no completed_at: when asked */
  free(text);

  /* failed, and still pending when the POS stopped following it */
  text = receipt_of(refund_object("failed", "refund"), txn);
  assert_non_null(strstr(text, "\nREFUND FAILED\n---"));
  assert_non_null(strstr(text, "FAILED: no answer from the card issuer\n"));
  free(text);
  text = receipt_of(refund_object("pending", "refund"), txn);
  assert_non_null(strstr(text, "\nREFUND PENDING - check refund rf_AbCdEfGhIjKlMnOpQrStUv\n"));
  assert_non_null(strstr(text, "has not answered yet"));
  free(text);
  json_decref(txn);

  /* no transaction answer: the fallback shop, no totals but the amount */
  text = receipt_of(refund_object("completed", "refund"), NULL);
  assert_non_null(strstr(text, "Fallback shop\nREFUND\n"));
  assert_null(strstr(text, "Refunded so far"));
  assert_non_null(strstr(text, "\nAmount "));
  free(text);

  /* US cents */
  json_t *usd = refund_object("completed", "refund");
  json_object_set_new(usd, "currency", json_string("USD"));
  json_object_set_new(usd, "amount", json_integer(123456));
  text = receipt_of(usd, NULL);
  assert_non_null(strstr(text, "\nAmount                              1,234.56 USD\n"));
  free(text);
}

static void refusals_in_plain_words(void **state)
{
  char buf[300];
  (void)state;
  json_t *txn = json_pack("{s:s, s:s}", "currency", "JPY", "status", "completed");
  json_t *p = json_pack("{s:s, s:I}", "code", "refund_exceeds_refundable", "refundable", (json_int_t)1200);
  refund_refusal_text("6YRGSSXT9TYDM6FT", 1500, 409, p, txn, buf, sizeof buf);
  assert_string_equal(buf, "only 1,200 JPY is left to refund on transaction 6YRGSSXT9TYDM6FT, less than the 1,500 JPY "
                           "asked");
  refund_refusal_text("6YRGSSXT9TYDM6FT", 1500, 409, p, NULL, buf, sizeof buf);
  assert_non_null(strstr(buf, "only 1200 (minor units) is left")); /* currency unknown */
  json_object_set_new(p, "refundable", json_integer(0));
  refund_refusal_text("6YRGSSXT9TYDM6FT", 1, 409, p, txn, buf, sizeof buf);
  assert_non_null(strstr(buf, "nothing is left to refund on transaction 6YRGSSXT9TYDM6FT"));
  json_decref(p);

  p = json_pack("{s:s, s:s}", "code", "wrong_state", "transaction_status", "declined");
  refund_refusal_text("6YRGSSXT9TYDM6FT", 1, 409, p, NULL, buf, sizeof buf);
  assert_string_equal(buf, "transaction 6YRGSSXT9TYDM6FT is declined: only a completed payment can be refunded");
  json_decref(p);
  p = json_pack("{s:s}", "code", "unknown_transaction");
  refund_refusal_text("6YRGSSXT9TYDM6FT", 1, 404, p, NULL, buf, sizeof buf);
  assert_string_equal(buf, "the gateway knows no transaction 6YRGSSXT9TYDM6FT of this shop");
  json_decref(p);
  p = json_pack("{s:s, s:s}", "code", "invalid_field", "detail", "reason holds a control character");
  refund_refusal_text("6YRGSSXT9TYDM6FT", 1, 400, p, NULL, buf, sizeof buf);
  assert_string_equal(buf, "invalid_field: reason holds a control character");
  json_decref(p);
  refund_refusal_text("6YRGSSXT9TYDM6FT", 1, 403, NULL, NULL, buf, sizeof buf);
  assert_string_equal(buf, "HTTP 403");
  json_decref(txn);
}

static void list_of_refunds(void **state)
{
  (void)state;
  json_t *list = json_pack("{s:s, s:I, s:I, s:[o, o]}", "transaction", "6YRGSSXT9TYDM6FT", "refunded", (json_int_t)300,
                           "refundable", (json_int_t)400, "refunds", refund_object("completed", "refund"),
                           refund_object("pending", "refund"));
  FILE *f = tmpfile();
  refund_list(f, list, "JPY");
  char *text = printed(f);
  assert_non_null(strstr(text, "Refunds of transaction 6YRGSSXT9TYDM6FT:\n"));
  assert_non_null(strstr(text, "rf_AbCdEfGhIjKlMnOpQrStUv refund            300 JPY  completed 2026-12-05T10:00:02Z"));
  assert_non_null(strstr(text, "pending   2026-12-05T10:00:00Z  damaged\n"));
  assert_non_null(strstr(text, "Refunded   300 JPY\nRefundable 400 JPY\n"));
  free(text);
  json_object_set_new(list, "refunds", json_array());
  f = tmpfile();
  refund_list(f, list, NULL);
  text = printed(f);
  assert_non_null(strstr(text, "  (none)\n"));
  free(text);
  json_decref(list);

  char code[64];
  assert_string_equal(refund_terminal_code("pos-1111111111.c2VjcmV0", code, sizeof code), "pos-1111111111");
  assert_string_equal(refund_terminal_code("no-dot", code, sizeof code), "no-dot");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(options_taken_and_refused),
    cmocka_unit_test(request_body),
    cmocka_unit_test(journal_lines_read_back),
    cmocka_unit_test(open_refunds_of_a_journal),
    cmocka_unit_test(key_kept_for_a_day),
    cmocka_unit_test(marks_shared_by_two_opens),
    cmocka_unit_test(receipts),
    cmocka_unit_test(refusals_in_plain_words),
    cmocka_unit_test(list_of_refunds),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
