/* posconf.c — the POS terminal's settings (posconf.h). */
#include "pos-client/posconf.h"
#include "proxlink/clientutil.h"

#include <errno.h>
#include <stddef.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void posconf_defaults(struct pos_config *c)
{
  memset(c, 0, sizeof *c);
  snprintf(c->currency, sizeof c->currency, "JPY");
  c->link_timeout_s = 120;
  c->wait_timeout_s = 600;
  c->credit_timeout_s = 5;
}

static int set_long(long *dst, const char *value, long min, long max, const char *key, char *err, size_t errlen)
{
  char *end;
  long v = strtol(value, &end, 10);
  if (!*value || *end || v < min || v > max) {
    snprintf(err, errlen, "%s must be %ld-%ld, got '%.20s'", key, min, max, value);
    return -1;
  }
  *dst = v;
  return 0;
}

#define SET(field) (snprintf(c->field, sizeof c->field, "%s", value) < (int)sizeof c->field ? 0 : -1)

int posconf_set(struct pos_config *c, const char *key, const char *value, char *err, size_t errlen)
{
  int rc = 0;

  if (strcmp(key, "gateway_url") == 0)
    rc = SET(gateway_url);
  else if (strcmp(key, "ca") == 0)
    rc = SET(ca);
  else if (strcmp(key, "terminal") == 0)
    rc = SET(terminal);
  else if (strcmp(key, "merchant") == 0)
    rc = SET(merchant);
  else if (strcmp(key, "shop") == 0)
    rc = SET(shop);
  else if (strcmp(key, "listen") == 0)
    rc = SET(listen);
  else if (strcmp(key, "journal") == 0)
    rc = SET(journal);
  else if (strcmp(key, "currency") == 0)
    rc = SET(currency);
  else if (strcmp(key, "credit_addr") == 0)
    rc = SET(credit_addr);
  else if (strcmp(key, "credit_ca") == 0)
    rc = SET(credit_ca);
  else if (strcmp(key, "credit_server_name") == 0)
    rc = SET(credit_server_name);
  else if (strcmp(key, "credit_cert") == 0)
    rc = SET(credit_cert);
  else if (strcmp(key, "credit_key") == 0)
    rc = SET(credit_key);
  else if (strcmp(key, "credit_timeout") == 0)
    return set_long(&c->credit_timeout_s, value, 1, 600, key, err, errlen);
  else if (strcmp(key, "link_timeout") == 0)
    return set_long(&c->link_timeout_s, value, 1, 3600, key, err, errlen);
  else if (strcmp(key, "wait_timeout") == 0)
    return set_long(&c->wait_timeout_s, value, 1, 86400, key, err, errlen);
  else {
    snprintf(err, errlen, "unknown setting '%.40s'", key);
    return -1;
  }
  if (rc != 0)
    snprintf(err, errlen, "%s is too long", key);
  return rc;
}

int posconf_load_file(struct pos_config *c, const char *path, char *err, size_t errlen)
{
  FILE *f = fopen(path, "r");
  char line[4352], why[256], copy[4096];
  struct stat st;
  int n = 0, rc = 0;

  if (!f) {
    snprintf(err, errlen, "cannot read the config %s: %s", path, strerror(errno));
    return -1;
  }
  while (rc == 0 && fgets(line, sizeof line, f)) {
    n++;
    char *p = text_line_content(line);
    if (!p)
      continue;
    char *eq = strchr(p, '=');
    if (!eq) {
      snprintf(err, errlen, "%s:%d: expected key=value", path, n);
      rc = -1;
      break;
    }
    *eq = '\0';
    for (char *e = eq - 1; e >= p && (*e == ' ' || *e == '\t'); e--)
      *e = '\0';
    char *value = eq + 1;
    while (*value == ' ' || *value == '\t')
      value++;
    if (posconf_set(c, p, value, why, sizeof why) != 0) {
      snprintf(err, errlen, "%s:%d: %s", path, n, why);
      rc = -1;
    }
  }
  if (rc == 0 && c->terminal[0] && fstat(fileno(f), &st) == 0 && (st.st_mode & 077) != 0) {
    snprintf(err, errlen, "the config %s holds the terminal credential and must be mode 0600 (run: chmod 600 %s)", path,
             path);
    rc = -1;
  }
  fclose(f);
  snprintf(copy, sizeof copy, "%s", path);
  snprintf(c->config_dir, sizeof c->config_dir, "%s", dirname(copy));
  return rc;
}

static void fill(char *dst, size_t len, const char *value)
{
  if (!dst[0] && value && *value)
    snprintf(dst, len, "%s", value);
}

/* var/stack.env: $PAYGW_STACK_ENV, else ./var/stack.env. */
static char *stack_env(const char *key)
{
  const char *path = getenv("PAYGW_STACK_ENV");
  return env_file_get(path && *path ? path : "var/stack.env", key);
}

static void fill_from_stack(char *dst, size_t len, const char *key)
{
  if (dst[0])
    return;
  char *v = stack_env(key);
  fill(dst, len, v);
  free(v);
}

/* PAYGW_TERMINAL_<merchant> from the environment or the demo's terminals.env. */
static void terminal_of_merchant(struct pos_config *c)
{
  char key[64], path[4200];

  if (c->terminal[0] || !c->merchant[0])
    return;
  snprintf(key, sizeof key, "PAYGW_TERMINAL_%s", c->merchant);
  fill(c->terminal, sizeof c->terminal, getenv(key));
  if (c->terminal[0])
    return;
  const char *var = getenv("PAYGW_VAR");
  char *stack_var = var && *var ? NULL : stack_env("PAYGW_VAR");
  snprintf(path, sizeof path, "%s/demo/terminals.env", var && *var ? var : stack_var ? stack_var : "var");
  free(stack_var);
  char *v = env_file_get(path, key);
  fill(c->terminal, sizeof c->terminal, v);
  free(v);
}

int posconf_finish(struct pos_config *c, char *err, size_t errlen)
{
  fill(c->gateway_url, sizeof c->gateway_url, getenv("PAYGW_URL"));
  fill(c->ca, sizeof c->ca, getenv("PAYGW_CA"));
  fill(c->terminal, sizeof c->terminal, getenv("PAYGW_TERMINAL"));
  fill(c->listen, sizeof c->listen, getenv("PAYGW_LINK"));
  fill(c->shop, sizeof c->shop, getenv("PAYGW_POS_SHOP"));
  fill(c->journal, sizeof c->journal, getenv("PAYGW_POS_JOURNAL"));
  fill_from_stack(c->gateway_url, sizeof c->gateway_url, "PAYGW_URL");
  fill_from_stack(c->ca, sizeof c->ca, "PAYGW_CA");
  terminal_of_merchant(c);
  static const struct {
    size_t offset, len;
    const char *env;
  } credit[] = {
    { offsetof(struct pos_config, credit_addr), sizeof c->credit_addr, "PAYGW_CREDIT_ADDR" },
    { offsetof(struct pos_config, credit_ca), sizeof c->credit_ca, "PAYGW_CREDIT_CA" },
    { offsetof(struct pos_config, credit_server_name), sizeof c->credit_server_name, "PAYGW_CREDIT_SERVER_NAME" },
    { offsetof(struct pos_config, credit_cert), sizeof c->credit_cert, "PAYGW_POS_CREDIT_CERT" },
    { offsetof(struct pos_config, credit_key), sizeof c->credit_key, "PAYGW_POS_CREDIT_KEY" },
  };
  for (size_t i = 0; i < sizeof credit / sizeof credit[0]; i++) {
    char *dst = (char *)c + credit[i].offset;
    fill(dst, credit[i].len, getenv(credit[i].env));
    fill_from_stack(dst, credit[i].len, credit[i].env);
  }
  if (!c->journal[0]) {
    const char *var = getenv("PAYGW_VAR");
    if (c->config_dir[0])
      snprintf(c->journal, sizeof c->journal, "%s/pos-journal.log", c->config_dir);
    else
      snprintf(c->journal, sizeof c->journal, "%s/pos-journal.log", var && *var ? var : "var");
  }
  if (!c->listen[0])
    snprintf(c->listen, sizeof c->listen, "127.0.0.1:8600");
  if (c->credit_only)
    return 0;
  if (!c->gateway_url[0] || !c->ca[0]) {
    snprintf(err, errlen,
             "no gateway: set gateway_url and ca in --config, or PAYGW_URL and PAYGW_CA "
             "(. var/stack.env)");
    return -1;
  }
  if (!c->terminal[0]) {
    snprintf(err, errlen,
             "no terminal credential: set terminal= in --config, PAYGW_TERMINAL, or --merchant CODE "
             "with PAYGW_TERMINAL_<CODE> (var/demo/terminals.env)");
    return -1;
  }
  if (!c->shop[0]) {
    /* Only a label for the display until the gateway names the shop: the
     * merchant code when known, else the terminal code (the credential's
     * part before the dot), which says nothing about the merchant. */
    const char *dot = strchr(c->terminal, '.');
    if (c->merchant[0])
      snprintf(c->shop, sizeof c->shop, "Merchant %s", c->merchant);
    else
      snprintf(c->shop, sizeof c->shop, "Terminal %.*s", dot ? (int)(dot - c->terminal) : 0, c->terminal);
  }
  return 0;
}

int posconf_credit_check(const struct pos_config *c, char *err, size_t errlen)
{
  if (!c->credit_addr[0] || !c->credit_ca[0] || !c->credit_cert[0] || !c->credit_key[0]) {
    snprintf(err, errlen,
             "no credit server: set credit_addr, credit_ca, credit_cert and credit_key in --config, or "
             "PAYGW_CREDIT_ADDR, PAYGW_CREDIT_CA, PAYGW_POS_CREDIT_CERT and PAYGW_POS_CREDIT_KEY (. var/stack.env)");
    return -1;
  }
  return 0;
}
