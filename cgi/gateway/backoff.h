/* backoff.h — the sweeper's timing rules, pure functions (unit-tested in
 * tests/unit/test_backoff.c): how long an unacknowledged reversal waits
 * before it is sent again, and how long the sweeper sleeps between passes. */
#ifndef PAYGW_BACKOFF_H
#define PAYGW_BACKOFF_H

/* Milliseconds to wait after the attempt-th unacknowledged reversal
 * (1-based) before the next: base_ms * 2^(attempt-1), at most cap_ms.  An
 * attempt below 1 counts as 1; a base above the cap gives the cap.  Never
 * overflows, however large attempt is. */
long backoff_ms(int attempt, long base_ms, long cap_ms);

/* How long the sweeper may sleep before its next pass: until the next row
 * falls due (due_in_ms; negative when none is waiting), at most every_s
 * seconds, never less than 0. */
long sweep_wait_ms(long due_in_ms, long every_s);

#endif
