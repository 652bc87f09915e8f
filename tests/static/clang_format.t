#!/usr/bin/env bash
# clang_format.t — every C source and header the repository tracks is laid
# out as .clang-format says (clang-format from Debian, installed by
# scripts/deps).  scripts/format puts a file right; a change that is not
# formatted fails here with the files named.
. "$(dirname "$0")/lib.sh"

command -v clang-format >/dev/null || { not_ok "clang-format is installed (scripts/deps)"; done_testing; }
check "the style file is checked in" test -s .clang-format
mapfile -t files < <(tracked_files | grep -E '\.(c|h)$')
check "the check covers the C sources (more than 150 files)" test "${#files[@]}" -gt 150
unformatted=()
for f in "${files[@]}"; do
  clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || unformatted+=("$f")
done
is "every C file is formatted (scripts/format FILE...)" "${unformatted[*]}" ""
# the check itself sees a badly laid-out file (else it proves nothing)
bad=$(mktemp --suffix=.c)
printf 'int  main( void ){return 0 ;}\n' >"$bad"
check "a badly laid-out file is found" bash -c '! clang-format --style=file:"$1" --dry-run --Werror "$2" 2>/dev/null' _ \
  "$TEST_ROOT/.clang-format" "$bad"
rm -f "$bad"
done_testing
