/* tmpl_internal.h — the parsed form of a template set, shared by the
 * loader (tmpl_load.c) and the renderer (tmpl_render.c).  Not for callers:
 * they see struct tmpl_set only through tmpl.h. */
#ifndef PAYGW_TMPL_INTERNAL_H
#define PAYGW_TMPL_INTERNAL_H

#include "tmpl/tmpl.h"

#include <stddef.h>

#define TMPL_PARTIAL_DEPTH 8  /* partials inside partials, at most */
#define TMPL_SECTION_DEPTH 64 /* sections inside sections in one file */

enum tmpl_kind {
  TMPL_TEXT,     /* literal text: text, len */
  TMPL_VAR,      /* {{name}}: text, parts */
  TMPL_SECTION,  /* {{#name}}: text, parts, children */
  TMPL_INVERTED, /* {{^name}}: text, parts, children */
  TMPL_PARTIAL,  /* {{>name}}: text = the template's name */
};

struct tmpl_node;

struct tmpl_nodes {
  struct tmpl_node *v;
  size_t n, cap;
};

struct tmpl_node {
  enum tmpl_kind kind;
  char *text; /* TMPL_TEXT: the bytes; others: the name as written (NUL-ended) */
  size_t len;
  char **parts; /* a name split at its dots; "." is one part "." */
  size_t nparts;
  struct tmpl_nodes children; /* sections */
  int line;                   /* TMPL_PARTIAL: where, for the load's check */
};

struct tmpl_template {
  char *name; /* the file name without .html */
  struct tmpl_nodes nodes;
};

struct tmpl_set {
  struct tmpl_template *v; /* sorted by name */
  size_t n;
};

/* The template called name, or NULL. */
const struct tmpl_template *tmpl_find(const struct tmpl_set *set, const char *name);

#endif
