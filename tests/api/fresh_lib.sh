# tests/api/fresh_lib.sh — shared by the fresh_*.t tests, which run the
# scripts of scripts/ as a newcomer would, first thing in a fresh clone: a
# copy of the tracked files as they are in the working tree (what CI gets
# from a clean clone of the commit: no var/, no build products), in a
# folder of its own under /tmp, run with a clean environment and ports of
# their own, so the check's own stack (var/check, its ports) is left alone.
#
# Ports (PAYGW_TEST_PORT_BASE + n): 11-13 https, credit server, PostgreSQL of
# a copy's stack ("A"), 14 the demo's proximity link, 15-17 a second set
# ("B"), 18 the test-port base of a check run inside a copy.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
FRESH_BASE=${PAYGW_TEST_PORT_BASE:-10600}
PORTS_A=($((FRESH_BASE + 11)) $((FRESH_BASE + 12)) $((FRESH_BASE + 13)))
PORTS_B=($((FRESH_BASE + 15)) $((FRESH_BASE + 16)) $((FRESH_BASE + 17)))
FRESH_LINK=127.0.0.1:$((FRESH_BASE + 14))
FRESH_COPIES=()

# fresh_copy → sets C to a new copy of the tracked files (not in a $(...):
# the EXIT trap must learn of the copy to remove it)
fresh_copy() {
  C=$(mktemp -d /tmp/paygw-fresh-XXXXXX) || return 1
  FRESH_COPIES+=("$C")
  # the tracked files that exist in the working tree, with their changes
  (cd "$TEST_ROOT" && git ls-files -z | while IFS= read -r -d '' f; do [[ -e $f || -L $f ]] && printf '%s\0' "$f"; done \
    | tar --null -T - -cf -) | tar -xf - -C "$C"
}

# in_copy DIR [VAR=VALUE...] COMMAND...: runs COMMAND in DIR with nothing of
# this shell's environment but PATH, HOME and the given variables — neither
# the check's PAYGW_VAR nor its ports nor its stack.env
in_copy() {
  local dir=$1; shift
  local vars=()
  while [[ $# -gt 0 && $1 == *=* ]]; do vars+=("$1"); shift; done
  (cd "$dir" && env -i PATH="$PATH" HOME="${HOME:-/root}" LANG=C.UTF-8 "${vars[@]}" "$@")
}

# ports_env A|B → the variables that put a stack (or the demo) on that set
ports_env() {
  local -n p=PORTS_$1
  echo "PAYGW_HTTPS_PORT=${p[0]} PAYGW_CREDIT_PORT=${p[1]} PAYGW_PG_PORT=${p[2]} PAYGW_DEMO_LINK=$FRESH_LINK"
}

# listening PORT: true while something accepts TCP connections on it
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# nothing_listens A|B: no https, credit server or PostgreSQL port of the set answers
nothing_listens() {
  local -n ports=PORTS_$1
  ! listening "${ports[0]}" && ! listening "${ports[1]}" && ! listening "${ports[2]}"
}

# Stops every stack a copy may hold (var, var/check, var/bench), with each
# port set, and removes the copies.  Run from the EXIT trap.
fresh_cleanup() {
  local dir v set
  for dir in "${FRESH_COPIES[@]}"; do
    for v in "$dir/var" "$dir/var/check" "$dir/var/bench"; do
      [[ -d $v/run ]] || continue
      for set in A B; do
        # shellcheck disable=SC2046  # the variables are words on purpose
        in_copy "$dir" PAYGW_VAR="$v" $(ports_env $set) scripts/stack stop >/dev/null 2>&1
      done
    done
    rm -rf "$dir"
  done
}
trap fresh_cleanup EXIT
trap 'exit 143' TERM INT                 # stopped (check's time-out): the EXIT trap still stops the stacks

# pristine DIR: DIR holds exactly the tracked files (nothing built, no var/)
pristine() {
  diff <(cd "$1" && find . \( -type f -o -type l \) | sed 's|^\./||' | sort) \
    <(cd "$TEST_ROOT" && git ls-files | while IFS= read -r f; do [[ -e $f || -L $f ]] && echo "$f"; done | sort) >/dev/null
}
