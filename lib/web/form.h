/* form.h — application/x-www-form-urlencoded bodies of the web pages' forms
 * (the shop's and the history's):
 * name=value pairs separated by '&', '+' for a space, %XX escapes. */
#ifndef WEB_FORM_H
#define WEB_FORM_H

#include <stdbool.h>
#include <stddef.h>

#define FORM_MAX_FIELDS 16

struct form {
  int n;
  char *names[FORM_MAX_FIELDS];
  char *values[FORM_MAX_FIELDS];
  char *buf; /* one malloc'd copy holding every name and value */
};

/* Parses body (len bytes) into f.  0, or -1 for a malformed body (a bad
 * %XX escape, a NUL byte, more than FORM_MAX_FIELDS fields); f is then
 * empty.  form_free releases it either way. */
int form_parse(struct form *f, const char *body, size_t len);

/* The value of the first field called name, or NULL. */
const char *form_get(const struct form *f, const char *name);

void form_free(struct form *f);

/* Decodes one %XX / '+' encoded text of len bytes into out (at least len +
 * 1 bytes): 0, or -1 for a bad escape or a NUL. */
int form_unescape(const char *in, size_t len, char *out);

#endif
