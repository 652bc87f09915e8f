#!/usr/bin/env bash
# problem_codes_documented.t — every problem code of the gateway's registry
# (cgi/gateway/problems.c) has its row in docs/errors.md, with the same HTTP
# status and a hint, and every 4xx or 500 answer of the gateway is given
# through CLIENT_FAULT or BUG (reply.h: file and line in the log, info for
# bad input, error for a bug), never a bare reply_problem (issue 19).
. "$(dirname "$0")/lib.sh"

REGISTRY=${PROBLEMS_C:-cgi/gateway/problems.c}
DOC=${ERRORS_MD:-docs/errors.md}

# "code status" per row of the table: [PROBLEM_X] = { .code = "x", .status = 400, ...
registry=$(grep -oE '\.code = "[a-z_]+", \.status = [0-9]+' "$REGISTRY" | sed -E 's/\.code = "([a-z_]+)", \.status = ([0-9]+)/\1 \2/')
rows=$(grep -c '^  \[PROBLEM_' "$REGISTRY")
check "the registry was read (more than 20 codes)" test "$(wc -l <<<"$registry")" -gt 20
is "every row of the registry was read" "$(wc -l <<<"$registry")" "$rows"
is "every code has a hint" "$(grep -c '\.hint = "[^"]' "$REGISTRY")" "$rows"

missing=""
while read -r code status; do
  # the code's row: | `code` | status | ...
  grep -qE "^\| \`$code\` \| $status \|" "$DOC" || missing+=" $code($status)"
done <<<"$registry"
is "every code is in $DOC with its status" "$missing" ""

# the 4xx and 500 codes, as PROBLEM_ names, and any bare reply of one
faults=$(grep -oE '^  \[PROBLEM_[A-Z_]+\] = \{ \.code = "[a-z_]+", \.status = (4[0-9][0-9]|500)' "$REGISTRY" \
  | grep -oE 'PROBLEM_[A-Z_]+' | paste -sd'|')
check "the 4xx and 500 codes were read" test -n "$faults"
bare=$(grep -nE "reply_problem(_extra)?\([^,]+, ($faults)\b" cgi/gateway/*.c | grep -v '^cgi/gateway/reply\.c:')
is "every 4xx and 500 answer goes through CLIENT_FAULT or BUG" "$bare" ""
done_testing
