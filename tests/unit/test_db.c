/* test_db.c — lib/db's pure parts: parameters built for libpq, and results
 * read by column name, a missing column logged as a bug with the caller's
 * file and line (the results are made in memory with libpq's own
 * PQsetResultAttrs/PQsetvalue, no server). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/log.h"
#include "db/db.h"
#include "db/db_internal.h"

static void params_text_numbers_null_and_binary(void **state)
{
  struct db_params p;
  const unsigned char bytes[3] = { 0, 1, 2 };

  (void)state;
  db_params_init(&p);
  db_param_text(&p, "abc");
  db_param_int64(&p, -9223372036854775807LL - 1);
  db_param_bool(&p, true);
  db_param_text(&p, NULL);
  db_param_bytea(&p, bytes, sizeof bytes);
  assert_int_equal(p.n, 5);
  assert_string_equal(p.values[0], "abc");
  assert_string_equal(p.values[1], "-9223372036854775808");
  assert_string_equal(p.values[2], "t");
  assert_null(p.values[3]);
  assert_ptr_equal(p.values[4], bytes);
  assert_int_equal(p.lengths[4], 3);
  assert_int_equal(p.formats[4], 1);
  assert_int_equal(p.formats[0], 0);
  assert_false(p.overflow);
}

static void params_overflow_is_flagged(void **state)
{
  struct db_params p;

  (void)state;
  db_params_init(&p);
  for (int i = 0; i < DB_MAX_PARAMS + 1; i++)
    db_param_int64(&p, i);
  assert_int_equal(p.n, DB_MAX_PARAMS);
  assert_true(p.overflow);
}

/* A call whose parameters do not match its statement is refused before
 * anything is sent (no connection needed), and logged as a bug. */
static enum db_status miscount_status;
static void call_with_one_parameter_too_many(PGresult *unused)
{
  static struct db_statement st = DB_STATEMENT("test_one_param", DB_READ, 1, "SELECT $1::int AS n");
  struct db *db = db_open("postgresql:///nowhere?host=/nonexistent", "test_db");
  struct db_params p;
  PGresult *res = NULL;

  (void)unused;
  db_params_init(&p);
  db_param_int64(&p, 1);
  db_param_int64(&p, 2);
  miscount_status = db_call(db, &st, &p, &res);
  assert_null(res);
  db_close(db);
}

static char *captured_log(void (*fn)(PGresult *), PGresult *res);
static void a_call_with_the_wrong_parameter_count_is_a_bug(void **state)
{
  (void)state;
  char *log = captured_log(call_with_one_parameter_too_many, NULL);
  assert_int_equal(miscount_status, DB_HARD_ERROR);
  assert_non_null(strstr(log, "\"kind\":\"bug\""));
  assert_non_null(strstr(log, "statement test_one_param takes 1 parameters, the call gave 2"));
}

/* A two-column, one-row result: id = 42, name = NULL. */
static PGresult *small_result(void)
{
  PGresult *res = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK);
  PGresAttDesc attrs[2] = { { .name = "id", .format = 0, .typid = 20 }, { .name = "name", .format = 0, .typid = 25 } };

  assert_int_equal(PQsetResultAttrs(res, 2, attrs), 1);
  assert_int_equal(PQsetvalue(res, 0, 0, "42", 2), 1);
  assert_int_equal(PQsetvalue(res, 0, 1, NULL, -1), 1);
  return res;
}

/* stderr (the log) into a temporary file while fn runs; returns its text. */
static char *captured_log(void (*fn)(PGresult *), PGresult *res)
{
  char path[] = "/tmp/test_db_log_XXXXXX";
  int fd = mkstemp(path), saved = dup(2);
  static char text[4096];

  fflush(stderr);
  dup2(fd, 2);
  fn(res);
  fflush(stderr);
  dup2(saved, 2);
  close(saved);
  lseek(fd, 0, SEEK_SET);
  ssize_t n = read(fd, text, sizeof text - 1);
  text[n > 0 ? n : 0] = '\0';
  close(fd);
  unlink(path);
  return text;
}

static int64_t read_id;
static const char *read_name;
static void read_known(PGresult *res)
{
  read_id = db_int64(res, 0, "id");
  read_name = db_text(res, 0, "name");
}

static void known_columns_read_without_a_log_line(void **state)
{
  PGresult *res = small_result();

  (void)state;
  char *log = captured_log(read_known, res);
  assert_int_equal(read_id, 42);
  assert_string_equal(read_name, "");
  assert_string_equal(log, "");
  assert_true(db_null(res, 0, "name"));
  assert_false(db_null(res, 0, "id"));
  PQclear(res);
}

static int missing_line;
static void read_missing(PGresult *res)
{
  missing_line = __LINE__ + 1;
  read_name = db_text(res, 0, "nmae"); /* misspelt on purpose */
}

static void a_missing_column_is_a_bug_with_file_and_line(void **state)
{
  PGresult *res = small_result();
  char where[64];

  (void)state;
  char *log = captured_log(read_missing, res);
  assert_string_equal(read_name, "");
  assert_non_null(strstr(log, "\"level\":\"error\""));
  assert_non_null(strstr(log, "\"kind\":\"bug\""));
  assert_non_null(strstr(log, "no column nmae"));
  snprintf(where, sizeof where, "test_db.c:%d", missing_line);
  assert_non_null(strstr(log, where));
  PQclear(res);
}

static void read_row_out_of_range(PGresult *res)
{
  read_id = db_int64(res, 1, "id");
}

static void a_missing_row_is_a_bug_too(void **state)
{
  PGresult *res = small_result();

  (void)state;
  char *log = captured_log(read_row_out_of_range, res);
  assert_int_equal(read_id, 0);
  assert_non_null(strstr(log, "no row 1"));
  PQclear(res);
}

static char copied[3];
static void copy_too_long(PGresult *res)
{
  db_copy(res, 0, "id", copied); /* "42" fits in 3 */
  char tiny[2];
  db_copy(res, 0, "id", tiny); /* and not in 2: a bug, cut */
  assert_string_equal(tiny, "4");
}

static void a_value_longer_than_its_buffer_is_a_bug(void **state)
{
  PGresult *res = small_result();

  (void)state;
  char *log = captured_log(copy_too_long, res);
  assert_string_equal(copied, "42");
  assert_non_null(strstr(log, "column id: a value of 2 bytes for a buffer of 2"));
  PQclear(res);
}

/* A function's outcome word: its index in the operation's table, or a bug. */
enum { T_DONE, T_REFUSED, T_COUNT };
static const char *const t_outcomes[T_COUNT + 1] = { [T_DONE] = "done", [T_REFUSED] = "refused" };

static PGresult *outcome_result(const char *word, int rows)
{
  PGresult *res = PQmakeEmptyPGresult(NULL, PGRES_TUPLES_OK);
  PGresAttDesc attrs[1] = { { .name = "outcome", .format = 0, .typid = 25 } };

  assert_int_equal(PQsetResultAttrs(res, 1, attrs), 1);
  for (int i = 0; i < rows; i++)
    assert_int_equal(PQsetvalue(res, i, 0, (char *)word, (int)strlen(word)), 1);
  return res;
}

static int outcome_read;
static enum db_status outcome_status;
static void read_outcome(PGresult *res)
{
  outcome_status = db_outcome(DB_ONE_ROW, res, "test.do_it", t_outcomes, &outcome_read);
}

static void outcome_words_map_to_their_index_or_are_a_bug(void **state)
{
  (void)state;
  assert_int_equal(db_word_index("refused", t_outcomes, DB_WORDS(t_outcomes)), T_REFUSED);
  assert_int_equal(db_word_index("Refused", t_outcomes, DB_WORDS(t_outcomes)), -1);
  assert_int_equal(db_word_index("", t_outcomes, DB_WORDS(t_outcomes)), -1); /* the NULL slot is skipped */

  PGresult *res = outcome_result("refused", 1);
  char *log = captured_log(read_outcome, res);
  assert_int_equal(outcome_status, DB_ONE_ROW);
  assert_int_equal(outcome_read, T_REFUSED);
  assert_string_equal(log, "");
  PQclear(res);

  res = outcome_result("exploded", 1);
  log = captured_log(read_outcome, res);
  assert_int_equal(outcome_status, DB_HARD_ERROR);
  assert_int_equal(outcome_read, -1);
  assert_non_null(strstr(log, "\"kind\":\"bug\""));
  assert_non_null(strstr(log, "test.do_it answered outcome exploded"));
  PQclear(res);

  res = outcome_result("done", 0);
  log = captured_log(read_outcome, res);
  assert_int_equal(outcome_status, DB_HARD_ERROR);
  assert_non_null(strstr(log, "test.do_it answered no row"));
  PQclear(res);

  int o;
  assert_int_equal(db_outcome(DB_SOFT_ERROR, NULL, "test.do_it", t_outcomes, &o), DB_SOFT_ERROR);
  assert_int_equal(o, -1);
}

/* --- the server incarnation a lost COMMIT's fate may be read on ---------
 * (lib/db/incarnation.c) */
static const struct db_incarnation node_a = {
  .known = true,
  .system_id = "7715923943981458757",
  .timeline = "00000001",
  .started = "1796503541.400992",
  .stats_reset = "1796503538.294586",
};

static void the_same_incarnation_is_trusted(void **state)
{
  struct db_incarnation again = node_a;
  char why[256] = "untouched";

  (void)state;
  assert_null(db_incarnation_differs(&node_a, &again, why, sizeof why));
  assert_string_equal(why, "untouched");
}

/* each way a new connection may be to another incarnation, with the word
 * its reason must hold */
static void each_difference_is_told_apart(void **state)
{
  static const struct {
    const char *field, *value, *said;
  } cases[] = {
    { "system_id", "7715923943981458758", "another cluster" },
    { "timeline", "00000002", "another timeline" },
    { "started", "1796503600.000001", "restarted (started at 1796503600.000001" },
    { "stats_reset", "1796503553.576840", "after a crash" },
  };
  char why[256];

  (void)state;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    struct db_incarnation now = node_a;
    char *field = strcmp(cases[i].field, "system_id") == 0  ? now.system_id
                  : strcmp(cases[i].field, "timeline") == 0 ? now.timeline
                  : strcmp(cases[i].field, "started") == 0  ? now.started
                                                            : now.stats_reset;
    strcpy(field, cases[i].value);
    const char *said = db_incarnation_differs(&node_a, &now, why, sizeof why);
    assert_non_null(said);
    assert_ptr_equal(said, why);
    if (!strstr(why, cases[i].said))
      fail_msg("%s differs: \"%s\" does not say \"%s\"", cases[i].field, why, cases[i].said);
  }
}

/* a crash-restart moves only the statistics' reset time: the postmaster,
 * its start time and its timeline stay (seen on PostgreSQL 15) */
static void a_crash_restart_alone_is_another_incarnation(void **state)
{
  struct db_incarnation after_crash = node_a;
  char why[256];

  (void)state;
  strcpy(after_crash.stats_reset, "1796503553.57684");
  assert_non_null(db_incarnation_differs(&node_a, &after_crash, why, sizeof why));
  /* and the other way round: a reset never seen before is no match either */
  after_crash = node_a;
  after_crash.stats_reset[0] = '\0';
  assert_non_null(db_incarnation_differs(&node_a, &after_crash, why, sizeof why));
}

static void an_unknown_incarnation_is_never_trusted(void **state)
{
  struct db_incarnation unknown = { 0 };
  struct db_incarnation empty_but_known = { .known = true };
  char why[256];

  (void)state;
  assert_non_null(db_incarnation_differs(&unknown, &node_a, why, sizeof why));
  assert_non_null(strstr(why, "never identified"));
  assert_non_null(db_incarnation_differs(&node_a, &unknown, why, sizeof why));
  assert_non_null(strstr(why, "cannot be identified"));
  assert_non_null(db_incarnation_differs(&unknown, &unknown, why, sizeof why));
  /* two unknown sides that happen to hold the same (empty) texts */
  unknown = empty_but_known;
  unknown.known = false;
  assert_non_null(db_incarnation_differs(&unknown, &unknown, why, sizeof why));
}

/* fence.c: the URI's other hosts after one failed the fence */
static void hosts_without_one_keep_the_rest_in_order(void **state)
{
  char h[128], p[128];

  (void)state;
  assert_int_equal(db_hosts_without("127.0.0.1,127.0.0.1", "5432,5433", "127.0.0.1", "5432", h, p, sizeof h), 1);
  assert_string_equal(h, "127.0.0.1");
  assert_string_equal(p, "5433");
  assert_int_equal(db_hosts_without("db1,db2,db3", "5432", "db2", "5432", h, p, sizeof h), 2);
  assert_string_equal(h, "db1,db3");
  assert_string_equal(p, "5432"); /* one port for all stays one */
  assert_int_equal(db_hosts_without("db1,db2", "", "db1", "5432", h, p, sizeof h), 1);
  assert_string_equal(h, "db2");
  assert_string_equal(p, "");
  assert_int_equal(db_hosts_without("db1", "5432", "db1", "5432", h, p, sizeof h), 0);
  assert_string_equal(h, "");
  /* a host not in the list (libpq names what it used): nothing removed */
  assert_int_equal(db_hosts_without("db1,db2", "5432,5433", "db2", "5432", h, p, sizeof h), 2);
  assert_string_equal(h, "db1,db2");
  assert_string_equal(p, "5432,5433");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(params_text_numbers_null_and_binary),
    cmocka_unit_test(params_overflow_is_flagged),
    cmocka_unit_test(a_call_with_the_wrong_parameter_count_is_a_bug),
    cmocka_unit_test(known_columns_read_without_a_log_line),
    cmocka_unit_test(a_missing_column_is_a_bug_with_file_and_line),
    cmocka_unit_test(a_missing_row_is_a_bug_too),
    cmocka_unit_test(a_value_longer_than_its_buffer_is_a_bug),
    cmocka_unit_test(outcome_words_map_to_their_index_or_are_a_bug),
    cmocka_unit_test(the_same_incarnation_is_trusted),
    cmocka_unit_test(each_difference_is_told_apart),
    cmocka_unit_test(a_crash_restart_alone_is_another_incarnation),
    cmocka_unit_test(an_unknown_incarnation_is_never_trusted),
    cmocka_unit_test(hosts_without_one_keep_the_rest_in_order),
  };
  log_init("test_db");
  return cmocka_run_group_tests(tests, NULL, NULL);
}
