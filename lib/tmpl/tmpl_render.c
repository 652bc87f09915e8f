/* tmpl_render.c — renders a parsed template (tmpl_load.c) over a Jansson
 * value.  The context stack is a chain of frames on the C stack, innermost
 * first; names are looked up from it as mustache does.  Every value is
 * HTML-escaped on its way out. */
#include "tmpl/tmpl_internal.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One context on the stack. */
struct frame {
  const json_t *value;
  const struct frame *outer;
};

/* The output being built, and the first error. */
struct out {
  char *buf;
  size_t len, cap;
  bool failed;
  char *err;
  size_t errlen;
};

static void out_fail(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void out_fail(struct out *o, const char *fmt, ...)
{
  va_list ap;

  if (o->failed)
    return;
  o->failed = true;
  va_start(ap, fmt);
  vsnprintf(o->err, o->errlen, fmt, ap);
  va_end(ap);
}

static void put(struct out *o, const char *s, size_t n)
{
  if (o->failed)
    return;
  if (o->cap - o->len < n + 1) {
    size_t cap = o->cap ? o->cap : 4096;
    while (cap - o->len < n + 1)
      cap *= 2;
    char *b = realloc(o->buf, cap);
    if (!b) {
      out_fail(o, "out of memory");
      return;
    }
    o->buf = b;
    o->cap = cap;
  }
  memcpy(o->buf + o->len, s, n);
  o->len += n;
  o->buf[o->len] = '\0';
}

/* s (n bytes) with & < > " ' as character references. */
static void put_escaped(struct out *o, const char *s, size_t n)
{
  size_t from = 0;

  for (size_t i = 0; i < n; i++) {
    const char *ref;
    switch (s[i]) {
    case '&':
      ref = "&amp;";
      break;
    case '<':
      ref = "&lt;";
      break;
    case '>':
      ref = "&gt;";
      break;
    case '"':
      ref = "&quot;";
      break;
    case '\'':
      ref = "&#39;";
      break;
    default:
      continue;
    }
    put(o, s + from, i - from);
    put(o, ref, strlen(ref));
    from = i + 1;
  }
  put(o, s + from, n - from);
}

/* The value a name stands for, or NULL (missing).  The first part walks
 * the stack outwards to the first object that has it; the others are
 * looked up in what it found, and only there. */
static const json_t *lookup(const struct frame *f, const struct tmpl_node *nd)
{
  const json_t *v = NULL;

  if (strcmp(nd->parts[0], ".") == 0)
    return f ? f->value : NULL;
  for (; f; f = f->outer)
    if (json_is_object(f->value) && (v = json_object_get(f->value, nd->parts[0])) != NULL)
      break;
  for (size_t i = 1; v && i < nd->nparts; i++)
    v = json_is_object(v) ? json_object_get(v, nd->parts[i]) : NULL;
  return v;
}

/* Whether a section shows: false, null, missing, [], "" and 0 do not. */
static bool truthy(const json_t *v)
{
  switch (v ? json_typeof(v) : JSON_NULL) {
  case JSON_OBJECT:
  case JSON_TRUE:
    return true;
  case JSON_ARRAY:
    return json_array_size(v) > 0;
  case JSON_STRING:
    return json_string_length(v) > 0;
  case JSON_INTEGER:
    return json_integer_value(v) != 0;
  case JSON_REAL:
    return json_real_value(v) != 0.0;
  default:
    return false;
  }
}

/* {{name}}: strings as they are, numbers as Jansson writes them, true and
 * false as words; null, missing, arrays and objects as nothing. */
static void put_value(struct out *o, const json_t *v)
{
  char num[64];

  switch (v ? json_typeof(v) : JSON_NULL) {
  case JSON_STRING:
    put_escaped(o, json_string_value(v), json_string_length(v));
    break;
  case JSON_INTEGER:
    snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    put(o, num, strlen(num));
    break;
  case JSON_REAL:
    /* not for money (integers in minor units), but shown if given */
    snprintf(num, sizeof num, "%.17g", json_real_value(v));
    put(o, num, strlen(num));
    break;
  case JSON_TRUE:
    put(o, "true", 4);
    break;
  case JSON_FALSE:
    put(o, "false", 5);
    break;
  default:
    break;
  }
}

static void render_nodes(const struct tmpl_set *set, const struct tmpl_nodes *nodes, const struct frame *f, int depth,
                         struct out *o);

static void render_section(const struct tmpl_set *set, const struct tmpl_node *nd, const struct frame *f, int depth,
                           struct out *o)
{
  const json_t *v = lookup(f, nd);

  if (nd->kind == TMPL_INVERTED) {
    if (!truthy(v))
      render_nodes(set, &nd->children, f, depth, o);
    return;
  }
  if (!truthy(v))
    return;
  if (json_is_array(v)) {
    for (size_t i = 0; i < json_array_size(v) && !o->failed; i++) {
      struct frame inner = { .value = json_array_get(v, i), .outer = f };
      render_nodes(set, &nd->children, &inner, depth, o);
    }
    return;
  }
  /* an object, true, a string or a number: once, with it as {{.}} */
  struct frame inner = { .value = v, .outer = f };
  render_nodes(set, &nd->children, &inner, depth, o);
}

static void render_partial(const struct tmpl_set *set, const struct tmpl_node *nd, const struct frame *f, int depth,
                           struct out *o)
{
  const struct tmpl_template *t = tmpl_find(set, nd->text);

  if (!t) {
    out_fail(o, "unknown partial '%s'", nd->text);
    return;
  }
  if (depth >= TMPL_PARTIAL_DEPTH) {
    out_fail(o, "partial '%s' nested deeper than %d (recursion?)", nd->text, TMPL_PARTIAL_DEPTH);
    return;
  }
  render_nodes(set, &t->nodes, f, depth + 1, o);
}

/* depth: how many partials deep this is */
static void render_nodes(const struct tmpl_set *set, const struct tmpl_nodes *nodes, const struct frame *f, int depth,
                         struct out *o)
{
  for (size_t i = 0; i < nodes->n && !o->failed; i++) {
    const struct tmpl_node *nd = &nodes->v[i];
    switch (nd->kind) {
    case TMPL_TEXT:
      put(o, nd->text, nd->len);
      break;
    case TMPL_VAR:
      put_value(o, lookup(f, nd));
      break;
    case TMPL_SECTION:
    case TMPL_INVERTED:
      render_section(set, nd, f, depth, o);
      break;
    case TMPL_PARTIAL:
      render_partial(set, nd, f, depth, o);
      break;
    }
  }
}

char *tmpl_render(const struct tmpl_set *set, const char *name, const json_t *ctx, char *err, size_t errlen)
{
  struct out o = { .err = err, .errlen = errlen };
  struct frame top = { .value = ctx, .outer = NULL };
  const struct tmpl_template *t = set && name ? tmpl_find(set, name) : NULL;

  if (!t) {
    snprintf(err, errlen, "unknown template '%s'", name ? name : "(null)");
    return NULL;
  }
  put(&o, "", 0); /* an empty template renders as "", not NULL */
  render_nodes(set, &t->nodes, ctx ? &top : NULL, 0, &o);
  if (o.failed) {
    free(o.buf);
    return NULL;
  }
  return o.buf;
}
