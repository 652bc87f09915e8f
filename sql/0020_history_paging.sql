-- 0020_history_paging.sql — issue 13: the indexes the HTML history's list
-- (cgi/history, docs/history.md) reads a page, the totals and the CSV with,
-- each one range scan of one user's rows in the list's order
-- (created_at DESC, id DESC; the keyset cursor is that pair):
--  * transactions_history_idx: every status.  A page is the first 21
--    entries below the cursor within the date range (the 21st only says
--    there is a next page); the totals per currency read status, currency
--    and total from the index itself (INCLUDE), an index-only scan once
--    VACUUM has marked the pages all-visible;
--  * transactions_history_status_idx: the same with the status filter
--    (status = $n) as an equality before the order columns, so a rare
--    status is one short range scan too instead of a walk over every row
--    of the user filtered afterwards.
-- transactions_user_idx (user_id, created_at) of 0003 is replaced: nothing
-- else ordered by it, and the foreign key to gateway.users (a user's rows
-- when one is deleted) is served by the new index's leading user_id.
-- A status change already updates every index of the row (status is in
-- transactions_open_idx's and transactions_waiting_idx's predicates, so
-- such an UPDATE is never HOT): the second index adds one index entry per
-- change, not a heap rewrite.
-- Built without CONCURRENTLY (scripts/migrate runs a migration in one
-- transaction): it holds writes to gateway.transactions while it builds.

CREATE INDEX transactions_history_idx ON gateway.transactions (user_id, created_at DESC, id DESC)
  INCLUDE (status, currency, total);
COMMENT ON INDEX gateway.transactions_history_idx IS
  'the HTML history: one user''s transactions newest first (keyset cursor created_at, id); INCLUDE for the totals';

CREATE INDEX transactions_history_status_idx ON gateway.transactions (user_id, status, created_at DESC, id DESC)
  INCLUDE (currency, total);
COMMENT ON INDEX gateway.transactions_history_status_idx IS
  'the HTML history filtered by status: one user''s transactions of one status, newest first';

DROP INDEX gateway.transactions_user_idx;
