# tests/static/lib.sh — for checks of the source tree itself (no stack, no
# build needed): TAP-style result lines as in tests/api/lib.sh.
set -u
TEST_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$TEST_ROOT" || exit 1
TESTS_FAILED=0
ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; TESTS_FAILED=$((TESTS_FAILED + 1)); }
check() { local d=$1; shift; if "$@"; then ok "$d"; else not_ok "$d"; fi; }
is() { if [[ "$2" == "$3" ]]; then ok "$1"; else not_ok "$1 (got '$2', want '$3')"; fi; }
done_testing() { [[ $TESTS_FAILED -eq 0 ]]; exit $?; }
# the files git tracks (or, in a copy without .git, every file but var/)
tracked_files() {
  if git rev-parse --git-dir >/dev/null 2>&1; then git ls-files
  else find . -type f -not -path './var/*' -not -path './node_modules/*' | sed 's|^\./||'; fi
}
