/* main.c — shop.fcgi: one worker of the demo online shop ([0117]-[0119],
 * docs/shop.md).  Loads its templates, opens its database connection
 * (role paygw_shop, schema shop), then serves FastCGI requests in lib/web's
 * worker loop (lib/web/worker.c) until SIGTERM/SIGUSR1, finishing the
 * request in hand.
 *   shop.fcgi --set-owner-password   reads a password on standard input and
 *                                    stores its argon2id hash (the demo set-up)
 * Configuration: environment variables, docs/config.md. */
#include "shop/db/shop_db.h"
#include "shop/gateway_client.h"
#include "shop/request.h"
#include "shop/router.h"
#include "shop/settings.h"
#include "common/config.h"
#include "common/log.h"
#include "common/money_text.h"
#include "common/pwhash.h"
#include "tmpl/tmpl.h"
#include "web/worker.h"

#include <openssl/crypto.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

/* make gives the installed folder, $(pkgdatadir)/templates/shop (cgi/shop/local.mk) */
#ifndef SHOP_TEMPLATE_DIR
#define SHOP_TEMPLATE_DIR "cgi/shop/templates"
#endif

static struct db *open_db(void)
{
  return db_open(config_str("PAYGW_SHOP_DB_URI", "postgresql:///paygw"), "shop.fcgi");
}

/* --set-owner-password: the password from standard input (one line). */
static int set_owner_password(void)
{
  char password[512], hash[PWHASH_ENCODED_MAX];

  if (!fgets(password, sizeof password, stdin)) {
    fprintf(stderr, "shop.fcgi: no password on standard input\n");
    return 2;
  }
  password[strcspn(password, "\r\n")] = '\0';
  if (strlen(password) < 12) {
    fprintf(stderr, "shop.fcgi: the owner password must have at least 12 characters\n");
    return 2;
  }
  int rc = pwhash_make(password, hash);
  OPENSSL_cleanse(password, sizeof password);
  if (rc != 0) {
    fprintf(stderr, "shop.fcgi: cannot hash the password\n");
    return 1;
  }
  struct db *db = open_db();
  if (!db || db_owner_hash_set(db, hash) < 0) {
    fprintf(stderr, "shop.fcgi: cannot store the owner password: %s\n", db ? db_error(db) : "no database");
    db_close(db);
    return 1;
  }
  db_close(db);
  printf("owner password set\n");
  return 0;
}

int main(int argc, char **argv)
{
  char err[256];

  log_init("shop");
  shop_settings_load();
  if (argc == 2 && strcmp(argv[1], "--set-owner-password") == 0)
    return set_owner_password();
  if (argc != 1) {
    fprintf(stderr, "usage: shop.fcgi [--set-owner-password]\n");
    return 2;
  }
  signal(SIGPIPE, SIG_IGN);
  /* a currency the gateway does not take could show no price and be paid never */
  if (!currency_by_alpha(shop_settings.currency)) {
    log_msg(LOG_ERROR, "PAYGW_SHOP_CURRENCY=%s is not a currency the gateway takes (JPY, USD, EUR, GBP)",
            shop_settings.currency);
    return 1;
  }
  struct tmpl_set *templates = tmpl_load_dir(config_str("PAYGW_SHOP_TEMPLATE_DIR", SHOP_TEMPLATE_DIR), err, sizeof err);
  if (!templates) {
    log_msg(LOG_ERROR, "cannot load the templates: %s", err);
    return 1;
  }
  struct db *db = open_db();
  if (!db) {
    log_msg(LOG_ERROR, "cannot initialise the shop worker");
    return 1;
  }
  struct shop_request rq = { .db = db, .templates = templates };
  struct web_worker worker = { .name = "shop", .rq = &rq.web, .handle = router_dispatch, .reset = request_reset };
  int rc = web_worker_run(&worker);
  gw_cleanup();
  db_close(db);
  tmpl_free(templates);
  return rc;
}
