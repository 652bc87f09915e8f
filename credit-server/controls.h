/* controls.h — test controls (off unless --test-controls FILE): answer late
 * or never for chosen cards, so the gateway's time-out and reversal paths
 * can be tested.  Cards are named by their last 4 digits, so no card number
 * sits in the file.  Lines:
 *     delay <last4> <ms>     sleep first, then decide and answer
 *     drop <last4>           decide, never answer
 *     # comment              (blank lines too) */
#ifndef PAYGW_CREDIT_CONTROLS_H
#define PAYGW_CREDIT_CONTROLS_H

#include <stdbool.h>
#include <stddef.h>

#define CONTROLS_MAX 64
#define CONTROLS_MAX_DELAY_MS 600000

struct control_rule {
  char last4[5];
  bool drop;
  long delay_ms;
};

struct control_set {
  struct control_rule rules[CONTROLS_MAX];
  int count;
};

/* Parses the file's text.  Returns 0, or -1 with the first bad line's
 * number and reason in err (the set then holds the lines before it). */
int controls_parse(const char *text, struct control_set *set, char *err, size_t errlen);

/* What the set says for a card's last 4 digits: *delay_ms (0 = none) and
 * *drop.  The last matching line of each kind wins. */
void controls_lookup(const struct control_set *set, const char *last4, long *delay_ms, bool *drop);

/* Process-wide: remembers the file (NULL = controls off). */
void controls_enable(const char *path);
bool controls_enabled(void);

/* Looks up a card, re-reading the file first when its mtime changed (a file
 * that cannot be read or parsed keeps the previous rules, with a warning). */
void controls_for_card(const char *last4, long *delay_ms, bool *drop);

#endif
