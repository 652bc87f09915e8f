#!/usr/bin/env bash
# client_refund_recovery.t — a refund whose journal line has no end is
# asked again with its Idempotency-Key (issue 15, docs/pos.md "Refunds"):
# (1) a POS that died after journaling, before its POST went out: `pos
#     refund --resume` makes the refund, once; a second --resume finds
#     nothing left;
# (2) one whose answer was lost (the POST made the refund; here sent with
#     curl under the same key): the next start of pos, whatever its
#     command, gets the same refund back and ends the line — still one
#     refund at the gateway;
# (3) a line of another terminal is not sent with this terminal's
#     credential (the key is that terminal's), and (4) one older than the
#     24 h the gateway keeps its keys is not sent at all: ended `refund_unknown`.
. "$(dirname "$0")/client_refund_lib.sh"
paid_payment 600 || { not_ok "a completed payment to refund ($FLOW_ERROR)"; done_testing; }
P=$PAID
cred=$(terminal_credential "$REFUND_MERCHANT")
# pending_line JOURNAL KEY AMOUNT [TIME] [TERMINAL]: what `pos refund` writes before its POST
pending_line() {
  jq -cn --arg t "${4:-$(date -u +%FT%TZ)}" --arg n "$P" --arg term "${5:-pos-$REFUND_MERCHANT}" --arg k "$2" \
    --argjson a "$3" \
    '{time: $t, status: "refund_pending", transaction: $n, terminal: $term, amount: $a, refund_reason: null,
      idempotency_key: $k}' >>"$1"
}
resume() { # resume NAME JOURNAL → `pos refund --resume`; output $CT/NAME.out, RC
  "$POS" refund --resume --journal "$2" --merchant "$REFUND_MERCHANT" >"$CT/$1.out" 2>&1
  RC=$?
}
tag=$(unique_tag)

# --- (1) died before the POST -----------------------------------------------------
J1=$CT/one.journal
pending_line "$J1" "k1-$tag" 100
resume one "$J1"
is "(1) resume: exit 0" "$RC" 0
check "(1) it says what it found" grep -qF "The journal holds a refund of 100 on transaction $P" "$CT/one.out"
check "(1) and asks with the same key" grep -qF "asking the gateway again with the same key" "$CT/one.out"
check "(1) receipt" grep -qE "^Refundable left +500 JPY$" "$CT/one.out"
is "(1) the gateway made it" "$(refunds_of "$P")" "completed:100"
is "(1) journal: the end under the same key" "$(tail -1 "$J1" | jq -r '[.status, .idempotency_key, .amount] | join(" ")')" \
  "refund_completed k1-$tag 100"
resume one-again "$J1"
is "(1) a second resume: exit 0" "$RC" 0
check "(1) nothing left" grep -qF "No refund is left without an end in the journal" "$CT/one-again.out"
is "(1) still one refund" "$(refunds_of "$P")" "completed:100"

# --- (2) the answer lost ------------------------------------------------------------
api POST "/v1/transactions/$P/refunds" -H "Authorization: Bearer $cred" -H "Idempotency-Key: k2-$tag" \
  -H 'Content-Type: application/json' --data '{"amount": 200}'
is "(2) the POST made the refund (201)" "$STATUS" 201
id2=$(jqr .id)
J2=$CT/two.journal
pending_line "$J2" "k2-$tag" 200
"$POS" refunds --journal "$J2" --merchant "$REFUND_MERCHANT" --transaction "$P" >"$CT/two.out" 2>&1
is "(2) the next start (pos refunds): exit 0" "$?" 0
check "(2) the same refund came back" grep -qx "Refund ID     $id2" "$CT/two.out"
is "(2) journal: ended with that refund" "$(tail -1 "$J2" | jq -r '[.status, .refund] | join(" ")')" "refund_completed $id2"
check "(2) then the list: two refunds" bash -c "[[ \$(grep -c '^  rf_' '$CT/two.out') == 2 ]]"
is "(2) the gateway holds two refunds, not three" "$(refunds_of "$P")" "completed:100 completed:200"

# --- (3) another terminal's line -------------------------------------------------------
J3=$CT/three.journal
pending_line "$J3" "k3-$tag" 50 "" "pos-$OTHER_MERCHANT"
resume three "$J3"
is "(3) resume: exit 3 (still open)" "$RC" 3
check "(3) it says whose it is" grep -qF "asked by terminal pos-$OTHER_MERCHANT without an end" "$CT/three.out"
is "(3) nothing sent" "$(refunds_of "$P")" "completed:100 completed:200"
is "(3) the line stays open" "$(tail -1 "$J3" | jq -r .status)" refund_pending

# --- (4) older than the gateway keeps keys ------------------------------------------
J4=$CT/four.journal
pending_line "$J4" "k4-$tag" 50 "$(date -u -d '2 days ago' +%FT%TZ)"
resume four "$J4"
is "(4) resume: exit 0 (ended)" "$RC" 0
check "(4) it says why it is not sent" grep -qF "older than the 24 h the gateway keeps its key" "$CT/four.out"
is "(4) nothing sent" "$(refunds_of "$P")" "completed:100 completed:200"
is "(4) journal: ended unknown" "$(tail -1 "$J4" | jq -r .status)" refund_unknown
done_testing
