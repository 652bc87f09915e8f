#!/usr/bin/env bash
# The credit server outlives a PostgreSQL restart: with the database down a
# 0100 is answered 96 (system malfunction) and nothing is recorded; once it
# is back, the next 0100 is decided normally, on reconnected connections.
. "$(dirname "$0")/credit_lib.sh"

port=$(pg_port_of "$PAYGW_PGURI")
stack() { PAYGW_VAR=$PAYGW_VAR PAYGW_PG_PORT=$port "$PAYGW_ROOT/scripts/stack" "$@" >/dev/null; }
trap 'stack db-start' EXIT

t=$(now_time)
stack db-stop
next_stan; down=$STAN
auth "$CARD_A" 3012 100 "$MERCHANT_A" "PML 00" "$down" "$t"
is "database down: 96" "$(fld 39)" 96
check "database down: the server still answers an echo" bash -c '"$1" --addr "$2" 0800 7=0101000000 11=000001 70=301 | grep -q "^39=00$"' _ "$ISO_SEND" "$PAYGW_CREDIT_ADDR"
stack db-start
for i in 1 2 3; do   # every pooled connection heals on its next use
  next_stan
  auth "$CARD_UNKNOWN" 3012 100 "$MERCHANT_A" "PML 00" "$STAN" "$t"
  is "database back, 0100 number $i: decided (14)" "$(fld 39)" 14
done
is "the 0100 answered 96 was not recorded" \
  "$(psql_q "SELECT count(*) FROM issuer.authorizations WHERE stan = '$down' AND terminal_id = '$TERMINAL'")" 0
done_testing
