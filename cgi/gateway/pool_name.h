/* pool_name.h — the name a gateway process gives its database sessions
 * (application_name in pg_stat_activity): its program's, and, when it runs
 * in one of several gateway pools or hosts, the pool's (PAYGW_POOL,
 * docs/config.md), so PostgreSQL says which host's sweeper holds the lock
 * (docs/ha.md, "Two gateway pools"). */
#ifndef PAYGW_POOL_NAME_H
#define PAYGW_POOL_NAME_H

/* "program" without PAYGW_POOL, else "program-POOL" (cut to the 31
 * characters lib/db keeps); the answer lives until the next call. */
const char *pool_program_name(const char *program);

#endif
