/* shopurl.h — what `handset shop` is given: the pay URL of an online shop's
 * order (what the shop's QR code holds) or a bare order code, turned into the
 * shop's address and the order code before anything is sent ([0119],
 * docs/handset.md).  Pure functions: tests/unit/test_handset_shopurl.c. */
#ifndef PAYGW_HANDSET_SHOPURL_H
#define PAYGW_HANDSET_SHOPURL_H

#include <stddef.h>

#define SHOP_CODE_LEN 8
#define SHOP_BASE_MAX 400

struct shop_target {
  /* the shop's root, "https://host[:port][/prefix]/shop" (no trailing
   * slash): the order's API is base + "/api/orders/" + code + "/user" */
  char base[SHOP_BASE_MAX + 1];
  char code[SHOP_CODE_LEN + 1]; /* upper case, without the dash */
};

/* An order code as the shop prints it ("ABCD-EFGH"): 8 characters of
 * 23456789ABCDEFGHJKMNPQRSTUVWXYZ in any case, an optional dash after the
 * fourth.  Writes the code in upper case without the dash into out.
 * Returns 0, or -1 when text is not an order code. */
int shop_code_parse(const char *text, char out[SHOP_CODE_LEN + 1]);

/* The shop's root from --shop / PAYGW_SHOP_URL: "https://host[:port][/prefix]/shop"
 * with an optional trailing slash.  Returns 0 with t->base set, or -1 with
 * the reason in err. */
int shop_base_parse(const char *url, struct shop_target *t, char *err, size_t errlen);

/* The command's argument: a pay URL "https://host[:port][/prefix]/shop/pay/CODE"
 * (base = all before "/pay/"), or an order code, whose shop is shop_url
 * (--shop or PAYGW_SHOP_URL; NULL or "" when neither is set).  Anything else,
 * a URL that is not https (the user ID must not travel in clear), a URL with
 * user info, a query or a fragment, is refused.  Returns 0 with t filled,
 * or -1 with the reason in err. */
int shop_target_parse(const char *arg, const char *shop_url, struct shop_target *t, char *err, size_t errlen);

/* Text from the shop (its name, an error's detail), fit for a terminal:
 * copied into out with every control character (C0, DEL, and C1 in its
 * UTF-8 form) replaced by '?', cut at a character boundary to fit.
 * in is well-formed UTF-8 (Jansson's strings are).  Returns out. */
const char *shop_printable(const char *in, char *out, size_t len);

/* The order code as shown to people: "ABCD-EFGH" (buf >= 10 bytes). */
const char *shop_code_display(const char *code, char *buf, size_t len);

#endif
