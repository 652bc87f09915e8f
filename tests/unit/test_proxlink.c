/* test_proxlink.c — the proximity link's protocol parsing and a real socket
 * exchange (Unix socket in a temporary folder), plus the clients' money and
 * time formatting and how they wait for a gateway that does not answer
 * (reach.c: one line per change, back-off between tries). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "proxlink/clientutil.h"
#include "proxlink/proxlink.h"
#include "proxlink/reach.h"

static void request_valid(void **state)
{
  char user[PROXLINK_USER_MAX + 1];
  const char *reason;
  (void)state;
  assert_int_equal(proxlink_parse_request("PAYGW-LINK 1 USER 00001\n", user, &reason), 0);
  assert_string_equal(user, "00001");
  assert_int_equal(proxlink_parse_request("PAYGW-LINK 1 USER abc_DEF-9\r\n", user, &reason), 0);
  assert_string_equal(user, "abc_DEF-9");
}

static void request_refused(void **state)
{
  static const struct {
    const char *line, *reason;
  } bad[] = {
    { "", "malformed" },
    { "\n", "malformed" },
    { "HELLO\n", "malformed" },
    { "PAYGW-LINK 1 USR 00001\n", "malformed" },
    { "PAYGW-LINK 2 USER 00001\n", "unsupported version" },
    { "PAYGW-LINK 12 USER 00001\n", "unsupported version" },
    { "PAYGW-LINK 1 USER \n", "bad user id" },
    { "PAYGW-LINK 1 USER 0000 1\n", "bad user id" },
    { "PAYGW-LINK 1 USER 00001;rm\n", "bad user id" },
    { "PAYGW-LINK 1 USER 123456789012345678901234567890123\n", "bad user id" }, /* 33 characters */
    { "paygw-link 1 USER 00001\n", "malformed" },
  };
  char user[PROXLINK_USER_MAX + 1];
  const char *reason;
  (void)state;
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    assert_int_equal(proxlink_parse_request(bad[i].line, user, &reason), -1);
    assert_string_equal(reason, bad[i].reason);
  }
  char longline[400];
  memset(longline, 'A', sizeof longline - 1);
  longline[sizeof longline - 1] = '\0';
  assert_int_equal(proxlink_parse_request(longline, user, &reason), -1);
}

static void request_format_round_trip(void **state)
{
  char buf[PROXLINK_LINE_MAX], user[PROXLINK_USER_MAX + 1];
  const char *reason;
  (void)state;
  assert_int_equal(proxlink_format_request("00004", buf, sizeof buf), 0);
  assert_string_equal(buf, "PAYGW-LINK 1 USER 00004\n");
  assert_int_equal(proxlink_parse_request(buf, user, &reason), 0);
  assert_string_equal(user, "00004");
  assert_int_equal(proxlink_format_request("bad id", buf, sizeof buf), -1);
  assert_int_equal(proxlink_format_request("00004", buf, 10), -1);
}

static void reply_parsing(void **state)
{
  char reason[64];
  (void)state;
  assert_int_equal(proxlink_parse_reply("OK\n", reason, sizeof reason), 0);
  assert_int_equal(proxlink_parse_reply("ERR bad user id\n", reason, sizeof reason), -1);
  assert_string_equal(reason, "bad user id");
  assert_int_equal(proxlink_parse_reply("OKAY\n", reason, sizeof reason), -1);
  assert_string_equal(reason, "malformed answer");
  assert_int_equal(proxlink_parse_reply("", reason, sizeof reason), -1);
}

static void address_parsing(void **state)
{
  struct proxlink_addr a;
  char err[128];
  (void)state;
  assert_int_equal(proxlink_parse_addr("127.0.0.1:10600", &a, err, sizeof err), 0);
  assert_false(a.is_unix);
  assert_string_equal(a.host, "127.0.0.1");
  assert_string_equal(a.port, "10600");
  assert_int_equal(proxlink_parse_addr("/tmp/pos.sock", &a, err, sizeof err), 0);
  assert_true(a.is_unix);
  assert_string_equal(a.path, "/tmp/pos.sock");
  assert_int_equal(proxlink_parse_addr("127.0.0.1", &a, err, sizeof err), -1);
  assert_int_equal(proxlink_parse_addr("127.0.0.1:0", &a, err, sizeof err), -1);
  assert_int_equal(proxlink_parse_addr("127.0.0.1:65536", &a, err, sizeof err), -1);
  assert_int_equal(proxlink_parse_addr("127.0.0.1:12a", &a, err, sizeof err), -1);
  assert_int_equal(proxlink_parse_addr(":80", &a, err, sizeof err), -1);
  assert_int_equal(proxlink_parse_addr("", &a, err, sizeof err), -1);
}

/* A child sends lines; the parent's wait answers ERR to the bad one and
 * takes the good one. */
static void socket_exchange(void **state)
{
  char dir[] = "/tmp/proxlink-XXXXXX", path[96], err[256], user[PROXLINK_USER_MAX + 1];
  struct proxlink_addr a;
  (void)state;
  assert_non_null(mkdtemp(dir));
  snprintf(path, sizeof path, "%s/link.sock", dir);
  assert_int_equal(proxlink_parse_addr(path, &a, err, sizeof err), 0);
  int lfd = proxlink_listen(&a, err, sizeof err);
  assert_true(lfd >= 0);
  pid_t child = fork();
  if (child == 0) {
    char e[256], answer[64] = "";
    struct sockaddr_un sun = { .sun_family = AF_UNIX };
    snprintf(sun.sun_path, sizeof sun.sun_path, "%s", path);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (connect(fd, (struct sockaddr *)&sun, sizeof sun) != 0)
      _exit(2);
    const char *bad = "PAYGW-LINK 2 USER 00009\n";
    if (write(fd, bad, strlen(bad)) != (ssize_t)strlen(bad) || read(fd, answer, sizeof answer - 1) <= 0)
      _exit(3);
    close(fd);
    int good = proxlink_send_user(&a, "00001", 2000, e, sizeof e);
    _exit(strcmp(answer, "ERR unsupported version\n") == 0 && good == 0 ? 0 : 1);
  }
  assert_int_equal(proxlink_wait_user(lfd, 5000, NULL, user, err, sizeof err), 0);
  assert_string_equal(user, "00001");
  int status;
  waitpid(child, &status, 0);
  assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  proxlink_close(lfd, &a);
  assert_int_equal(access(path, F_OK), -1); /* the socket file is gone */
  rmdir(dir);
}

static void socket_timeout_and_refusal(void **state)
{
  char dir[] = "/tmp/proxlink-XXXXXX", path[96], err[256], user[PROXLINK_USER_MAX + 1];
  struct proxlink_addr a;
  (void)state;
  assert_non_null(mkdtemp(dir));
  snprintf(path, sizeof path, "%s/link.sock", dir);
  proxlink_parse_addr(path, &a, err, sizeof err);
  int lfd = proxlink_listen(&a, err, sizeof err);
  assert_true(lfd >= 0);
  assert_int_equal(proxlink_wait_user(lfd, 300, NULL, user, err, sizeof err), 1); /* nobody came */
  proxlink_close(lfd, &a);
  assert_int_equal(proxlink_send_user(&a, "00001", 500, err, sizeof err), -1); /* nobody listens */
  assert_non_null(strstr(err, "no POS terminal"));
  rmdir(dir);
}

/* A socket a live POS listens on is never taken over; a stale one is;
 * close removes only the file this listener created. */
static void socket_busy_stale_and_ours(void **state)
{
  char dir[] = "/tmp/proxlink-XXXXXX", path[96], err[256];
  struct proxlink_addr a, b;
  (void)state;
  assert_non_null(mkdtemp(dir));
  snprintf(path, sizeof path, "%s/link.sock", dir);
  proxlink_parse_addr(path, &a, err, sizeof err);
  proxlink_parse_addr(path, &b, err, sizeof err);
  int la = proxlink_listen(&a, err, sizeof err);
  assert_true(la >= 0);
  assert_int_equal(proxlink_listen(&b, err, sizeof err), -1); /* a live POS has it */
  assert_non_null(strstr(err, "link address busy"));
  proxlink_close(-1, &b); /* b never bound: removes nothing */
  assert_int_equal(access(path, F_OK), 0);
  int fd = socket(AF_UNIX, SOCK_STREAM, 0); /* ... and it still answers */
  struct sockaddr_un sun = { .sun_family = AF_UNIX };
  snprintf(sun.sun_path, sizeof sun.sun_path, "%s", path);
  assert_int_equal(connect(fd, (struct sockaddr *)&sun, sizeof sun), 0);
  close(fd);

  /* the path was taken over by another POS meanwhile: a's close leaves it */
  unlink(path);
  int lb = proxlink_listen(&b, err, sizeof err);
  assert_true(lb >= 0);
  proxlink_close(la, &a);
  assert_int_equal(access(path, F_OK), 0);
  proxlink_close(lb, &b);
  assert_int_equal(access(path, F_OK), -1);

  /* a stale socket (its POS died without removing it) is replaced */
  fd = socket(AF_UNIX, SOCK_STREAM, 0);
  assert_int_equal(bind(fd, (struct sockaddr *)&sun, sizeof sun), 0);
  close(fd);
  assert_int_equal(access(path, F_OK), 0);
  la = proxlink_listen(&a, err, sizeof err);
  assert_true(la >= 0);
  proxlink_close(la, &a);
  assert_int_equal(access(path, F_OK), -1);
  rmdir(dir);
}

/* The link has no authentication: the POS listens on loopback only. */
static void listen_loopback_only(void **state)
{
  static const char *const refused[] = { "0.0.0.0:18631", ":::18631", "192.0.2.1:18631" };
  struct proxlink_addr a;
  char err[256];
  (void)state;
  for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
    if (proxlink_parse_addr(refused[i], &a, err, sizeof err) != 0)
      continue; /* refused already as an address */
    int fd = proxlink_listen(&a, err, sizeof err);
    if (fd >= 0)
      close(fd);
    assert_int_equal(fd, -1);
    assert_non_null(strstr(err, "loopback only"));
  }
  assert_int_equal(proxlink_parse_addr("0.0.0.0:18631", &a, err, sizeof err), 0);
  assert_int_equal(proxlink_listen(&a, err, sizeof err), -1);
  assert_int_equal(proxlink_parse_addr("127.0.0.1:18631", &a, err, sizeof err), 0);
  int fd = proxlink_listen(&a, err, sizeof err);
  assert_true(fd >= 0);
  proxlink_close(fd, &a);
}

static void money_and_time(void **state)
{
  char buf[48];
  time_t t;
  (void)state;
  assert_string_equal(money_format(3456, "JPY", buf, sizeof buf), "3,456");
  assert_string_equal(money_format(0, "JPY", buf, sizeof buf), "0");
  assert_string_equal(money_format(999, "JPY", buf, sizeof buf), "999");
  assert_string_equal(money_format(1000000, "JPY", buf, sizeof buf), "1,000,000");
  assert_string_equal(money_format(123456, "USD", buf, sizeof buf), "1,234.56");
  assert_string_equal(money_format(5, "EUR", buf, sizeof buf), "0.05");
  assert_string_equal(money_format(-1250, "GBP", buf, sizeof buf), "-12.50");
  assert_int_equal(currency_exponent("XXX"), -1);
  assert_int_equal(time_parse_rfc3339("2026-11-25T09:00:00Z", &t), 0);
  time_rfc3339(t, buf, sizeof buf);
  assert_string_equal(buf, "2026-11-25T09:00:00Z");
  assert_int_equal(time_parse_rfc3339("2026-11-25T09:00:00.123Z", &t), 0);
  assert_int_equal(time_parse_rfc3339("2026-11-25T09:00:00+09:00", &t), -1);
  assert_int_equal(time_parse_rfc3339("yesterday", &t), -1);
  assert_int_equal(time_parse_rfc3339(NULL, &t), -1);
}

static void env_file(void **state)
{
  char path[] = "/tmp/envfile-XXXXXX";
  (void)state;
  int fd = mkstemp(path);
  const char *text = "# comment\nPAYGW_URL='https://127.0.0.1:10443'\nexport PAYGW_CA=\"/x/ca.crt\"\nPAYGW_X=plain\n";
  assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
  close(fd);
  char *v = env_file_get(path, "PAYGW_URL");
  assert_string_equal(v, "https://127.0.0.1:10443");
  free(v);
  v = env_file_get(path, "PAYGW_CA");
  assert_string_equal(v, "/x/ca.crt");
  free(v);
  v = env_file_get(path, "PAYGW_X");
  assert_string_equal(v, "plain");
  free(v);
  assert_null(env_file_get(path, "PAYGW"));
  unlink(path);
}

/* A gateway down for many tries: one line when it goes, one when it comes
 * back, none in between or while it answers. */
static void reach_one_line_per_change(void **state)
{
  struct gw_reach r;
  char line[256];
  int lines = 0;
  (void)state;

  gw_reach_init(&r, 1, 8);
  assert_false(gw_reach_note(&r, true, 100, NULL, line, sizeof line));
  assert_true(gw_reach_note(&r, false, 101, "Couldn't connect to server", line, sizeof line));
  assert_string_equal(line, "Gateway not reachable: Couldn't connect to server. Trying again, waiting longer each "
                            "time (up to 8 s between tries).");
  for (time_t t = 102; t < 160; t++) {
    strcpy(line, "untouched");
    lines += gw_reach_note(&r, false, t, "Timeout was reached", line, sizeof line);
    assert_string_equal(line, "untouched");
  }
  assert_int_equal(lines, 0);
  assert_true(gw_reach_note(&r, true, 161, NULL, line, sizeof line));
  assert_string_equal(line, "Gateway reachable again after 60 s.");
  for (time_t t = 162; t < 170; t++)
    assert_false(gw_reach_note(&r, true, t, NULL, line, sizeof line));
  /* a second outage is a change again, timed from its own start */
  assert_true(gw_reach_note(&r, false, 200, NULL, line, sizeof line));
  assert_string_equal(line, "Gateway not reachable: no answer. Trying again, waiting longer each time (up to 8 s "
                            "between tries).");
  assert_false(gw_reach_note(&r, false, 203, "x", line, sizeof line));
  assert_true(gw_reach_note(&r, true, 205, NULL, line, sizeof line));
  assert_string_equal(line, "Gateway reachable again after 5 s.");
}

/* The wait between tries: none while it answers, then 1, 2, 4, 8 s and no
 * more; from the minimum again after an answer. */
static void reach_backoff(void **state)
{
  static const long want[] = { 1, 2, 4, 8, 8, 8, 8 };
  struct gw_reach r;
  char line[256];
  (void)state;

  gw_reach_init(&r, 1, 8);
  assert_int_equal(gw_reach_wait(&r), 0);
  for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
    gw_reach_note(&r, false, (time_t)i, "e", line, sizeof line);
    assert_int_equal(gw_reach_wait(&r), want[i]);
  }
  for (int i = 0; i < 1000; i++) /* no overflow however long it lasts */
    gw_reach_note(&r, false, 10, "e", line, sizeof line);
  assert_int_equal(gw_reach_wait(&r), 8);
  gw_reach_note(&r, true, 20, NULL, line, sizeof line);
  assert_int_equal(gw_reach_wait(&r), 0);
  gw_reach_note(&r, false, 30, "e", line, sizeof line);
  assert_int_equal(gw_reach_wait(&r), 1);

  gw_reach_init(&r, 0, 0); /* bounds are at least 1 s */
  gw_reach_note(&r, false, 1, "e", line, sizeof line);
  assert_int_equal(gw_reach_wait(&r), 1);
  gw_reach_init(&r, 3, 5); /* a maximum that is no power of two away */
  long waits[3];
  for (int i = 0; i < 3; i++) {
    gw_reach_note(&r, false, i, "e", line, sizeof line);
    waits[i] = gw_reach_wait(&r);
  }
  assert_int_equal(waits[0], 3);
  assert_int_equal(waits[1], 5);
  assert_int_equal(waits[2], 5);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(request_valid),
    cmocka_unit_test(request_refused),
    cmocka_unit_test(request_format_round_trip),
    cmocka_unit_test(reply_parsing),
    cmocka_unit_test(address_parsing),
    cmocka_unit_test(socket_exchange),
    cmocka_unit_test(socket_timeout_and_refusal),
    cmocka_unit_test(socket_busy_stale_and_ours),
    cmocka_unit_test(listen_loopback_only),
    cmocka_unit_test(money_and_time),
    cmocka_unit_test(env_file),
    cmocka_unit_test(reach_one_line_per_change),
    cmocka_unit_test(reach_backoff),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
