#!/usr/bin/env bash
# client_refund_pending.t — a refund the card issuer does not answer
# (issue 15, docs/pos.md "Refunds"): with the credit server stopped the
# gateway answers `pending`; `pos refund` follows it with progress lines
# until its --wait-timeout, prints a REFUND PENDING slip, leaves its
# journal line without an end and exits 3.  A second POS on the same
# journal leaves a refund that a living POS is following to it.  With the
# credit server back, the gateway's repeats get the answer, and `pos
# refund --resume` (same key) ends the line with the receipt: one refund,
# the issuer's balance moved once.
. "$(dirname "$0")/client_refund_lib.sh"
restart_credit() { "$PAYGW_ROOT/scripts/stack" credit-restart >/dev/null 2>&1; }
trap 'restart_credit; client_cleanup; flow_cleanup' EXIT
paid_payment 800 || { not_ok "a completed payment to refund ($FLOW_ERROR)"; done_testing; }
P=$PAID
J=$CT/pending.journal
balance_paid=$(issuer_balance "$REFUND_USER")
"$PAYGW_ROOT/scripts/stack" credit-stop >/dev/null 2>&1

JOURNAL=$J pos_refund first --transaction "$P" --amount 300 --wait-timeout 4
is "issuer down: exit 3" "$RC" 3
check "progress lines while it waits" grep -qF "  Waiting for the card issuer's answer... [pending]" "$CT/first.out"
check "the slip says pending" grep -qE "^REFUND PENDING - check refund rf_" "$CT/first.out"
check "and how it goes on" grep -qF "REFUND PENDING: refund rf_" "$CT/first.out"
is "the gateway holds it pending" "$(refunds_of "$P")" "pending:300"
is "journal: only the line before the POST (no end)" "$(jq -r .status "$J" | tr '\n' ' ')" "refund_pending "

# a POS following it (its own --resume) holds it: a second one leaves it alone
"$POS" refund --resume --wait-timeout 60 --journal "$J" --merchant "$REFUND_MERCHANT" >"$CT/holder.out" 2>&1 &
HOLDER=$!; CLIENT_PIDS+=("$HOLDER")
wait_for "$CT/holder.out" "Waiting for the card issuer's answer" 15
"$POS" refund --resume --journal "$J" --merchant "$REFUND_MERCHANT" >"$CT/second.out" 2>&1
is "a second POS meanwhile: exit 0" "$?" 0
check "it leaves the refund to the POS on it" grep -qF "is in the hands of another POS, still running: left to it." "$CT/second.out"
{ kill -KILL "$HOLDER"; wait_exit "$HOLDER" 5; } 2>/dev/null
is "the killed POS wrote no end" "$(jq -r .status "$J" | tr '\n' ' ')" "refund_pending "

restart_credit
"$POS" refund --resume --journal "$J" --merchant "$REFUND_MERCHANT" >"$CT/resume.out" 2>&1
is "credit server back: resume exit 0" "$?" 0
check "receipt: REFUND" grep -qx "REFUND" "$CT/resume.out"
check "receipt: refundable left" grep -qE "^Refundable left +500 JPY$" "$CT/resume.out"
is "journal: ended completed" "$(tail -1 "$J" | jq -r '[.status, .amount] | join(" ")')" "refund_completed 300"
is "one refund at the gateway, completed" "$(refunds_of "$P")" "completed:300"
is "the issuer's balance moved by the 300, once" "$(issuer_balance "$REFUND_USER")" "$((balance_paid - 300))"
done_testing
