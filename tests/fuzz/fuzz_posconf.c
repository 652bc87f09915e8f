/* fuzz_posconf.c — libFuzzer harness: the POS terminal's config file
 * (key=value lines, docs/pos.md) as posconf_load_file reads it, then
 * posconf_finish with an environment that supplies nothing, and the same
 * text read as var/stack.env (env_file_get, which the POS reads for the
 * gateway's address).  The file is an in-memory file of mode 0600
 * (memfd), so nothing touches the disk.  A config accepted holds settings
 * within their bounds, each one a line of the file; one refused says why.
 * Seeds: tests/fuzz/corpus/posconf/. */
#include "pos-client/posconf.h"
#include "proxlink/clientutil.h"

#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fd = -1;
static char path[64];

static void once(void)
{
  /* nothing from the environment may fill what the file leaves empty */
  const char *vars[] = { "PAYGW_URL",      "PAYGW_CA",          "PAYGW_TERMINAL", "PAYGW_LINK",
                         "PAYGW_POS_SHOP", "PAYGW_POS_JOURNAL", "PAYGW_VAR" };
  for (size_t i = 0; i < sizeof vars / sizeof *vars; i++)
    unsetenv(vars[i]);
  setenv("PAYGW_STACK_ENV", "/nonexistent/stack.env", 1);
  /* without PAYGW_VAR the demo's var/demo/terminals.env of the current
   * directory would fill the credential: a checkout with a demo stack */
  setenv("PAYGW_VAR", "/nonexistent", 1);
  fd = memfd_create("posconf", 0);
  if (fd < 0 || fchmod(fd, 0600) != 0)
    abort();
  snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
}

/* A setting's value is a line of the file: "key=value", spaces around the
 * '=' allowed. */
static bool from_a_line(const char *text, const char *key, const char *value)
{
  for (const char *line = text; line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
    const char *p = line + strspn(line, " \t");
    size_t k = strlen(key);
    if (strncmp(p, key, k) != 0)
      continue;
    p += k;
    p += strspn(p, " \t");
    if (*p++ != '=')
      continue;
    p += strspn(p, " \t");
    size_t v = strlen(value);
    if (strncmp(p, value, v) == 0 && (p[v] == '\n' || p[v] == '\r' || p[v] == '\0'))
      return true;
  }
  return false;
}

static void check_accepted(const struct pos_config *c, const char *text)
{
  const struct {
    const char *key;
    const char *value;
    size_t cap;
  } s[] = {
    { "gateway_url", c->gateway_url, sizeof c->gateway_url },
    { "ca", c->ca, sizeof c->ca },
    { "terminal", c->terminal, sizeof c->terminal },
    { "merchant", c->merchant, sizeof c->merchant },
    { "shop", c->shop, sizeof c->shop },
    { "listen", c->listen, sizeof c->listen },
  };
  if (c->link_timeout_s < 1 || c->link_timeout_s > 3600 || c->wait_timeout_s < 1 || c->wait_timeout_s > 86400
      || strnlen(c->currency, sizeof c->currency) == sizeof c->currency)
    abort();
  for (size_t i = 0; i < sizeof s / sizeof *s; i++) {
    if (strnlen(s[i].value, s[i].cap) == s[i].cap)
      abort(); /* not NUL-terminated */
    /* shop and listen have defaults of their own; the rest come from the file */
    if (s[i].value[0] && !from_a_line(text, s[i].key, s[i].value) && strcmp(s[i].key, "shop") != 0
        && strcmp(s[i].key, "listen") != 0)
      abort(); /* a setting no line of the file holds */
  }
}

/* var/stack.env's reader: what it returns for a key is on a line of the
 * file as KEY=value, KEY='value' or KEY="value", "export " before it or not. */
static void check_env_file(const char *text)
{
  char *v = env_file_get(path, "PAYGW_URL");
  if (!v)
    return;
  char line[3][4200];
  snprintf(line[0], sizeof line[0], "PAYGW_URL=%s", v);
  snprintf(line[1], sizeof line[1], "PAYGW_URL='%s'", v);
  snprintf(line[2], sizeof line[2], "PAYGW_URL=\"%s\"", v);
  bool found = false;
  for (const char *l = text; l && !found; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
    const char *p = strncmp(l, "export ", 7) == 0 ? l + 7 : l;
    for (int i = 0; i < 3 && !found; i++) {
      size_t n = strlen(line[i]);
      found = strncmp(p, line[i], n) == 0 && (p[n] == '\n' || p[n] == '\r' || p[n] == '\0');
    }
  }
  if (!found)
    abort(); /* a value no line of the file holds */
  free(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct pos_config *c = malloc(sizeof *c);
  char err[512] = "";

  if (fd < 0)
    once();
  if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
    abort();
  /* the text as the line readers see it: a NUL ends what is read of a
   * line, as a line break would */
  char *text = malloc(size + 1);
  for (size_t i = 0; i < size; i++)
    text[i] = data[i] ? (char)data[i] : '\n';
  text[size] = '\0';

  posconf_defaults(c);
  if (posconf_load_file(c, path, err, sizeof err) != 0) {
    if (!err[0])
      abort(); /* a refusal says why */
  } else if (posconf_finish(c, err, sizeof err) == 0) {
    check_accepted(c, text);
  } else if (!err[0]) {
    abort();
  }
  check_env_file(text);
  free(text);
  free(c);
  return 0;
}
