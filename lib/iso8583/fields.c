/* fields.c — the ISO 8583:1987 data dictionary entries paygw speaks.  A
 * field outside this table cannot be decoded (its length is unknown), so
 * the codec refuses it rather than guess. */
#include "iso8583/iso8583.h"

#include <stddef.h>

static const struct iso_field_def dictionary[] = {
  { 2, ISO_TYPE_N, ISO_LEN_LLVAR, 19, "primary account number" },
  { 3, ISO_TYPE_N, ISO_LEN_FIXED, 6, "processing code" },
  { 4, ISO_TYPE_N, ISO_LEN_FIXED, 12, "amount, transaction" },
  { 7, ISO_TYPE_N, ISO_LEN_FIXED, 10, "transmission date and time" },
  { 11, ISO_TYPE_N, ISO_LEN_FIXED, 6, "system trace audit number" },
  { 12, ISO_TYPE_N, ISO_LEN_FIXED, 6, "time, local transaction" },
  { 13, ISO_TYPE_N, ISO_LEN_FIXED, 4, "date, local transaction" },
  { 14, ISO_TYPE_N, ISO_LEN_FIXED, 4, "date, expiration" },
  { 22, ISO_TYPE_N, ISO_LEN_FIXED, 3, "point of service entry mode" },
  { 37, ISO_TYPE_AN, ISO_LEN_FIXED, 12, "retrieval reference number" },
  { 38, ISO_TYPE_AN, ISO_LEN_FIXED, 6, "authorization identification response" },
  { 39, ISO_TYPE_AN, ISO_LEN_FIXED, 2, "response code" },
  { 41, ISO_TYPE_ANS, ISO_LEN_FIXED, 8, "card acceptor terminal identification" },
  { 42, ISO_TYPE_ANS, ISO_LEN_FIXED, 15, "card acceptor identification code" },
  { 48, ISO_TYPE_ANS, ISO_LEN_LLLVAR, 999, "additional data, private (paygw: payment method)" },
  { 49, ISO_TYPE_N, ISO_LEN_FIXED, 3, "currency code, transaction" },
  { 60, ISO_TYPE_ANS, ISO_LEN_LLLVAR, 999, "reserved for private use (second embodiment)" },
  { 61, ISO_TYPE_ANS, ISO_LEN_LLLVAR, 999, "reserved for private use (second embodiment)" },
  { 62, ISO_TYPE_ANS, ISO_LEN_LLLVAR, 999, "reserved for private use (second embodiment: token key)" },
  { 63, ISO_TYPE_ANS, ISO_LEN_LLLVAR, 999, "reserved for private use (second embodiment)" },
  { 70, ISO_TYPE_N, ISO_LEN_FIXED, 3, "network management information code" },
  { 90, ISO_TYPE_N, ISO_LEN_FIXED, 42, "original data elements" },
};

const struct iso_field_def *iso_field_def(int number)
{
  for (size_t i = 0; i < sizeof dictionary / sizeof dictionary[0]; i++)
    if (dictionary[i].number == number)
      return &dictionary[i];
  return NULL;
}
