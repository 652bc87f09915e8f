#!/usr/bin/env bash
# gateway_mailbox_order.t — issue 4: a mailbox poll answers the newest live
# payment command first (the handset acts on the first one it can), then
# the other messages oldest first; an expired payment command is not
# answered and leaves the pending set (the partial index the pickup reads,
# mailbox_pending_idx), marked dropped, never delivered.  A throwaway
# shopper with a handset of its own, so the mailbox holds only this test's
# messages.
. "$(dirname "$0")/flowlib.sh"
M=1111111111
S=m$$$RANDOM
U=u$S DEV=h$S

check "a throwaway shopper with its own handset" enrol_shopper "$S"
DEV_ID=$(psql_q "SELECT id FROM gateway.devices WHERE code = '$DEV'")

# pending → the device's rows the pending index covers (its own predicate)
PRED=$(psql_q "SELECT pg_get_expr(i.indpred, i.indrelid) FROM pg_index i
                JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = 'mailbox_pending_idx'")
pending() { psql_q "SELECT count(*) FROM gateway.mailbox WHERE device_id = $DEV_ID AND ($PRED)"; }
check "the pending index has a predicate ($PRED)" test -n "$PRED"
# order → the poll's messages as "kind:transaction" in the order answered
order() { jq -r '[.messages[].message | fromjson | "\(.kind):\(.transaction)"] | join(" ")' <<<"$BODY"; }

txn_create $M "$U" 101; T1=$TXN
txn_create $M "$U" 102; T2=$TXN
txn_create $M "$U" 103; T3=$TXN
is "three transactions for the user" "$([[ -n $T1 && -n $T2 && -n $T3 ]] && echo yes)" yes
is "three payment commands pending" "$(pending)" 3

# the first one's window runs out (its deadline and its command's expiry,
# moved into the past as flow_cancel_expire.t does)
psql_q "UPDATE gateway.transactions SET deadline = now() - interval '1 second' WHERE number = '$T1';
        UPDATE gateway.mailbox SET expires_at = now() - interval '1 second'
         WHERE transaction_id = (SELECT id FROM gateway.transactions WHERE number = '$T1')" >/dev/null

mailbox_get "$DEV"
is "poll: 200" "$STATUS" 200
is "poll: the live commands, newest first; not the expired one" "$(order)" \
  "payment_command:$T3 payment_command:$T2"
n_ok=0
for i in 0 1; do
  verify_gateway_signature "$(jq -r ".messages[$i].message" <<<"$BODY")" "$(jq -r ".messages[$i].signature" <<<"$BODY")" \
    && n_ok=$((n_ok + 1))
done
is "poll: both signed by the gateway" "$n_ok" 2
is "the expired command left the pending set" "$(pending)" 0
is "... marked dropped, not delivered" \
  "$(psql_q "SELECT (delivered_at IS NULL) || ' ' || (dropped_at IS NOT NULL) FROM gateway.mailbox
              WHERE transaction_id = (SELECT id FROM gateway.transactions WHERE number = '$T1')")" "true true"

# a completion and a newer command: the command first, then the completion
pos POST "/v1/transactions/$T2/cancel" $M >/dev/null
txn_create $M "$U" 104; T4=$TXN
sleep 1.1
mailbox_get "$DEV"
is "next poll: the new command first, then T2's completion" "$(order)" "payment_command:$T4 completion:$T2"
sleep 1.1
mailbox_get "$DEV"
is "and then nothing more" "$(order)" ""

for t in "$T3" "$T4"; do pos POST "/v1/transactions/$t/cancel" $M >/dev/null; done
done_testing
