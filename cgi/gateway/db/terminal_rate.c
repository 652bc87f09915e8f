/* terminal_rate.c — each terminal's allowance of new transactions (issue 4),
 * the generic cell rate algorithm on one row per terminal
 * (gateway.terminal_rate, sql/0009). */
#include "gateway/db/queries.h"

/* One statement, on its own (not inside the creation's transaction, so the
 * row lock lasts only this statement): $1 the terminal, $2 the emission
 * interval 1/rate and $3 the tolerance burst/rate, in seconds.  A request
 * is let in while the terminal's theoretical arrival time lies at most $3
 * ahead; letting it in moves that time on by $2.  A refused request moves
 * nothing.  One row: `allowed` 1 or 0, and `wait_s`, the seconds until the
 * next would be let in (meaningful when refused). */
struct db_statement q_terminal_rate_take = {
  "terminal_rate_take",
  "WITH took AS (INSERT INTO gateway.terminal_rate AS r (terminal_id, tat)"
  "               VALUES ($1, now() + make_interval(secs => $2::double precision))"
  "               ON CONFLICT (terminal_id) DO UPDATE"
  "                 SET tat = greatest(r.tat, now()) + make_interval(secs => $2::double precision)"
  "               WHERE r.tat <= now() + make_interval(secs => $3::double precision)"
  "               RETURNING 1)"
  " SELECT (SELECT count(*) FROM took) AS allowed,"
  "        ceil(coalesce(extract(epoch FROM (SELECT tat FROM gateway.terminal_rate WHERE terminal_id = $1) - now()), 0)"
  "             - $3::double precision) AS wait_s",
  3, 0
};
