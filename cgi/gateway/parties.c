/* parties.c — see parties.h. */
#include "gateway/parties.h"

#include <string.h>

/* In the order a reason is given when several are disabled: the shopper's
 * own first. */
static const struct {
  const char *column, *reason;
} parties[] = {
  { "card_status", "the card has been disabled" },
  { "user_status", "the user ID has been disabled" },
  { "device_status", "the handset has been disabled" },
  { "subscriber_status", "the subscriber has been disabled" },
  { "issuer_status", "the card's issuer has been disabled" },
  { "merchant_status", "the merchant has been disabled" },
  { "terminal_status", "the terminal has been disabled" },
};

const char *parties_inactive_reason(const char *(*status_of)(void *ctx, const char *column), void *ctx)
{
  for (size_t i = 0; i < sizeof parties / sizeof parties[0]; i++) {
    const char *status = status_of(ctx, parties[i].column);
    if (!status || strcmp(status, "active") != 0)
      return parties[i].reason;
  }
  return NULL;
}
