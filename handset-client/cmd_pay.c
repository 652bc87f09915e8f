/* cmd_pay.c — `handset pay` and `handset cards`: figure 12.  The user is
 * authenticated locally (auth.c: card, user ID and password against the UIM
 * store, the auth result stored) and the handset sends the user ID to the POS
 * over the proximity link (S2).  A failure sends nothing. */
#include "handset-client/handset.h"
#include "handset-client/screens.h"
#include "proxlink/proxlink.h"

#include <stdio.h>

#define LINK_TIMEOUT_MS 10000

int cmd_cards(struct handset_opts *o)
{
  struct uim_store s;
  int rc = handset_open_store(o, &s);

  if (rc != 0)
    return rc;
  screen_cards(stdout, &s);
  uim_free(&s);
  return EXIT_DONE;
}

static int send_over_link(const struct handset_opts *o, const char *user_id)
{
  struct proxlink_addr addr;
  char err[256];

  if (proxlink_parse_addr(o->link, &addr, err, sizeof err) != 0
      || proxlink_send_user(&addr, user_id, LINK_TIMEOUT_MS, err, sizeof err) != 0) {
    printf("Could not send the user ID to the POS terminal: %s\n", err);
    return EXIT_NETWORK;
  }
  printf("User ID %s sent to the POS terminal at %s.\n", user_id, o->link);
  return EXIT_DONE;
}

int cmd_pay(struct handset_opts *o)
{
  char user[64];

  if (!o->link || !*o->link) {
    fprintf(stderr, "handset: no proximity link: give --link HOST:PORT|SOCKET or set PAYGW_LINK\n");
    return EXIT_USAGE;
  }
  int rc = handset_authenticate(o, user, sizeof user);
  return rc == EXIT_DONE ? send_over_link(o, user) : rc;
}
