/* fuzz_proxlink.c — libFuzzer harness: the proximity link's messages
 * (docs/proximity-link.md).  The input, cut at its first NUL as the line
 * buffer would be, is read as the handset's request line by the POS
 * (proxlink_parse_request), as the POS's answer by the handset
 * (proxlink_parse_reply) and as a link address (proxlink_parse_addr).  A
 * request accepted must be exactly the line proxlink_format_request makes
 * for its user ID (give or take the CR LF); an answer's reason fits its
 * buffer; an address accepted is a socket path or a host and a port
 * 1-65535.  Seeds: tests/fuzz/corpus/proxlink/. */
#include "proxlink/proxlink.h"

#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_request(const char *line)
{
  char user[PROXLINK_USER_MAX + 1], again[PROXLINK_LINE_MAX + 1];
  const char *reason = NULL;

  if (proxlink_parse_request(line, user, &reason) != 0) {
    if (!reason || !*reason)
      abort(); /* the POS answers ERR <reason> */
    return;
  }
  if (reason || !proxlink_user_id_ok(user) || proxlink_format_request(user, again, sizeof again) != 0)
    abort();
  size_t n = strlen(line);
  if (n > 0 && line[n - 1] == '\n')
    n--;
  if (n > 0 && line[n - 1] == '\r')
    n--;
  if (n != strlen(again) - 1 || strncmp(line, again, n) != 0)
    abort(); /* accepted a line other than the protocol's */
}

static void check_reply(const char *line, size_t reason_len)
{
  char *reason = malloc(reason_len);
  int rc = proxlink_parse_reply(line, reason, reason_len);

  if (rc == 0 && strncmp(line, "OK", 2) != 0)
    abort();
  if (rc != 0 && strnlen(reason, reason_len) == reason_len)
    abort(); /* not NUL-terminated within its buffer */
  free(reason);
}

static void check_addr(const char *text)
{
  struct proxlink_addr a;
  char err[160];

  if (proxlink_parse_addr(text, &a, err, sizeof err) != 0)
    return;
  if (a.is_unix) {
    if (strcmp(a.path, text) != 0)
      abort();
    return;
  }
  long port = strtol(a.port, NULL, 10);
  if (!a.host[0] || port < 1 || port > 65535 || strncmp(text, a.host, strlen(a.host)) != 0)
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  size_t n = strnlen((const char *)data, size);
  char *line = malloc(n + 1); /* its own size: a read past it is seen */

  memcpy(line, data, n);
  line[n] = '\0';
  check_request(line);
  check_reply(line, 1 + (size % 97));
  check_addr(line);
  free(line);
  return 0;
}
