/* mailbox.c — see mailbox.h. */
#include "gateway/mailbox.h"
#include "gateway/settings.h"
#include "common/b64url.h"
#include "common/ed25519.h"
#include "common/log.h"

#include <stdlib.h>
#include <string.h>

int mailbox_sign(const char *text, char sig_b64[90])
{
  unsigned char sig[ED25519_SIG_LEN];

  if (!settings.have_message_key || ed25519_sign(settings.message_key, text, strlen(text), sig) != 0)
    return -1;
  b64url_encode(sig, sizeof sig, sig_b64);
  return 0;
}

int mailbox_seal(json_t *message, char **text, char sig_b64[90])
{
  *text = json_dumps(message, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(message);
  if (*text && mailbox_sign(*text, sig_b64) == 0)
    return 0;
  log_msg(LOG_ERROR, "cannot sign a mailbox message (is PAYGW_MESSAGE_KEY_FILE set?)");
  free(*text);
  *text = NULL;
  return -1;
}
