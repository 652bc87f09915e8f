/* method.c — paygw's use of private field 48 (the payment method of figure
 * 10) and the English texts of the response codes. */
#include "iso8583/iso8583.h"

#include <stdio.h>
#include <string.h>

static const char *const methods[] = { "L", "I", "B", "pB", "R", NULL };

static bool known_method(const char *m)
{
  for (const char *const *p = methods; *p; p++)
    if (strcmp(*p, m) == 0)
      return true;
  return false;
}

int iso_method_encode(const char *method, int installments, char out[7])
{
  bool inst = method && strcmp(method, "I") == 0;

  if (!method || !known_method(method) || (inst ? installments < 2 || installments > 99 : installments != 0))
    return ISO_ERR_FORMAT;
  snprintf(out, 7, "PM%-2s%02d", method, installments);
  return ISO_OK;
}

int iso_method_decode(const char *field48, char method[3], int *installments)
{
  if (!field48 || strlen(field48) != 6 || strncmp(field48, "PM", 2) != 0 || field48[4] < '0' || field48[4] > '9'
      || field48[5] < '0' || field48[5] > '9')
    return ISO_ERR_FORMAT;
  method[0] = field48[2];
  method[1] = field48[3] == ' ' ? '\0' : field48[3];
  method[2] = '\0';
  *installments = (field48[4] - '0') * 10 + (field48[5] - '0');
  bool inst = strcmp(method, "I") == 0;
  if (!known_method(method) || (inst ? *installments < 2 : *installments != 0))
    return ISO_ERR_FORMAT;
  return ISO_OK;
}

const char *iso_response_text(const char *code)
{
  static const struct {
    const char *code, *text;
  } texts[] = {
    { "00", "approved" },
    { "03", "the merchant is not allowed by the issuer" },
    { "05", "declined by the issuer" },
    { "13", "the amount is not the one the token was made for" },
    { "14", "the card number is not known to the issuer" },
    { "25", "the original transaction was not found" },
    { "30", "the message was malformed" },
    { "51", "over the credit limit" },
    { "54", "the card has expired" },
    { "57", "the payment method is not permitted for this card" },
    { "58", "the message is not permitted from this terminal" },
    { "63", "the token was already used" },
    { "91", "the issuer is not available" },
    { "94", "refused by the issuer as a duplicate transmission" },
    { "96", "the issuer had a system error" },
  };
  for (size_t i = 0; code && i < sizeof texts / sizeof texts[0]; i++)
    if (strcmp(texts[i].code, code) == 0)
      return texts[i].text;
  return "declined by the issuer";
}
