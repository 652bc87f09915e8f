/* clientutil.c — helpers shared by the handset and the POS (clientutil.h). */
#include "proxlink/clientutil.h"
#include "common/b64url.h"
#include "common/money_text.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *money_format(int64_t minor, const char *currency, char *buf, size_t len)
{
  money_text_display(minor, currency, buf, len);
  return buf;
}

void time_rfc3339(time_t t, char *buf, size_t len)
{
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int time_parse_rfc3339(const char *s, time_t *out)
{
  struct tm tm = { 0 };
  const char *rest;

  if (!s || !(rest = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm)))
    return -1;
  if (*rest == '.') {
    rest++;
    if (*rest < '0' || *rest > '9')
      return -1;
    while (*rest >= '0' && *rest <= '9')
      rest++;
  }
  if (strcmp(rest, "Z") != 0)
    return -1;
  *out = timegm(&tm);
  return 0;
}

int random_token(size_t bytes, char *out, size_t outlen)
{
  unsigned char raw[64];

  if (bytes > sizeof raw || b64url_encoded_len(bytes) + 1 > outlen || RAND_bytes(raw, (int)bytes) != 1)
    return -1;
  b64url_encode(raw, bytes, out);
  return 0;
}

char *read_file_all(const char *path, size_t max, size_t *len)
{
  FILE *f = fopen(path, "rb");
  char *data = NULL;
  size_t n = 0;

  if (!f)
    return NULL;
  data = malloc(max + 1);
  if (data)
    n = fread(data, 1, max + 1, f);
  int failed = !data || ferror(f);
  fclose(f);
  if (failed || n > max) {
    free(data);
    errno = failed ? EIO : EFBIG;
    return NULL;
  }
  data[n] = '\0';
  if (len)
    *len = n;
  return data;
}

int write_file_atomic(const char *path, const char *text, size_t len)
{
  char tmp[4200];
  int fd, saved;

  if (snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof tmp) {
    errno = ENAMETOOLONG;
    return -1;
  }
  fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    return -1;
  while (len > 0) {
    ssize_t w = write(fd, text, len);
    if (w <= 0)
      goto fail;
    text += w;
    len -= (size_t)w;
  }
  if (fchmod(fd, 0600) != 0 || fsync(fd) != 0)
    goto fail;
  if (close(fd) != 0) {
    fd = -1;
    goto fail;
  }
  fd = -1;
  if (rename(tmp, path) != 0)
    goto fail;
  return 0;
fail:
  saved = errno;
  if (fd >= 0)
    close(fd);
  unlink(tmp);
  errno = saved;
  return -1;
}

char *env_file_get(const char *path, const char *key)
{
  FILE *f = fopen(path, "r");
  char line[4096];
  size_t klen = strlen(key);
  char *value = NULL;

  if (!f)
    return NULL;
  while (!value && fgets(line, sizeof line, f)) {
    char *p = line;
    if (strncmp(p, "export ", 7) == 0)
      p += 7;
    if (strncmp(p, key, klen) != 0 || p[klen] != '=')
      continue;
    p += klen + 1;
    p[strcspn(p, "\r\n")] = '\0';
    size_t n = strlen(p);
    if (n >= 2 && (p[0] == '\'' || p[0] == '"') && p[n - 1] == p[0]) {
      p[n - 1] = '\0';
      p++;
    }
    value = strdup(p);
  }
  fclose(f);
  return value;
}

char *text_line_content(char *line)
{
  line[strcspn(line, "\r\n")] = '\0';
  while (*line == ' ' || *line == '\t')
    line++;
  return (*line && *line != '#') ? line : NULL;
}
