#!/usr/bin/env bash
# credit_one_statement.t — an authorization costs the issuer's database one
# statement (one round trip, one commit): issuer.do_authorize, nothing
# around it (no BEGIN, no COMMIT, no look-up of its own); a reversal the
# same with issuer.do_reverse.  Counted two ways, for the credit server's
# role only (paygw_issuer), while this test turns them on for the whole
# cluster and off again at the end:
#  * log_statement = 'all': every statement the server executes is one log
#    line "execute <name>" (a prepare happens once per connection and is not
#    counted: a first 0100 warms the connection up);
#  * track_functions = 'pl': pg_stat_user_functions counts the calls of
#    issuer.do_authorize (1) and of issuer.decide inside it (1).
. "$(dirname "$0")/credit_lib.sh"
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
# statements since byte offset $1 of the log by the credit server's role
statements() { tail -c +$(($1 + 1)) "$PG_LOG" | grep -E ' paygw_issuer@[^ ]* LOG:  (execute|statement)'; }
settle() {  # until pg_stat_user_functions shows $2 calls of $1 (it is flushed within a second or so)
  for _ in $(seq 50); do [[ $(calls "$1") -ge $2 ]] && return; sleep 0.1; done
}

t=$(now_time)
next_stan
auth "$CARD_A" 3012 100 "$MERCHANT_A" "PML 00" "$STAN" "$t"
is "a first 0100 (preparing the statement on its connection) is approved" "$(fld 39)" 00
settle do_authorize 1
auth_before=$(calls do_authorize) decide_before=$(calls decide)
offset=$(stat -c %s "$PG_LOG")

next_stan; stan=$STAN
auth "$CARD_A" 3012 100 "$MERCHANT_A" "PML 00" "$stan" "$t"
is "the 0100 under count is approved" "$(fld 39)" 00
settle do_authorize $((auth_before + 1))
sleep 0.3   # the log is written by the backend before it answers; give the file a moment
lines=$(statements "$offset")
is "one statement for the 0100" "$(grep -c . <<<"$lines")" 1
check "... and it is issuer.do_authorize" grep -q 'issuer\.do_authorize(' <<<"$lines"
is "issuer.do_authorize called once" "$(( $(calls do_authorize) - auth_before ))" 1
is "issuer.decide called once, inside it" "$(( $(calls decide) - decide_before ))" 1

offset=$(stat -c %s "$PG_LOG")
reverse 0400 "$stan" "$t" 100 "$MERCHANT_A"
is "its reversal: 00" "$(fld 39)" 00
sleep 0.3
lines=$(statements "$offset")
is "one statement for the reversal (it may be its connection's first: prepared, not counted)" "$(grep -c . <<<"$lines")" 1
check "... and it is issuer.do_reverse" grep -q 'issuer\.do_reverse(' <<<"$lines"
done_testing
