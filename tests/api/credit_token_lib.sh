# tests/api/credit_token_lib.sh — shared by the credit_token_*.t tests (the
# second embodiment at the credit server, docs/iso8583.md "Token sales"):
# tests/tools/token-make makes what the gateway makes for a token request
# (key ID, key, encrypted card number, expiry); the 0600 goes to the credit
# server as the test acquirer (the gateway's role), the token 0100 and its
# reversals as merchant 1111111111's POS (the stack's pos-1111111111
# certificate) or another merchant's (scripts/stack pos-cert).
. "$(dirname "$0")/credit_lib.sh"

TOKEN_MAKE=$PAYGW_ROOT/tests/tools/token-make
[[ -x $TOKEN_MAKE ]] || { echo "not ok - tests/tools/token-make is built"; exit 1; }
[[ -r ${PAYGW_POS_CREDIT_CERT:-} && -r ${PAYGW_POS_CREDIT_KEY:-} ]] \
  || { echo "not ok - merchant 1111111111's POS certificate (PAYGW_POS_CREDIT_CERT, _KEY in stack.env) is readable"; exit 1; }
POS_A=(--cert "$PAYGW_POS_CREDIT_CERT" --key "$PAYGW_POS_CREDIT_KEY")
ACQ=(--cert "$PAYGW_TEST_ACQUIRER_CERT" --key "$PAYGW_TEST_ACQUIRER_KEY")
CREDIT_LOG=$PAYGW_VAR/log/credit-server.log
STACK=$PAYGW_ROOT/scripts/stack

# pos_of CODE → sets POS to the iso-send options of merchant CODE's POS
pos_of() {
  local paths; paths=$("$STACK" pos-cert "$1" 2>/dev/null)
  POS=(--cert "$(sed -n 1p <<<"$paths")" --key "$(sed -n 2p <<<"$paths")")
}

# make_token PAN MERCHANT AMOUNT [token-make options] → KID KEY ECN EXP
make_token() {
  local pan=$1 merchant=$2 amount=$3 out; shift 3
  out=$("$TOKEN_MAKE" --merchant "$merchant" --amount "$amount" "$@" <<<"$pan")
  KID=$(sed -n 's/^key_id=//p' <<<"$out"); KEY=$(sed -n 's/^key=//p' <<<"$out")
  ECN=$(sed -n 's/^ecn=//p' <<<"$out"); EXP=$(sed -n 's/^expiry=//p' <<<"$out")
}

# deliver [iso-send options] [N=VALUE overrides...] → the 0600 of the last
# make_token for MERCHANT/AMOUNT (TOKEN_MERCHANT, TOKEN_AMOUNT), field 11 STAN
deliver() {
  local opts=("${ACQ[@]}")
  if [[ ${1:-} == --as ]]; then opts=("${!2}"); shift 2; fi
  next_stan
  send "${opts[@]}" 0600 4="$TOKEN_AMOUNT" 7="$(now_time)" 11="$STAN" 41="$TERMINAL" 42="$TOKEN_MERCHANT" 49=392 \
    60="$KID" 61="$ECN" 62="$EXP" 63="$KEY" "$@"
}

# token_auth STAN TIME [--as ARRAY-NAME] [--timeout MS] [N=VALUE overrides...]
# → the POS's token 0100 for the last token (fields 60-62), merchant
# TOKEN_MERCHANT
token_auth() {
  local stan=$1 t=$2 opts=("${POS_A[@]}"); shift 2
  if [[ ${1:-} == --as ]]; then opts=("${!2}"); shift 2; fi
  if [[ ${1:-} == --timeout ]]; then opts+=("$1" "$2"); shift 2; fi
  send "${opts[@]}" 0100 3=000000 4="$TOKEN_AMOUNT" 7="$t" 11="$stan" 12="${t:4:6}" 13="${t:0:4}" 22=010 \
    37="${t:4:6}$stan" 41="$TERMINAL" 42="$TOKEN_MERCHANT" 48="PML 00" 49=392 60="$KID" 61="$ECN" 62="$EXP" "$@"
}

# token_reverse MTI STAN TIME [--as ARRAY-NAME] → the POS's 0400/0401 naming its 0100
token_reverse() {
  local mti=$1 stan=$2 t=$3 opts=("${POS_A[@]}"); shift 3
  if [[ ${1:-} == --as ]]; then opts=("${!2}"); shift 2; fi
  send "${opts[@]}" --original "0100,$stan,$t" "$mti" 3=000000 4="$TOKEN_AMOUNT" 7="$(now_time)" 11="$stan" \
    41="$TERMINAL" 42="$TOKEN_MERCHANT" 49=392 "$@"
}

# the row count of issuer.token_keys for the last token's key ID
key_rows() { psql_q "SELECT count(*) FROM issuer.token_keys WHERE key_id = '$KID'"; }
# how many authorizations the POS's key holds for STAN on our terminal
auth_rows() {
  psql_q "SELECT count(*) FROM issuer.authorizations WHERE stan = '$1' AND terminal_id = '$TERMINAL'"
}

# no_secret_in_log OFFSET WHAT SECRET... → one check: none of the secrets in
# the credit server's log after byte OFFSET
no_secret_in_log() {
  local offset=$1 what=$2 s found=""; shift 2
  for s in "$@"; do
    [[ -n $s ]] && tail -c +$((offset + 1)) "$CREDIT_LOG" | grep -qF -- "$s" && found+="${s:0:4}… "
  done
  is "$what" "$found" ""
}
log_offset() { stat -c %s "$CREDIT_LOG"; }
