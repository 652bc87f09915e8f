#!/usr/bin/env bash
# patent_paragraphs.t — every paragraph of the patent that a tracked file
# cites ("[0074]"), and every claim cited by number ("claim 3"), has its row
# in docs/architecture.md's table "The patent paragraphs the code cites",
# which says in our own words what it says (the repository stands alone,
# docs_stand_alone.t: nobody has to look the paragraph up elsewhere).
. "$(dirname "$0")/lib.sh"
export LC_ALL=C     # one sort order for comm

DOC=docs/architecture.md
SECTION='## The patent paragraphs the code cites'

# citations in the given files, one per line: "[0074]" or "claim 3"
citations_in() {
  grep -ohE '\[0[0-9]{3}\]|\b[Cc]laims? [0-9]+' -- "$@" 2>/dev/null \
    | sed -E 's/^[Cc]laims? /claim /' | sort -u
}
# the first cell of each row of the table, one per line
table_rows() {
  awk -v s="$SECTION" '$0 == s { on = 1; next } on && /^#/ { on = 0 } on && /^\| /' "$DOC" \
    | awk -F'|' '$2 !~ /^ *paragraph *$/ { gsub(/^ +| +$/, "", $2); gsub(/^ +| +$/, "", $3); print $2 "\t" $3 }'
}
# cited entries the table lacks: missing CITATIONS-FILE ROWS-FILE
missing() { comm -23 "$1" <(cut -f1 "$2" | sort -u); }

mapfile -t files < <(tracked_files | grep -vE '^tests/static/patent_paragraphs\.t$')
check "the search covers the tree (more than 200 files)" test "${#files[@]}" -gt 200
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
citations_in "${files[@]}" >"$tmp/cited"
table_rows >"$tmp/rows"
check "the tree cites paragraphs (more than 20 of them)" test "$(wc -l <"$tmp/cited")" -gt 20
check "$DOC has the table (more than 20 rows)" test "$(wc -l <"$tmp/rows")" -gt 20
is "every cited paragraph or claim has its row in $DOC" "$(missing "$tmp/cited" "$tmp/rows" | tr '\n' ' ')" ""
is "no row is empty" "$(awk -F'\t' '$2 == "" { print $1 }' "$tmp/rows" | tr '\n' ' ')" ""
is "no paragraph has two rows" "$(cut -f1 "$tmp/rows" | sort | uniq -d | tr '\n' ' ')" ""
is "the rows are paragraphs or claims" "$(cut -f1 "$tmp/rows" | grep -vE '^(\[0[0-9]{3}\]|claim [0-9]+)$' | tr '\n' ' ')" ""

# the search finds what it must, else the checks above prove nothing: a
# planted citation of a paragraph and of a claim the table lacks are missed
printf '/* S99 ([0999]); see claim 42 and Claims 7 */\n' >"$tmp/planted.c"
citations_in "$tmp/planted.c" >"$tmp/planted"
is "a planted citation is found missing" "$(missing "$tmp/planted" "$tmp/rows" | tr '\n' ' ')" "[0999] claim 42 claim 7 "
done_testing
