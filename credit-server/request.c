/* request.c — a 0100 read and checked field by field (pure, so the unit
 * tests walk every refusal), and the approval code an approval carries.
 * The decision is issuer.decide in sql/0012, inside the authorization's
 * one statement (credit-server/db/authorize.c). */
#include "credit-server/credit.h"

#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>

#include "common/pan.h"

void credit_rtrim_copy(char *dst, size_t cap, const char *src)
{
  size_t n = strlen(src);

  while (n > 0 && src[n - 1] == ' ')
    n--;
  if (n >= cap)
    n = cap - 1;
  memcpy(dst, src, n);
  dst[n] = '\0';
}

/* Copies a present field into dst, or fails with its number. */
static bool take(const struct iso_msg *msg, int field, char *dst, size_t cap, bool trim, int *bad)
{
  const char *v = iso_get(msg, field);

  if (!v || strlen(v) >= cap) {
    *bad = field;
    return false;
  }
  if (trim)
    credit_rtrim_copy(dst, cap, v);
  else
    snprintf(dst, cap, "%s", v);
  if (dst[0] == '\0') {
    *bad = field;
    return false;
  }
  return true;
}

bool credit_request_parse(const struct iso_msg *msg, struct credit_request *rq, int *bad_field)
{
  char amount[32]; /* the codec has held it to field 4's length */

  memset(rq, 0, sizeof *rq);
  *bad_field = 0;
  if (!take(msg, ISO_F_PAN, rq->pan, sizeof rq->pan, false, bad_field)
      || !take(msg, ISO_F_EXPIRY, rq->expiry, sizeof rq->expiry, false, bad_field)
      || !take(msg, ISO_F_AMOUNT, amount, sizeof amount, false, bad_field)
      || !take(msg, ISO_F_CURRENCY, rq->currency, sizeof rq->currency, false, bad_field)
      || !take(msg, ISO_F_STAN, rq->stan, sizeof rq->stan, false, bad_field)
      || !take(msg, ISO_F_TRANSMISSION_TIME, rq->transmission_time, sizeof rq->transmission_time, false, bad_field)
      || !take(msg, ISO_F_TERMINAL_ID, rq->terminal_id, sizeof rq->terminal_id, true, bad_field)
      || !take(msg, ISO_F_MERCHANT_ID, rq->merchant_code, sizeof rq->merchant_code, true, bad_field))
    return false;
  const char *proc = iso_get(msg, ISO_F_PROCESSING_CODE);
  if (!proc || strcmp(proc, "000000") != 0) {
    *bad_field = ISO_F_PROCESSING_CODE;
    return false;
  }
  /* the codec has checked digits and length; only the value is left */
  rq->amount = 0;
  for (const char *p = amount; *p; p++)
    rq->amount = rq->amount * 10 + (*p - '0');
  if (rq->amount <= 0) {
    *bad_field = ISO_F_AMOUNT;
    return false;
  }
  if (!pan_is_valid(rq->pan)) {
    *bad_field = ISO_F_PAN;
    return false;
  }
  if (!expiry_is_wellformed(rq->expiry)) {
    *bad_field = ISO_F_EXPIRY;
    return false;
  }
  if (iso_method_decode(iso_get(msg, ISO_F_PRIVATE_ADDITIONAL), rq->method, &rq->installments) != ISO_OK) {
    *bad_field = ISO_F_PRIVATE_ADDITIONAL;
    return false;
  }
  return true;
}

int credit_approval_code(char out[7])
{
  static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  unsigned char r[6];

  if (RAND_bytes(r, sizeof r) != 1)
    return -1;
  for (int i = 0; i < 6; i++)
    out[i] = alphabet[r[i] % 36];
  out[6] = '\0';
  return 0;
}
