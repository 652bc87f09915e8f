#!/usr/bin/env bash
# credit_refund_one_statement.t — a refund advice costs the issuer's
# database one statement, as an authorization does (credit_one_statement.t):
# issuer.do_refund, nothing around it (no BEGIN, no COMMIT, no look-up of
# its own), and its repeat the same.  Counted as there, for the credit
# server's role only: log_statement = 'all' (one "execute" line per
# statement) and track_functions = 'pl' (calls of issuer.do_refund), turned
# on for the whole cluster and off again at the end.
. "$(dirname "$0")/credit_refund_lib.sh"
PG_LOG=$PAYGW_VAR/log/postgresql.log
[[ -r $PG_LOG ]] || { echo "not ok - the stack's PostgreSQL log $PG_LOG is readable"; exit 1; }
set_logging() {
  psql_q "ALTER SYSTEM SET log_statement = '$1'" >/dev/null
  psql_q "ALTER SYSTEM SET track_functions = '$2'" >/dev/null
  psql_q "SELECT pg_reload_conf()" >/dev/null
}
trap 'set_logging none none; psql_q "ALTER SYSTEM RESET log_statement" >/dev/null; psql_q "ALTER SYSTEM RESET track_functions" >/dev/null; psql_q "SELECT pg_reload_conf()" >/dev/null' EXIT
set_logging all pl
sleep 1   # every backend has read the new settings (SIGHUP)

calls() {  # calls FUNCTION → its call count so far (0 when never called)
  psql_q "SELECT coalesce(sum(calls), 0) FROM pg_stat_user_functions WHERE schemaname = 'issuer' AND funcname = '$1'"
}
statements() { tail -c +$(($1 + 1)) "$PG_LOG" | grep -E ' paygw_issuer@[^ ]* LOG:  (execute|statement)'; }
settle() {  # until pg_stat_user_functions shows $2 calls of $1
  for _ in $(seq 50); do [[ $(calls "$1") -ge $2 ]] && return; sleep 0.1; done
}

sale 1000
is "the sale is approved" "$(fld 39)" 00
# a first refund warms the connections up (each prepares do_refund once)
for i in 1 2 3 4; do
  next_stan
  refund 0220 "$STAN" "$(now_time)" "$SALE_STAN" "$SALE_TIME" 1
done
is "warm-up refunds: 00" "$(fld 39)" 00
settle do_refund 4
before=$(calls do_refund)

offset=$(stat -c %s "$PG_LOG")
next_stan; t=$(now_time)
refund 0220 "$STAN" "$t" "$SALE_STAN" "$SALE_TIME" 100
is "the 0220 under count: 00" "$(fld 39)" 00
settle do_refund $((before + 1))
sleep 0.3   # the log is written by the backend before it answers; give the file a moment
lines=$(statements "$offset")
is "one statement for the 0220" "$(grep -c . <<<"$lines")" 1
check "... and it is issuer.do_refund" grep -q 'issuer\.do_refund(' <<<"$lines"
is "issuer.do_refund called once" "$(( $(calls do_refund) - before ))" 1

offset=$(stat -c %s "$PG_LOG")
refund 0221 "$STAN" "$t" "$SALE_STAN" "$SALE_TIME" 100
is "its repeat (0221): 00" "$(fld 39)" 00
settle do_refund $((before + 2))
sleep 0.3
lines=$(statements "$offset")
is "one statement for the 0221" "$(grep -c . <<<"$lines")" 1
check "... and it is issuer.do_refund" grep -q 'issuer\.do_refund(' <<<"$lines"
is "the repeat refunded nothing more" "$(balance_id "$ACCOUNT")" $((1000 - 4 - 100))
done_testing
