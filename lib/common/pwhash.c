/* pwhash.c — argon2id hashing through libargon2 (see pwhash.h). */
#include "common/pwhash.h"

#include <argon2.h>
#include <openssl/rand.h>
#include <string.h>

#define PW_T_COST 2
#define PW_M_COST_KIB (19 * 1024)
#define PW_PARALLELISM 1
#define PW_SALT_LEN 16
#define PW_HASH_LEN 32

int pwhash_make(const char *password, char out[PWHASH_ENCODED_MAX])
{
  unsigned char salt[PW_SALT_LEN];

  if (RAND_bytes(salt, sizeof salt) != 1)
    return -1;
  int rc = argon2id_hash_encoded(PW_T_COST, PW_M_COST_KIB, PW_PARALLELISM, password, strlen(password), salt,
                                 sizeof salt, PW_HASH_LEN, out, PWHASH_ENCODED_MAX);
  return rc == ARGON2_OK ? 0 : -1;
}

bool pwhash_verify(const char *encoded, const char *password)
{
  if (!encoded || strncmp(encoded, "$argon2id$", 10) != 0)
    return false;
  return argon2id_verify(encoded, password, strlen(password)) == ARGON2_OK;
}
