/* original.c — field 90 of a reversal (original data elements), built and
 * read from the lengths of the fields it repeats, so its layout follows
 * fields.c: the original MTI (4), its STAN (field 11) and transmission time
 * (field 7), and zeros for the two institution IDs paygw does not use. */
#include "iso8583/iso8583.h"

#include <stdio.h>
#include <string.h>

#define MTI_LEN 4

int iso_original_encode(const char *mti, const char *stan, const char *transmission_time, char *out, size_t cap)
{
  size_t stan_len = (size_t)iso_field_length(ISO_F_STAN);
  size_t time_len = (size_t)iso_field_length(ISO_F_TRANSMISSION_TIME);
  size_t total = (size_t)iso_field_length(ISO_F_ORIGINAL_DATA);
  size_t head = MTI_LEN + stan_len + time_len;

  if (!mti || !stan || !transmission_time || strlen(mti) != MTI_LEN || strlen(stan) != stan_len
      || strlen(transmission_time) != time_len || head > total)
    return ISO_ERR_LENGTH;
  if (cap < total + 1)
    return ISO_ERR_SPACE;
  snprintf(out, cap, "%s%s%s", mti, stan, transmission_time);
  memset(out + head, '0', total - head);
  out[total] = '\0';
  return ISO_OK;
}

/* Copies len bytes at src into dst (cap bytes) as a string. */
static int part(const char *src, size_t len, char *dst, size_t cap)
{
  if (cap < len + 1)
    return ISO_ERR_LENGTH;
  memcpy(dst, src, len);
  dst[len] = '\0';
  return ISO_OK;
}

int iso_original_decode(const char *field90, char *mti, size_t mti_cap, char *stan, size_t stan_cap,
                        char *transmission_time, size_t time_cap)
{
  size_t stan_len = (size_t)iso_field_length(ISO_F_STAN);
  size_t time_len = (size_t)iso_field_length(ISO_F_TRANSMISSION_TIME);

  if (!field90 || strlen(field90) != (size_t)iso_field_length(ISO_F_ORIGINAL_DATA))
    return ISO_ERR_LENGTH;
  for (const char *p = field90; *p; p++)
    if (*p < '0' || *p > '9')
      return ISO_ERR_FORMAT;
  if (part(field90, MTI_LEN, mti, mti_cap) != ISO_OK || part(field90 + MTI_LEN, stan_len, stan, stan_cap) != ISO_OK
      || part(field90 + MTI_LEN + stan_len, time_len, transmission_time, time_cap) != ISO_OK)
    return ISO_ERR_LENGTH;
  return ISO_OK;
}
