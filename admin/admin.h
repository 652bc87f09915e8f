/* admin.h — what paygw-admin's files share: exit statuses, the command
 * table's shape, messages, one-transaction runs, lists, and the store
 * functions that both the single commands and `demo` use.  The database
 * work itself is in db/ (db/ops.h): one typed function per operation. */
#ifndef PAYGW_ADMIN_H
#define PAYGW_ADMIN_H

#include "args.h"
#include "db/ops.h"
#include "common/ed25519.h"
#include "common/pan.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

/* Exit statuses: 2 is the caller's fault and changed nothing. */
enum { ADMIN_OK = 0, ADMIN_FAILURE = 1, ADMIN_INVALID = 2 };

/* One command: "paygw-admin <entity> [<verb>] --opt VALUE ...".  run gets
 * the option values in the order of opts (NULL when not given). */
struct command {
  const char *entity, *verb;
  const struct opt_spec *opts;
  int (*run)(const char **opt);
  const char *summary;
};

/* Print "paygw-admin: <message>" on stderr and return ADMIN_INVALID /
 * ADMIN_FAILURE; also log the refusal (never with a secret). */
int admin_invalid(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int admin_failure(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Reports the last database error of db: a constraint violation is invalid
 * input (2), anything else a failure (1). */
int admin_db_failure(struct db *db);

/* Opens the database named by PAYGW_ADMIN_DB_URI (or PAYGW_DB_URI).
 * Returns the connection (db_close it), or NULL after saying why. */
struct db *admin_db_open(void);

/* Opens the database, runs fn inside one transaction (adb_transaction:
 * lib/db's db_run_transaction) and closes.  fn returns an exit status;
 * anything but ADMIN_OK rolls the whole command back.  The JSON lines of the admin
 * actions fn logged are written once the commit holds. */
int admin_transaction(int (*fn)(struct db *db, void *ctx), void *ctx);
/* admin_transaction on a connection the caller holds (cards reencrypt: a
 * transaction per batch). */
int admin_transaction_on(struct db *db, int (*fn)(struct db *db, void *ctx), void *ctx);

/* Runs a list operation (db/ops.h) and prints its rows as aligned columns
 * under a header of the column names.  Returns an exit status. */
int admin_list(enum db_status (*list)(struct db *db, struct adb_table *out));

/* Prints t: one line of column names, then one per row, each column but
 * the last padded to its widest cell. */
void admin_table_print(FILE *out, const struct adb_table *t);

/* Disables the `what` (kind) whose key is key, in a transaction with an
 * admin-log row; "unknown <what> '<key>'" when there is none.  Prints
 * "<what> <key> disabled" on success. */
int admin_disable(const char *what, enum adb_entity kind, const char *key);

/* Finds the id of an issuer, merchant, subscriber or device (kind) by its
 * code; "unknown <what> '<code>'" (and, with need_active, "<what> <code> is
 * disabled") are invalid input.  Returns an exit status. */
int admin_find(struct db *db, enum adb_entity kind, const char *code, bool need_active, long long *id);

/* Writes a gateway.admin_log row (actor, action, subject: never a secret)
 * in db's transaction and queues the JSON log line admin_transaction
 * writes when it commits.  Returns an exit status (a database error is
 * reported). */
int admin_log_action(struct db *db, const char *action, const char *subject);

/* While on, admin_log_action writes rows but queues no JSON lines (a bulk
 * load logs one line for the whole). */
void admin_log_rows_only(bool on);

/* The name admin actions are recorded under: $SUDO_USER or the login name. */
const char *admin_actor(void);

/* Files: written whole to a temporary name, then renamed (mode 0600);
 * overwrite=false refuses an existing file.  Return 0 or -1 (errno). */
int file_write_private(const char *path, const char *text, bool overwrite);

/* Reads a whole (small) text file; malloc'd, caller frees; NULL on error. */
char *file_read_text(const char *path, size_t max_len);

/* Loads PAYGW_CARD_KEY_FILE.  Returns 0, or ADMIN_FAILURE after a message. */
int admin_load_card_keys(void);

/* --- store functions: run inside the caller's transaction, print what was
 * wrong and return an exit status (demo reuses them) --- */
int issuer_store(struct db *db, const char *code, const char *name);
int range_store(struct db *db, const char *issuer_code, const char *low, const char *high);
int merchant_store(struct db *db, const char *code, const char *name, const char *shop);
/* credential receives "<code>.<43 base64url>" (at least 80 bytes); iso_id
 * is the field-41 terminal ID (checked), NULL for the first 8 characters of
 * code.  A code or field 41 another terminal holds is refused. */
int terminal_store(struct db *db, const char *merchant_code, const char *code, const char *iso_id, char *credential);
/* 1 when credential is the current one of terminal code (of merchant_code),
 * 0 when not (or no such terminal), -1 on a database error (not printed). */
int terminal_credential_current(struct db *db, const char *merchant_code, const char *code, const char *credential);
/* Gives terminal code of merchant_code a new secret (the old credential
 * stops working at once); credential receives it as terminal_store's does. */
int terminal_rotate(struct db *db, const char *merchant_code, const char *code, char *credential);
struct methods;
int method_store(struct db *db, const char *merchant_code, const char *issuer_code, const struct methods *m,
                 const int *counts, int n_counts);
int subscriber_store(struct db *db, const char *code, const char *name);
int device_store(struct db *db, const char *subscriber_code, const char *code,
                 const unsigned char pub[ED25519_KEY_LEN]);
/* 1 with the enrolled public key of device code (of subscriber_code) in
 * pub, 0 when there is no such device, -1 on a database error (not printed). */
int device_public_key(struct db *db, const char *subscriber_code, const char *code, unsigned char pub[ED25519_KEY_LEN]);
/* Replaces the enrolled public key of device code (of subscriber_code):
 * signatures of its old key are refused from then on. */
int device_rekey(struct db *db, const char *subscriber_code, const char *code,
                 const unsigned char pub[ED25519_KEY_LEN]);
/* pan is already normalized and checked; card_id and masked (>= 20 bytes)
 * receive the new row's id and mask. */
int card_store(struct db *db, const char *subscriber_code, const char *pan, const char *expiry, const char *label,
               long long *card_id, char *masked);
int user_store(struct db *db, const char *user_id, const char *subscriber_code, long long card_id,
               const char *device_code, const char *password);
/* Sets user_id's web password for the HTML history (argon2id), with an
 * admin-log row; only_if_unset leaves one that has a password alone.  *set
 * says whether it was set. */
int user_web_password_store(struct db *db, const char *user_id, const char *password, bool only_if_unset, bool *set);

/* Where a UIM store gets its gateway settings. */
struct uim_settings {
  const char *gateway_url;
  char *ca_pem, *message_pubkey_pem; /* file contents, malloc'd */
};

/* Fills s from the options (or PAYGW_URL, PAYGW_CA,
 * PAYGW_MESSAGE_PUBKEY_FILE).  Returns an exit status. */
int uim_settings_load(struct uim_settings *s, const char *url, const char *ca_file, const char *pubkey_file);
void uim_settings_free(struct uim_settings *s);

/* The UIM store of device_code as `uim write` writes it (no auth results,
 * no lock-out state), from the rows visible in db's transaction; pub is the
 * public half of key_pem, checked against the enrolled key.  NULL after a
 * message, with *status set; the caller json_decrefs the store. */
json_t *uim_store_build(struct db *db, const char *device_code, const char *key_pem,
                        const unsigned char pub[ED25519_KEY_LEN], const struct uim_settings *s, int *status);

/* Builds the UIM store of device_code from the rows visible in db's
 * transaction and writes it to path (0600, replacing it).  pub is the public
 * half of key_pem, checked against the enrolled key.  Returns an exit
 * status. */
int uim_write_store(struct db *db, const char *device_code, const char *key_pem,
                    const unsigned char pub[ED25519_KEY_LEN], const struct uim_settings *s, const char *path);

/* --- the commands (one file per entity) --- */
#define COMMAND(name)                                                                                                  \
  extern const struct opt_spec name##_opts[];                                                                          \
  int name(const char **opt)
COMMAND(cmd_issuer_add);
COMMAND(cmd_issuer_list);
COMMAND(cmd_issuer_disable);
COMMAND(cmd_range_add);
COMMAND(cmd_range_list);
COMMAND(cmd_merchant_add);
COMMAND(cmd_merchant_list);
COMMAND(cmd_merchant_disable);
COMMAND(cmd_merchant_webhook_set);
COMMAND(cmd_merchant_webhook_rotate);
COMMAND(cmd_merchant_webhook_show);
COMMAND(cmd_terminal_add);
COMMAND(cmd_terminal_rotate);
COMMAND(cmd_terminal_list);
COMMAND(cmd_terminal_disable);
COMMAND(cmd_method_set);
COMMAND(cmd_method_list);
COMMAND(cmd_subscriber_add);
COMMAND(cmd_subscriber_list);
COMMAND(cmd_subscriber_disable);
COMMAND(cmd_device_add);
COMMAND(cmd_device_list);
COMMAND(cmd_device_disable);
COMMAND(cmd_card_add);
COMMAND(cmd_card_list);
COMMAND(cmd_card_update);
COMMAND(cmd_card_disable);
COMMAND(cmd_cards_reencrypt);
COMMAND(cmd_keys_rotate);
COMMAND(cmd_keys_generate);
COMMAND(cmd_user_add);
COMMAND(cmd_user_list);
COMMAND(cmd_user_disable);
COMMAND(cmd_user_unlock);
COMMAND(cmd_user_set_web_password);
COMMAND(cmd_uim_write);
COMMAND(cmd_demo);
#undef COMMAND

#endif
