#!/usr/bin/env bash
# The whole first-embodiment payment (figure 11) as the POS and the handset
# make it: transaction number, signed payment command in the mailbox, device
# authentication, agreement, methods, choice, ISO 8583 authorization —
# completed at the POS with an approval code, one authorization at the credit
# server, a signed completion in the handset's mailbox.
. "$(dirname "$0")/paylib.sh"

USER_ID=00001 DEV=1234567 PAN=${PAN_OF[00001]}
before=$(balance_of "$PAN")

new_txn $USER_ID
is "POS: transaction number answered (201)" "$STATUS" 201
check "POS: the number has 16 characters" grep -qE '^[0-9A-Z]{16}$' <<<"$TXN"
is "POS: status awaiting_device" "$(jqr .status)" awaiting_device
is "POS: total = 2x1200+192 + 800+64" "$(jqr .total)" 3456
is "POS: tax total" "$(jqr .tax_total)" 256
check "POS: a 4-character binding code" grep -qE '^[2-9A-HJ-NP-Z]{4}$' <<<"$BINDING"

# a POS waiting for the status to change
pos_wait_out=$(mktemp)
( pos_get "$TXN" "" "?wait=20"; echo "$STATUS $(jqr .status)" >"$pos_wait_out" ) &
pos_wait=$!

command_for $DEV "$TXN"
is "handset: mailbox answered 200" "$STATUS" 200
check "handset: the payment command is there" test -n "$COMMAND"
check "handset: its signature verifies under the gateway's message key" verify_message "$COMMAND" "$SIGNATURE"
if verify_message "${COMMAND/00001/00002}" "$SIGNATURE"; then not_ok "handset: a tampered command does not verify"; else ok "handset: a tampered command does not verify"; fi
is "handset: command names the user" "$(jq -r .user_id <<<"$COMMAND")" $USER_ID
is "handset: same binding code as the POS shows" "$(jq -r .binding_code <<<"$COMMAND")" "$BINDING"
is "handset: interval to poll again" "$(jqr .interval)" 2
poll $DEV
is "handset: a delivered message is not delivered again" "$(jqr '[.messages[].message | fromjson | select(.transaction == "'"$TXN"'" and .kind == "payment_command")] | length')" 0

device_auth $USER_ID $DEV "$TXN" "$CHALLENGE"
is "device-auth: 200" "$STATUS" 200
is "device-auth: awaiting_confirmation" "$(jqr .status)" awaiting_confirmation
is "device-auth: the shop's name from the merchant table" "$(jqr .shop)" "Shop A Ginza"
is "device-auth: merchant name" "$(jqr .merchant.name)" A
is "device-auth: items" "$(jqr '.items | length')" 2
is "device-auth: total" "$(jqr .total)" 3456
is "device-auth: tax" "$(jqr .tax_total)" 256
is "device-auth: binding code" "$(jqr .binding_code)" "$BINDING"
is "device-auth: the card only masked" "$(jqr .card.masked)" "152500******5678"
check "device-auth: a session for the next steps" test ${#SESSION} -eq 43

confirm "$TXN" true
is "agree: 200" "$STATUS" 200
is "agree: awaiting_method" "$(jqr .status)" awaiting_method
is "agree: figure 10's methods for merchant A x issuer 2a11111" "$(jqr '[.methods[].method] | join(" ")')" "L I R"
is "agree: installment counts" "$(jqr '.methods[] | select(.method == "I") | .installments | map(tostring) | join(",")')" "3,6,12"
api GET "/v1/transactions/$TXN/payment-methods" -H "Authorization: Bearer $SESSION"
is "payment-methods: the same list" "$(jqr '[.methods[].method] | join(" ")')" "L I R"

choose "$TXN" '{"method":"I","installments":6}'
is "choice: 200" "$STATUS" 200
is "choice: completed" "$(jqr .status)" completed
approval=$(jqr .approval_code)
check "choice: a 6-character approval code" grep -qE '^[0-9A-Z]{6}$' <<<"$approval"
is "choice: masked card" "$(jqr .card)" "152500******5678"

wait $pos_wait
is "POS: the waiting GET came back with the new status" "$(cut -d' ' -f1 "$pos_wait_out")" 200
check "POS: ... and it had moved on" bash -c "[[ \$(cut -d' ' -f2 '$pos_wait_out') != awaiting_device ]]"
rm -f "$pos_wait_out"

pos_get "$TXN"
is "POS: completed" "$(jqr .status)" completed
is "POS: approval code for the receipt" "$(jqr .completion.approval_code)" "$approval"
is "POS: method" "$(jqr .completion.method)" I
is "POS: installments" "$(jqr .completion.installments)" 6
is "POS: masked card" "$(jqr .completion.card)" "152500******5678"
check "POS: no card number in the answer" bash -c "! grep -q '$PAN' <<<'$BODY'"

is "credit server: exactly one authorization for it" "$(issuer_auths "$TXN")" 1
is "credit server: balance up by the total" "$(balance_of "$PAN")" $((before + 3456))
is "credit server: its approval code is the POS's" \
  "$(psql_q "SELECT count(*) FROM issuer.authorizations WHERE approval_code = '$approval'")" 1

poll $DEV
done_msg=$(jq -r --arg n "$TXN" '.messages[] | select((.message | fromjson | .transaction) == $n and (.message | fromjson | .kind) == "completion") | .message' <<<"$BODY")
done_sig=$(jq -r --arg m "$done_msg" '.messages[] | select(.message == $m) | .signature' <<<"$BODY")
is "handset: a completion in the mailbox" "$(jq -r .status <<<"${done_msg:-{\}}")" completed
is "handset: with the approval code" "$(jq -r .approval_code <<<"${done_msg:-{\}}")" "$approval"
check "handset: the completion is signed by the gateway" verify_message "$done_msg" "$done_sig"

choose "$TXN" '{"method":"L"}'
is "a second choice after completion: 409" "$STATUS" 409
is "... wrong_state" "$(jqr .code)" wrong_state
is "... still one authorization" "$(issuer_auths "$TXN")" 1
done_testing
