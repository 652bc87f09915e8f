-- history_seed.sql — :n transactions for user :'user' at merchant :merchant
-- (its first terminal), for the history's tests and benchmark
-- (tests/api/history_pages_lib.sh, scripts/bench --history).  Run as the
-- superuser: the gateway's roles cannot insert rows like these.
-- Row i (1..:n) is made :step after row i-1 from :'start' (UTC), except
-- that row 20k+1 shares the time of row 20k (newest first in pages of 20,
-- they are the last of one page and the first of the next: only the
-- keyset's id tells them apart); every 10th is declined (no approval
-- code, a reason), the rest completed — or all in :'status' when it is
-- not empty;
-- every 4th is in USD, the others in JPY; every 3rd paid in 3
-- installments.  Amounts: JPY 1000 + 10·i yen; USD 100·i cents.
-- Numbers: :'prefix' (8 characters [0-9A-Z]) and i in 8 digits.
INSERT INTO gateway.transactions
  (number, user_id, card_id, device_id, merchant_id, terminal_id, status, deadline, currency, total, tax_total,
   items, binding_code, challenge, challenge_used, method, installments, approval_code, response_code,
   outcome_reason, card_masked, created_at, updated_at, completed_at)
SELECT :'prefix' || lpad(i::text, 8, '0'), u.user_id, u.card_id, u.device_id, m.id, tm.id,
       coalesce(nullif(:'status', ''), CASE WHEN i % 10 = 0 THEN 'declined' ELSE 'completed' END), NULL,
       CASE WHEN i % 4 = 0 THEN 'USD' ELSE 'JPY' END,
       CASE WHEN i % 4 = 0 THEN 100 * i ELSE 1000 + 10 * i END,
       CASE WHEN i % 4 = 0 THEN 10 * i ELSE 100 + i END,
       jsonb_build_array(jsonb_build_object('name', :'item' || ' ' || i, 'quantity', 1,
                                            'unit_price', CASE WHEN i % 4 = 0 THEN 90 * i ELSE 900 + 9 * i END,
                                            'tax', CASE WHEN i % 4 = 0 THEN 10 * i ELSE 100 + i END)),
       'B' || lpad((i % 1000)::text, 3, '0'), 'seeded', true,
       CASE WHEN i % 3 = 0 THEN 'I' ELSE 'L' END, CASE WHEN i % 3 = 0 THEN 3 ELSE 0 END,
       CASE WHEN i % 10 = 0 THEN NULL ELSE 'A' || lpad(i::text, 5, '0') END,
       CASE WHEN i % 10 = 0 THEN '51' ELSE '00' END,
       CASE WHEN i % 10 = 0 THEN 'over the credit limit' END,
       '999999******' || lpad((i % 10000)::text, 4, '0'), at, at, at
  FROM generate_series(1, :n) AS i
  CROSS JOIN LATERAL (SELECT :'start'::timestamptz
                             + :'step'::interval * (i - CASE WHEN i % 20 = 1 AND i > 1 THEN 1 ELSE 0 END) AS at) AS t
  JOIN gateway.users u ON u.user_id = :'user'
  JOIN gateway.merchants m ON m.id = :merchant
  JOIN LATERAL (SELECT id FROM gateway.terminals WHERE merchant_id = m.id ORDER BY id LIMIT 1) tm ON true
 ORDER BY i;
