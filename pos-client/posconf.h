/* posconf.h — the POS terminal's settings: gateway URL, CA, terminal
 * credential, shop name, proximity-link address, journal, time-outs.  From
 * the command line, a key=value config file, the environment, and
 * var/stack.env, in that order (docs/pos.md). */
#ifndef PAYGW_POS_CONF_H
#define PAYGW_POS_CONF_H

#include <stdbool.h>
#include <stddef.h>

struct pos_config {
  char gateway_url[512];
  char ca[4096];
  char terminal[256]; /* the credential: pos-<merchant>.<secret> */
  char merchant[32];  /* finds PAYGW_TERMINAL_<merchant> when no terminal is given */
  char shop[128];
  char listen[256];
  char journal[4096];
  char currency[4];
  long link_timeout_s;   /* wait for the handset's user ID: 120 */
  long wait_timeout_s;   /* wait for the payment to end: 600 */
  char config_dir[2048]; /* the config file's folder, "" when none */
  /* token sales: the credit server, straight (ISO 8583 under mutual TLS) */
  char credit_addr[256];        /* HOST:PORT */
  char credit_ca[4096];         /* the CA its certificate chains to */
  char credit_server_name[256]; /* the name its certificate carries ("" : the host of credit_addr) */
  char credit_cert[4096];       /* this merchant's client certificate (SAN DNS:merchant-<CODE>) */
  char credit_key[4096];        /* and its key (mode 0600) */
  long credit_timeout_s;        /* wait for a 0110 or 0410: 5 */
  bool credit_only;             /* token-void: no gateway, no credential needed */
};

void posconf_defaults(struct pos_config *c);

/* Reads a key=value file (keys in docs/pos.md; '#' comments).  A file that
 * holds a terminal credential must be mode 0600.  Returns 0 or -1 with err. */
int posconf_load_file(struct pos_config *c, const char *path, char *err, size_t errlen);

/* Sets one key as in the file.  Returns 0 or -1 with err. */
int posconf_set(struct pos_config *c, const char *key, const char *value, char *err, size_t errlen);

/* Fills what is still empty from the environment, var/stack.env and the
 * demo terminals file; then checks that gateway, CA and credential are
 * known (unless credit_only).  Returns 0 or -1 with err. */
int posconf_finish(struct pos_config *c, char *err, size_t errlen);

/* Checks that the credit server's settings a token sale needs are known.
 * Returns 0 or -1 with err. */
int posconf_credit_check(const struct pos_config *c, char *err, size_t errlen);

#endif
