/* request.c — a 0100, a token 0100 and a 0600 read and checked field by
 * field (pure, so the unit tests walk every refusal), and the approval code
 * an approval carries.
 * The decision is issuer.decide in sql/0012, inside the authorization's
 * one statement (credit-server/db/authorize.c). */
#include "credit-server/credit.h"

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>

#include "common/pan.h"
#include "common/tokencrypt.h"

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

/* The fields every 0100 has (the gateway's and a merchant's token 0100):
 * 4, 49, 11, 7, 41, 42, then 3 and the amount's value. */
static bool common_fields(const struct iso_msg *msg, struct credit_request *rq, int *bad_field)
{
  char amount[32]; /* the codec has held it to field 4's length */

  if (!take(msg, ISO_F_AMOUNT, amount, sizeof amount, false, bad_field)
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
  return true;
}

static bool method_field(const struct iso_msg *msg, struct credit_request *rq, int *bad_field)
{
  if (iso_method_decode(iso_get(msg, ISO_F_PRIVATE_ADDITIONAL), rq->method, &rq->installments) != ISO_OK) {
    *bad_field = ISO_F_PRIVATE_ADDITIONAL;
    return false;
  }
  return true;
}

bool credit_request_parse(const struct iso_msg *msg, struct credit_request *rq, int *bad_field)
{
  memset(rq, 0, sizeof *rq);
  *bad_field = 0;
  if (!take(msg, ISO_F_PAN, rq->pan, sizeof rq->pan, false, bad_field)
      || !take(msg, ISO_F_EXPIRY, rq->expiry, sizeof rq->expiry, false, bad_field)
      || !common_fields(msg, rq, bad_field))
    return false;
  if (!pan_is_valid(rq->pan)) {
    *bad_field = ISO_F_PAN;
    return false;
  }
  if (!expiry_is_wellformed(rq->expiry)) {
    *bad_field = ISO_F_EXPIRY;
    return false;
  }
  return method_field(msg, rq, bad_field);
}

/* The shortest encrypted number: base64url (no padding) of a 12-byte nonce,
 * 10 digits and a 16-byte tag (38 bytes). */
#define NUMBER_TEXT_MIN (((12 + TOKEN_PAN_MIN + 16) * 4 + 2) / 3)

/* base64url characters only, n of them between min and max. */
static bool base64url_text(const char *s, size_t min, size_t max)
{
  size_t n = strlen(s);

  if (n < min || n > max)
    return false;
  for (size_t i = 0; i < n; i++)
    if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') || s[i] == '-'
          || s[i] == '_'))
      return false;
  return true;
}

/* Fields 60 (key ID), 61 (encrypted number), 62 (expiry) of a token 0100 or
 * a 0600: present and of their form. */
static bool token_fields(const struct iso_msg *msg, char key_id[23], char number[64], char expiry[15], int *bad_field)
{
  if (!take(msg, ISO_F_TOKEN_KEY_ID, key_id, 23, false, bad_field))
    return false;
  if (!token_key_id_valid(key_id)) {
    *bad_field = ISO_F_TOKEN_KEY_ID;
    return false;
  }
  if (!take(msg, ISO_F_TOKEN_NUMBER, number, 64, false, bad_field))
    return false;
  if (!base64url_text(number, NUMBER_TEXT_MIN, TOKEN_NUMBER_TEXT_MAX)) {
    *bad_field = ISO_F_TOKEN_NUMBER;
    return false;
  }
  if (!take(msg, ISO_F_TOKEN_EXPIRY, expiry, 15, false, bad_field))
    return false;
  if (!token_expiry_valid(expiry)) {
    *bad_field = ISO_F_TOKEN_EXPIRY;
    return false;
  }
  return true;
}

bool credit_token_request_parse(const struct iso_msg *msg, struct token_request *tr, int *bad_field)
{
  memset(tr, 0, sizeof *tr);
  *bad_field = 0;
  if (iso_get(msg, ISO_F_PAN) || iso_get(msg, ISO_F_EXPIRY)) {
    /* credit_permission refuses field 2 first (58); field 14 has no place */
    *bad_field = iso_get(msg, ISO_F_PAN) ? ISO_F_PAN : ISO_F_EXPIRY;
    return false;
  }
  return common_fields(msg, &tr->base, bad_field) && method_field(msg, &tr->base, bad_field)
         && token_fields(msg, tr->key_id, tr->number, tr->token_expiry, bad_field);
}

bool credit_key_delivery_parse(const struct iso_msg *msg, struct key_delivery *kd, int *bad_field)
{
  struct credit_request common;
  char key_text[64];

  memset(kd, 0, sizeof *kd);
  *bad_field = 0;
  if (iso_get(msg, ISO_F_PAN)) {
    *bad_field = ISO_F_PAN; /* the card number never travels in a 0600 */
    return false;
  }
  /* the 0600 has no processing code: check the rest as a 0100's */
  struct iso_msg with3 = *msg;
  if (!iso_get(msg, ISO_F_PROCESSING_CODE) && iso_set(&with3, ISO_F_PROCESSING_CODE, "000000") != ISO_OK)
    return false;
  memset(&common, 0, sizeof common);
  bool ok = common_fields(&with3, &common, bad_field)
            && token_fields(msg, kd->key_id, kd->number, kd->token_expiry, bad_field)
            && take(msg, ISO_F_TOKEN_KEY, key_text, sizeof key_text, false, bad_field);
  OPENSSL_cleanse(&with3, sizeof with3);
  if (ok && !base64url_text(key_text, TOKEN_KEY_TEXT, TOKEN_KEY_TEXT)) {
    *bad_field = ISO_F_TOKEN_KEY;
    ok = false;
  }
  if (ok) {
    kd->amount = common.amount;
    memcpy(kd->currency, common.currency, sizeof kd->currency);
    memcpy(kd->stan, common.stan, sizeof kd->stan);
    memcpy(kd->transmission_time, common.transmission_time, sizeof kd->transmission_time);
    memcpy(kd->terminal_id, common.terminal_id, sizeof kd->terminal_id);
    memcpy(kd->merchant_code, common.merchant_code, sizeof kd->merchant_code);
    memcpy(kd->key_text, key_text, sizeof kd->key_text);
  }
  OPENSSL_cleanse(key_text, sizeof key_text);
  return ok;
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
