/* admin.h — what paygw-admin's files share: exit statuses, the command
 * table's shape, messages, one-transaction runs, lists, and the store
 * functions that both the single commands and `demo` use. */
#ifndef PAYGW_ADMIN_H
#define PAYGW_ADMIN_H

#include "adb.h"
#include "args.h"
#include "common/ed25519.h"
#include "common/pan.h"

#include <jansson.h>
#include <stdbool.h>

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
int admin_db_failure(struct adb *db);

/* Opens the database, runs fn inside BEGIN ... COMMIT and closes.  fn returns
 * an exit status; anything but ADMIN_OK rolls the whole command back. */
int admin_transaction(int (*fn)(struct adb *db, void *ctx), void *ctx);

/* Prints the rows of a parameterless SELECT as aligned columns with a
 * header of the column names.  Returns an exit status. */
int admin_list(const char *name, const char *sql);

/* Runs `sql` (an UPDATE ... WHERE <key> = $1 RETURNING 1) in a transaction
 * with an admin-log row; "unknown <what> '<key>'" when no row changed.
 * Prints "<what> <key> <done>" on success. */
int admin_update_one(const char *what, const char *done, const char *name, const char *sql,
                     const char *key);

/* Finds the id of an issuer, merchant, subscriber or device (`what`) by its
 * code; "unknown <what> '<code>'" (and, with need_active, "<what> <code> is
 * disabled") are invalid input.  Returns an exit status. */
int admin_find(struct adb *db, const char *what, const char *code, bool need_active, long long *id);

/* "\x<hex>" text of len bytes for a bytea parameter (out >= 2 * len + 3). */
void admin_bytea_param(const unsigned char *blob, size_t len, char *out);

/* Files: written whole to a temporary name, then renamed (mode 0600);
 * overwrite=false refuses an existing file.  Return 0 or -1 (errno). */
int file_write_private(const char *path, const char *text, bool overwrite);

/* Reads a whole (small) text file; malloc'd, caller frees; NULL on error. */
char *file_read_text(const char *path, size_t max_len);

/* Loads PAYGW_CARD_KEY_FILE.  Returns 0, or ADMIN_FAILURE after a message. */
int admin_load_card_keys(void);

/* --- store functions: run inside the caller's transaction, print what was
 * wrong and return an exit status (demo reuses them) --- */
int issuer_store(struct adb *db, const char *code, const char *name);
int range_store(struct adb *db, const char *issuer_code, const char *low, const char *high);
int merchant_store(struct adb *db, const char *code, const char *name, const char *shop);
/* credential receives "<code>.<43 base64url>" (at least 80 bytes); iso_id
 * is the field-41 terminal ID (checked), NULL for the first 8 characters of
 * code.  A code or field 41 another terminal holds is refused. */
int terminal_store(struct adb *db, const char *merchant_code, const char *code, const char *iso_id,
                   char *credential);
/* 1 when credential is the current one of terminal code (of merchant_code),
 * 0 when not (or no such terminal), -1 on a database error (not printed). */
int terminal_credential_current(struct adb *db, const char *merchant_code, const char *code, const char *credential);
/* Gives terminal code of merchant_code a new secret (the old credential
 * stops working at once); credential receives it as terminal_store's does. */
int terminal_rotate(struct adb *db, const char *merchant_code, const char *code, char *credential);
struct methods;
int method_store(struct adb *db, const char *merchant_code, const char *issuer_code,
                 const struct methods *m, const int *counts, int n_counts);
int subscriber_store(struct adb *db, const char *code, const char *name);
int device_store(struct adb *db, const char *subscriber_code, const char *code,
                 const unsigned char pub[ED25519_KEY_LEN]);
/* 1 with the enrolled public key of device code (of subscriber_code) in
 * pub, 0 when there is no such device, -1 on a database error (not printed). */
int device_public_key(struct adb *db, const char *subscriber_code, const char *code,
                      unsigned char pub[ED25519_KEY_LEN]);
/* Replaces the enrolled public key of device code (of subscriber_code):
 * signatures of its old key are refused from then on. */
int device_rekey(struct adb *db, const char *subscriber_code, const char *code,
                 const unsigned char pub[ED25519_KEY_LEN]);
/* pan is already normalized and checked; card_id and masked (>= 20 bytes)
 * receive the new row's id and mask. */
int card_store(struct adb *db, const char *subscriber_code, const char *pan, const char *expiry,
               const char *label, long long *card_id, char *masked);
int user_store(struct adb *db, const char *user_id, const char *subscriber_code, long long card_id,
               const char *device_code, const char *password);

/* Where a UIM store gets its gateway settings. */
struct uim_settings {
  const char *gateway_url;
  char *ca_pem, *message_pubkey_pem;   /* file contents, malloc'd */
};

/* Fills s from the options (or PAYGW_URL, PAYGW_CA,
 * PAYGW_MESSAGE_PUBKEY_FILE).  Returns an exit status. */
int uim_settings_load(struct uim_settings *s, const char *url, const char *ca_file, const char *pubkey_file);
void uim_settings_free(struct uim_settings *s);

/* The UIM store of device_code as `uim write` writes it (no auth results,
 * no lock-out state), from the rows visible in db's transaction; pub is the
 * public half of key_pem, checked against the enrolled key.  NULL after a
 * message, with *status set; the caller json_decrefs the store. */
json_t *uim_store_build(struct adb *db, const char *device_code, const char *key_pem,
                        const unsigned char pub[ED25519_KEY_LEN], const struct uim_settings *s, int *status);

/* Builds the UIM store of device_code from the rows visible in db's
 * transaction and writes it to path (0600, replacing it).  pub is the public
 * half of key_pem, checked against the enrolled key.  Returns an exit
 * status. */
int uim_write_store(struct adb *db, const char *device_code, const char *key_pem,
                    const unsigned char pub[ED25519_KEY_LEN], const struct uim_settings *s, const char *path);

/* --- the commands (one file per entity) --- */
#define COMMAND(name) \
  extern const struct opt_spec name##_opts[]; \
  int name(const char **opt)
COMMAND(cmd_issuer_add); COMMAND(cmd_issuer_list); COMMAND(cmd_issuer_disable);
COMMAND(cmd_range_add); COMMAND(cmd_range_list);
COMMAND(cmd_merchant_add); COMMAND(cmd_merchant_list); COMMAND(cmd_merchant_disable);
COMMAND(cmd_terminal_add); COMMAND(cmd_terminal_list); COMMAND(cmd_terminal_disable);
COMMAND(cmd_method_set); COMMAND(cmd_method_list);
COMMAND(cmd_subscriber_add); COMMAND(cmd_subscriber_list); COMMAND(cmd_subscriber_disable);
COMMAND(cmd_device_add); COMMAND(cmd_device_list); COMMAND(cmd_device_disable);
COMMAND(cmd_card_add); COMMAND(cmd_card_list); COMMAND(cmd_card_update); COMMAND(cmd_card_disable);
COMMAND(cmd_cards_reencrypt); COMMAND(cmd_keys_rotate);
COMMAND(cmd_user_add); COMMAND(cmd_user_list); COMMAND(cmd_user_disable); COMMAND(cmd_user_unlock);
COMMAND(cmd_uim_write);
COMMAND(cmd_demo);
#undef COMMAND

#endif
