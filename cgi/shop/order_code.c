/* order_code.c — drawing, normalising and showing order codes. */
#include "shop/order_code.h"

#include <ctype.h>
#include <openssl/rand.h>
#include <string.h>

int order_code_new(char out[ORDER_CODE_LEN + 1])
{
  static const char alphabet[] = ORDER_CODE_ALPHABET;
  const unsigned n = sizeof alphabet - 1; /* 31 */
  unsigned char b;
  int got = 0;

  /* rejection sampling: 248 = 8 * 31, so every symbol is equally likely */
  while (got < ORDER_CODE_LEN) {
    if (RAND_bytes(&b, 1) != 1)
      return -1;
    if (b >= 248)
      continue;
    out[got++] = alphabet[b % n];
  }
  out[ORDER_CODE_LEN] = '\0';
  return 0;
}

int order_code_normalise(const char *in, char out[ORDER_CODE_LEN + 1])
{
  size_t len = in ? strlen(in) : 0;
  int got = 0;

  if (len != ORDER_CODE_LEN && !(len == ORDER_CODE_LEN + 1 && in[ORDER_CODE_LEN / 2] == '-'))
    return -1;
  for (size_t i = 0; i < len; i++) {
    if (len == ORDER_CODE_LEN + 1 && i == ORDER_CODE_LEN / 2)
      continue;
    char c = (char)toupper((unsigned char)in[i]);
    if (c == '\0' || !strchr(ORDER_CODE_ALPHABET, c))
      return -1;
    out[got++] = c;
  }
  out[got] = '\0';
  return got == ORDER_CODE_LEN ? 0 : -1;
}

void order_code_display(const char *code, char out[ORDER_CODE_LEN + 2])
{
  memcpy(out, code, ORDER_CODE_LEN / 2);
  out[ORDER_CODE_LEN / 2] = '-';
  memcpy(out + ORDER_CODE_LEN / 2 + 1, code + ORDER_CODE_LEN / 2, ORDER_CODE_LEN / 2);
  out[ORDER_CODE_LEN + 1] = '\0';
}
