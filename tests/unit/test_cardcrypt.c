/* test_cardcrypt.c — the card key file as `paygw-admin keys rotate` changes
 * it: a rotation never leaves a file that does not load (no trailing line
 * break, the 33rd key), a data-key ID appears once, rotations wait for each
 * other's lock, and the replaced file keeps mode 0600 with no leftovers. */
#include "common/cardcrypt.h"

#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#define HEX_A "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
#define HEX_B "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100"

static char path[96];

static void write_file(const char *text)
{
  unlink(path);
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
  assert_true(fd >= 0);
  assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
  close(fd);
}

static char *read_file(void)
{
  static char buf[16384];
  int fd = open(path, O_RDONLY);
  assert_true(fd >= 0);
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  assert_true(n >= 0);
  buf[n] = '\0';
  return buf;
}

static int count_lines(const char *text, const char *prefix)
{
  int n = 0;
  for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
    n += strncmp(p, prefix, strlen(prefix)) == 0;
  return n;
}

static int setup(void **state)
{
  (void)state;
  snprintf(path, sizeof path, "/tmp/paygw-test-cardcrypt-%d.keys", (int)getpid());
  return 0;
}

static int teardown(void **state)
{
  char other[128];
  (void)state;
  unlink(path);
  snprintf(other, sizeof other, "%s.lock", path);
  unlink(other);
  snprintf(other, sizeof other, "%s.tmp", path);
  unlink(other);
  return 0;
}

/* Appending in place glued the new key to a last line without a line
 * break, and the file no longer loaded. */
static void rotation_after_a_last_line_without_line_break(void **state)
{
  char err[300];
  (void)state;
  write_file("data-key 1 " HEX_A "\nlookup-key " HEX_B); /* no final \n */
  assert_int_equal(cardkeys_load(path, err, sizeof err), 0);
  assert_int_equal(cardkeys_add_data_key(path, err, sizeof err), 2);
  assert_int_equal(cardkeys_current_id(), 2);
  const char *text = read_file();
  assert_non_null(strstr(text, "\nlookup-key " HEX_B "\ndata-key 2 "));
  assert_int_equal(count_lines(text, "data-key "), 2);
  assert_int_equal(cardkeys_load(path, err, sizeof err), 0);
  assert_int_equal(cardkeys_current_id(), 2);
}

/* 32 data keys is the most a file may hold: the 33rd is refused before the
 * file is touched, so it still loads and still says the same. */
static void the_33rd_key_is_refused_with_the_file_unchanged(void **state)
{
  char err[300], text[8192];
  int n = snprintf(text, sizeof text, "lookup-key " HEX_B "\n");
  (void)state;
  for (int id = 1; id <= 32; id++)
    n += snprintf(text + n, sizeof text - (size_t)n, "data-key %d " HEX_A "\n", id);
  write_file(text);
  assert_int_equal(cardkeys_load(path, err, sizeof err), 0);
  assert_int_equal(cardkeys_current_id(), 32);
  err[0] = '\0';
  assert_int_equal(cardkeys_add_data_key(path, err, sizeof err), -1);
  assert_non_null(strstr(err, "32 data keys"));
  assert_null(strstr(err, HEX_A));
  assert_string_equal(read_file(), text);
  assert_int_equal(cardkeys_load(path, err, sizeof err), 0);
  assert_int_equal(cardkeys_current_id(), 32);

  /* one key fewer: the 32nd is still welcome */
  char *cut = strstr(text, "data-key 32 ");
  *cut = '\0';
  unlink(path);
  write_file(text);
  assert_int_equal(cardkeys_add_data_key(path, err, sizeof err), 32);
}

/* find_key took the first of two keys with one ID, card_encrypt the last:
 * rows written under that ID could not be read back. */
static void a_repeated_data_key_id_is_refused(void **state)
{
  char err[300];
  (void)state;
  write_file("data-key 1 " HEX_A "\ndata-key 1 " HEX_B "\nlookup-key " HEX_B "\n");
  assert_int_equal(cardkeys_load(path, err, sizeof err), -1);
  assert_non_null(strstr(err, "line 2 repeats a data-key ID"));
  assert_int_equal(cardkeys_current_id(), 0);
  assert_int_equal(cardkeys_add_data_key(path, err, sizeof err), -1); /* rotation refuses it too */
  assert_int_equal(count_lines(read_file(), "data-key "), 2);

  write_file("data-key 1 " HEX_A "\nlookup-key " HEX_B "\nlookup-key " HEX_A "\n");
  assert_int_equal(cardkeys_load(path, err, sizeof err), -1);
  assert_non_null(strstr(err, "line 3 repeats the lookup-key"));
  write_file("data-key 1 " HEX_A " trailing\nlookup-key " HEX_B "\n");
  assert_int_equal(cardkeys_load(path, err, sizeof err), -1);
  assert_non_null(strstr(err, "line 1 is malformed"));
}

static bool child_done(pid_t pid, int *status)
{
  return waitpid(pid, status, WNOHANG) == pid;
}

/* A rotation waits while another holds the lock, and two rotations at once
 * make two keys with two IDs (not one ID twice). */
static void rotations_take_the_lock(void **state)
{
  char err[300], lock_path[128];
  int status;
  (void)state;
  write_file("data-key 1 " HEX_A "\nlookup-key " HEX_B "\n");
  snprintf(lock_path, sizeof lock_path, "%s.lock", path);
  int lock = open(lock_path, O_RDWR | O_CREAT, 0600);
  assert_true(lock >= 0);
  assert_int_equal(flock(lock, LOCK_EX), 0);

  pid_t kids[2];
  for (int i = 0; i < 2; i++) {
    kids[i] = fork();
    assert_true(kids[i] >= 0);
    if (kids[i] == 0)
      _exit(cardkeys_add_data_key(path, err, sizeof err) > 0 ? 0 : 1);
  }
  usleep(400 * 1000);
  assert_false(child_done(kids[0], &status));
  assert_false(child_done(kids[1], &status));
  assert_int_equal(count_lines(read_file(), "data-key "), 1); /* nothing written yet */
  flock(lock, LOCK_UN);
  close(lock);
  for (int i = 0; i < 2; i++) {
    assert_int_equal(waitpid(kids[i], &status, 0), kids[i]);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  const char *text = read_file();
  assert_int_equal(count_lines(text, "data-key "), 3);
  assert_non_null(strstr(text, "\ndata-key 2 "));
  assert_non_null(strstr(text, "\ndata-key 3 "));
  assert_int_equal(cardkeys_load(path, err, sizeof err), 0);
  assert_int_equal(cardkeys_current_id(), 3);
}

static void the_replaced_file_stays_private_and_whole(void **state)
{
  char err[300], tmp[128];
  struct stat before, after;
  (void)state;
  unlink(path);
  assert_int_equal(cardkeys_create(path, err, sizeof err), 0);
  assert_int_equal(stat(path, &before), 0);
  assert_int_equal(cardkeys_add_data_key(path, err, sizeof err), 2);
  assert_int_equal(stat(path, &after), 0);
  assert_int_equal(after.st_mode & 0777, 0600);
  assert_int_equal(after.st_uid, before.st_uid);
  assert_true(after.st_ino != before.st_ino); /* replaced, not appended to */
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  assert_int_equal(access(tmp, F_OK), -1);
  /* a file others may read is refused before anything is written */
  chmod(path, 0640);
  assert_int_equal(cardkeys_add_data_key(path, err, sizeof err), -1);
  assert_non_null(strstr(err, "chmod 600"));
  chmod(path, 0600);
  assert_int_equal(count_lines(read_file(), "data-key "), 2);
}

/* A secret sealed with cardkeys_seal (a merchant's webhook secret) opens
 * with its key and associated data only, and under an older key after a
 * rotation: a copy bound to another row, or a changed byte, does not. */
static void a_sealed_secret_opens_only_where_it_was_bound(void **state)
{
  const unsigned char secret[32] = "0123456789abcdef0123456789abcdef";
  const unsigned char aad[] = "merchant-7", other[] = "merchant-8";
  unsigned char blob[CARDCRYPT_SEAL_MAX + 32], out[CARDCRYPT_SEAL_MAX + 1];
  size_t blob_len, out_len;
  int key_id;
  char err[300];
  (void)state;
  write_file("data-key 1 " HEX_A "\nlookup-key " HEX_B "\n");
  assert_int_equal(cardkeys_load(path, err, sizeof err), 0);
  assert_int_equal(cardkeys_seal(secret, sizeof secret, aad, sizeof aad, blob, &blob_len, &key_id), 0);
  assert_int_equal(key_id, 1);
  assert_int_equal(blob_len, sizeof secret + CARDCRYPT_IV_LEN + CARDCRYPT_TAG_LEN);
  assert_memory_not_equal(blob + CARDCRYPT_IV_LEN, secret, sizeof secret);
  assert_int_equal(cardkeys_open(1, aad, sizeof aad, blob, blob_len, out, sizeof out, &out_len), 0);
  assert_int_equal(out_len, sizeof secret);
  assert_memory_equal(out, secret, sizeof secret);
  assert_int_equal(cardkeys_open(1, other, sizeof other, blob, blob_len, out, sizeof out, &out_len), -1);
  assert_int_equal(cardkeys_open(2, aad, sizeof aad, blob, blob_len, out, sizeof out, &out_len), -1);
  blob[CARDCRYPT_IV_LEN] ^= 1;
  assert_int_equal(cardkeys_open(1, aad, sizeof aad, blob, blob_len, out, sizeof out, &out_len), -1);
  blob[CARDCRYPT_IV_LEN] ^= 1;
  /* a rotation: new secrets under key 2, the old one still opens */
  assert_int_equal(cardkeys_add_data_key(path, err, sizeof err), 2);
  assert_int_equal(cardkeys_open(1, aad, sizeof aad, blob, blob_len, out, sizeof out, &out_len), 0);
  assert_int_equal(cardkeys_seal(secret, sizeof secret, aad, sizeof aad, blob, &blob_len, &key_id), 0);
  assert_int_equal(key_id, 2);
  assert_int_equal(cardkeys_seal(secret, 0, aad, sizeof aad, blob, &blob_len, &key_id), -1);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(rotation_after_a_last_line_without_line_break, setup, teardown),
    cmocka_unit_test_setup_teardown(the_33rd_key_is_refused_with_the_file_unchanged, setup, teardown),
    cmocka_unit_test_setup_teardown(a_repeated_data_key_id_is_refused, setup, teardown),
    cmocka_unit_test_setup_teardown(rotations_take_the_lock, setup, teardown),
    cmocka_unit_test_setup_teardown(the_replaced_file_stays_private_and_whole, setup, teardown),
    cmocka_unit_test_setup_teardown(a_sealed_secret_opens_only_where_it_was_bound, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
