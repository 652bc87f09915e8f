#!/usr/bin/env bash
# flow_happy.t — issue 5: the whole payment flow with curl and openssl ends
# `completed` at the POS with an approval code and the masked card, the
# handset's mailbox gets a signed completion, the binding code is the same on
# the POS, in the payment command and in device-auth, a long-polling GET
# returns as soon as the status changes, and the credit server holds exactly
# one authorization for the payment.
. "$(dirname "$0")/flowlib.sh"

MERCHANT=1111111111 USER=00001 DEV=1234567
SINCE=$(db_now)
BALANCE_BEFORE=$(issuer_balance "$USER")
AMOUNT=$((1000 + RANDOM % 900))   # small: the demo card's limit lasts many runs

# --- S3/S4: the POS asks for a transaction number ---------------------------
txn_create "$MERCHANT" "$USER" "$AMOUNT"
is "POS: POST /v1/transactions answers 201" "$STATUS" 201
is "POS: the new transaction awaits the device" "$(jqr .status)" awaiting_device
like "POS: a 16-character transaction number" "$TXN" '^[0-9A-Z]{16}$'
like "POS: a 4-character binding code" "$BINDING" '^[A-Z0-9]{4}$'
is "POS: the total is the items' sum in minor units" "$(jqr .total)" "$AMOUNT"
is "POS: GET shows awaiting_device" "$(txn_status "$MERCHANT" "$TXN")" awaiting_device

# --- S5: the payment command in the handset's mailbox -----------------------
mailbox_find "$DEV" "$TXN" payment_command
nonempty "handset: the mailbox holds a payment command for the transaction" "$MSG"
is "handset: the payment command's signature verifies with the message key" "$MSG_VERIFIED" true
is "handset: the payment command names the user" "$(msg_field .user_id)" "$USER"
is "handset: the payment command names the device" "$(msg_field .device_id)" "$DEV"
is "handset: the binding code in the payment command is the POS's" "$(msg_field .binding_code)" "$BINDING"
CHALLENGE=$(msg_field .challenge)
like "handset: a 32-byte base64url challenge" "$CHALLENGE" '^[A-Za-z0-9_-]{43}$'
is "handset: no other message failed its signature check" "$MAILBOX_VERIFY_FAILED" 0

# --- a long poll at the POS returns as soon as the status changes -----------
WAIT_OUT=$FLOW_TMP/wait.out
( start=$(date +%s%N)
  pos GET "/v1/transactions/$TXN?wait=5" "$MERCHANT"
  printf '%s %s %s\n' "$STATUS" "$(( ($(date +%s%N) - start) / 1000000 ))" "$(jqr .status)" >"$WAIT_OUT" ) &
WAITER=$!
sleep 1

# --- S6-S8: device authentication -------------------------------------------
device_auth "$(device_auth_body "$TXN" "$USER" "$DEV" "$CHALLENGE")"
is "handset: device-auth answers 200" "$STATUS" 200
is "handset: now awaiting confirmation" "$(jqr .status)" awaiting_confirmation
is "handset: device-auth shows the same binding code" "$(jqr .binding_code)" "$BINDING"
is "handset: the merchant's name comes from the merchant table" "$(jqr .merchant.name)" A
is "handset: the shop's name" "$(jqr .shop)" "Shop A Ginza"
is "handset: the total to confirm" "$(jqr .total)" "$AMOUNT"
is "handset: the items as sent" "$(jq -c '[.items[] | .name]' <<<"$BODY")" '["Test item"]'
is "handset: the card shown is masked" "$(jqr .card.masked)" "${USER_CARD[$USER]}"
nonempty "handset: a session for the next steps" "$SESSION"

wait "$WAITER"
read -r W_STATUS W_MS W_TXN_STATUS <"$WAIT_OUT"
is "POS: GET ?wait=5 answers 200" "$W_STATUS" 200
is "POS: GET ?wait=5 answers the new status" "$W_TXN_STATUS" awaiting_confirmation
between "POS: GET ?wait=5 returned soon after the change, not after 5 s (ms)" "$W_MS" 800 3500

# a wait with no change runs its time
start=$(date +%s%N)
pos GET "/v1/transactions/$TXN?wait=1" "$MERCHANT"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
between "POS: GET ?wait=1 with no change holds about 1 s (ms)" "$ms" 900 2500
is "POS: ... and answers the unchanged status" "$(jqr .status)" awaiting_confirmation

# --- S9: confirmation and the methods of figure 10 ---------------------------
confirm "$TXN" "$SESSION" true
is "handset: agree answers 200" "$STATUS" 200
is "handset: now awaiting the method" "$(jqr .status)" awaiting_method
handset GET "$TXN" payment-methods "$SESSION"
is "handset: GET payment-methods answers 200" "$STATUS" 200
is "handset: merchant A offers L, I, R for issuer 2a11111" "$(jq -c '[.methods[].method]' <<<"$BODY")" '["L","I","R"]'

# --- S10-S14: the method, the authorization, the completion ----------------
choose "$TXN" "$SESSION" I 3
is "handset: the payment-method answer is 200" "$STATUS" 200
is "handset: the payment completed" "$(jqr .status)" completed
APPROVAL=$(jqr .approval_code)
like "handset: a 6-character approval code" "$APPROVAL" '^[0-9A-Z]{6}$'
is "handset: the method answered" "$(jqr .method)" I
is "handset: the installments answered" "$(jqr .installments)" 3
is "handset: the masked card answered" "$(jqr .card)" "${USER_CARD[$USER]}"

pos GET "/v1/transactions/$TXN" "$MERCHANT"
is "POS: GET answers 200" "$STATUS" 200
is "POS: the transaction is completed" "$(jqr .status)" completed
is "POS: the completion's approval code is the handset's" "$(jqr .completion.approval_code)" "$APPROVAL"
is "POS: the completion's method" "$(jqr .completion.method)" I
is "POS: the completion's installments" "$(jqr .completion.installments)" 3
is "POS: the completion's card is masked" "$(jqr .completion.card)" "${USER_CARD[$USER]}"
like "POS: the completion has a time" "$(jqr .completion.completed_at)" '^20[0-9-]+T[0-9:]+' 
is "POS: the binding code is the one it was given" "$(jqr .binding_code)" "$BINDING"

mailbox_find "$DEV" "$TXN" completion
nonempty "handset: the mailbox holds a completion for the transaction" "$MSG"
is "handset: the completion's signature verifies with the message key" "$MSG_VERIFIED" true
is "handset: the completion says completed" "$(msg_field .status)" completed
is "handset: the completion carries the approval code" "$(msg_field .approval_code)" "$APPROVAL"

# --- the credit server --------------------------------------------------------
is "issuer: exactly one authorization matches the transaction (STAN, terminal, time)" "$(issuer_auths_for "$TXN")" 1
is "issuer: exactly one 0100 for the card since the test began" "$(issuer_auths_since "$USER" "$SINCE")" 1
is "issuer: the authorization is approved with the same code, amount and method" \
  "$(psql_q "SELECT a.status || ' ' || a.approval_code || ' ' || a.amount || ' ' || a.method || ' ' || a.installments
               FROM issuer.authorizations a JOIN issuer.card_accounts c ON c.id = a.account_id
              WHERE c.card_masked = '${USER_CARD[$USER]}' AND a.created_at >= '$SINCE'")" \
  "approved $APPROVAL $AMOUNT I 3"
is "issuer: the balance grew by the total exactly" "$(issuer_balance "$USER")" "$((BALANCE_BEFORE + AMOUNT))"

done_testing
