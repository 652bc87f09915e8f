/* main.c — shop.fcgi: one worker of the demo online shop ([0117]-[0119],
 * docs/shop.md).  Loads its templates, opens its database connection
 * (role paygw_shop, schema shop), then serves FastCGI requests one at a
 * time on the socket spawn-fcgi gave it (fd 0) until SIGTERM/SIGUSR1,
 * finishing the request in hand.
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
#include "common/pwhash.h"
#include "common/utf8.h"
#include "tmpl/tmpl.h"

#include <fcgiapp.h>
#include <openssl/crypto.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef SHOP_TEMPLATE_DIR
#define SHOP_TEMPLATE_DIR "cgi/shop/templates"
#endif

static volatile sig_atomic_t stopping;

static void on_stop(int sig)
{
  (void)sig;
  stopping = 1;
  FCGX_ShutdownPending();
}

static double elapsed_ms(const struct timespec *since)
{
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (double)(now.tv_sec - since->tv_sec) * 1e3 + (double)(now.tv_nsec - since->tv_nsec) / 1e6;
}

/* One JSON line per request: no body, no cookie, no user ID. */
static void log_request(const struct shop_request *rq)
{
  char path[sizeof rq->path];

  snprintf(path, sizeof path, "%s", rq->path);
  utf8_scrub(path);
  json_t *f = json_pack("{s:s, s:s, s:s, s:i, s:f}", "request_id", rq->request_id, "method", rq->method, "path", path,
                        "status", rq->status, "duration_ms", elapsed_ms(&rq->started));
  if (rq->problem)
    json_object_set_new(f, "problem", json_string(rq->problem));
  log_event(rq->status >= 500 ? LOG_ERROR : LOG_INFO, f);
}

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
  FCGX_Request fcgx;
  struct shop_request rq;
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
  struct tmpl_set *templates = tmpl_load_dir(config_str("PAYGW_SHOP_TEMPLATE_DIR", SHOP_TEMPLATE_DIR), err, sizeof err);
  if (!templates) {
    log_msg(LOG_ERROR, "cannot load the templates: %s", err);
    return 1;
  }
  struct db *db = open_db();
  if (!db || FCGX_Init() != 0 || FCGX_InitRequest(&fcgx, 0, 0) != 0) {
    log_msg(LOG_ERROR, "cannot initialise the shop worker");
    return 1;
  }
  /* after FCGX_Init, whose handlers only flag the next accept */
  struct sigaction stop = { .sa_handler = on_stop };
  sigaction(SIGTERM, &stop, NULL);
  sigaction(SIGINT, &stop, NULL);
  sigaction(SIGUSR1, &stop, NULL);
  memset(&rq, 0, sizeof rq);
  rq.fcgx = &fcgx;
  rq.db = db;
  rq.templates = templates;
  log_msg(LOG_INFO, "shop worker %d ready", (int)getpid());
  for (;;) {
    if (stopping || FCGX_Accept_r(&fcgx) < 0)
      break;
    if (request_read(&rq, (size_t)shop_settings.max_body) == 0)
      router_dispatch(&rq);
    log_request(&rq);
    FCGX_Finish_r(&fcgx);
    request_reset(&rq);
  }
  log_msg(LOG_INFO, "shop worker %d stopping", (int)getpid());
  gw_cleanup();
  db_close(db);
  tmpl_free(templates);
  return 0;
}
