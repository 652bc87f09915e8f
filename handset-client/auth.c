/* auth.c — local authentication, figure 12 up to the sending ([0063]-[0075]),
 * shared by `handset pay` (the user ID then goes to the POS) and `handset
 * shop` (it goes to an online shop, [0119]).  The user picks a card (fig 13),
 * types user ID and password; the handset checks them against the UIM store
 * ([0073]) and stores an authentication result with an expiry ([0074]).  A
 * failure counts towards the lock-out, and the caller sends nothing. */
#include "handset-client/handset.h"
#include "handset-client/screens.h"
#include "common/pwhash.h"
#include "proxlink/clientutil.h"
#include "proxlink/prompt.h"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

/* Which card: --card, else the card of --user, else asked. */
static const struct uim_user *pick_card(const struct handset_opts *o, const struct uim_store *s)
{
  char line[32];
  char *end;

  if (o->card)
    return (size_t)o->card <= s->n_users ? &s->users[o->card - 1] : NULL;
  if (o->user)
    return uim_find_user(s, o->user); /* NULL: an unknown user ID fails like a wrong password */
  if (!prompt_is_interactive()) {
    fprintf(stderr, "handset: no card chosen: give --card N or --user ID, or run on a terminal\n");
    return NULL;
  }
  if (prompt_line("Card number: ", true, line, sizeof line) != 0)
    return NULL;
  long n = strtol(line, &end, 10);
  if (!*line || *end || n < 1 || (size_t)n > s->n_users) {
    printf("There is no card %s.\n", line);
    return NULL;
  }
  return &s->users[n - 1];
}

/* Reads user ID and password (options, environment or the terminal). */
static int read_credentials(const struct handset_opts *o, char *user, size_t ulen, char *password, size_t plen)
{
  if (o->user)
    snprintf(user, ulen, "%s", o->user);
  else if (!prompt_is_interactive() || prompt_line("User ID: ", true, user, ulen) != 0)
    return -1;
  if (o->password)
    snprintf(password, plen, "%s", o->password);
  else if (!prompt_is_interactive() || prompt_line("Password: ", false, password, plen) != 0)
    return -1;
  return 0;
}

/* Records a failed attempt and says how it stands. */
static int authentication_failed(const struct handset_opts *o, struct uim_store *s)
{
  char err[512], until[32];
  time_t now = time(NULL), end; /* the lock-out: real clock only */
  int left = uim_failed_attempt(s, now);

  if (uim_save(s, handset_now(o), err, sizeof err) != 0)
    fprintf(stderr, "handset: %s\n", err);
  printf("Authentication failed. Nothing was sent.\n");
  if (left > 0) {
    printf("%d attempt%s left before this handset locks.\n", left, left == 1 ? "" : "s");
    return EXIT_AUTH;
  }
  uim_locked(s, now, &end);
  time_rfc3339(end, until, sizeof until);
  printf("Too many failed attempts: this handset is locked until %s.\n", until);
  return EXIT_LOCKED;
}

/* The card chosen and the typed credentials agree with the store. */
static bool credentials_match(const struct uim_user *card, const char *user, const char *password)
{
  /* verify even for a mismatched user ID, so timing does not tell them apart */
  bool pw_ok = pwhash_verify(card ? card->password_hash
                                  : "$argon2id$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$"
                                    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                             password);
  return card && strcmp(card->user_id, user) == 0 && pw_ok;
}

/* One authentication at a time per store (`pay` or `shop`): the failed-attempt counter and the auth
 * results are read, changed and written back, and two runs at once would
 * each start from the same count (defeating the lock-out) and one would lose
 * its update.  The lock is an flock on "<store>.lock", dropped by the
 * kernel when the process ends. */
static int lock_store(const char *store)
{
  char path[4096];
  snprintf(path, sizeof path, "%s.lock", store);
  int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0)
    return fd;
  if (fd >= 0)
    close(fd);
  return -1;
}

/* The store is open and not locked out: card, credentials, the check, and
 * the result recorded in the store. */
static int authenticate_in_store(const struct handset_opts *o, struct uim_store *s, char *user, size_t ulen)
{
  char password[256] = "", err[512], until[32];
  int rc;

  if (!o->card && !o->user)
    screen_cards(stdout, s);
  const struct uim_user *card = pick_card(o, s);
  if (o->card && !card) {
    fprintf(stderr, "handset: there is no card %d on this handset\n", o->card);
    return EXIT_USAGE;
  }
  if (!o->user && !card)
    return EXIT_USAGE; /* no card picked: nothing was tried */
  if (card && !o->user && o->card == 0)
    printf("Card: %s %s\n", card->label, card->card_masked);
  if (read_credentials(o, user, ulen, password, sizeof password) != 0) {
    fprintf(stderr, "handset: no user ID or password: give --user and PAYGW_HANDSET_PASSWORD (or --password), "
                    "or run on a terminal\n");
    rc = EXIT_USAGE;
  } else if (!credentials_match(card, user, password)) {
    rc = authentication_failed(o, s);
  } else {
    time_t now = handset_now(o);
    uim_attempt_succeeded(s);
    uim_auth_add(s, user, now, o->auth_ttl_s);
    rc = uim_save(s, now, err, sizeof err) == 0 ? EXIT_DONE : EXIT_USAGE;
    if (rc != EXIT_DONE) {
      fprintf(stderr, "handset: %s\n", err);
    } else {
      time_rfc3339(now + o->auth_ttl_s, until, sizeof until);
      printf("Authenticated: user ID %s (%s), valid until %s.\n", user, card->label, until);
    }
  }
  OPENSSL_cleanse(password, sizeof password);
  return rc;
}

int handset_authenticate(const struct handset_opts *o, char *user, size_t ulen)
{
  struct uim_store s;
  char until[32];
  time_t end;
  int lock = o->store && *o->store ? lock_store(o->store) : -2;

  *user = '\0';
  if (lock == -1) {
    fprintf(stderr,
            "handset: another `handset pay` or `handset shop` is using the store %s; try again when it has "
            "finished\n",
            o->store);
    return EXIT_USAGE;
  }
  int rc = handset_open_store(o, &s); /* on failure there is nothing to free */
  if (rc == 0) {
    if (uim_locked(&s, time(NULL), &end)) { /* never the simulated clock offset */
      time_rfc3339(end, until, sizeof until);
      printf("This handset is locked after too many failed attempts; try again after %s.\n", until);
      rc = EXIT_LOCKED;
    } else {
      rc = authenticate_in_store(o, &s, user, ulen);
    }
    uim_free(&s);
  }
  if (lock >= 0)
    close(lock);
  return rc;
}
