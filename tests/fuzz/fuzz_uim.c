/* fuzz_uim.c — libFuzzer harness: the handset's UIM store file
 * (docs/uim-store.md), as uim_load hands its text to uim_parse.  A store
 * that parses is then used the way the handset uses it — users looked up,
 * auth results found, added and purged, the lock-out counted — at a fixed
 * clock, and written out as uim_save writes it; that text must parse again
 * to the same device and users.  A store that does not parse must say why.
 * Seeds: tests/fuzz/corpus/uim/ (stores as paygw-admin uim write makes
 * them, with a throw-away key). */
#include "handset-client/uim.h"
#include "proxlink/proxlink.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NOW 1795000000L /* 2026-11-18, fixed so runs repeat */

static void use_it(struct uim_store *s)
{
  char verified[32], expires[32];
  time_t until;

  for (size_t i = 0; i < s->n_users; i++) {
    const char *id = s->users[i].user_id;
    if (!proxlink_user_id_ok(id) || uim_find_user(s, id) == NULL)
      abort(); /* a user parsed is a user found */
    if (uim_auth_find(s, id, NOW, verified, expires) == 0
        && (strnlen(verified, 32) == 32 || strnlen(expires, 32) == 32))
      abort();
  }
  (void)uim_locked(s, NOW, &until);
  int left = uim_failed_attempt(s, NOW);
  if (left < 0 || left >= s->max_attempts)
    abort(); /* attempts left after one more failure */
  if (s->n_users > 0 && uim_auth_add(s, s->users[0].user_id, NOW, 300) == 0
      && uim_auth_find(s, s->users[0].user_id, NOW, verified, expires) != 0)
    abort(); /* an auth result just added is live */
  uim_auth_purge(s, NOW + 301);
  uim_attempt_succeeded(s);
  if (uim_failed_count(s) != 0)
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct uim_store *s = calloc(1, sizeof *s), *again = calloc(1, sizeof *again);
  char err[512] = "";

  if (uim_parse((const char *)data, size, s, err, sizeof err) != UIM_OK) {
    if (!err[0])
      abort(); /* a refusal says why */
    goto out;
  }
  if (s->max_attempts < 1 || s->max_attempts > 100 || s->lock_s < 1 || s->n_users > UIM_MAX_USERS)
    abort();
  use_it(s);
  /* what uim_save writes (without the file) must load again */
  char *text = json_dumps(s->root, JSON_INDENT(2));
  if (!text || uim_parse(text, strlen(text), again, err, sizeof err) != UIM_OK
      || strcmp(again->device_id, s->device_id) != 0 || again->n_users != s->n_users)
    abort();
  free(text);
out:
  uim_free(s);
  uim_free(again);
  free(s);
  free(again);
  return 0;
}
