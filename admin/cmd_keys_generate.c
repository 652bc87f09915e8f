/* cmd_keys_generate.c — `paygw-admin keys generate`: the key files a new
 * host needs, made where the operator says (docs/install.md), each 0600 and
 * never over an existing file: the gateway's card key file, the credit
 * server's own (same format: lib/common/cardcrypt.h) and the gateway's
 * Ed25519 message-signing key with its public half (0644: it goes into the
 * handsets' UIM stores).  No database is touched.  scripts/stack makes the
 * same files for the dev stack with openssl. */
#include "admin.h"

#include "common/cardcrypt.h"
#include "common/ed25519.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const struct opt_spec cmd_keys_generate_opts[] = {
  { "card-key-file", "FILE", false, "the gateway's card key file to create (PAYGW_CARD_KEY_FILE)" },
  { "issuer-card-key-file", "FILE", false, "the credit server's card key file to create (PAYGW_ISSUER_CARD_KEY_FILE)" },
  { "message-key-file", "FILE", false, "the gateway's message-signing key to create (PAYGW_MESSAGE_KEY_FILE)" },
  { "message-pubkey-file", "FILE", false,
    "its public half (PAYGW_MESSAGE_PUBKEY_FILE; default: the key's name with .pem made .pub.pem)" },
  { 0 },
};

enum { OPT_CARD, OPT_ISSUER_CARD, OPT_MESSAGE, OPT_PUBKEY };

/* The public half's default name: message.pem → message.pub.pem, else FILE.pub. */
static void default_pubkey_path(const char *key, char *out, size_t len)
{
  size_t n = strlen(key);

  if (n > 4 && strcmp(key + n - 4, ".pem") == 0)
    snprintf(out, len, "%.*s.pub.pem", (int)(n - 4), key);
  else
    snprintf(out, len, "%s.pub", key);
}

/* A card key file: one data key and the lookup key, exactly 0600 whatever
 * the umask. */
static int make_card_keys(const char *path)
{
  char err[300];

  if (cardkeys_create(path, err, sizeof err) != 0)
    return admin_failure("%s", err);
  if (chmod(path, 0600) != 0)
    return admin_failure("cannot make %s mode 0600: %s", shown(path), strerror(errno));
  printf("card key file %s (0600)\n", shown(path));
  return ADMIN_OK;
}

static int write_public_pem(const char *path, const unsigned char pub[ED25519_KEY_LEN])
{
  char *pem = ed25519_public_pem(pub);
  int fd = pem ? open(path, O_WRONLY | O_CREAT | O_EXCL, 0644) : -1;
  int rc = -1;

  if (fd >= 0) {
    size_t n = strlen(pem);
    rc = (fchmod(fd, 0644) == 0 && write(fd, pem, n) == (ssize_t)n) ? 0 : -1;
    rc |= close(fd);
  }
  free(pem);
  return rc;
}

/* The message-signing key pair: the private key 0600, the public half 0644;
 * neither is left behind when the other cannot be written. */
static int make_message_key(const char *key_path, const char *pub_path)
{
  unsigned char pub[ED25519_KEY_LEN], priv[ED25519_KEY_LEN];

  if (ed25519_keypair(pub, priv) != 0)
    return admin_failure("cannot generate the message-signing key");
  int rc = ed25519_write_private_pem(key_path, priv, false);
  OPENSSL_cleanse(priv, sizeof priv);
  if (rc != 0)
    return admin_failure("cannot write the message-signing key to %s: %s", shown(key_path), strerror(errno));
  if (write_public_pem(pub_path, pub) != 0) {
    int saved = errno;
    unlink(key_path);
    unlink(pub_path);
    return admin_failure("cannot write the public key to %s: %s", shown(pub_path), strerror(saved));
  }
  printf("message-signing key %s (0600), its public half %s\n", shown(key_path), shown(pub_path));
  return ADMIN_OK;
}

int cmd_keys_generate(const char **opt)
{
  char pub_default[4096];
  const char *pub = opt[OPT_PUBKEY];

  if (!opt[OPT_CARD] && !opt[OPT_ISSUER_CARD] && !opt[OPT_MESSAGE])
    return admin_invalid("keys generate: name at least one of --card-key-file, --issuer-card-key-file, "
                         "--message-key-file");
  if (pub && !opt[OPT_MESSAGE])
    return admin_invalid("keys generate: --message-pubkey-file goes with --message-key-file");
  if (opt[OPT_MESSAGE] && !pub) {
    default_pubkey_path(opt[OPT_MESSAGE], pub_default, sizeof pub_default);
    pub = pub_default;
  }
  /* every file is refused before any is made: a second run changes nothing */
  const char *paths[] = { opt[OPT_CARD], opt[OPT_ISSUER_CARD], opt[OPT_MESSAGE], pub };
  for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
    struct stat st;
    if (paths[i] && lstat(paths[i], &st) == 0)
      return admin_invalid("%s already exists; refusing to overwrite a key file", shown(paths[i]));
    for (size_t j = 0; j < i; j++)
      if (paths[i] && paths[j] && strcmp(paths[i], paths[j]) == 0)
        return admin_invalid("%s is named twice", shown(paths[i]));
  }
  int status = ADMIN_OK;
  if (opt[OPT_CARD])
    status = make_card_keys(opt[OPT_CARD]);
  if (status == ADMIN_OK && opt[OPT_ISSUER_CARD])
    status = make_card_keys(opt[OPT_ISSUER_CARD]);
  if (status == ADMIN_OK && opt[OPT_MESSAGE])
    status = make_message_key(opt[OPT_MESSAGE], pub);
  return status;
}
