/* demo.h — what `paygw-admin demo`'s two files share: cmd_demo.c loads the
 * demo data (lib/common/demo_data.h) and writes the clients' files;
 * demo_refresh.c, when the data is already loaded, makes those files match
 * the database and the running stack again. */
#ifndef PAYGW_ADMIN_DEMO_H
#define PAYGW_ADMIN_DEMO_H

#include "admin.h"

#define DEMO_MAX 16
#define DEMO_CREDENTIAL_MAX 80

struct demo_device {
  const char *code, *subscriber;
  unsigned char pub[ED25519_KEY_LEN], priv[ED25519_KEY_LEN];
  char key_path[1024], uim_path[1024];
};

/* A file the demo writes.  During a first load it is written in place and
 * removed again if the load fails (the rows are gone: so are their files).
 * When the files are refreshed it goes to a staged name first and is put
 * in place once the transaction has committed, so a failed refresh leaves
 * the old file as it was, still matching the database. */
struct demo_file {
  char *path, *staged;
};

struct demo {
  const char *dir;
  bool already_loaded;
  struct uim_settings settings;
  struct demo_device devices[DEMO_MAX];
  int n_devices;
  long long card_ids[DEMO_MAX];
  char env_path[1024];
  struct demo_file files[2 * DEMO_MAX + 1];
  int n_files;
  char report[4096]; /* what a refresh re-issued, one line each */
  int n_reissued;
};

/* Fills d->devices (code, subscriber, the paths of its key file and store)
 * from the demo data, one entry per handset. */
void demo_devices_list(struct demo *d);

/* The name to write path under now (see struct demo_file); NULL when there
 * is no room for another file (a message has been printed). */
const char *demo_out_path(struct demo *d, const char *path);

/* Writes DIR/terminals.env from one credential per demo merchant (in the
 * order of demo_merchants).  Returns an exit status. */
int demo_write_terminals_env(struct demo *d, char creds[][DEMO_CREDENTIAL_MAX]);

/* Writes dev's key file (dev->priv, mode 0600) and its UIM store from the
 * rows in db's transaction.  Returns an exit status. */
int demo_write_handset(struct db *db, struct demo *d, struct demo_device *dev);

/* The demo data is loaded: re-issues what in d->dir is missing or does not
 * match the database and the stack (terminal credentials, device keys, UIM
 * stores), updating only the demo's own terminals and devices.  Returns an
 * exit status; d->report says what was re-issued. */
int demo_refresh_files(struct db *db, struct demo *d);

/* Adds a line to d->report. */
void demo_report(struct demo *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
