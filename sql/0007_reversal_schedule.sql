-- 0007_reversal_schedule.sql — reversals are sent by one process, the
-- sweeper (paygw-sweeper), with back-off: each reversal_pending
-- authorization says when its next attempt is due.  A FastCGI worker whose
-- 0100 got no answer in time sets it to now and wakes the sweeper
-- (NOTIFY paygw_sweep); the sweeper claims due rows one at a time, counting
-- the attempt and pushing next_attempt_at back (a lease, then the back-off)
-- in a commit of its own before it sends, so no row is sent twice at once
-- and none is hammered while the issuer hangs.  The column falls under the
-- table's existing grants (sql/0006: paygw_gateway may SELECT, INSERT,
-- UPDATE gateway.authorizations); no new right is needed.

ALTER TABLE gateway.authorizations
  ADD COLUMN next_attempt_at timestamptz,
  ADD CONSTRAINT authorizations_next_attempt_only_pending
    CHECK (next_attempt_at IS NULL OR status = 'reversal_pending');
COMMENT ON COLUMN gateway.authorizations.next_attempt_at IS
  'reversal_pending only: the sweeper sends the next reversal (0400, then 0401) no sooner than this; NULL or past = due now';
COMMENT ON COLUMN gateway.authorizations.reversal_attempts IS
  'reversals sent so far: the first a 0400, each later one a 0401; counted by the sweeper before it sends';

-- reversals left pending by the workers' own sweep fall due at once
UPDATE gateway.authorizations SET next_attempt_at = now() WHERE status = 'reversal_pending';

CREATE INDEX authorizations_reversal_due_idx ON gateway.authorizations (next_attempt_at)
  WHERE status = 'reversal_pending';
