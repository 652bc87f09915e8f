#!/usr/bin/env bash
# client_bad_signature.t — the handset runs the payment application only for
# a mailbox message whose signature verifies under the gateway's key in its
# store ([0077]-[0078]).
# (1) A store whose gateway_message_public_key is another key: the real
#     payment command is reported as ignored and nothing happens.
# (2) Messages forged into the mailbox (a bad signature, none at all, and a
#     correctly signed message of an unknown kind) are ignored, and a real
#     command after them is still handled.
# The user ID is sent by hand over TCP: the link protocol is one line.
# (the check of the answers against docs/openapi.yaml leaves them aside:)
# check: forges mailbox messages
. "$(dirname "$0")/client_lib.sh"
PORT=${PAYGW_TEST_LINK_PORT2:-$((${PAYGW_TEST_PORT_BASE:-10600} + 6))}
STORE=$(store_copy 2234567 h2)
openssl genpkey -algorithm ed25519 -out "$CT/other.pem" 2>/dev/null
openssl pkey -in "$CT/other.pem" -pubout -out "$CT/other.pub" 2>/dev/null
jq --rawfile k "$CT/other.pub" '.gateway_message_public_key = $k' "$STORE" >"$CT/wrongkey.json"
chmod 600 "$CT/wrongkey.json"
send_user() {   # the proximity link by hand: one line, one answer
  exec 3<>"/dev/tcp/127.0.0.1/$PORT" || return 1
  printf 'PAYGW-LINK 1 USER %s\n' "$1" >&3
  read -r -t 5 LINK_ANSWER <&3
  exec 3>&-
}

# --- (1) another gateway key in the store -----------------------------------------
PAYGW_HANDSET_PASSWORD=demo-pass-00002 "$HANDSET" --store "$CT/wrongkey.json" pay --user 00002 --link 127.0.0.1:1 >/dev/null 2>&1
check "an auth result is stored (so only the signature stands in the way)" \
  test "$(jq -r '.auth_results | length' "$CT/wrongkey.json")" = 1
pos_start sale --merchant 2222222222 --item "Tea,1,500,40" --listen "127.0.0.1:$PORT" --link-timeout 20
wait_for "$CT/sale.out" "proximity link" 10
send_user 00002
is "the link answers OK to a hand-written line" "$LINK_ANSWER" "OK"
check "pos: got a transaction number" wait_for "$CT/sale.out" "Transaction number" 10
N=$(pos_number sale)
"$HANDSET" --store "$CT/wrongkey.json" watch --once --agree --method L --for 6 >"$CT/watch.out" 2>&1
is "watch: no payment handled (exit status 3 after --for)" "$?" 3
check "watch: reports the message as ignored" grep -q "Ignored a mailbox message: its signature does not verify under the gateway's key." "$CT/watch.out"
check "watch: never started the payment application" bash -c "! grep -q 'Starting the payment application' '$CT/watch.out'"
is "gateway: no device-auth happened" "$(txn_status "$N")" awaiting_device
is "gateway: the challenge is unused" "$(psql_q "SELECT challenge_used FROM gateway.transactions WHERE number = '$N'")" f
kill -TERM "$POS_PID"; wait_exit "$POS_PID" 20
is "pos stopped: canceled" "$(txn_status "$N")" canceled

# --- (2) forged messages in the mailbox, then a real command ----------------------
dev_id=$(psql_q "SELECT id FROM gateway.devices WHERE code = '2234567'")
forge() {   # forge KIND MESSAGE SIGNATURE
  psql_q "INSERT INTO gateway.mailbox (device_id, user_id, kind, message, signature, expires_at)
          VALUES ($dev_id, '00002', '$1', '$2', '$3', now() + interval '5 minutes')" >/dev/null
}
fake_cmd='{"kind":"payment_command","transaction":"FAKEFAKEFAKEFAKE","user_id":"00002","device_id":"2234567","challenge":"x","binding_code":"ABCD"}'
printf '%s' "$fake_cmd" >"$CT/fake"
other_sig=$(openssl pkeyutl -sign -inkey "$CT/other.pem" -rawin -in "$CT/fake" | basenc --base64url | tr -d '=\n')
forge payment_command "$fake_cmd" "$other_sig"
forge payment_command "$fake_cmd" ""
odd='{"kind":"advertisement","user_id":"00002","text":"buy now"}'
printf '%s' "$odd" >"$CT/odd"
gw_sig=$(openssl pkeyutl -sign -inkey "$PAYGW_MESSAGE_KEY_FILE" -rawin -in "$CT/odd" | basenc --base64url | tr -d '=\n')
forge completion "$odd" "$gw_sig"
PAYGW_HANDSET_PASSWORD=demo-pass-00002 "$HANDSET" --store "$STORE" pay --user 00002 --link 127.0.0.1:1 >/dev/null 2>&1
pos_start sale2 --merchant 2222222222 --item "Tea,1,500,40" --listen "127.0.0.1:$PORT" --link-timeout 20
wait_for "$CT/sale2.out" "proximity link" 10
send_user 00002
wait_for "$CT/sale2.out" "Transaction number" 10
N2=$(pos_number sale2)
"$HANDSET" --store "$STORE" watch --once --decline --for 30 >"$CT/watch2.out" 2>&1
is "watch: the real command was handled (declined by choice: exit 1)" "$?" 1
is "watch: the two forged commands were ignored" "$(grep -c "Ignored a mailbox message: its signature does not verify\|Ignored a mailbox message: it is not signed" "$CT/watch2.out")" 2
check "watch: the unknown kind was ignored" grep -q "Ignored a mailbox message of unknown kind 'advertisement'." "$CT/watch2.out"
check "watch: the fake transaction never reached the payment application" bash -c "! grep -q FAKEFAKEFAKEFAKE '$CT/watch2.out'"
check "watch: the real one did" grep -q "transaction $N2" "$CT/watch2.out"
wait_exit "$POS_PID" 20
is "the real transaction ended canceled (Not agree)" "$(txn_status "$N2")" canceled
done_testing
