/* iso8583.c — packing and unpacking ISO 8583:1987 messages (see iso8583.h).
 * The decoder walks the input with an explicit remaining-length count and
 * checks every length before it copies, so no input can make it read past
 * the buffer. */
#include "iso8583/iso8583.h"

#include <stdio.h>
#include <string.h>

void iso_msg_init(struct iso_msg *msg, const char *mti)
{
  memset(msg, 0, sizeof *msg);
  snprintf(msg->mti, sizeof msg->mti, "%s", mti ? mti : "");
}

static bool char_allowed(enum iso_type type, unsigned char c)
{
  bool digit = c >= '0' && c <= '9';
  bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  switch (type) {
  case ISO_TYPE_N:
    return digit;
  case ISO_TYPE_AN:
    return digit || alpha || c == ' '; /* an fields are space-padded */
  case ISO_TYPE_ANS:
    return c >= 0x20 && c <= 0x7e;
  }
  return false;
}

static int check_value(const struct iso_field_def *def, const char *value, size_t len)
{
  if (def->len_kind == ISO_LEN_FIXED ? len != (size_t)def->max_len : len > (size_t)def->max_len)
    return ISO_ERR_LENGTH;
  for (size_t i = 0; i < len; i++)
    if (!char_allowed(def->type, (unsigned char)value[i]))
      return ISO_ERR_FORMAT;
  return ISO_OK;
}

/* Stores value (len bytes, checked) as the field's text. */
static int store(struct iso_msg *msg, int field, const char *value, size_t len)
{
  if (msg->store_used + len + 1 > sizeof msg->store)
    return ISO_ERR_LONG;
  memcpy(msg->store + msg->store_used, value, len);
  msg->store[msg->store_used + len] = '\0';
  msg->offset[field] = (uint16_t)msg->store_used;
  msg->length[field] = (uint16_t)len;
  msg->present[field] = true;
  msg->store_used += len + 1;
  return ISO_OK;
}

int iso_set(struct iso_msg *msg, int field, const char *value)
{
  const struct iso_field_def *def = field >= 2 && field <= ISO8583_MAX_FIELD ? iso_field_def(field) : NULL;
  if (!def)
    return ISO_ERR_FIELD;
  if (!value)
    return ISO_ERR_FORMAT;
  size_t len = strlen(value);
  int rc = check_value(def, value, len);
  return rc != ISO_OK ? rc : store(msg, field, value, len);
}

int iso_set_num(struct iso_msg *msg, int field, uint64_t value)
{
  const struct iso_field_def *def = iso_field_def(field);
  char text[24];

  if (!def || def->type != ISO_TYPE_N || def->len_kind != ISO_LEN_FIXED || def->max_len > 20)
    return ISO_ERR_FIELD;
  if (snprintf(text, sizeof text, "%0*llu", def->max_len, (unsigned long long)value) != def->max_len)
    return ISO_ERR_LENGTH;
  return iso_set(msg, field, text);
}

int iso_set_padded(struct iso_msg *msg, int field, const char *value)
{
  int len = iso_field_length(field);
  size_t n = value ? strlen(value) : 0;
  char text[ISO8583_MAX_MESSAGE + 1];

  if (len == 0 || !value || n >= (size_t)len)
    return iso_set(msg, field, value); /* variable, unknown, or nothing to pad: iso_set decides */
  if (iso_field_def(field)->type == ISO_TYPE_N)
    snprintf(text, sizeof text, "%0*d%s", (int)((size_t)len - n), 0, value);
  else
    snprintf(text, sizeof text, "%-*s", len, value);
  return iso_set(msg, field, text);
}

const char *iso_get(const struct iso_msg *msg, int field)
{
  if (field < 2 || field > ISO8583_MAX_FIELD || !msg->present[field])
    return NULL;
  return msg->store + msg->offset[field];
}

static bool mti_ok(const char *mti, size_t len)
{
  if (len != 4)
    return false;
  for (size_t i = 0; i < 4; i++)
    if (mti[i] < '0' || mti[i] > '9')
      return false;
  return true;
}

/* --- encoding ---------------------------------------------------------------- */

struct writer {
  uint8_t *out;
  size_t cap, used;
};

static int put(struct writer *w, const void *bytes, size_t n)
{
  if (n > w->cap - w->used)
    return ISO_ERR_SPACE;
  memcpy(w->out + w->used, bytes, n);
  w->used += n;
  return ISO_OK;
}

static int put_field(struct writer *w, const struct iso_field_def *def, const char *value, size_t len)
{
  char prefix[8];
  int rc;

  if (def->len_kind != ISO_LEN_FIXED) {
    int digits = def->len_kind == ISO_LEN_LLVAR ? 2 : 3;
    snprintf(prefix, sizeof prefix, "%0*zu", digits, len);
    if ((rc = put(w, prefix, (size_t)digits)) != ISO_OK)
      return rc;
  }
  return put(w, value, len);
}

int iso_pack(const struct iso_msg *msg, uint8_t *out, size_t cap, size_t *len)
{
  uint8_t bitmap[16] = { 0 };
  bool secondary = false;
  struct writer w = { out, cap < ISO8583_MAX_MESSAGE ? cap : ISO8583_MAX_MESSAGE, 0 };
  int rc;

  if (!mti_ok(msg->mti, strlen(msg->mti)))
    return ISO_ERR_MTI;
  for (int f = 2; f <= ISO8583_MAX_FIELD; f++) {
    if (!msg->present[f])
      continue;
    if (f == 65 || !iso_field_def(f))
      return f == 65 ? ISO_ERR_BITMAP : ISO_ERR_FIELD;
    bitmap[(f - 1) / 8] |= (uint8_t)(0x80 >> ((f - 1) % 8));
    if (f > 64)
      secondary = true;
  }
  if (secondary)
    bitmap[0] |= 0x80;
  if ((rc = put(&w, msg->mti, 4)) != ISO_OK || (rc = put(&w, bitmap, secondary ? 16 : 8)) != ISO_OK)
    return rc == ISO_ERR_SPACE && cap >= ISO8583_MAX_MESSAGE ? ISO_ERR_LONG : rc;
  for (int f = 2; f <= ISO8583_MAX_FIELD; f++) {
    if (!msg->present[f])
      continue;
    const struct iso_field_def *def = iso_field_def(f);
    if ((rc = check_value(def, iso_get(msg, f), msg->length[f])) != ISO_OK)
      return rc;
    if ((rc = put_field(&w, def, iso_get(msg, f), msg->length[f])) != ISO_OK)
      return rc == ISO_ERR_SPACE && cap >= ISO8583_MAX_MESSAGE ? ISO_ERR_LONG : rc;
  }
  *len = w.used;
  return ISO_OK;
}

/* --- decoding ---------------------------------------------------------------- */

struct reader {
  const uint8_t *in;
  size_t len, pos;
};

static int take(struct reader *r, size_t n, const uint8_t **bytes)
{
  if (n > r->len - r->pos)
    return ISO_ERR_SHORT;
  *bytes = r->in + r->pos;
  r->pos += n;
  return ISO_OK;
}

static int take_length(struct reader *r, int digits, size_t *value)
{
  const uint8_t *p;
  int rc = take(r, (size_t)digits, &p);
  if (rc != ISO_OK)
    return rc;
  *value = 0;
  for (int i = 0; i < digits; i++) {
    if (p[i] < '0' || p[i] > '9')
      return ISO_ERR_LENGTH;
    *value = *value * 10 + (size_t)(p[i] - '0');
  }
  return ISO_OK;
}

static int take_field(struct reader *r, struct iso_msg *msg, int field)
{
  const struct iso_field_def *def = iso_field_def(field);
  const uint8_t *value;
  size_t len = (size_t)(def ? def->max_len : 0);
  int rc;

  if (!def)
    return ISO_ERR_FIELD;
  if (def->len_kind != ISO_LEN_FIXED) {
    if ((rc = take_length(r, def->len_kind == ISO_LEN_LLVAR ? 2 : 3, &len)) != ISO_OK)
      return rc;
    if (len > (size_t)def->max_len)
      return ISO_ERR_LENGTH;
  }
  if ((rc = take(r, len, &value)) != ISO_OK)
    return rc;
  if ((rc = check_value(def, (const char *)value, len)) != ISO_OK)
    return rc;
  return store(msg, field, (const char *)value, len);
}

static bool bit_set(const uint8_t *bitmap, int field)
{
  return (bitmap[(field - 1) / 8] & (0x80 >> ((field - 1) % 8))) != 0;
}

int iso_unpack(struct iso_msg *msg, const uint8_t *in, size_t len)
{
  struct reader r = { in, len, 0 };
  const uint8_t *mti, *primary, *secondary = NULL;
  uint8_t bitmap[16] = { 0 };
  int rc;

  iso_msg_init(msg, "");
  if (len > ISO8583_MAX_MESSAGE)
    return ISO_ERR_LONG;
  if ((rc = take(&r, 4, &mti)) != ISO_OK)
    return rc;
  if (!mti_ok((const char *)mti, 4))
    return ISO_ERR_MTI;
  memcpy(msg->mti, mti, 4);
  if ((rc = take(&r, 8, &primary)) != ISO_OK)
    return rc;
  memcpy(bitmap, primary, 8);
  if (bit_set(bitmap, 1)) {
    if ((rc = take(&r, 8, &secondary)) != ISO_OK)
      return rc;
    memcpy(bitmap + 8, secondary, 8);
    bool any = false;
    for (int f = 66; f <= 128; f++)
      any |= bit_set(bitmap, f);
    if (bit_set(bitmap, 65) || !any)
      return ISO_ERR_BITMAP; /* a tertiary bitmap, or an empty secondary one */
  }
  for (int f = 2; f <= (secondary ? 128 : 64); f++)
    if (bit_set(bitmap, f) && (rc = take_field(&r, msg, f)) != ISO_OK)
      return rc;
  return r.pos == len ? ISO_OK : ISO_ERR_LONG;
}

const char *iso_strerror(int err)
{
  switch (err) {
  case ISO_OK:
    return "no error";
  case ISO_ERR_SHORT:
    return "the message ends inside a field";
  case ISO_ERR_LONG:
    return "bytes after the last field, or the message is too long";
  case ISO_ERR_MTI:
    return "the message type is not 4 digits";
  case ISO_ERR_BITMAP:
    return "the bitmap is malformed";
  case ISO_ERR_LENGTH:
    return "a length prefix or a field length is wrong";
  case ISO_ERR_FORMAT:
    return "a field holds a character its type does not allow";
  case ISO_ERR_FIELD:
    return "a field this dictionary does not know";
  case ISO_ERR_SPACE:
    return "the output buffer is too small";
  default:
    return "unknown error";
  }
}
