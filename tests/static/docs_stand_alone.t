#!/usr/bin/env bash
# docs_stand_alone.t — the repository stands alone: no doc, script or
# source file points at a design file or specification kept outside it
# (hardening issue, defect 9).  The project's own docs say what matters.
. "$(dirname "$0")/lib.sh"

# a reference to the shared design folder or its files, in any spelling
pattern='\.\./shared|shared/(spec|DESIGN|STYLE)|DESIGN\.md|STYLE\.md|\(DESIGN\)'
mapfile -t files < <(tracked_files | grep -vE '^tests/static/docs_stand_alone\.t$')
check "the search covers the tree (more than 200 files)" test "${#files[@]}" -gt 200
check "... among them the README and docs/architecture.md" \
  bash -c 'printf "%s\n" "$@" | grep -qx README.md && printf "%s\n" "$@" | grep -qx docs/architecture.md' _ "${files[@]}"
hits=$(grep -nE "$pattern" -- "${files[@]}" 2>/dev/null)
is "no file points outside the repository" "$hits" ""
# the pattern itself finds what it must (else the search above proves nothing)
check "the pattern finds a planted reference" bash -c 'printf "see DESIGN.md\n" | grep -qE "$1"' _ "$pattern"
check "docs/architecture.md holds the figures the rules are held to" \
  grep -q '^## Figures the rules are held to' docs/architecture.md
done_testing
