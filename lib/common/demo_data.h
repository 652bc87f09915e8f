/* demo_data.h — the demo data set of figures 7, 9 and 10, shared by
 * `paygw-admin demo` (gateway side) and `credit-server --enrol-demo` (issuer
 * side) so that both always hold the same test cards.  All card numbers are
 * Luhn-valid test numbers inside the figure 9 ranges; none is a real card. */
#ifndef PAYGW_DEMO_DATA_H
#define PAYGW_DEMO_DATA_H

#include <stdint.h>

struct demo_issuer_range {
  const char *low, *high; /* card-number prefixes, fig 9 */
  const char *issuer_code, *issuer_name;
};

struct demo_merchant_method {
  const char *merchant_code, *merchant_name, *issuer_code;
  const char *methods;       /* subset of "L I B pB R", space separated */
  int installment_counts[4]; /* allowed counts for I, 0-terminated */
};

struct demo_card {
  const char *user_id, *password, *subscriber, *device_id, *label;
  const char *pan, *expiry; /* expiry YYMM as on the card */
  /* issuer side (figure 24B): NULL issuer_expiry = same as card expiry */
  const char *holder, *address, *issuer_expiry;
  int64_t credit_limit; /* minor units, 0 = not held by the issuer */
};

static const struct demo_issuer_range demo_ranges[] = {
  { "1525000000", "1525059999", "2a11111", "A" }, { "145259000", "1452590000", "2a22222", "B" },
  { "153996010", "153996010", "2s33333", "C" },   { "13500", "13560", "2a11111", "A" },
  { "13600", "13600", "2s44444", "D" },           { 0 },
};

static const struct demo_merchant_method demo_methods[] = {
  { "1111111111", "A", "2a11111", "L I R", { 3, 6, 12, 0 } },
  { "2222222222", "B", "2a22222", "L I pB R", { 3, 6, 0 } },
  /* the demo online shop (cgi/shop) takes the cards of users 00001 and 00007 */
  { "2222222222", "B", "2a11111", "L I R", { 3, 6, 12, 0 } },
  { "2222222222", "B", "2s44444", "L B", { 0 } },
  { "3333333333", "C", "2a22222", "L B pB", { 0 } },
  { "4444444444", "D", "2s33333", "L R", { 0 } },
  { 0 },
};

/* Subscriber S1 holds three cards on one handset (one user ID per card,
 * [0052]); the last three cards exist to draw each decline from the issuer.
 * Expiries lie far ahead (`paygw-admin demo` refuses a passed one): 4912
 * where no test names the expiry; 3012 and 3106 are named by the credit
 * server's tests (its 0100s must carry the stored expiry) and move with them. */
static const struct demo_card demo_cards[] = {
  { "00001", "demo-pass-00001", "S1", "1234567", "Card A", "1525000012345678", "3012", "Taro Yamada",
    "1-1 Chiyoda, Tokyo", 0, 500000 },
  { "00004", "demo-pass-00004", "S1", "1234567", "Card D", "1360000123456784", "3012", "Taro Yamada",
    "1-1 Chiyoda, Tokyo", 0, 300000 },
  { "00005", "demo-pass-00005", "S1", "1234567", "Card A2", "1355500123456780", "3106", "Taro Yamada",
    "1-1 Chiyoda, Tokyo", 0, 200000 },
  { "00002", "demo-pass-00002", "S2", "2234567", "Card B", "1452590000123456", "4912", "Hanako Sato", "2-2 Kita, Osaka",
    0, 800000 },
  { "00003", "demo-pass-00003", "S3", "3345678", "Card C", "1539960101234568", "4912", "Jiro Suzuki",
    "3-3 Naka, Nagoya", 0, 100000 },
  { "00006", "demo-pass-00006", "S4", "4456789", "Expired at issuer", "1525000023456787", "3012", "Expired Holder",
    "4-4 Minami, Fukuoka", "2001", 500000 },
  { "00007", "demo-pass-00007", "S4", "4456789", "Low limit", "1525000034567895", "3012", "Low Limit",
    "4-4 Minami, Fukuoka", 0, 1000 },
  { "00008", "demo-pass-00008", "S4", "4456789", "Unknown at issuer", "1525000099999991", "3012", "Nobody", "-", 0, 0 },
  { 0 },
};

/* Demo merchants and their terminals: the terminal credential is printed
 * once by paygw-admin; `paygw-admin demo --out-dir DIR` (run by scripts/demo
 * and scripts/check) writes them to DIR/terminals.env. */
static const struct {
  const char *code, *name, *shop;
} demo_merchants[] = {
  { "1111111111", "A", "Shop A Ginza" }, { "2222222222", "B", "paygw demo shop" }, /* the online shop of cgi/shop, docs/shop.md */
  { "3333333333", "C", "Shop C Sakae" }, { "4444444444", "D", "Shop D Tenjin" },   { 0 },
};

#endif
