/* order_code.h — the shop's order codes: 8 characters of an alphabet
 * without 0/1/I/L/O, drawn with OpenSSL's RAND_bytes, shown ABCD-EFGH and
 * accepted in any case, with or without the dash (docs/shop.md). */
#ifndef SHOP_ORDER_CODE_H
#define SHOP_ORDER_CODE_H

#include <stdbool.h>
#include <stddef.h>

#define ORDER_CODE_LEN 8
#define ORDER_CODE_ALPHABET "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

/* A fresh random code into out (ORDER_CODE_LEN + 1).  0, or -1 when the
 * random generator failed. */
int order_code_new(char out[ORDER_CODE_LEN + 1]);

/* The code as stored (upper case, no dash) from what a person or a URL
 * gave: "abcd-efgh", "ABCDEFGH", "AbCd-EfGh".  0, or -1 when it is no
 * code (wrong length, a character outside the alphabet, a dash elsewhere
 * than in the middle). */
int order_code_normalise(const char *in, char out[ORDER_CODE_LEN + 1]);

/* "ABCD-EFGH" from a stored code (out: ORDER_CODE_LEN + 2). */
void order_code_display(const char *code, char out[ORDER_CODE_LEN + 2]);

#endif
