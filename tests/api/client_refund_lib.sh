# tests/api/client_refund_lib.sh — shared by the client_refund_*.t tests
# (issue 15): `pos refund` and `handset watch` against the stack.  The
# payment to refund is made with flowlib.sh's curl flow (quicker than the
# two programs, which client_purchase_completed.t covers); the refund is
# the real `pos`'s.  Sources flowlib.sh and client_lib.sh (the latter's
# txn_status NUMBER wins).
. "$(dirname "${BASH_SOURCE[0]}")/flowlib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/client_lib.sh"
trap 'client_cleanup; flow_cleanup' EXIT
REFUND_MERCHANT=4444444444 # Shop D Tenjin: the one demo shop that takes Card C
REFUND_SHOP="Shop D Tenjin"
REFUND_USER=00003 # Card C on handset 3345678: few other client tests use it
REFUND_DEVICE=3345678
OTHER_MERCHANT=1111111111

# paid_payment AMOUNT → PAID (the number of a completed payment of
# REFUND_USER at REFUND_MERCHANT), or empty with FLOW_ERROR
paid_payment() {
  PAID=""
  flow_to chosen "$REFUND_MERCHANT" "$REFUND_USER" "$1" L || return 1
  [[ $STATUS == 200 && $(jqr .status) == completed ]] || { FLOW_ERROR="method answered $STATUS: $BODY"; return 1; }
  PAID=$TXN
}

# pos_refund NAME ARGS... → runs `pos refund ARGS` as REFUND_MERCHANT's
# terminal with journal $CT/NAME.journal (or $JOURNAL); output $CT/NAME.out,
# exit status in RC
pos_refund() {
  local name=$1; shift
  "$POS" refund --journal "${JOURNAL:-$CT/$name.journal}" --merchant "$REFUND_MERCHANT" "$@" >"$CT/$name.out" 2>&1
  RC=$?
}

# refunds_of NUMBER → "status:amount" of each of its refunds at the gateway, oldest first
refunds_of() {
  psql_q "SELECT string_agg(r.status || ':' || r.amount, ' ' ORDER BY r.created_at, r.id) FROM gateway.refunds r
            JOIN gateway.transactions t ON t.id = r.transaction_id WHERE t.number = '$1'"
}

# gateway_sign TEXT → the gateway's message signature over TEXT (base64url)
gateway_sign() {
  printf '%s' "$1" >"$CT/to-sign"
  openssl pkeyutl -sign -inkey "$PAYGW_MESSAGE_KEY_FILE" -rawin -in "$CT/to-sign" | basenc --base64url | tr -d '=\n'
}

# forge_message DEVICE USER TEXT SIGNATURE: a message in the device's mailbox
# as the gateway would put it (the column kind is one the schema takes; the
# handset reads the kind inside the signed text)
forge_message() {
  psql_q "INSERT INTO gateway.mailbox (device_id, user_id, kind, message, signature, expires_at)
          SELECT id, '$2', 'completion', '$3', '$4', now() + interval '5 minutes'
            FROM gateway.devices WHERE code = '$1'" >/dev/null
}
