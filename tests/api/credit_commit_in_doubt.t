#!/usr/bin/env bash
# credit_commit_in_doubt.t — the database connection breaks while the
# credit server's 0100 (one statement, issuer.do_authorize, committing as it
# ends) is under way and cannot be re-opened: the
# charge may or may not be recorded.  A 96 would read as a decline at the
# acquirer and never be reversed, so the server sends no answer at all (the
# acquirer's time-out reversal then settles it either way).  A COMMIT made
# slow by a deferred trigger (6 s: with 3 s, two psql calls on a loaded
# machine once came after the COMMIT) gives the test the moment to cut the
# connection (pg_terminate_backend) and refuse new ones (NOLOGIN).
. "$(dirname "$0")/credit_lib.sh"
TMP=$(mktemp -d)
cleanup() {
  psql_q "ALTER ROLE paygw_issuer LOGIN" >/dev/null
  psql_q "DROP TRIGGER IF EXISTS test_slow_commit ON issuer.authorizations" >/dev/null 2>&1
  psql_q "DROP FUNCTION IF EXISTS issuer.test_slow_commit()" >/dev/null 2>&1
  rm -rf "$TMP"
}
trap cleanup EXIT
psql_q "CREATE FUNCTION issuer.test_slow_commit() RETURNS trigger LANGUAGE plpgsql AS
          \$\$ BEGIN PERFORM pg_sleep(6); RETURN NULL; END \$\$" >/dev/null
psql_q "CREATE CONSTRAINT TRIGGER test_slow_commit AFTER INSERT ON issuer.authorizations
          DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION issuer.test_slow_commit()" >/dev/null

t=$(now_time)
before=$(balance_of 152500 5678)
next_stan; stan=$STAN
( auth "$CARD_A" 3012 4321 "$MERCHANT_A" "PML 00" "$stan" "$t" --timeout 10000; echo "$ANS" >"$TMP/answer" ) &
sender=$!
for i in $(seq 40); do   # the 0100's statement is committing: running the deferred trigger
  [[ $(psql_q "SELECT count(*) FROM pg_stat_activity WHERE usename = 'paygw_issuer' AND query LIKE '%issuer.do_authorize(%' AND state = 'active'") == 1 ]] && break
  sleep 0.05
done
psql_q "ALTER ROLE paygw_issuer NOLOGIN" >/dev/null
psql_q "SELECT count(pg_terminate_backend(pid)) >= 0 FROM pg_stat_activity WHERE usename = 'paygw_issuer'" >/dev/null
wait $sender
is "a COMMIT whose outcome is unknown gets no answer (not 96)" "$(cat "$TMP/answer")" timeout
check "the server logged the unknown outcome" grep -q "authorization outcome unknown" "$PAYGW_VAR/log/credit-server.log"
is "here the COMMIT did not happen: nothing recorded" \
  "$(psql_q "SELECT count(*) FROM issuer.authorizations WHERE stan = '$stan' AND terminal_id = '$TERMINAL'")" 0
is "... and nothing charged" "$(balance_of 152500 5678)" "$before"

cleanup
next_stan
auth "$CARD_UNKNOWN" 3012 100 "$MERCHANT_A" "PML 00" "$STAN" "$t"
is "with the database reachable again the next 0100 is decided (14)" "$(fld 39)" 14
done_testing
