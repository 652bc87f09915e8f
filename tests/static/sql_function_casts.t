#!/usr/bin/env bash
# sql_function_casts.t — every PL/pgSQL function in sql/ casts each column
# it takes from a table, in a RETURN QUERY SELECT list or a SELECT ... INTO
# a record, to a fixed type (sql_function_casts.pl says what counts), so a
# migration that changes a column's type under a running stack does not
# break it (docs/architecture.md; tests/api/stack_migration_live.t shows it
# live).  A lint of the common slip, not a proof: the live test is the one
# that runs the functions.
. "$(dirname "$0")/lib.sh"
LINT=tests/static/sql_function_casts.pl
files=(sql/*.sql)
check "the migrations were found" test "${#files[@]}" -gt 10
# the lint finds what it is for: a column returned uncast, a record read uncast
sample=$(mktemp); trap 'rm -f "$sample"' EXIT
cat >"$sample" <<'SQL'
CREATE FUNCTION x.do_sample(p_id bigint) RETURNS TABLE (outcome text, status text, total bigint)
LANGUAGE plpgsql AS $$
DECLARE
  v_t record;
BEGIN
  SELECT t.id::bigint, t.status INTO v_t FROM x.t t WHERE t.id = p_id;
  IF v_t.id IS DISTINCT FROM p_id THEN
    RETURN QUERY SELECT CASE WHEN v_t.id IS NULL THEN 'none' ELSE 'other' END, v_t.status::text, NULL::bigint;
  END IF;
  RETURN QUERY SELECT 'found'::text, t.status::text, t.total FROM x.t t WHERE t.id = p_id;
END
$$;
SQL
is "the lint flags a column returned uncast and a record read uncast" \
  "$(perl "$LINT" "$sample" | sed 's/^[^:]*: //' | paste -sd'|')" \
  "x.do_sample: t.status|x.do_sample: t.total|checked 8 items of 1 functions"

out=$(perl "$LINT" "${files[@]}")
summary=$(tail -1 <<<"$out")
[[ $summary =~ ^checked\ ([0-9]+)\ items\ of\ ([0-9]+)\ functions$ ]]
check "the lint read the functions of sql/ (at least 12, 300 items): $summary" \
  test "${BASH_REMATCH[2]:-0}" -ge 12 -a "${BASH_REMATCH[1]:-0}" -ge 300
is "every column a function takes from a table is cast to a fixed type" "$(sed '$d' <<<"$out")" ""
done_testing
