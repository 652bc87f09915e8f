#!/usr/bin/env bash
# client_refund_pos.t — `pos refund` through nginx, the gateway, the credit
# server and PostgreSQL (issue 15, docs/pos.md "Refunds"): two partial
# refunds of a 1,000 yen payment with their receipts (refunded so far,
# refundable left, the gateway's refund ID, never a card number) and
# journal lines (refund_pending with the key before, the end after); one
# above what is left refused saying what is left, one more after the whole
# amount refused saying nothing is left; the whole amount of a second
# payment (a void or a refund, as the gateway decides by the cut-off); one
# the card issuer declines (13: its code and reason said and on the slip); a
# canceled payment (409 wrong_state), another merchant's and an unknown
# number (404) refused in plain words; `pos refunds` listing them; the
# issuer's balance back where it was; the handset shown the gateway's real
# refund messages.
. "$(dirname "$0")/client_refund_lib.sh"
STORE=$(store_copy "$REFUND_DEVICE" h3)
J=$CT/refunds.journal
balance_before=$(issuer_balance "$REFUND_USER")
paid_payment 1000 || { not_ok "a completed payment to refund ($FLOW_ERROR)"; done_testing; }
A=$PAID

# --- a partial refund ---------------------------------------------------------------
JOURNAL=$J pos_refund r1 --transaction "$A" --amount 300 --reason "damaged box"
is "300 of 1,000: exit 0" "$RC" 0
out=$CT/r1.out
id1=$(psql_q "SELECT r.refund_id FROM gateway.refunds r JOIN gateway.transactions t ON t.id = r.transaction_id
               WHERE t.number = '$A' AND r.amount = 300")
is "the gateway holds it completed" "$(refunds_of "$A")" "completed:300"
check "receipt: the shop" grep -qx "$REFUND_SHOP" "$out"
check "receipt: REFUND" grep -qx "REFUND" "$out"
check "receipt: the terminal" grep -qx "Terminal      pos-$REFUND_MERCHANT" "$out"
check "receipt: the original transaction" grep -qx "Transaction   $A" "$out"
check "receipt: the gateway's refund ID" grep -qx "Refund ID     $id1" "$out"
check "receipt: kind refund" grep -qx "Kind          refund" "$out"
check "receipt: the reason" grep -qx "Reason        damaged box" "$out"
check "receipt: the amount" grep -qE "^Amount +300 JPY$" "$out"
check "receipt: refunded so far" grep -qE "^Refunded so far +300 JPY$" "$out"
check "receipt: refundable left" grep -qE "^Refundable left +700 JPY$" "$out"
check "receipt: the paid total" grep -qE "^Paid total +1,000 JPY$" "$out"
check "receipt: the time" grep -qE "^Time          20[0-9-]{8}T[0-9:]{8}Z$" "$out"
is "journal: two lines" "$(wc -l <"$J")" 2
is "journal: pending before, completed after, one key" \
  "$(jq -sr '[.[0].status, .[1].status, (.[0].idempotency_key == .[1].idempotency_key), .[1].refund, .[1].amount, .[1].refunded, .[1].refundable, .[1].refund_reason] | join(" ")' "$J")" \
  "refund_pending refund_completed true $id1 300 300 700 damaged box"
is "journal: mode 600" "$(stat -c %a "$J")" 600

# --- above what is left, then the rest, then nothing left ------------------------------
JOURNAL=$J pos_refund r2 --transaction "$A" --amount 800
is "800 when 700 are left: exit 1" "$RC" 1
check "it says what is left" grep -qF "No refund: the gateway refused it: only 700 JPY is left to refund on transaction $A, less than the 800 JPY asked." "$CT/r2.out"
is "journal: refused, with the problem's code" "$(tail -1 "$J" | jq -r '[.status, .problem] | join(" ")')" \
  "refund_refused refund_exceeds_refundable"
JOURNAL=$J pos_refund r3 --transaction "$A" --amount 700
is "the 700 left: exit 0" "$RC" 0
check "receipt: refunded so far 1,000" grep -qE "^Refunded so far +1,000 JPY$" "$CT/r3.out"
check "receipt: nothing left" grep -qE "^Refundable left +0 JPY$" "$CT/r3.out"
JOURNAL=$J pos_refund r4 --transaction "$A" --amount 1
is "1 more: exit 1" "$RC" 1
check "it says nothing is left" grep -qF "nothing is left to refund on transaction $A" "$CT/r4.out"
is "the gateway holds the two refunds, no more" "$(refunds_of "$A")" "completed:300 completed:700"
is "the issuer's balance is back where it was" "$(issuer_balance "$REFUND_USER")" "$balance_before"

# --- the handset: the gateway's refund messages (before the next flow polls them) -----
"$HANDSET" --store "$STORE" watch --decline --for 4 >"$CT/watch.out" 2>&1
check "handset: the 300 back" grep -qF "Refund for user ID $REFUND_USER: 300 JPY back from transaction $A." "$CT/watch.out"
check "handset: refunded so far of the total" grep -qF "  Refunded:      300 of 1,000 JPY" "$CT/watch.out"
check "handset: the 700 back, all of it refunded" grep -qF "  Refunded:      1,000 of 1,000 JPY" "$CT/watch.out"
check "handset: the refund ID" grep -qF "  Refund:        $id1 (refund)" "$CT/watch.out"
check "handset: no refused message" bash -c "! grep -q 'Ignored a mailbox message' '$CT/watch.out'"

"$POS" refunds --journal "$J" --merchant "$REFUND_MERCHANT" --transaction "$A" >"$CT/list.out" 2>&1
is "pos refunds: exit 0" "$?" 0
check "pos refunds: both, oldest first" bash -c "grep -E '^  rf_' '$CT/list.out' | awk '{print \$1, \$3, \$5}' | tr '\n' ' ' | grep -qx '$id1 300 completed [^ ]* 700 completed '"
check "pos refunds: refunded and refundable" grep -qzE "Refunded   1,000 JPY.Refundable 0 JPY" "$CT/list.out"

# --- the whole of another payment: a void or a refund, as the gateway decided -----------
paid_payment 500 || not_ok "a second payment ($FLOW_ERROR)"
B=$PAID
JOURNAL=$J pos_refund whole --transaction "$B" --amount 500
is "the whole 500: exit 0" "$RC" 0
kind=$(psql_q "SELECT r.kind FROM gateway.refunds r JOIN gateway.transactions t ON t.id = r.transaction_id WHERE t.number = '$B'")
like "the gateway chose void or refund" "$kind" "^(void|refund)$"
heading=REFUND; [[ $kind == void ]] && heading=VOID
check "receipt: headed $heading, kind $kind" bash -c "grep -qx '$heading' '$CT/whole.out' && grep -q '^Kind          $kind' '$CT/whole.out'"
is "journal: the kind" "$(tail -1 "$J" | jq -r '[.status, .kind, .refundable] | join(" ")')" "refund_completed $kind 0"
shown=refund; [[ $kind == void ]] && shown="void: the payment canceled"
"$HANDSET" --store "$STORE" watch --decline --for 3 >"$CT/watch2.out" 2>&1
check "handset: the whole 500 back, as a $kind" grep -qE "^  Refund: +rf_[A-Za-z0-9_-]{22} \\($shown\\)$" "$CT/watch2.out"
check "handset: 500 of 500 refunded" grep -qF "  Refunded:      500 of 500 JPY" "$CT/watch2.out"

# --- declined by the card issuer -------------------------------------------------------
# the issuer's own record says the sale is wholly refunded (moved in SQL, as
# refund_webhook.t does), so it answers 13 although the gateway sees 400 left
paid_payment 400 || not_ok "a third payment ($FLOW_ERROR)"
E=$PAID
psql_q "UPDATE issuer.authorizations ia SET refunded = ia.amount FROM gateway.authorizations ga
         JOIN gateway.transactions t ON t.id = ga.transaction_id
        WHERE t.number = '$E' AND ia.stan = lpad(ga.stan::text, 6, '0')
          AND ia.transmission_time = ga.transmission_time AND ia.terminal_id = ga.terminal_code" >/dev/null
JOURNAL=$J pos_refund declined --transaction "$E" --amount 100
is "declined by the issuer: exit 1" "$RC" 1
check "it says the code and the reason" grep -qE "^The card issuer declined the refund: .+ \(code 13\)\. Nothing was refunded\.$" "$CT/declined.out"
check "slip: REFUND DECLINED" grep -qx "REFUND DECLINED" "$CT/declined.out"
check "slip: the decline with its code" grep -qE "^DECLINED: .+ \(code 13\)$" "$CT/declined.out"
check "slip: nothing refunded, all still refundable" bash -c "grep -qE '^Refunded so far +0 JPY$' '$CT/declined.out' && grep -qE '^Refundable left +400 JPY$' '$CT/declined.out'"
is "journal: declined with the code" "$(tail -1 "$J" | jq -r '[.status, .decline_code, .response_code, (.reason | length > 0)] | join(" ")')" \
  "refund_declined 13 13 true"
is "the gateway holds it declined" "$(refunds_of "$E")" "declined:100"

# --- refusals: wrong state, another merchant's, unknown ----------------------------------
txn_create "$REFUND_MERCHANT" "$REFUND_USER" 400
C=$TXN
pos POST "/v1/transactions/$C/cancel" "$REFUND_MERCHANT"
JOURNAL=$J pos_refund canceled --transaction "$C" --amount 100
is "a canceled payment: exit 1" "$RC" 1
check "it says why" grep -qF "No refund: the gateway refused it: transaction $C is canceled: only a completed payment can be refunded." "$CT/canceled.out"
txn_create "$OTHER_MERCHANT" "$REFUND_USER" 400
D=$TXN
pos POST "/v1/transactions/$D/cancel" "$OTHER_MERCHANT"
JOURNAL=$J pos_refund other --transaction "$D" --amount 100
is "another merchant's payment: exit 1" "$RC" 1
check "it is unknown to this shop" grep -qF "the gateway knows no transaction $D of this shop." "$CT/other.out"
JOURNAL=$J pos_refund unknown --transaction 0000000000000000 --amount 100
is "an unknown number: exit 1" "$RC" 1
check "it says so" grep -qF "the gateway knows no transaction 0000000000000000 of this shop." "$CT/unknown.out"
is "no refund row for any of them" "$(refunds_of "$C")$(refunds_of "$D")" ""
is "journal: every refund ended (none left for a recovery)" \
  "$(jq -sr 'group_by(.idempotency_key) | map(last.status) | map(select(. == "refund_pending")) | length' "$J")" 0

# --- usage: refused before anything is journaled or sent --------------------------------
lines=$(wc -l <"$J")
usage() { # usage NAME WHAT ARGS...: exit 2 and a message naming WHAT
  local name=$1 what=$2; shift 2
  "$POS" "$@" --journal "$J" --merchant "$REFUND_MERCHANT" >"$CT/$name.out" 2>&1
  is "usage: $name: exit 2" "$?" 2
  check "usage: $name: says $what" grep -qF -- "$what" "$CT/$name.out"
}
usage no-amount "refund needs --transaction NUMBER and --amount N" refund --transaction "$A"
usage zero "--amount must be 1-999999999999" refund --transaction "$A" --amount 0
usage lower "--transaction must be a transaction number" refund --transaction "${A,,}" --amount 1
usage long-reason "--reason is longer than 200 characters" refund --transaction "$A" --amount 1 --reason "$(printf 'x%.0s' {1..201})"
usage sale-option "--transaction belongs to refund and refunds" sale --item "a,1,1,0" --transaction "$A"
usage resume-with "refund --resume takes no --transaction" refund --resume --transaction "$A"
is "usage: nothing journaled" "$(wc -l <"$J")" "$lines"
"$POS" refund --journal "$CT/no/such/dir/j" --merchant "$REFUND_MERCHANT" --transaction "$A" --amount 1 >"$CT/nojournal.out" 2>&1
is "a journal that cannot be written: exit 2" "$?" 2
is "usage: nothing reached the gateway" "$(refunds_of "$A")" "completed:300 completed:700"

check "no card number in any output or the journal" no_pan_in "$CT"/*.out "$J"

done_testing
