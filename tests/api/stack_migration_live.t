#!/usr/bin/env bash
# stack_migration_live.t — a migration that changes a column's type while
# the gateway runs: the workers' prepared statements no longer match
# (PostgreSQL: "cached plan must not change result type").  The column is
# one a statement of every payment returns as it is and no gateway.do_*
# function returns (gateway.transactions.number, read with the card at the
# confirmation, db/txn_card.c): the functions declare their result types,
# so a change under them is not seen.
# The workers prepare them again and retry, so payments go on without a
# restart; the credit server's call of issuer.do_authorize is not affected
# at all.
. "$(dirname "$0")/flowlib.sh"
restore() {
  psql_q "ALTER TABLE gateway.transactions ALTER COLUMN number TYPE text" >/dev/null
  psql_q "ALTER TABLE issuer.card_accounts ALTER COLUMN currency TYPE text" >/dev/null
}
trap 'restore; flow_cleanup' EXIT
replans() { grep -c 'preparing them again' "$PAYGW_VAR/log/gateway.log" || true; }
issuer_replans() { grep -c 'preparing them again' "$PAYGW_VAR/log/credit-server.log" || true; }

pay() {  # pay N LABEL: N whole payments of user 00001, each must complete
  local n=$1 label=$2 i done_ok=0
  for i in $(seq "$n"); do
    flow_to chosen 1111111111 00001 150
    [[ $STATUS == 200 && $(jqr .status) == completed ]] && done_ok=$((done_ok + 1)) ||
      echo "# $label $i: $FLOW_ERROR $STATUS $BODY"
    [[ $(txn_status 1111111111 "$TXN") == completed ]] || echo "# $label $i: the POS does not see completed"
  done
  is "$label: $n of $n payments completed" "$done_ok" "$n"
}

pay 4 "before the migration (every step's statements prepared)"
before=$(replans) issuer_before=$(issuer_replans)
psql_q "ALTER TABLE gateway.transactions ALTER COLUMN number TYPE varchar(16)" >/dev/null
psql_q "ALTER TABLE issuer.card_accounts ALTER COLUMN currency TYPE varchar(3)" >/dev/null
is "the gateway's column type changed" "$(psql_q "SELECT data_type FROM information_schema.columns WHERE table_schema = 'gateway' AND table_name = 'transactions' AND column_name = 'number'")" "character varying"
pay 4 "right after the migration, without a restart"
check "the workers said they prepared their statements again" test "$(replans)" -gt "$before"
# the credit server's one statement per 0100 calls issuer.do_authorize, whose
# result type the function declares: the column's new type reaches only the
# function's own queries, which PL/pgSQL plans again by itself
check "the credit server had nothing to prepare again (and its payments went through, above)" \
  test "$(issuer_replans)" -eq "$issuer_before"
restore
pay 2 "after the type is back"
done_testing
