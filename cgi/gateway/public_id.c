/* public_id.c — see public_id.h. */
#include "gateway/public_id.h"
#include "gateway/tokens.h"
#include "common/b64url.h"

#include <openssl/rand.h>
#include <string.h>

int public_id_new(const char *prefix, char out[PUBLIC_ID_LEN + 1])
{
  unsigned char raw[16];

  if (strlen(prefix) != PUBLIC_ID_PREFIX_LEN || RAND_bytes(raw, sizeof raw) != 1)
    return -1;
  memcpy(out, prefix, PUBLIC_ID_PREFIX_LEN);
  b64url_encode(raw, sizeof raw, out + PUBLIC_ID_PREFIX_LEN);
  return 0;
}

bool public_id_valid(const char *prefix, const char *s)
{
  return strncmp(s, prefix, PUBLIC_ID_PREFIX_LEN) == 0 && strlen(s) == PUBLIC_ID_LEN
         && token_is_code(s + PUBLIC_ID_PREFIX_LEN, PUBLIC_ID_LEN - PUBLIC_ID_PREFIX_LEN);
}
