/* token.c — the pure parts of the second embodiment at the issuer
 * (docs/iso8583.md, "Token sales"): who may send what (an acquirer, or a
 * merchant's POS named by its certificate), the order of a token 0100's
 * first refusals, the AAD its key is sealed with, and the token's expiry
 * as a database time.  tests/unit/test_credit_tokens.c walks them. */
#include "credit-server/credit.h"

#include <stdio.h>
#include <string.h>

#include "common/tokencrypt.h"

void credit_peer_set(struct credit_peer *p, const char *merchant_code)
{
  memset(p, 0, sizeof *p);
  if (!merchant_code) {
    p->role = PEER_ACQUIRER;
    snprintf(p->key, sizeof p->key, "acquirer");
    return;
  }
  p->role = PEER_MERCHANT;
  snprintf(p->merchant_code, sizeof p->merchant_code, "%s", merchant_code);
  snprintf(p->key, sizeof p->key, "merchant-%s", p->merchant_code);
}

static bool is_mti(const struct iso_msg *m, const char *mti)
{
  return strcmp(m->mti, mti) == 0;
}

/* Field 42 without its padding is the peer's merchant code. */
static bool own_merchant(const struct credit_peer *peer, const struct iso_msg *m)
{
  const char *f42 = iso_get(m, ISO_F_MERCHANT_ID);
  char code[16];

  if (!f42)
    return false;
  credit_rtrim_copy(code, sizeof code, f42);
  return code[0] && strcmp(code, peer->merchant_code) == 0;
}

static bool has_token_field(const struct iso_msg *m)
{
  return iso_get(m, ISO_F_TOKEN_KEY_ID) || iso_get(m, ISO_F_TOKEN_NUMBER) || iso_get(m, ISO_F_TOKEN_EXPIRY);
}

const char *credit_permission(const struct credit_peer *peer, const struct iso_msg *m)
{
  bool reversal = is_mti(m, ISO_MTI_REVERSAL_ADVICE) || is_mti(m, ISO_MTI_REVERSAL_REPEAT);

  switch (peer->role) {
  case PEER_ACQUIRER:
    /* tokens are for the merchant's own request: an acquirer's 0100 carries
     * the card number and no token */
    if (is_mti(m, ISO_MTI_AUTH_REQUEST) && has_token_field(m))
      return ISO_RC_NOT_PERMITTED_TO_TERMINAL;
    return NULL;
  case PEER_MERCHANT:
    if (is_mti(m, ISO_MTI_NETWORK_REQUEST))
      return NULL;
    if (!(is_mti(m, ISO_MTI_AUTH_REQUEST) || reversal))
      return ISO_RC_NOT_PERMITTED_TO_TERMINAL; /* 0600, 0220/0221 (refunds are an acquirer's) and anything else */
    if (is_mti(m, ISO_MTI_AUTH_REQUEST) && iso_get(m, ISO_F_PAN))
      return ISO_RC_NOT_PERMITTED_TO_TERMINAL; /* a merchant never sends a card number */
    return own_merchant(peer, m) ? NULL : ISO_RC_NOT_PERMITTED_TO_TERMINAL;
  case PEER_NONE:
  default:
    return ISO_RC_NOT_PERMITTED_TO_TERMINAL;
  }
}

const char *credit_token_early_code(bool permitted, bool well_formed, bool key_found, bool number_opens)
{
  if (!permitted)
    return ISO_RC_NOT_PERMITTED_TO_TERMINAL;
  if (!well_formed)
    return ISO_RC_FORMAT_ERROR;
  if (!key_found || !number_opens)
    return ISO_RC_INVALID_CARD;
  return NULL;
}

bool credit_token_expiry_timestamp(const char *expiry, char out[CREDIT_TIMESTAMP_LEN])
{
  if (!expiry || !token_expiry_valid(expiry))
    return false;
  snprintf(out, CREDIT_TIMESTAMP_LEN, "%.4s-%.2s-%.2s %.2s:%.2s:%.2s+00", expiry, expiry + 4, expiry + 6, expiry + 8,
           expiry + 10, expiry + 12);
  return true;
}

int credit_token_key_aad(const char *key_id, unsigned char out[CREDIT_TOKEN_KEY_AAD_MAX])
{
  static const char prefix[] = "paygw-token-key|";
  size_t n = strlen(key_id);

  if (!token_key_id_valid(key_id) || sizeof prefix - 1 + n > CREDIT_TOKEN_KEY_AAD_MAX)
    return -1;
  memcpy(out, prefix, sizeof prefix - 1);
  memcpy(out + sizeof prefix - 1, key_id, n);
  return (int)(sizeof prefix - 1 + n);
}
