/* sweeper.c — the statements that make the sweeper one of a kind: the
 * advisory lock only one sweeper can hold (on one database, however many
 * gateway hosts run one), and the notification a worker sends it when a
 * reversal falls due. */
#include "gateway/db/queries.h"

/* $1: the lock's key (SWEEPER_LOCK_KEY).  Session-level: held until the
 * connection ends, so a sweeper that dies or loses its connection frees it. */
struct db_statement q_sweeper_lock = DB_STATEMENT("sweeper_lock", DB_READ, 1,
  "SELECT pg_try_advisory_lock($1::bigint) AS locked");

/* NOTIFY $1 (SWEEPER_CHANNEL), delivered when the caller's transaction
 * commits: the sweeper wakes at once instead of at its next pass. */
struct db_statement q_sweeper_wake = DB_STATEMENT("sweeper_wake", DB_CHANGE, 1,
  "SELECT pg_notify($1, '')");
