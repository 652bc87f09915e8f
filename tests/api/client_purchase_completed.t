#!/usr/bin/env bash
# client_purchase_completed.t — a whole in-store purchase with the two
# programs over TCP: pos listens on the proximity link, handset watch runs
# in the background, handset pay authenticates user 00001 and sends the user
# ID.  The POS prints a receipt with every field, writes one journal line,
# and the credit server holds exactly one authorization for it.
. "$(dirname "$0")/client_lib.sh"
PORT=${PAYGW_TEST_LINK_PORT:-$((${PAYGW_TEST_PORT_BASE:-10600} + 1))}
STORE=$(store_copy 1234567 h1)
issuer_auths() { psql_q "SELECT count(*) FROM issuer.authorizations"; }
before=$(issuer_auths)

pos_start sale --merchant 1111111111 --reference "t-$$" \
  --item "Coffee beans,2,1200,192" --item "Mug,1,800,64" --listen "127.0.0.1:$PORT" --link-timeout 30
check "pos shows the sale and waits on the link" wait_for "$CT/sale.out" "proximity link 127.0.0.1:$PORT" 10
"$HANDSET" --store "$STORE" watch --once --agree --method L --for 60 >"$CT/watch.out" 2>&1 &
WATCH=$!; CLIENT_PIDS+=("$WATCH")
PAYGW_HANDSET_PASSWORD=demo-pass-00001 "$HANDSET" --store "$STORE" pay --user 00001 --link "127.0.0.1:$PORT" >"$CT/pay.out" 2>&1
is "pay: exit status 0" "$?" 0
check "pay: says the user ID was sent" grep -q "User ID 00001 sent to the POS terminal" "$CT/pay.out"
is "pay: the store holds one auth result for 00001" "$(jq -r '[.auth_results[] | select(.user_id == "00001")] | length' "$STORE")" 1
is "pay: the store is still mode 600" "$(stat -c %a "$STORE")" 600

wait_exit "$WATCH" 60; is "watch: exit status 0" "$RC" 0
check "watch: shows the details (fig 16)" grep -q "Total:         3,456 JPY" "$CT/watch.out"
check "watch: shows the binding code" grep -qE "Binding code:  [A-Z0-9]{4}" "$CT/watch.out"
check "watch: shows the methods (fig 17)" grep -q "\[1\] L   lump sum" "$CT/watch.out"
check "watch: Payment has now been completed." grep -q "^Payment has now been completed.$" "$CT/watch.out"
wait_exit "$POS_PID" 30; is "pos: exit status 0" "$RC" 0

N=$(pos_number sale)
check "pos: printed a transaction number" test -n "$N"
code=$(psql_q "SELECT approval_code FROM gateway.transactions WHERE number = '$N'")
is "gateway: the transaction is completed" "$(txn_status "$N")" completed
out=$CT/sale.out
check "receipt: RECEIPT" grep -q "^RECEIPT$" "$out"
check "receipt: the shop as the gateway's merchant table names it (no --shop given)" grep -q "^Shop A Ginza$" "$out"
check "receipt: items" grep -qE "^Coffee beans +2 +1,200 +2,400$" "$out"
check "receipt: tax" grep -qE "^Tax +256 JPY$" "$out"
check "receipt: total" grep -qE "^TOTAL +3,456 JPY$" "$out"
check "receipt: method" grep -qE "^Method +L$" "$out"
check "receipt: approval code as the gateway holds it" grep -qE "^Approval code $code$" "$out"
check "receipt: masked card" grep -qE "^Card +152500\*{6}5678$" "$out"
check "receipt: transaction number" grep -qE "^Transaction +$N$" "$out"
check "pos: the binding code shown is the gateway's" grep -q "Binding code $(psql_q "SELECT binding_code FROM gateway.transactions WHERE number = '$N'")" "$out"

J=$CT/sale.journal
is "journal: one line" "$(wc -l <"$J")" 1
is "journal: the line" "$(jq -r '[.status, .transaction, .user_id, .reference, .total, .tax_total, .currency, .method, .approval_code, .card, (.items | length)] | join(" ")' "$J")" \
  "completed $N 00001 t-$$ 3456 256 JPY L $code 152500******5678 2"
is "journal: mode 600" "$(stat -c %a "$J")" 600

is "credit server: exactly one new authorization" "$(issuer_auths)" "$((before + 1))"
is "credit server: it carries this approval code and amount" \
  "$(psql_q "SELECT count(*) FROM issuer.authorizations WHERE approval_code = '$code' AND amount = 3456")" 1
check "no card number in any output, store or journal" no_pan_in "$CT"/*.out "$J" "$STORE"

# --- a second purchase on the same handset: another card, in 3 installments -----
pos_start sale2 --merchant 1111111111 --shop "Shop A Ginza" --item "Rice cooker,1,24000,2400" \
  --listen "127.0.0.1:$PORT" --link-timeout 30
wait_for "$CT/sale2.out" "proximity link" 10
"$HANDSET" --store "$STORE" watch --once --agree --method I --installments 3 --for 60 >"$CT/watch2.out" 2>&1 &
WATCH=$!; CLIENT_PIDS+=("$WATCH")
PAYGW_HANDSET_PASSWORD=demo-pass-00005 "$HANDSET" --store "$STORE" pay --user 00005 --link "127.0.0.1:$PORT" >"$CT/pay2.out" 2>&1
is "installments: pay exit status 0" "$?" 0
is "installments: the store now holds results for 00001 and 00005" "$(jq -r '[.auth_results[].user_id] | sort | join(",")' "$STORE")" "00001,00005"
wait_exit "$WATCH" 60; is "installments: watch exit status 0" "$RC" 0
check "installments: the handset chose I in 3" grep -q "^Method: I, 3 payments$" "$CT/watch2.out"
wait_exit "$POS_PID" 30; is "installments: pos exit status 0" "$RC" 0
check "installments: the receipt says I (3 payments)" grep -qE "^Method +I \(3 payments\)$" "$CT/sale2.out"
check "installments: the receipt shows card A2 masked" grep -qE "^Card +135550\*{6}6780$" "$CT/sale2.out"
is "installments: journal" "$(jq -r '[.status, .method, .installments, .total] | join(" ")' "$CT/sale2.journal")" "completed I 3 26400"
N2=$(pos_number sale2)
code2=$(psql_q "SELECT approval_code FROM gateway.transactions WHERE number = '$N2'")
is "installments: the credit server holds its authorization, in 3" \
  "$(psql_q "SELECT count(*) FROM issuer.authorizations WHERE approval_code = '$code2' AND method = 'I' AND installments = 3 AND amount = 26400")" 1
done_testing
