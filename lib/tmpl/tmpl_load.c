/* tmpl_load.c — reads a directory of NAME.html files and parses each into
 * a tree of nodes (tmpl_internal.h) once, so rendering never parses.  The
 * syntax is in tmpl.h and docs/templates.md; every error names the file
 * and the line. */
#include "tmpl/tmpl_internal.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SUFFIX ".html"
#define SUFFIX_LEN (sizeof SUFFIX - 1)

/* Where the parser is in one file. */
struct parser {
  const char *file; /* its name, for errors */
  const char *p, *end;
  int line;
  char *err;
  size_t errlen;
};

static void fail(struct parser *ps, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void fail(struct parser *ps, int line, const char *fmt, ...)
{
  va_list ap;
  int n = snprintf(ps->err, ps->errlen, "%s:%d: ", ps->file, line);

  if (n < 0 || (size_t)n >= ps->errlen)
    return;
  va_start(ap, fmt);
  vsnprintf(ps->err + n, ps->errlen - (size_t)n, fmt, ap);
  va_end(ap);
}

static void nodes_free(struct tmpl_nodes *nodes)
{
  for (size_t i = 0; i < nodes->n; i++) {
    struct tmpl_node *nd = &nodes->v[i];
    free(nd->text);
    for (size_t j = 0; j < nd->nparts; j++)
      free(nd->parts[j]);
    free(nd->parts);
    nodes_free(&nd->children);
  }
  free(nodes->v);
  nodes->v = NULL;
  nodes->n = nodes->cap = 0;
}

/* A new zeroed node at the end of nodes, or NULL (no memory). */
static struct tmpl_node *nodes_add(struct tmpl_nodes *nodes, enum tmpl_kind kind)
{
  if (nodes->n == nodes->cap) {
    size_t cap = nodes->cap ? 2 * nodes->cap : 8;
    struct tmpl_node *v = realloc(nodes->v, cap * sizeof *v);
    if (!v)
      return NULL;
    nodes->v = v;
    nodes->cap = cap;
  }
  struct tmpl_node *nd = &nodes->v[nodes->n++];
  memset(nd, 0, sizeof *nd);
  nd->kind = kind;
  return nd;
}

static bool is_name_char(char c)
{
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static bool is_space(char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Splits a tag's name (s, len, already trimmed) at its dots into
 * nd->parts, and keeps it whole in nd->text.  "." alone is the current
 * value.  Returns 0, or -1 with the
 * error set (empty part, a character outside [A-Za-z0-9_-], no memory). */
static int split_name(struct parser *ps, int line, const char *s, size_t len, struct tmpl_node *nd)
{
  if (!(nd->text = strndup(s, len)))
    goto nomem;
  nd->len = len;
  if (len == 1 && s[0] == '.') {
    nd->parts = malloc(sizeof *nd->parts);
    if (!nd->parts || !(nd->parts[0] = strdup(".")))
      goto nomem;
    nd->nparts = 1;
    return 0;
  }
  size_t count = 1;
  for (size_t i = 0; i < len; i++) {
    if (s[i] == '.')
      count++;
    else if (!is_name_char(s[i])) {
      fail(ps, line, "bad name '%.*s': letters, digits, '_', '-' and dots between them only", (int)len, s);
      return -1;
    }
  }
  nd->parts = calloc(count, sizeof *nd->parts);
  if (!nd->parts)
    goto nomem;
  const char *start = s;
  for (size_t i = 0; i <= len; i++) {
    if (i < len && s[i] != '.')
      continue;
    size_t plen = (size_t)(s + i - start);
    if (plen == 0) {
      fail(ps, line, "bad name '%.*s': an empty part between dots", (int)len, s);
      return -1;
    }
    if (!(nd->parts[nd->nparts] = strndup(start, plen)))
      goto nomem;
    nd->nparts++;
    start = s + i + 1;
  }
  return 0;
nomem:
  fail(ps, line, "out of memory");
  return -1;
}

/* Advances over text up to the next "{{" (or the end), counting lines;
 * adds it as a text node.  Returns 0 or -1. */
static int parse_text(struct parser *ps, struct tmpl_nodes *out)
{
  const char *start = ps->p;

  while (ps->p < ps->end && !(ps->p[0] == '{' && ps->p + 1 < ps->end && ps->p[1] == '{')) {
    if (*ps->p == '\n')
      ps->line++;
    ps->p++;
  }
  if (ps->p == start)
    return 0;
  struct tmpl_node *nd = nodes_add(out, TMPL_TEXT);
  if (!nd || !(nd->text = malloc((size_t)(ps->p - start)))) {
    fail(ps, ps->line, "out of memory");
    return -1;
  }
  nd->len = (size_t)(ps->p - start);
  memcpy(nd->text, start, nd->len);
  return 0;
}

/* One tag: ps->p is at "{{".  Sets *sigil ('\0' for a plain name), *body
 * and *len (the content after the sigil, trimmed) and moves past "}}".
 * Returns 0 or -1. */
static int read_tag(struct parser *ps, char *sigil, const char **body, size_t *len)
{
  int line = ps->line;
  const char *s = ps->p + 2, *close = NULL;

  for (const char *q = s; q + 1 < ps->end; q++)
    if (q[0] == '}' && q[1] == '}') {
      close = q;
      break;
    }
  if (!close) {
    fail(ps, line, "unclosed tag: '{{' without '}}'");
    return -1;
  }
  for (const char *q = ps->p; q < close; q++)
    if (*q == '\n')
      ps->line++;
  ps->p = close + 2;
  while (s < close && is_space(*s))
    s++;
  *sigil = '\0';
  if (s < close && !is_name_char(*s) && *s != '.')
    *sigil = *s++;
  while (s < close && is_space(*s))
    s++;
  while (close > s && is_space(close[-1]))
    close--;
  *body = s;
  *len = (size_t)(close - s);
  return 0;
}

static int parse_nodes(struct parser *ps, struct tmpl_nodes *out, const struct tmpl_node *open, int open_line,
                       int depth);

/* A section or inverted section: parses its children up to the matching
 * close. */
static int parse_section(struct parser *ps, struct tmpl_nodes *out, enum tmpl_kind kind, const char *name, size_t len,
                         int line, int depth)
{
  struct tmpl_node *nd = nodes_add(out, kind);

  if (!nd) {
    fail(ps, line, "out of memory");
    return -1;
  }
  if (split_name(ps, line, name, len, nd) != 0)
    return -1;
  if (depth >= TMPL_SECTION_DEPTH) {
    fail(ps, line, "sections nested deeper than %d", TMPL_SECTION_DEPTH);
    return -1;
  }
  /* nd may move when out grows, but out does not grow while its children
   * are parsed into nd->children */
  return parse_nodes(ps, &nd->children, nd, line, depth + 1);
}

/* True when a close tag's name (s, len) is the open section's name. */
static bool closes(const struct tmpl_node *open, const char *s, size_t len)
{
  return open->len == len && memcmp(open->text, s, len) == 0;
}

static int parse_close(struct parser *ps, const struct tmpl_node *open, int open_line, const char *s, size_t len,
                       int line)
{
  if (!open) {
    fail(ps, line, "{{/%.*s}} closes no open section", (int)len, s);
    return -1;
  }
  if (!closes(open, s, len)) {
    fail(ps, line, "{{/%.*s}} does not close the section opened on line %d", (int)len, s, open_line);
    return -1;
  }
  return 1;
}

/* One tag at ps->p.  Returns 0 to go on, 1 when it closed `open`, -1 on an
 * error. */
static int parse_tag(struct parser *ps, struct tmpl_nodes *out, const struct tmpl_node *open, int open_line, int depth)
{
  int line = ps->line;
  char sigil;
  const char *s;
  size_t len;
  struct tmpl_node *nd;

  if (read_tag(ps, &sigil, &s, &len) != 0)
    return -1;
  if (sigil == '!')
    return 0;
  if (sigil == '{' || sigil == '&') {
    fail(ps, line, "unescaped output ({{{...}}}, {{&...}}) is not supported: every value is HTML-escaped");
    return -1;
  }
  if (sigil != '\0' && sigil != '#' && sigil != '^' && sigil != '/' && sigil != '>') {
    fail(ps, line, "unknown tag kind '%c'", sigil);
    return -1;
  }
  if (len == 0) {
    fail(ps, line, "a tag without a name");
    return -1;
  }
  switch (sigil) {
  case '#':
    return parse_section(ps, out, TMPL_SECTION, s, len, line, depth);
  case '^':
    return parse_section(ps, out, TMPL_INVERTED, s, len, line, depth);
  case '/':
    return parse_close(ps, open, open_line, s, len, line);
  case '>':
    for (size_t i = 0; i < len; i++)
      if (!is_name_char(s[i])) {
        fail(ps, line, "bad partial name '%.*s'", (int)len, s);
        return -1;
      }
    if (!(nd = nodes_add(out, TMPL_PARTIAL)) || !(nd->text = strndup(s, len))) {
      fail(ps, line, "out of memory");
      return -1;
    }
    nd->len = len;
    nd->line = line;
    return 0;
  default:
    if (!(nd = nodes_add(out, TMPL_VAR))) {
      fail(ps, line, "out of memory");
      return -1;
    }
    return split_name(ps, line, s, len, nd);
  }
}

/* Nodes into out until the close of `open` (NULL at the top level: until
 * the end of the file).  Returns 0 or -1. */
static int parse_nodes(struct parser *ps, struct tmpl_nodes *out, const struct tmpl_node *open, int open_line,
                       int depth)
{
  for (;;) {
    if (parse_text(ps, out) != 0)
      return -1;
    if (ps->p >= ps->end)
      break;
    int r = parse_tag(ps, out, open, open_line, depth);
    if (r < 0)
      return -1;
    if (r == 1)
      return 0;
  }
  if (open) {
    fail(ps, open_line, "unclosed section '%s'", open->text);
    return -1;
  }
  return 0;
}

/* The whole of path, malloc'd, its length in *len; NULL + err. */
static char *read_file(const char *path, const char *file, size_t *len, char *err, size_t errlen)
{
  FILE *f = fopen(path, "rb");
  char *buf = NULL;
  size_t n = 0, cap = 0;

  if (!f) {
    snprintf(err, errlen, "%s: unreadable: %s", file, strerror(errno));
    return NULL;
  }
  for (;;) {
    if (cap - n < 4096) {
      cap = cap ? 2 * cap : 16384;
      char *nb = realloc(buf, cap);
      if (!nb) {
        snprintf(err, errlen, "%s: out of memory", file);
        goto bad;
      }
      buf = nb;
    }
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (got == 0)
      break;
  }
  if (ferror(f)) {
    snprintf(err, errlen, "%s: unreadable: %s", file, strerror(errno ? errno : EIO));
    goto bad;
  }
  if (memchr(buf, '\0', n)) {
    snprintf(err, errlen, "%s: holds a NUL byte", file);
    goto bad;
  }
  fclose(f);
  *len = n;
  return buf;
bad:
  fclose(f);
  free(buf);
  return NULL;
}

/* Reads and parses one file into t.  Returns 0 or -1 + err. */
static int load_one(const char *dir, const char *file, struct tmpl_template *t, char *err, size_t errlen)
{
  size_t dlen = strlen(dir), flen = strlen(file);
  char *path = malloc(dlen + flen + 2);
  size_t len = 0;

  if (!path) {
    snprintf(err, errlen, "%s: out of memory", file);
    return -1;
  }
  snprintf(path, dlen + flen + 2, "%s/%s", dir, file);
  char *text = read_file(path, file, &len, err, errlen);
  free(path);
  if (!text)
    return -1;
  struct parser ps = { .file = file, .p = text, .end = text + len, .line = 1, .err = err, .errlen = errlen };
  int r = parse_nodes(&ps, &t->nodes, NULL, 0, 0);
  free(text);
  return r;
}

static int by_name(const void *a, const void *b)
{
  return strcmp(((const struct tmpl_template *)a)->name, ((const struct tmpl_template *)b)->name);
}

const struct tmpl_template *tmpl_find(const struct tmpl_set *set, const char *name)
{
  struct tmpl_template key = { .name = (char *)name };

  return bsearch(&key, set->v, set->n, sizeof *set->v, by_name);
}

/* A template's name from its file name: NAME.html with NAME of
 * [A-Za-z0-9_-]; NULL for any other file.  Returns a malloc'd string, or
 * NULL with *bad set when the file ends in .html but NAME is not a name. */
static char *template_name(const char *file, bool *bad)
{
  size_t len = strlen(file);

  *bad = false;
  if (file[0] == '.' || len <= SUFFIX_LEN || strcmp(file + len - SUFFIX_LEN, SUFFIX) != 0)
    return NULL;
  for (size_t i = 0; i < len - SUFFIX_LEN; i++)
    if (!is_name_char(file[i])) {
      *bad = true;
      return NULL;
    }
  char *name = strndup(file, len - SUFFIX_LEN);
  *bad = name == NULL;
  return name;
}

/* Adds dir/file to set as a template (if it is one).  Returns 0 or -1. */
static int add_file(struct tmpl_set *set, size_t *cap, const char *dir, const char *file, char *err, size_t errlen)
{
  bool bad;
  char *name = template_name(file, &bad);

  if (!name) {
    if (bad)
      snprintf(err, errlen, "%s: a template's name is letters, digits, '_' and '-' only", file);
    return bad ? -1 : 0;
  }
  if (set->n == *cap) {
    size_t ncap = *cap ? 2 * *cap : 16;
    struct tmpl_template *v = realloc(set->v, ncap * sizeof *v);
    if (!v) {
      free(name);
      snprintf(err, errlen, "%s: out of memory", file);
      return -1;
    }
    set->v = v;
    *cap = ncap;
  }
  struct tmpl_template *t = &set->v[set->n++];
  memset(t, 0, sizeof *t);
  t->name = name;
  return load_one(dir, file, t, err, errlen);
}

/* Every {{>name}} in nodes names a template of set.  Returns 0, or -1 +
 * err (a typo found at load, not at the first render). */
static int check_partials(const struct tmpl_set *set, const char *tname, const struct tmpl_nodes *nodes, char *err,
                          size_t errlen)
{
  for (size_t i = 0; i < nodes->n; i++) {
    const struct tmpl_node *nd = &nodes->v[i];
    if (nd->kind == TMPL_PARTIAL && !tmpl_find(set, nd->text)) {
      snprintf(err, errlen, "%s.html:%d: {{>%s}}: no template %s.html", tname, nd->line, nd->text, nd->text);
      return -1;
    }
    if (check_partials(set, tname, &nd->children, err, errlen) != 0)
      return -1;
  }
  return 0;
}

struct tmpl_set *tmpl_load_dir(const char *dir, char *err, size_t errlen)
{
  struct tmpl_set *set = calloc(1, sizeof *set);
  size_t cap = 0;
  DIR *d = NULL;
  struct dirent *de;

  if (!set) {
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  if (!(d = opendir(dir))) {
    snprintf(err, errlen, "%s: unreadable directory: %s", dir, strerror(errno));
    goto bad;
  }
  while ((de = readdir(d)) != NULL)
    if (add_file(set, &cap, dir, de->d_name, err, errlen) != 0)
      goto bad;
  closedir(d);
  d = NULL;
  if (set->n == 0) {
    snprintf(err, errlen, "%s: no NAME.html templates", dir);
    goto bad;
  }
  qsort(set->v, set->n, sizeof *set->v, by_name);
  for (size_t i = 0; i < set->n; i++)
    if (check_partials(set, set->v[i].name, &set->v[i].nodes, err, errlen) != 0)
      goto bad;
  return set;
bad:
  if (d)
    closedir(d);
  tmpl_free(set);
  return NULL;
}

void tmpl_free(struct tmpl_set *set)
{
  if (!set)
    return;
  for (size_t i = 0; i < set->n; i++) {
    free(set->v[i].name);
    nodes_free(&set->v[i].nodes);
  }
  free(set->v);
  free(set);
}
