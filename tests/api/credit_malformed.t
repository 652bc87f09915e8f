#!/usr/bin/env bash
# Malformed input on one connection never stops the server serving others:
# a message broken after its STAN gets a 0110 with 30 and the STAN echoed;
# garbage, a frame header over the maximum and an empty frame get the
# connection closed; a truncated message (a frame never completed) is closed
# after the frame time-out, while other connections are answered meanwhile.
. "$(dirname "$0")/credit_lib.sh"

echo_ok() { send 0800 7="$(now_time)" 11=000777 70=301; [[ $(fld 39) == 00 ]]; }

# docs/iso8583.md's example 0100 (card 00001), with a letter in field 12
example=30313030723c040008c18000313631353235303030303132333435363738303030303030303030303030303032353932313132353039343330333030303034323039343330333131323533303132303130303934333033303030303432706f732d31313131313131313131313131312020202020303036504d4c203030333932
broken=${example/303030303432303934333033/303030303432303978333033}
check "the broken message differs from the example" test "$broken" != "$example"

send --hex "$broken"
is "broken after the STAN: a 0110" "$(fld mti)" 0110
is "broken after the STAN: response code 30" "$(fld 39)" 30
is "broken after the STAN: the STAN is echoed" "$(fld 11)" 000042
check "the server still answers an echo" echo_ok

send --hex "$(printf 'not an ISO message at all' | od -An -tx1 | tr -d ' \n')"
is "garbage in a frame: the connection is closed" "$ANS" closed
check "the server still answers an echo" echo_ok

send --raw "ffff$(printf '%0200d' 0)"
is "a frame header over 2048: the connection is closed" "$ANS" closed
send --raw "0000"
is "an empty frame: the connection is closed" "$ANS" closed

# a truncated message held open on one connection ...
out=$(mktemp)
start=$(date +%s%N)
"$ISO_SEND" --addr "$PAYGW_CREDIT_ADDR" --timeout 15000 --raw "0080${example:0:80}" >"$out" &
held=$!
sleep 0.3
# ... while other connections are served at once
t0=$(date +%s%N)
check "another connection is answered while the truncated one waits" echo_ok
auth "$CARD_UNKNOWN" 3012 100 "$MERCHANT_A" "PML 00" 000001 "$(now_time)"
is "and an authorization too" "$(fld 39)" 14
# well before the held connection's 5 s frame time-out ends it (a server
# serving one connection at a time would answer only then); 3 s, not 1:
# two iso-send starts and TLS handshakes took over a second on a loaded machine
check "within 3 s, while the truncated one is still held" test $(( ($(date +%s%N) - t0) / 1000000 )) -lt 3000
wait "$held"
is "the truncated message's connection is closed" "$(cat "$out")" closed
ms=$(( ($(date +%s%N) - start) / 1000000 ))
check "after the frame time-out, not at once ($ms ms)" test "$ms" -ge 1000
rm -f "$out"
check "the server still answers an echo at the end" echo_ok
check "the log says why a connection was closed" grep -q 'truncated message' "$PAYGW_VAR/log/credit-server.log"
done_testing
