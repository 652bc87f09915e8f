#!/usr/bin/env bash
# client_refund_watch.t — `handset watch` and the gateway's `refund`
# message (issue 15, docs/handset.md): a message signed with the gateway's
# message key is shown (shop, amount back, refunded so far of the total,
# transaction, refund ID); the same text signed with another key, or with an
# empty signature, is refused like every other message and shows nothing; a signed
# one for a user ID that is not on the handset, or out of its form, is
# ignored.  The messages are put in the mailbox as the gateway puts its
# own (client_bad_signature.t does the same for payment commands);
# client_refund_pos.t shows the gateway's real one after a real refund.
# (the check of the answers against docs/openapi.yaml leaves them aside:)
# check: forges mailbox messages
. "$(dirname "$0")/client_refund_lib.sh"
STORE=$(store_copy "$REFUND_DEVICE" h3)
openssl genpkey -algorithm ed25519 -out "$CT/other.pem" 2>/dev/null
tag=$(unique_tag)
msg() { # msg REFUND-ID USER AMOUNT REFUNDED → the message text
  jq -cn --arg r "$1" --arg u "$2" --argjson a "$3" --argjson d "$4" \
    '{kind: "refund", refund: $r, transaction: "7KQ2M9XW4T1BZC3D", user_id: $u, refund_kind: "refund",
      amount: $a, currency: "JPY", refunded: $d, total: 1000, merchant: "1111111111",
      shop: "Shop A Ginza", issued_at: "2026-12-05T10:00:00Z"}'
}
good=$(msg "rf_good${tag}" "$REFUND_USER" 300 600)
forged=$(msg "rf_forged${tag}" "$REFUND_USER" 919 919)
unsigned=$(msg "rf_unsigned${tag}" "$REFUND_USER" 818 818)
other_user=$(msg "rf_otheruser${tag}" 00001 300 300)
broken=$(msg "rf_broken${tag}" "$REFUND_USER" 700 600) # more back than refunded in all
printf '%s' "$forged" >"$CT/forged"
forged_sig=$(openssl pkeyutl -sign -inkey "$CT/other.pem" -rawin -in "$CT/forged" | basenc --base64url | tr -d '=\n')
forge_message "$REFUND_DEVICE" "$REFUND_USER" "$forged" "$forged_sig"
forge_message "$REFUND_DEVICE" "$REFUND_USER" "$unsigned" ""
forge_message "$REFUND_DEVICE" "$REFUND_USER" "$other_user" "$(gateway_sign "$other_user")"
forge_message "$REFUND_DEVICE" "$REFUND_USER" "$broken" "$(gateway_sign "$broken")"
forge_message "$REFUND_DEVICE" "$REFUND_USER" "$good" "$(gateway_sign "$good")"

"$HANDSET" --store "$STORE" watch --decline --for 4 >"$CT/watch.out" 2>&1
is "watch: ran its --for (no payment: exit 3)" "$?" 3
out=$CT/watch.out
check "the signed message is announced" grep -qF "Refund for user ID $REFUND_USER: 300 JPY back from transaction 7KQ2M9XW4T1BZC3D." "$out"
check "its screen: the shop and merchant" grep -qF "  Shop:          Shop A Ginza (merchant 1111111111)" "$out"
check "its screen: the refund ID and kind" grep -qF "  Refund:        rf_good${tag} (refund)" "$out"
check "its screen: the amount back" grep -qF "  Amount back:   300 JPY" "$out"
check "its screen: refunded so far of the total" grep -qF "  Refunded:      600 of 1,000 JPY" "$out"
check "its screen: the transaction" grep -qF "  Transaction:   7KQ2M9XW4T1BZC3D" "$out"
is "the message signed with another key and the one with an empty signature are refused as every such message" \
  "$(grep -c "Ignored a mailbox message: its signature does not verify under the gateway's key." "$out")" 2
check "neither is shown" bash -c "! grep -qE 'rf_forged|rf_unsigned|919 JPY|818 JPY' '$out'"
check "a user ID not on this handset: ignored" \
  grep -qF "Ignored a refund message for rf_otheruser${tag}: its user ID is not on this handset." "$out"
check "out of its form: ignored, not shown" grep -qF "Ignored a refund message for rf_broken${tag}: it is not well-formed." "$out"
is "one screen of this test's five messages" "$(grep -c "^  Refund: .*${tag}" "$out")" 1
is "the messages were all delivered (none left for the next poll)" \
  "$(psql_q "SELECT count(*) FROM gateway.mailbox WHERE message LIKE '%${tag}%' AND delivered_at IS NULL")" 0
done_testing
