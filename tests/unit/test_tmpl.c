/* test_tmpl.c — unit tests for lib/tmpl, the shop's mustache-subset
 * renderer: escaping, values, sections over each kind of value, inverted
 * sections, dotted names, the context stack, partials and their depth,
 * every load error with its file and line, no unescaped form, and a large
 * template.  Each test writes its templates into a fresh directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "tmpl/tmpl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct fixture {
  char dir[64];
  struct tmpl_set *set;
  char err[256];
};

static int setup(void **state)
{
  struct fixture *fx = calloc(1, sizeof *fx);

  if (!fx)
    return -1;
  snprintf(fx->dir, sizeof fx->dir, "/tmp/test_tmpl.XXXXXX");
  if (!mkdtemp(fx->dir)) {
    free(fx);
    return -1;
  }
  *state = fx;
  return 0;
}

static int teardown(void **state)
{
  struct fixture *fx = *state;
  char cmd[128];

  tmpl_free(fx->set);
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
  int rc = system(cmd);
  free(fx);
  return rc == 0 ? 0 : -1;
}

static void put_file(struct fixture *fx, const char *file, const char *text, size_t len)
{
  char path[128];

  snprintf(path, sizeof path, "%s/%s", fx->dir, file);
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(text, 1, len, f), len);
  assert_int_equal(fclose(f), 0);
}

/* NAME.html holding text */
static void put_tmpl(struct fixture *fx, const char *name, const char *text)
{
  char file[64];

  snprintf(file, sizeof file, "%s.html", name);
  put_file(fx, file, text, strlen(text));
}

static void load(struct fixture *fx)
{
  tmpl_free(fx->set);
  fx->set = tmpl_load_dir(fx->dir, fx->err, sizeof fx->err);
  if (!fx->set)
    fail_msg("load failed: %s", fx->err);
}

/* The load error for the templates written so far (the load must fail). */
static const char *load_error(struct fixture *fx)
{
  fx->err[0] = '\0';
  struct tmpl_set *set = tmpl_load_dir(fx->dir, fx->err, sizeof fx->err);
  if (set) {
    tmpl_free(set);
    fail_msg("load succeeded where it must fail");
  }
  assert_true(fx->err[0] != '\0');
  return fx->err;
}

/* Renders name with the JSON text ctx_json and checks the result. */
static void expect(struct fixture *fx, const char *name, const char *ctx_json, const char *want)
{
  json_error_t jerr;
  json_t *ctx = json_loads(ctx_json, 0, &jerr);
  if (!ctx)
    fail_msg("bad test JSON: %s", jerr.text);
  char *got = tmpl_render(fx->set, name, ctx, fx->err, sizeof fx->err);
  json_decref(ctx);
  if (!got)
    fail_msg("render failed: %s", fx->err);
  assert_string_equal(got, want);
  free(got);
}

/* One template t.html of text, rendered with ctx_json. */
static void expect1(struct fixture *fx, const char *text, const char *ctx_json, const char *want)
{
  put_tmpl(fx, "t", text);
  load(fx);
  expect(fx, "t", ctx_json, want);
}

static void escapes_every_value(void **state)
{
  struct fixture *fx = *state;

  expect1(fx, "<p title=\"{{x}}\">{{x}}</p>", "{\"x\": \"<script>alert(1)</script>\\\"'&\"}",
          "<p title=\"&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;\">"
          "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;</p>");
  /* in sections, partials and {{.}} alike */
  put_tmpl(fx, "p", "[{{.}}]");
  expect1(fx, "{{#xs}}{{>p}}{{/xs}}{{#o}}{{a.b}}{{/o}}", "{\"xs\": [\"<b>\", \"a&b\"], \"o\": {\"a\": {\"b\": \"'\"}}}",
          "[&lt;b&gt;][a&amp;b]&#39;");
  /* text outside tags is the template's own, left as written */
  expect1(fx, "<b>&amp;</b> {{x}}", "{\"x\": \"é日本\"}", "<b>&amp;</b> é日本");
}

static void renders_each_kind_of_value(void **state)
{
  struct fixture *fx = *state;

  expect1(fx, "{{s}}|{{i}}|{{neg}}|{{big}}|{{t}}|{{f}}|{{n}}|{{missing}}|{{arr}}|{{obj}}|{{r}}",
          "{\"s\": \"text\", \"i\": 3456, \"neg\": -5, \"big\": 9007199254740993, \"t\": true, \"f\": false,"
          " \"n\": null, \"arr\": [1], \"obj\": {\"a\": 1}, \"r\": 1.5}",
          "text|3456|-5|9007199254740993|true|false|||||1.5");
  expect1(fx, "{{ s }}|{{\ts\n}}", "{\"s\": \"spaces\"}", "spaces|spaces");
  expect1(fx, "", "{}", "");
  expect1(fx, "plain text, no tags\n", "{}", "plain text, no tags\n");
  expect1(fx, "a { b } {c} }} {", "{}", "a { b } {c} }} {");
}

static void sections_over_arrays(void **state)
{
  struct fixture *fx = *state;

  expect1(fx, "<ul>{{#items}}<li>{{name}}={{qty}}</li>{{/items}}</ul>",
          "{\"items\": [{\"name\": \"tea\", \"qty\": 2}, {\"name\": \"cake\", \"qty\": 1}]}",
          "<ul><li>tea=2</li><li>cake=1</li></ul>");
  expect1(fx, "{{#xs}}<{{.}}>{{/xs}}", "{\"xs\": [\"a\", 1, true, null]}", "<a><1><true><>");
  expect1(fx, "[{{#xs}}x{{/xs}}]", "{\"xs\": []}", "[]");
  /* nested arrays */
  expect1(fx, "{{#rows}}({{#.}}{{.}},{{/.}}){{/rows}}", "{\"rows\": [[1, 2], [], [3]]}", "(1,2,)()(3,)");
}

static void sections_over_objects_and_scalars(void **state)
{
  struct fixture *fx = *state;

  expect1(fx, "{{#receipt}}total {{total}} {{currency}}{{/receipt}}",
          "{\"receipt\": {\"total\": 3456, \"currency\": \"JPY\"}}", "total 3456 JPY");
  expect1(fx, "[{{#o}}shown{{/o}}]", "{\"o\": {}}", "[shown]");
  expect1(fx, "[{{#b}}yes{{/b}}]", "{\"b\": true}", "[yes]");
  expect1(fx, "[{{#b}}yes{{/b}}]", "{\"b\": false}", "[]");
  expect1(fx, "[{{#b}}yes{{/b}}]", "{\"b\": null}", "[]");
  expect1(fx, "[{{#b}}yes{{/b}}]", "{}", "[]");
  expect1(fx, "[{{#e}}<p>{{.}}</p>{{/e}}]", "{\"e\": \"refused & why\"}", "[<p>refused &amp; why</p>]");
  expect1(fx, "[{{#e}}<p>{{.}}</p>{{/e}}]", "{\"e\": \"\"}", "[]");
  expect1(fx, "[{{#n}}n={{.}}{{/n}}]", "{\"n\": 7}", "[n=7]");
  expect1(fx, "[{{#n}}n={{.}}{{/n}}]", "{\"n\": 0}", "[]");
  expect1(fx, "[{{#n}}n={{.}}{{/n}}]", "{\"n\": 0.0}", "[]");
}

static void inverted_sections(void **state)
{
  struct fixture *fx = *state;
  const char *t = "[{{^x}}none{{/x}}]";

  expect1(fx, t, "{}", "[none]");
  expect1(fx, t, "{\"x\": null}", "[none]");
  expect1(fx, t, "{\"x\": false}", "[none]");
  expect1(fx, t, "{\"x\": []}", "[none]");
  expect1(fx, t, "{\"x\": \"\"}", "[none]");
  expect1(fx, t, "{\"x\": 0}", "[none]");
  expect1(fx, t, "{\"x\": true}", "[]");
  expect1(fx, t, "{\"x\": [1]}", "[]");
  expect1(fx, t, "{\"x\": {}}", "[]");
  expect1(fx, t, "{\"x\": \"a\"}", "[]");
  expect1(fx, t, "{\"x\": 1}", "[]");
  /* the usual pair, and the context inside an inverted section is the
   * outer one */
  expect1(fx, "{{#xs}}{{.}}{{/xs}}{{^xs}}empty: {{msg}}{{/xs}}", "{\"xs\": [], \"msg\": \"cart\"}", "empty: cart");
}

static void dotted_names(void **state)
{
  struct fixture *fx = *state;

  expect1(fx, "{{a.b.c}}|{{a.b}}|{{a.x.c}}|{{a.b.c.d}}|{{s.len}}",
          "{\"a\": {\"b\": {\"c\": \"deep\"}}, \"s\": \"string\"}", "deep||||");
  expect1(fx, "{{#a.b}}{{c}}{{/a.b}}", "{\"a\": {\"b\": {\"c\": 42}}}", "42");
  expect1(fx, "{{^a.x}}no x{{/a.x}}", "{\"a\": {\"b\": 1}}", "no x");
}

static void names_walk_the_stack_outwards(void **state)
{
  struct fixture *fx = *state;

  /* inner shadows outer; what the inner lacks comes from outside */
  expect1(fx, "{{name}}:{{#items}}{{name}}@{{shop}},{{/items}}{{name}}",
          "{\"name\": \"order\", \"shop\": \"demo\", \"items\": [{\"name\": \"tea\"}, {\"name\": \"cake\", \"shop\": "
          "\"other\"}]}",
          "order:tea@demo,cake@other,order");
  /* three levels */
  expect1(fx, "{{#a}}{{#b}}{{#c}}{{x}}{{y}}{{z}}{{/c}}{{/b}}{{/a}}",
          "{\"z\": 3, \"a\": {\"y\": 2, \"b\": {\"c\": {\"x\": 1}}}}", "123");
  /* a dotted name: its first part walks the stack, the rest does not
   * (the inner a has no b: empty, not the outer a.b) */
  expect1(fx, "{{#inner}}[{{a.b}}]{{/inner}}", "{\"a\": {\"b\": \"outer\"}, \"inner\": {\"a\": {}}}", "[]");
  expect1(fx, "{{#inner}}[{{a.b}}]{{/inner}}", "{\"a\": {\"b\": \"outer\"}, \"inner\": {\"c\": 1}}", "[outer]");
  /* a key with null stops the walk (it is present), as in mustache */
  expect1(fx, "{{#inner}}[{{k}}]{{/inner}}", "{\"k\": \"outer\", \"inner\": {\"k\": null}}", "[]");
  /* scalar frames hold no names: look-ups pass through them */
  expect1(fx, "{{#xs}}{{.}}{{sep}}{{/xs}}", "{\"sep\": \";\", \"xs\": [1, 2]}", "1;2;");
}

static void partials(void **state)
{
  struct fixture *fx = *state;

  put_tmpl(fx, "layout", "<main data-page=\"{{page}}\">{{>line}}{{#lines}}{{>line}}{{/lines}}</main>");
  put_tmpl(fx, "line", "<li>{{name}}</li>");
  load(fx);
  expect(fx, "layout", "{\"page\": \"cart\", \"name\": \"top\", \"lines\": [{\"name\": \"a\"}, {\"name\": \"b\"}]}",
         "<main data-page=\"cart\"><li>top</li><li>a</li><li>b</li></main>");
  /* a partial is a template in its own right */
  expect(fx, "line", "{\"name\": \"<x>\"}", "<li>&lt;x&gt;</li>");
}

static void partials_nest_eight_deep_and_no_deeper(void **state)
{
  struct fixture *fx = *state;
  char name[8], text[64];

  /* p0 includes p1 ... p7 includes p8, which is text: 8 partials deep */
  for (int i = 0; i < 8; i++) {
    snprintf(name, sizeof name, "p%d", i);
    snprintf(text, sizeof text, "%d{{>p%d}}", i, i + 1);
    put_tmpl(fx, name, text);
  }
  put_tmpl(fx, "p8", "8");
  put_tmpl(fx, "top", "{{>p0}}");
  load(fx);
  expect(fx, "p0", "{}", "012345678");
  /* from top it is 9 deep: refused, with no partial output */
  json_t *empty = json_object();
  char *out = tmpl_render(fx->set, "top", empty, fx->err, sizeof fx->err);
  json_decref(empty);
  assert_null(out);
  assert_non_null(strstr(fx->err, "deeper than 8"));

  /* recursion that ends through data is fine, that does not is refused;
   * a leaf needs its own empty "kids", or the look-up finds its parent's
   * (the stack rule) and the recursion never ends */
  put_tmpl(fx, "tree", "({{name}}{{#kids}}{{>tree}}{{/kids}})");
  put_tmpl(fx, "loop", "x{{>loop}}");
  load(fx);
  expect(fx, "tree",
         "{\"name\": \"a\", \"kids\": [{\"name\": \"b\", \"kids\": [{\"name\": \"c\", \"kids\": []}]},"
         " {\"name\": \"d\", \"kids\": []}]}",
         "(a(b(c))(d))");
  json_t *leaf_less = json_loads("{\"name\": \"a\", \"kids\": [{\"name\": \"b\"}]}", 0, NULL);
  out = tmpl_render(fx->set, "tree", leaf_less, fx->err, sizeof fx->err);
  json_decref(leaf_less);
  assert_null(out);
  assert_non_null(strstr(fx->err, "'tree' nested deeper than 8"));
  json_t *ctx = json_object();
  out = tmpl_render(fx->set, "loop", ctx, fx->err, sizeof fx->err);
  json_decref(ctx);
  assert_null(out);
  assert_non_null(strstr(fx->err, "'loop' nested deeper than 8"));
}

static void render_errors(void **state)
{
  struct fixture *fx = *state;

  put_tmpl(fx, "t", "x");
  load(fx);
  assert_null(tmpl_render(fx->set, "nosuch", NULL, fx->err, sizeof fx->err));
  assert_string_equal(fx->err, "unknown template 'nosuch'");
  assert_null(tmpl_render(fx->set, NULL, NULL, fx->err, sizeof fx->err));
  assert_null(tmpl_render(NULL, "t", NULL, fx->err, sizeof fx->err));
  /* no context at all: names are empty, sections do not show */
  char *out = tmpl_render(fx->set, "t", NULL, fx->err, sizeof fx->err);
  assert_string_equal(out, "x");
  free(out);
}

static void comments_and_standalone_lines(void **state)
{
  struct fixture *fx = *state;

  expect1(fx, "a{{! a comment }}b{{!\nover\nlines }}c", "{}", "abc");
  /* standalone section lines are not stripped: their newlines stay */
  expect1(fx, "<ul>\n{{#xs}}\n<li>{{.}}</li>\n{{/xs}}\n</ul>\n", "{\"xs\": [1, 2]}",
          "<ul>\n\n<li>1</li>\n\n<li>2</li>\n\n</ul>\n");
}

static void unescaped_forms_are_refused(void **state)
{
  struct fixture *fx = *state;

  put_tmpl(fx, "t", "ok\n{{{x}}}");
  assert_string_equal(load_error(fx), "t.html:2: unescaped output ({{{...}}}, {{&...}}) is not supported: every value "
                                      "is HTML-escaped");
  put_tmpl(fx, "t", "{{& x}}");
  assert_non_null(strstr(load_error(fx), "t.html:1: unescaped output"));
}

/* t.html holding text fails to load with exactly want. */
static void expect_load_error(struct fixture *fx, const char *text, const char *want)
{
  put_tmpl(fx, "t", text);
  assert_string_equal(load_error(fx), want);
}

static void syntax_errors_name_file_and_line(void **state)
{
  struct fixture *fx = *state;

  put_tmpl(fx, "good", "fine");
  expect_load_error(fx, "a\n{{#items}}\n{{name}}\n", "t.html:2: unclosed section 'items'");
  expect_load_error(fx, "{{#a.b}}{{#c}}{{/c}}", "t.html:1: unclosed section 'a.b'");
  expect_load_error(fx, "{{#a}}\n\n{{/b}}", "t.html:3: {{/b}} does not close the section opened on line 1");
  expect_load_error(fx, "{{#a}}{{^b}}{{/a}}{{/b}}", "t.html:1: {{/a}} does not close the section opened on line 1");
  expect_load_error(fx, "x\ny\n{{/a}}", "t.html:3: {{/a}} closes no open section");
  expect_load_error(fx, "{{=<% %>=}}", "t.html:1: unknown tag kind '='");
  expect_load_error(fx, "{{%x}}", "t.html:1: unknown tag kind '%'");
  expect_load_error(fx, "{{!\n\n}}\n{{<x}}", "t.html:4: unknown tag kind '<'");
  expect_load_error(fx, "line\n{{name", "t.html:2: unclosed tag: '{{' without '}}'");
  expect_load_error(fx, "{{ }}", "t.html:1: a tag without a name");
  expect_load_error(fx, "{{#}}{{/}}", "t.html:1: a tag without a name");
  expect_load_error(fx, "{{a b}}", "t.html:1: bad name 'a b': letters, digits, '_', '-' and dots between them only");
  expect_load_error(fx, "{{a..b}}", "t.html:1: bad name 'a..b': an empty part between dots");
  expect_load_error(fx, "{{a.}}", "t.html:1: bad name 'a.': an empty part between dots");
  expect_load_error(fx, "{{>a.b}}", "t.html:1: bad partial name 'a.b'");
  expect_load_error(fx, "{{>nosuch}}", "t.html:1: {{>nosuch}}: no template nosuch.html");
}

static void sections_nest_at_most_64_deep(void **state)
{
  struct fixture *fx = *state;
  char text[2048] = "", *p = text;

  for (int i = 0; i < 64; i++)
    p += sprintf(p, "{{#a}}");
  p += sprintf(p, "{{a.b}}");
  for (int i = 0; i < 64; i++)
    p += sprintf(p, "{{/a}}");
  /* each {{#a}} finds a at the top (the inner a has no a), and so does
   * a.b: 64 deep renders */
  expect1(fx, text, "{\"a\": {\"b\": \"in\"}}", "in");
  char deeper[2048];
  snprintf(deeper, sizeof deeper, "{{#z}}%s{{/z}}", text);
  expect_load_error(fx, deeper, "t.html:1: sections nested deeper than 64");
}

static void file_errors(void **state)
{
  struct fixture *fx = *state;
  char path[128];

  /* a NUL byte */
  put_file(fx, "t.html", "a\0b", 3);
  assert_string_equal(load_error(fx), "t.html: holds a NUL byte");
  /* a name that is not one */
  put_tmpl(fx, "t", "fine");
  put_file(fx, "bad name.html", "x", 1);
  assert_string_equal(load_error(fx), "bad name.html: a template's name is letters, digits, '_' and '-' only");
  snprintf(path, sizeof path, "%s/bad name.html", fx->dir);
  assert_int_equal(unlink(path), 0);
  /* unreadable: a link to nothing (root reads any mode), and a directory */
  snprintf(path, sizeof path, "%s/gone.html", fx->dir);
  assert_int_equal(symlink("/nonexistent/gone", path), 0);
  assert_non_null(strstr(load_error(fx), "gone.html: unreadable: No such file or directory"));
  assert_int_equal(unlink(path), 0);
  assert_int_equal(mkdir(path, 0700), 0);
  assert_non_null(strstr(load_error(fx), "gone.html: unreadable"));
  assert_int_equal(rmdir(path), 0);
  /* other files are not templates */
  put_file(fx, "README", "{{#unclosed", 11);
  put_file(fx, ".hidden.html", "{{#unclosed", 11);
  put_file(fx, "style.css", "{{/x}}", 6);
  load(fx);
  expect(fx, "t", "{}", "fine");
}

static void directory_errors(void **state)
{
  struct fixture *fx = *state;
  char path[128];

  snprintf(path, sizeof path, "%s/nosuch", fx->dir);
  assert_null(tmpl_load_dir(path, fx->err, sizeof fx->err));
  assert_non_null(strstr(fx->err, "nosuch: unreadable directory: No such file or directory"));
  /* empty */
  assert_null(tmpl_load_dir(fx->dir, fx->err, sizeof fx->err));
  assert_non_null(strstr(fx->err, ": no NAME.html templates"));
  /* an error message cut to a short buffer is still a C string */
  char small[8];
  assert_null(tmpl_load_dir(path, small, sizeof small));
  assert_int_equal(strlen(small), 7);
}

/* 2000 lines of tags over 200 rows: parsed once, rendered twice alike. */
static void a_large_template(void **state)
{
  struct fixture *fx = *state;
  size_t cap = 1 << 20, len = 0;
  char *text = malloc(cap);
  assert_non_null(text);

  len += (size_t)sprintf(text + len, "<table>\n{{#rows}}<tr>");
  for (int i = 0; i < 2000; i++)
    len += (size_t)sprintf(text + len, "<td>{{c%d}}{{^c%d}}-{{/c%d}}</td>{{! cell %d }}\n", i % 10, i % 10, i % 10, i);
  len += (size_t)sprintf(text + len, "</tr>{{/rows}}</table>\n");
  put_tmpl(fx, "big", text);
  free(text);
  load(fx);

  json_t *rows = json_array();
  for (int r = 0; r < 200; r++) {
    json_t *row = json_object();
    for (int c = 0; c < 10; c += 2) {
      char key[8];
      snprintf(key, sizeof key, "c%d", c);
      json_object_set_new(row, key, json_sprintf("<%d>", r));
    }
    json_array_append_new(rows, row);
  }
  json_t *ctx = json_pack("{s:o}", "rows", rows);
  char *a = tmpl_render(fx->set, "big", ctx, fx->err, sizeof fx->err);
  char *b = tmpl_render(fx->set, "big", ctx, fx->err, sizeof fx->err);
  json_decref(ctx);
  assert_non_null(a);
  assert_non_null(b);
  assert_string_equal(a, b);
  /* per row: 1000 cells "&lt;R&gt;" and 1000 "-", 2000 lines */
  /* one pass, not strstr from each match on: AddressSanitizer's strstr
   * measures the whole rest of the haystack at every call, which made this
   * loop quadratic in the sanitized build (15 minutes of CI) */
  size_t cells = 0, dashes = 0, lines = 0;
  for (const char *p = a; *p; p++) {
    lines += *p == '\n';
    if (strncmp(p, "<td>", 4) == 0) {
      cells++;
      dashes += p[4] == '-';
    }
  }
  assert_int_equal(cells, 200 * 2000);
  assert_int_equal(dashes, 200 * 1000);
  assert_int_equal(lines, 2 + 200 * 2000);
  assert_non_null(strstr(a, "<tr><td>&lt;0&gt;</td>\n<td>-</td>\n"));
  assert_non_null(strstr(a, "<td>&lt;199&gt;</td>\n<td>-</td>\n</tr></table>\n"));
  free(a);
  free(b);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(escapes_every_value, setup, teardown),
    cmocka_unit_test_setup_teardown(renders_each_kind_of_value, setup, teardown),
    cmocka_unit_test_setup_teardown(sections_over_arrays, setup, teardown),
    cmocka_unit_test_setup_teardown(sections_over_objects_and_scalars, setup, teardown),
    cmocka_unit_test_setup_teardown(inverted_sections, setup, teardown),
    cmocka_unit_test_setup_teardown(dotted_names, setup, teardown),
    cmocka_unit_test_setup_teardown(names_walk_the_stack_outwards, setup, teardown),
    cmocka_unit_test_setup_teardown(partials, setup, teardown),
    cmocka_unit_test_setup_teardown(partials_nest_eight_deep_and_no_deeper, setup, teardown),
    cmocka_unit_test_setup_teardown(render_errors, setup, teardown),
    cmocka_unit_test_setup_teardown(comments_and_standalone_lines, setup, teardown),
    cmocka_unit_test_setup_teardown(unescaped_forms_are_refused, setup, teardown),
    cmocka_unit_test_setup_teardown(syntax_errors_name_file_and_line, setup, teardown),
    cmocka_unit_test_setup_teardown(sections_nest_at_most_64_deep, setup, teardown),
    cmocka_unit_test_setup_teardown(file_errors, setup, teardown),
    cmocka_unit_test_setup_teardown(directory_errors, setup, teardown),
    cmocka_unit_test_setup_teardown(a_large_template, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
