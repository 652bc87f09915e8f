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

/* The lease of a claimed reversal for each attempt, into lease_ms[n - 1]
 * for attempt n: fixed_ms (the attempt itself) plus its back-off, so a
 * sweeper that dies mid-attempt does not make the next repeat it at once.
 * Filled up to the first attempt whose back-off is the cap (the last lease
 * then holds for every later attempt), at most max entries; each sum stops
 * at LONG_MAX.  Returns how many were filled (1 at least, for max >= 1). */
int backoff_leases(long lease_ms[], int max, long fixed_ms, long base_ms, long cap_ms);

/* How long the sweeper may sleep before its next pass: until the next row
 * falls due (due_in_ms; negative when none is waiting), at most every_s
 * seconds, never less than 0. */
long sweep_wait_ms(long due_in_ms, long every_s);

#endif
