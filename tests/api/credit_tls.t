#!/usr/bin/env bash
# credit_tls.t — the ISO 8583 link is under mutual TLS (docs/iso8583.md,
# "The link"): the credit server serves only a peer that completes a TLS 1.2
# or 1.3 handshake (ECDHE, AES-GCM or ChaCha20-Poly1305) with a client
# certificate of the stack's CA made for client authentication and naming an
# acquirer it serves.  Anyone else — a plain TCP peer with a valid 0100 or
# 0400, a TLS peer with no certificate, another CA's, a server-only one, one
# naming no acquirer, TLS 1.1, a CBC suite — is refused in the handshake (the
# server's alert says why), gets no answer and leaves nothing in the issuer's
# books.  The client side checks the credit server too (another CA, another
# name: no message leaves).  A peer that never completes its handshake is
# cut off after the handshake time-out while others are served, and no key
# material reaches a log.
. "$(dirname "$0")/credit_lib.sh"

host=${PAYGW_CREDIT_ADDR%:*} port=${PAYGW_CREDIT_ADDR##*:}
TLS=$PAYGW_VAR/tls
ACQ_CERT=${PAYGW_TEST_ACQUIRER_CERT:-} ACQ_KEY=${PAYGW_TEST_ACQUIRER_KEY:-}
SERVER_NAME=${PAYGW_CREDIT_SERVER_NAME:-}
LOG=$PAYGW_VAR/log/credit-server.log
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
check "the stack issued the test acquirer a certificate (PAYGW_TEST_ACQUIRER_CERT)" test -s "$ACQ_CERT" -a -s "$ACQ_KEY"
log_lines_before=$(wc -l <"$LOG")
between() { if (($2 >= $3 && $2 <= $4)); then ok "$1 ($2)"; else not_ok "$1 (got $2, want $3..$4)"; fi; }

# recorded → how many authorizations the issuer holds for this run's terminal
recorded() { psql_q "SELECT count(*) FROM issuer.authorizations WHERE terminal_id = '$TERMINAL'"; }
BALANCE_BEFORE=$(balance_of 152500 5678)

# --- a plain TCP peer: valid messages, no TLS --------------------------------
asc() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }
# plain HEX-BODY: sends one frame on a plain TCP connection; PLAIN_OUT is
# what came back (hex), PLAIN_RC 124 when the connection was still open 4 s on
plain() {
  local body=$1
  exec 3<>"/dev/tcp/$host/$port"
  printf '%b' "$(printf '%04x%s' $((${#body} / 2)) "$body" | sed 's/../\\x&/g')" >&3
  timeout 4 dd bs=4096 status=none <&3 >"$tmp/plain.out" 2>/dev/null   # dd writes what each read gets
  PLAIN_RC=$?
  PLAIN_OUT=$(od -An -tx1 <"$tmp/plain.out" | tr -d ' \n')
  exec 3<&-
}
t=$(now_time); next_stan
# the bytes of a valid 0100 and 0400, encoded by iso-send (lib/iso8583) and sent here by hand
m0100=$("$ISO_SEND" --encode 0100 2="$CARD_A" 3=000000 4=100 7="$t" 11="$STAN" 12="${t:4:6}" 13="${t:0:4}" \
  14=3012 22=010 37="${t:4:6}$STAN" 41="$TERMINAL" 42="$MERCHANT_A" 48="PML 00" 49=392)
check "iso-send encodes the 0100" test -n "$m0100"
plain "$m0100"
check "plain TCP, a valid 0100: no 0110 comes back" test "${PLAIN_OUT/$(asc 0110)/}" == "$PLAIN_OUT"
check "... and the server closes the connection" test "$PLAIN_RC" != 124
is "... nothing is recorded at the issuer" "$(recorded)" 0
is "... the card's balance is unchanged" "$(balance_of 152500 5678)" "$BALANCE_BEFORE"

next_stan
m0400=$("$ISO_SEND" --encode --original "0100,$STAN,$t" 0400 3=000000 4=100 7="$(now_time)" 11="$STAN" \
  41="$TERMINAL" 42="$MERCHANT_A" 49=392)
check "iso-send encodes the 0400" test -n "$m0400"
plain "$m0400"
check "plain TCP, a 0400 with guessable keys: no 0410 comes back" test "${PLAIN_OUT/$(asc 0410)/}" == "$PLAIN_OUT"
check "... and the server closes the connection" test "$PLAIN_RC" != 124
is "... nothing is recorded (not even a void row)" "$(recorded)" 0

# --- TLS peers the server must refuse ----------------------------------------
# tls_try ARGS... → s_client's report of a connection that stays open 1 s
tls_try() {
  sleep 1 | timeout 10 openssl s_client -connect "$host:$port" -CAfile "$PAYGW_CA" "$@" 2>&1
}
# tls_send DESCRIPTION ISO-SEND-OPTIONS...: a 0100 through that identity gets
# no answer and nothing is recorded
tls_send() {
  local d=$1; shift
  next_stan
  auth "$CARD_A" 3012 100 "$MERCHANT_A" "PML 00" "$STAN" "$(now_time)" "$@"
  is "$d: a 0100 gets no answer, the connection is closed" "$SEND_RC" 3
  check "$d: ... no 0110" test "$(fld mti)" != 0110
  is "$d: ... nothing recorded at the issuer" "$(recorded)" 0
}

out=$(tls_try -tls1_2)
check "no client certificate, TLS 1.2: refused in the handshake (handshake failure alert)" grep -q 'alert handshake failure' <<<"$out"
out=$(tls_try -tls1_3)
check "no client certificate, TLS 1.3: refused (certificate required alert)" grep -q 'alert certificate required' <<<"$out"
tls_send "no client certificate" --no-cert

# another CA: a client certificate in every other way right
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=another CA" \
  -keyout "$tmp/other-ca.key" -out "$tmp/other-ca.crt" \
  -addext "basicConstraints=critical,CA:true" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
# issue NAME CA-CERT CA-KEY EXTENSIONS → $tmp/NAME.crt, $tmp/NAME.key
issue() {
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$1" \
    -keyout "$tmp/$1.key" -out "$tmp/$1.csr" 2>/dev/null
  printf '%b\n' "$4" >"$tmp/$1.ext"
  openssl x509 -req -in "$tmp/$1.csr" -CA "$2" -CAkey "$3" -set_serial "$((RANDOM * 32768 + RANDOM))" \
    -days 2 -extfile "$tmp/$1.ext" -out "$tmp/$1.crt" 2>/dev/null
}
issue other-ca-acquirer "$tmp/other-ca.crt" "$tmp/other-ca.key" \
  'subjectAltName=DNS:paygw-test-acquirer\nextendedKeyUsage=clientAuth\nbasicConstraints=CA:false'
check "(another CA's client certificate was made)" test -s "$tmp/other-ca-acquirer.crt"
out=$(tls_try -tls1_2 -cert "$tmp/other-ca-acquirer.crt" -key "$tmp/other-ca-acquirer.key")
check "a certificate of another CA: refused (unknown CA alert)" grep -q 'alert unknown ca' <<<"$out"
tls_send "a certificate of another CA" --cert "$tmp/other-ca-acquirer.crt" --key "$tmp/other-ca-acquirer.key"

# the stack's CA, but made for a server: nginx's own certificate
out=$(tls_try -tls1_2 -cert "$TLS/server.crt" -key "$TLS/server.key")
check "the stack CA's server-only certificate (nginx's, no clientAuth): refused (unsupported certificate alert)" \
  grep -q 'alert unsupported certificate' <<<"$out"
tls_send "a server-only certificate" --cert "$TLS/server.crt" --key "$TLS/server.key"

# the stack's CA, for client authentication, but naming no acquirer served
issue paygw-stranger "$TLS/ca.crt" "$TLS/ca.key" \
  'subjectAltName=DNS:paygw-stranger\nextendedKeyUsage=clientAuth\nbasicConstraints=CA:false'
check "(a client certificate naming no acquirer was made)" test -s "$tmp/paygw-stranger.crt"
out=$(tls_try -tls1_2 -cert "$tmp/paygw-stranger.crt" -key "$tmp/paygw-stranger.key")
check "a client certificate naming no acquirer the server serves: refused (bad certificate alert)" \
  grep -q 'alert bad certificate' <<<"$out"
tls_send "a certificate naming no acquirer" --cert "$tmp/paygw-stranger.crt" --key "$tmp/paygw-stranger.key"

# ... and one naming the test acquirer but without any extendedKeyUsage
issue no-eku "$TLS/ca.crt" "$TLS/ca.key" 'subjectAltName=DNS:paygw-test-acquirer\nbasicConstraints=CA:false'
out=$(tls_try -tls1_2 -cert "$tmp/no-eku.crt" -key "$tmp/no-eku.key")
check "a certificate without extendedKeyUsage clientAuth: refused (unsupported certificate alert)" \
  grep -q 'alert unsupported certificate' <<<"$out"

# the right certificate, the wrong protocol or suite
out=$(tls_try -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0' -cert "$ACQ_CERT" -key "$ACQ_KEY")
check "TLS 1.1 is refused (protocol version alert)" grep -q 'alert protocol version' <<<"$out"
out=$(tls_try -tls1_2 -cipher ECDHE-ECDSA-AES128-SHA -cert "$ACQ_CERT" -key "$ACQ_KEY")
check "a CBC suite (ECDHE-ECDSA-AES128-SHA) is refused (handshake failure alert)" grep -q 'alert handshake failure' <<<"$out"

# --- what is accepted -------------------------------------------------------
out=$(tls_try -tls1_2 -cipher ECDHE-ECDSA-AES128-GCM-SHA256 -cert "$ACQ_CERT" -key "$ACQ_KEY" -verify_hostname "$SERVER_NAME")
check "the test acquirer, TLS 1.2 ECDHE-ECDSA-AES128-GCM-SHA256: accepted" grep -q 'Cipher is ECDHE-ECDSA-AES128-GCM-SHA256' <<<"$out"
check "... the credit server's certificate verified for its name '$SERVER_NAME'" grep -q 'Verify return code: 0 (ok)' <<<"$out"
check "... and no alert" bash -c '! grep -q alert <<<"$1"' _ "$out"
out=$(tls_try -tls1_3 -cert "$ACQ_CERT" -key "$ACQ_KEY")
check "the test acquirer, TLS 1.3: accepted with an AEAD suite" grep -qE 'Cipher is TLS_(AES_(128|256)_GCM|CHACHA20_POLY1305)' <<<"$out"
check "... and no alert" bash -c '! grep -q alert <<<"$1"' _ "$out"
next_stan
auth "$CARD_A" 3012 100 "$MERCHANT_A" "PML 00" "$STAN" "$(now_time)"
is "the test acquirer's 0100 is answered (approved)" "$(fld mti) $(fld 39)" "0110 00"
is "... and recorded: the count above could see a row" "$(recorded)" 1
reverse 0400 "$STAN" "$(fld 07)" 100 "$MERCHANT_A"
is "... its reversal is answered" "$(fld mti) $(fld 39)" "0410 00"

# --- the client checks the server --------------------------------------------
send --ca "$tmp/other-ca.crt" 0800 7="$(now_time)" 11=000901 70=301
is "a client trusting another CA refuses the credit server (no echo)" "$SEND_RC $ANS" "3 refused"
send --server-name paygw-not-the-issuer 0800 7="$(now_time)" 11=000902 70=301
is "a client expecting another name refuses the credit server" "$SEND_RC $ANS" "3 refused"

# --- a peer that never completes its handshake -------------------------------
exec 4<>"/dev/tcp/$host/$port"
start=$(date +%s%N)
( timeout 12 od -An -tx1 <&4 >/dev/null 2>&1; echo $? >"$tmp/silent.rc"; date +%s%N >"$tmp/silent.end" ) &
silent=$!
sleep 0.5
t0=$(date +%s%N)
send 0800 7="$(now_time)" 11=000903 70=301
is "meanwhile another acquirer's echo is answered" "$(fld 39)" 00
check "... at once (under 1 s)" test $(( ($(date +%s%N) - t0) / 1000000 )) -lt 1000
wait "$silent"
exec 4<&-
ms=$(( ($(cat "$tmp/silent.end") - start) / 1000000 ))
is "a TCP peer that never starts its handshake is cut off" "$(cat "$tmp/silent.rc")" 0
between "... after the handshake time-out of 5 s (ms)" "$ms" 4500 8000

# --- the log ------------------------------------------------------------------
new_log=$(tail -n +"$((log_lines_before + 1))" "$LOG")
check "the log names each refused handshake" test "$(grep -c 'TLS handshake refused' <<<"$new_log")" -ge 7
check "... with the reason (e.g. unknown CA)" grep -q 'unable to get local issuer certificate\|unknown ca' <<<"$new_log"
check "... and the acquirer of each accepted link" grep -q '"acquirer": *"paygw-test-acquirer"' <<<"$new_log"
check "... and the handshake time-out" grep -q 'handshake time-out' <<<"$new_log"
# no key material: neither a private key's text nor a TLS key-log line
keys=("$TLS/credit-server.key" "$TLS/gateway-client.key" "$ACQ_KEY")
logs=("$PAYGW_VAR"/log/*.log)
check "the link's keys exist and are not empty" test -s "${keys[0]}" -a -s "${keys[1]}" -a -s "${keys[2]}"
check "the logs searched exist (credit server and gateway)" test -s "$LOG" -a -s "$PAYGW_VAR/log/gateway.log"
found=0
for k in "${keys[@]}"; do
  [[ -s $k ]] || continue
  body=$(sed -n '2p' "$k")                   # the first line of the key's base64
  [[ ${#body} -ge 40 ]] && grep -qF -- "${body:0:40}" "${logs[@]}" && found=$((found + 1))
done
grep -qE 'PRIVATE KEY|CLIENT_RANDOM|_TRAFFIC_SECRET|EXPORTER_SECRET' "${logs[@]}" && found=$((found + 1))
is "no private key and no TLS secret in any log" "$found" 0
check "the key files are 0600" bash -c 'for k; do [[ $(stat -c %a "$k") == 600 ]] || exit 1; done' _ "${keys[@]}"
done_testing
