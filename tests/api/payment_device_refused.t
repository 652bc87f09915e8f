#!/usr/bin/env bash
# Device authentication refuses, and changes nothing: the wrong device ID for
# the user ([0068]), a signature by another key, an expired auth result, a
# replayed challenge, a challenge of another transaction, another user's
# transaction, an unknown transaction; sessions are per transaction.
. "$(dirname "$0")/paylib.sh"

unchanged() { is "$1: state unchanged" "$(txn_status "$TXN")" "$2"; }

new_txn 00003 4444444444
command_for 3345678 "$TXN"
check "the payment command arrived" test -n "$CHALLENGE"

device_auth 00003 1234567 "$TXN" "$CHALLENGE" "" 1234567
is "another device (signing with its own key): 403" "$STATUS" 403
is "another device: device_refused" "$(jqr .code)" device_refused
unchanged "another device" awaiting_device

device_auth 00003 3345678 "$TXN" "$CHALLENGE" "" 2234567
is "the right device ID, signed by another key: 403" "$STATUS" 403
is "wrong key: device_refused" "$(jqr .code)" device_refused
unchanged "wrong key" awaiting_device

expired=$(date -u -d '-1 minute' +%Y-%m-%dT%H:%M:%SZ)
device_auth 00003 3345678 "$TXN" "$CHALLENGE" "$expired"
is "an expired auth result: 401" "$STATUS" 401
is "expired: auth_result_expired" "$(jqr .code)" auth_result_expired
unchanged "expired auth result" awaiting_device

too_long=$(date -u -d '+3 hours' +%Y-%m-%dT%H:%M:%SZ)
device_auth 00003 3345678 "$TXN" "$CHALLENGE" "$too_long"
is "an auth result longer than an hour: 400" "$STATUS" 400
unchanged "too long auth result" awaiting_device

other=$(head -c 32 /dev/urandom | basenc --base64url | tr -d '=\n')
device_auth 00003 3345678 "$TXN" "$other"
is "a made-up challenge: 409" "$STATUS" 409
is "made-up challenge: challenge_refused" "$(jqr .code)" challenge_refused
unchanged "made-up challenge" awaiting_device

# another user's transaction: 00002 with its own device and a valid
# signature, on 00003's transaction
device_auth 00002 2234567 "$TXN" "$CHALLENGE"
is "another user's transaction: 403" "$STATUS" 403
is "another user: device_refused" "$(jqr .code)" device_refused
unchanged "another user" awaiting_device

device_auth 00003 3345678 "NOSUCHTRANSACT10" "$CHALLENGE"
is "an unknown transaction: 404" "$STATUS" 404
is "unknown: unknown_transaction" "$(jqr .code)" unknown_transaction

device_auth nobody 3345678 "$TXN" "$CHALLENGE"
is "an unknown user ID: 403" "$STATUS" 403

device_auth 00003 3345678 "$TXN" "$CHALLENGE"
is "the right device, key and challenge: 200" "$STATUS" 200
first_session=$SESSION
device_auth 00003 3345678 "$TXN" "$CHALLENGE"
is "the same challenge again (replay): 409" "$STATUS" 409
is "replay: challenge_refused" "$(jqr .code)" challenge_refused
unchanged "replay" awaiting_confirmation

# a session belongs to one transaction
SESSION=$first_session
old=$TXN
new_txn 00003 4444444444
confirm "$TXN" true
is "a session used on another transaction: 401" "$STATUS" 401
unchanged "other transaction's session" awaiting_device
SESSION=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
confirm "$old" true
is "a made-up session: 401" "$STATUS" 401
is "made-up session: unauthenticated" "$(jqr .code)" unauthenticated
TXN=$old; unchanged "made-up session" awaiting_confirmation

# mailbox polls: a replayed signed request, a wrong signature, a stale clock
ts=$(date +%s%3N)
sig=$(sign 3345678 "mailbox:3345678:$ts")
sleep 1.1
api GET /v1/mailbox -H "X-Paygw-Device: 3345678" -H "X-Paygw-Timestamp: $ts" -H "X-Paygw-Signature: $sig"
is "a signed poll: 200" "$STATUS" 200
api GET /v1/mailbox -H "X-Paygw-Device: 3345678" -H "X-Paygw-Timestamp: $ts" -H "X-Paygw-Signature: $sig"
is "the same signed poll replayed: 401" "$STATUS" 401
ts=$(date +%s%3N)
api GET /v1/mailbox -H "X-Paygw-Device: 3345678" -H "X-Paygw-Timestamp: $ts" -H "X-Paygw-Signature: $(sign 2234567 "mailbox:3345678:$ts")"
is "a poll signed by another device's key: 401" "$STATUS" 401
ts=$(( $(date +%s%3N) - 600000 ))
api GET /v1/mailbox -H "X-Paygw-Device: 3345678" -H "X-Paygw-Timestamp: $ts" -H "X-Paygw-Signature: $(sign 3345678 "mailbox:3345678:$ts")"
is "a poll ten minutes old: 401" "$STATUS" 401
api GET /v1/mailbox
is "a poll without signature headers: 401" "$STATUS" 401
ts=$(date +%s%3N)
api GET /v1/mailbox -H "X-Paygw-Device: 3345678" -H "X-Paygw-Timestamp: $ts" -H "X-Paygw-Signature: $(sign 3345678 "mailbox:3345678:$ts")"
is "polling again at once: 429" "$STATUS" 429
is "too fast: slow_down" "$(jqr .code)" slow_down
is "too fast: says the interval" "$(jqr .interval)" 2
done_testing
