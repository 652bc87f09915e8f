/* pwhash.h — argon2id password hashes (libargon2), with the parameters of
 * the project's figures (docs/architecture.md): 19 MiB memory, 2 iterations, parallelism 1. */
#ifndef PAYGW_PWHASH_H
#define PAYGW_PWHASH_H

#include <stdbool.h>
#include <stddef.h>

#define PWHASH_ENCODED_MAX 128

/* Hashes password with a fresh random salt into the PHC string `out`
 * ("$argon2id$v=19$m=19456,t=2,p=1$..."). Returns 0 or -1. */
int pwhash_make(const char *password, char out[PWHASH_ENCODED_MAX]);

/* True when password matches the PHC string `encoded`. */
bool pwhash_verify(const char *encoded, const char *password);

#endif
