/* tmpl.h — a small mustache-subset renderer over Jansson values, for the
 * shop's HTML pages (docs/templates.md).  Every value is HTML-escaped;
 * there is no unescaped form.
 *
 *   {{name}} {{a.b.c}}   the value, escaped (& < > " ' → &amp; &lt; &gt;
 *                        &quot; &#39;): strings as is, integers in
 *                        decimal, true → "true", false → "false",
 *                        null/missing/arrays/objects → empty
 *   {{.}}                the current value
 *   {{#x}}…{{/x}}        section: an array renders once per element (the
 *                        element pushed on the context stack), an object
 *                        once (pushed), true / a non-empty string / a
 *                        non-zero number once; false, null, missing, [],
 *                        "" and 0 not at all
 *   {{^x}}…{{/x}}        inverted: once exactly when {{#x}} would not
 *   {{>name}}            partial: the template NAME, at most 8 deep
 *   {{! comment}}        nothing
 *
 * A name is looked up from the innermost context outwards (mustache's
 * rule); for a dotted name only the first part walks the stack.  Lines
 * holding only a section tag are NOT stripped (unlike full mustache):
 * their newline stays in the output.  {{{x}}} and {{&x}} are load errors.
 *
 * A set is read and parsed once, then rendered many times; it is never
 * changed by rendering, so one set may serve a whole process. */
#ifndef PAYGW_TMPL_H
#define PAYGW_TMPL_H

#include <jansson.h>
#include <stddef.h>

struct tmpl_set;

/* Loads every NAME.html file in dir (templates and partials alike, named
 * NAME); NULL + err on a syntax error (unclosed section, mismatched close,
 * unknown tag kind, unreadable file), with file and line.  Parse once at
 * load into a tree, render many times. */
struct tmpl_set *tmpl_load_dir(const char *dir, char *err, size_t errlen);

/* Renders NAME with ctx; returns a malloc'd NUL-terminated string (caller
 * frees) or NULL + err (unknown template, partial recursion deeper than
 * 8). */
char *tmpl_render(const struct tmpl_set *set, const char *name, const json_t *ctx, char *err, size_t errlen);

void tmpl_free(struct tmpl_set *set);

#endif
