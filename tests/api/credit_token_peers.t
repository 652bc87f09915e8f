#!/usr/bin/env bash
# credit_token_peers.t — who the credit server takes as a merchant's POS
# (docs/iso8583.md "Who may send what"): a certificate of the link's CA with
# clientAuth naming exactly one DNS:merchant-<code>, for a merchant the
# issuer takes.  `scripts/stack pos-cert CODE` issues one (once); a POS of a
# merchant the issuer does not take, or has disabled, is closed after the
# handshake without a message read; two merchant names, a wildcard, an
# over-long code or no clientAuth are refused in the handshake.
. "$(dirname "$0")/credit_token_lib.sh"
host=${PAYGW_CREDIT_ADDR%:*} port=${PAYGW_CREDIT_ADDR##*:}
TLS=$PAYGW_VAR/tls
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo_as() { send "$@" 0800 7="$(now_time)" 11=000001 70=301 2>/dev/null; }

# --- the stack's POS certificates ---------------------------------------------------
is "stack.env names merchant 1111111111's POS certificate" \
  "$PAYGW_POS_CREDIT_CERT $PAYGW_POS_CREDIT_KEY" "$TLS/pos-1111111111.crt $TLS/pos-1111111111.key"
check "... naming DNS:merchant-1111111111 for clientAuth" bash -c \
  "openssl x509 -in '$PAYGW_POS_CREDIT_CERT' -noout -ext subjectAltName,extendedKeyUsage | tr -d '\n ' | grep -q 'DNS:merchant-1111111111.*TLSWebClientAuthentication'"
is "... its key readable by its owner only" "$(stat -c %a "$PAYGW_POS_CREDIT_KEY")" 600
echo_as "${POS_A[@]}"
is "merchant 1111111111's POS: an echo is answered" "$(fld mti) $(fld 39)" "0810 00"

code=T$(printf '%08d' $((RANDOM * 32768 + RANDOM)) | cut -c1-8)
paths=$("$STACK" pos-cert "$code" 2>/dev/null)
is "scripts/stack pos-cert CODE prints the two paths" "$paths" "$TLS/pos-$code.crt"$'\n'"$TLS/pos-$code.key"
fp=$(openssl x509 -in "$TLS/pos-$code.crt" -noout -fingerprint -sha256)
is "... again: the same paths, the same certificate (issued once)" \
  "$("$STACK" pos-cert "$code" 2>/dev/null) $(openssl x509 -in "$TLS/pos-$code.crt" -noout -fingerprint -sha256)" "$paths $fp"
check "a code that is no merchant code is refused" bash -c "! '$STACK' pos-cert 'x;y' >/dev/null 2>&1"
CODE_POS=(--cert "$TLS/pos-$code.crt" --key "$TLS/pos-$code.key")

offset=$(log_offset)
echo_as "${CODE_POS[@]}"
is "a POS of a merchant the issuer does not hold: closed, no answer" "$SEND_RC $(fld mti)" "3 "
sleep 0.2
check "... logged as a merchant the issuer does not take" \
  grep -q "merchant the issuer does not take.*merchant-$code" <(tail -c +$((offset + 1)) "$CREDIT_LOG")

"$CREDIT_SERVER" --enrol-merchant --merchant "$code" --name "Token test $code" >/dev/null 2>&1
echo_as "${CODE_POS[@]}"
is "once the issuer takes the merchant: answered" "$(fld mti) $(fld 39)" "0810 00"
"$CREDIT_SERVER" --enrol-merchant --merchant "$code" --name "Token test $code" --status disabled >/dev/null 2>&1
echo_as "${CODE_POS[@]}"
is "the merchant disabled: closed again" "$SEND_RC $(fld mti)" "3 "

# --- certificates refused in the handshake ------------------------------------------------
issue() {
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=$1" \
    -keyout "$tmp/$1.key" -out "$tmp/$1.csr" 2>/dev/null
  printf '%b\n' "$2" >"$tmp/$1.ext"
  openssl x509 -req -in "$tmp/$1.csr" -CA "$TLS/ca.crt" -CAkey "$TLS/ca.key" -set_serial "$((RANDOM * 32768 + RANDOM))" \
    -days 2 -extfile "$tmp/$1.ext" -out "$tmp/$1.crt" 2>/dev/null
}
tls_try() { sleep 1 | timeout 10 openssl s_client -connect "$host:$port" -CAfile "$PAYGW_CA" -tls1_2 "$@" 2>&1; }
refused() {  # refused NAME SAN-AND-EKU ALERT DESCRIPTION
  issue "$1" "$2\nbasicConstraints=CA:false"
  check "(the certificate $1 was made)" test -s "$tmp/$1.crt"
  check "$4: refused ($3 alert)" grep -q "alert $3" <<<"$(tls_try -cert "$tmp/$1.crt" -key "$tmp/$1.key")"
}
refused two 'subjectAltName=DNS:merchant-1111111111,DNS:merchant-2222222222\nextendedKeyUsage=clientAuth' \
  'bad certificate' "two merchants in one certificate"
refused wild 'subjectAltName=DNS:merchant-*\nextendedKeyUsage=clientAuth' 'bad certificate' "a wildcard merchant"
refused long 'subjectAltName=DNS:merchant-1234567890123456\nextendedKeyUsage=clientAuth' 'bad certificate' \
  "a merchant code of 16 characters"
refused noeku 'subjectAltName=DNS:merchant-1111111111' 'unsupported certificate' "a POS certificate without clientAuth"
refused server 'subjectAltName=DNS:merchant-1111111111\nextendedKeyUsage=serverAuth' 'unsupported certificate' \
  "a POS certificate for serverAuth"
issue plain 'subjectAltName=DNS:merchant-1111111111\nextendedKeyUsage=clientAuth\nbasicConstraints=CA:false'
echo_as --cert "$tmp/plain.crt" --key "$tmp/plain.key"
is "(a certificate of the test's own for merchant 1111111111 is accepted)" "$(fld 39)" 00
done_testing
