/* controls.c — the test-control file (controls.h): a pure parser, and a
 * process-wide copy re-read when the file's mtime changes. */
#include "credit-server/controls.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/log.h"

static bool is_last4(const char *s)
{
  if (strlen(s) != 4)
    return false;
  for (int i = 0; i < 4; i++)
    if (s[i] < '0' || s[i] > '9')
      return false;
  return true;
}

/* Parses one line (already without its newline) into rule. 1 = a rule,
 * 0 = blank or comment, -1 = malformed (reason in why). */
static int parse_line(char *line, struct control_rule *rule, const char **why)
{
  char *save = NULL;
  char *word = strtok_r(line, " \t\r", &save);

  if (!word || word[0] == '#')
    return 0;
  memset(rule, 0, sizeof *rule);
  char *card = strtok_r(NULL, " \t\r", &save);
  if (!card || !is_last4(card)) {
    *why = "expected the card's last 4 digits";
    return -1;
  }
  memcpy(rule->last4, card, 5);
  char *arg = strtok_r(NULL, " \t\r", &save);
  if (strcmp(word, "drop") == 0) {
    rule->drop = true;
  } else if (strcmp(word, "delay") == 0) {
    char *end = NULL;
    errno = 0;
    long ms = arg ? strtol(arg, &end, 10) : -1;
    if (!arg || errno || *end || ms < 1 || ms > CONTROLS_MAX_DELAY_MS) {
      *why = "expected a delay in milliseconds, 1 to 600000";
      return -1;
    }
    rule->delay_ms = ms;
    arg = strtok_r(NULL, " \t\r", &save);
  } else {
    *why = "unknown word (expected delay or drop)";
    return -1;
  }
  if (arg && arg[0] != '#') {
    *why = "unexpected text after the rule";
    return -1;
  }
  return 1;
}

int controls_parse(const char *text, struct control_set *set, char *err, size_t errlen)
{
  char line[256];
  int number = 0;

  memset(set, 0, sizeof *set);
  while (*text) {
    const char *nl = strchr(text, '\n');
    size_t n = nl ? (size_t)(nl - text) : strlen(text);
    number++;
    if (n >= sizeof line) {
      snprintf(err, errlen, "line %d: too long", number);
      return -1;
    }
    memcpy(line, text, n);
    line[n] = '\0';
    text += nl ? n + 1 : n;
    struct control_rule rule;
    const char *why = NULL;
    int rc = parse_line(line, &rule, &why);
    if (rc < 0) {
      snprintf(err, errlen, "line %d: %s", number, why);
      return -1;
    }
    if (rc == 0)
      continue;
    if (set->count == CONTROLS_MAX) {
      snprintf(err, errlen, "line %d: more than %d rules", number, CONTROLS_MAX);
      return -1;
    }
    set->rules[set->count++] = rule;
  }
  return 0;
}

void controls_lookup(const struct control_set *set, const char *last4, long *delay_ms, bool *drop)
{
  *delay_ms = 0;
  *drop = false;
  for (int i = 0; i < set->count; i++) {
    if (strcmp(set->rules[i].last4, last4) != 0)
      continue;
    if (set->rules[i].drop)
      *drop = true;
    else
      *delay_ms = set->rules[i].delay_ms;
  }
}

/* --- the process-wide copy ------------------------------------------------ */

static pthread_mutex_t controls_lock = PTHREAD_MUTEX_INITIALIZER;
static char *controls_path;
static struct control_set controls_current;
static struct timespec controls_mtime;
static bool controls_loaded;

void controls_enable(const char *path)
{
  pthread_mutex_lock(&controls_lock);
  free(controls_path);
  controls_path = path ? strdup(path) : NULL;
  controls_loaded = false;
  pthread_mutex_unlock(&controls_lock);
}

bool controls_enabled(void)
{
  pthread_mutex_lock(&controls_lock);
  bool on = controls_path != NULL;
  pthread_mutex_unlock(&controls_lock);
  return on;
}

/* Re-reads the file when it changed; called with controls_lock held.  A
 * missing file means no rules (tests remove it to switch controls off). */
static void reload_if_changed(void)
{
  struct stat st;

  if (stat(controls_path, &st) != 0) {
    memset(&controls_current, 0, sizeof controls_current);
    controls_loaded = false;
    return;
  }
  if (controls_loaded && st.st_mtim.tv_sec == controls_mtime.tv_sec && st.st_mtim.tv_nsec == controls_mtime.tv_nsec)
    return;
  FILE *f = fopen(controls_path, "r");
  if (!f)
    return;
  char text[CONTROLS_MAX * 40 + 1024];
  size_t n = fread(text, 1, sizeof text - 1, f);
  fclose(f);
  text[n] = '\0';
  struct control_set next;
  char err[160];
  controls_mtime = st.st_mtim;
  controls_loaded = true;
  if (controls_parse(text, &next, err, sizeof err) != 0) {
    log_event(LOG_WARN,
              json_pack("{s:s, s:s}", "msg", "test-control file refused; keeping the previous rules", "reason", err));
    return;
  }
  controls_current = next;
  log_event(LOG_WARN, json_pack("{s:s, s:i}", "msg", "test controls loaded", "rules", next.count));
}

void controls_for_card(const char *last4, long *delay_ms, bool *drop)
{
  *delay_ms = 0;
  *drop = false;
  pthread_mutex_lock(&controls_lock);
  if (controls_path) {
    reload_if_changed();
    controls_lookup(&controls_current, last4, delay_ms, drop);
  }
  pthread_mutex_unlock(&controls_lock);
}
