/* ed25519.h — Ed25519 keys and signatures through OpenSSL: device keys
 * (handset → gateway) and the gateway's message key (gateway → handset).
 * Keys travel as raw 32-byte values (base64url in JSON and the database) and
 * as PKCS#8/SPKI PEM in files, so the openssl command line can use them. */
#ifndef PAYGW_ED25519_H
#define PAYGW_ED25519_H

#include <stdbool.h>
#include <stddef.h>

#define ED25519_KEY_LEN 32
#define ED25519_SIG_LEN 64

/* Generates a key pair. Returns 0 or -1. */
int ed25519_keypair(unsigned char pub[ED25519_KEY_LEN], unsigned char priv[ED25519_KEY_LEN]);

/* Signs msg with a raw private key. Returns 0 or -1. */
int ed25519_sign(const unsigned char priv[ED25519_KEY_LEN], const void *msg, size_t len,
                 unsigned char sig[ED25519_SIG_LEN]);

/* True when sig is a valid signature of msg under the raw public key. */
bool ed25519_verify(const unsigned char pub[ED25519_KEY_LEN], const void *msg, size_t len,
                    const unsigned char sig[ED25519_SIG_LEN]);

/* Writes the private key as PKCS#8 PEM (mode 0600, fails if the file exists
 * unless overwrite). Returns 0 or -1. */
int ed25519_write_private_pem(const char *path, const unsigned char priv[ED25519_KEY_LEN], bool overwrite);

/* Reads a PKCS#8 PEM private key; fills priv and pub. Returns 0 or -1. */
int ed25519_read_private_pem(const char *path, unsigned char priv[ED25519_KEY_LEN], unsigned char pub[ED25519_KEY_LEN]);

/* Public key as SPKI PEM text (malloc'd, caller frees), or NULL. */
char *ed25519_public_pem(const unsigned char pub[ED25519_KEY_LEN]);

#endif
