#!/usr/bin/env bash
# Declines from the credit server reach the POS and the handset with their
# reason: a card the issuer does not hold (14), one expired at the issuer
# (54), one over its limit (51).  Nothing is charged.
. "$(dirname "$0")/paylib.sh"

declare -A CODE=([00008]=14 [00006]=54 [00007]=51)
declare -A REASON=([00008]="the card number is not known to the issuer" [00006]="the card has expired"
                   [00007]="over the credit limit")
for user in 00008 00006 00007; do
  dev=${DEVICE_OF[$user]} pan=${PAN_OF[$user]}
  before=$(balance_of "$pan")
  to_state awaiting_method $user
  is "$user: reached awaiting_method" "$(jqr .status)" awaiting_method
  choose "$TXN" '{"method":"L"}'
  is "$user: the choice answers 200" "$STATUS" 200
  is "$user: declined" "$(jqr .status)" declined
  is "$user: code ${CODE[$user]}" "$(jqr .decline.code)" "${CODE[$user]}"
  is "$user: reason" "$(jqr .decline.reason)" "${REASON[$user]}"
  pos_get "$TXN"
  is "$user: POS sees declined" "$(jqr .status)" declined
  is "$user: POS sees the code" "$(jqr .decline.code)" "${CODE[$user]}"
  is "$user: POS sees the reason" "$(jqr .decline.reason)" "${REASON[$user]}"
  check "$user: POS gets no approval code" test "$(jqr '.completion // empty')" = ""
  poll "$dev"
  msg=$(jq -r --arg n "$TXN" '.messages[] | .message | fromjson | select(.transaction == $n and .kind == "completion") | tojson' <<<"$BODY")
  is "$user: the handset's mailbox says declined" "$(jq -r .status <<<"${msg:-{\}}")" declined
  is "$user: ... with the reason" "$(jq -r .reason <<<"${msg:-{\}}")" "${REASON[$user]}"
  is "$user: no authorization approved at the issuer" "$(issuer_auths "$TXN")" 0
  [[ -n $before ]] && is "$user: balance unchanged" "$(balance_of "$pan")" "$before"
done
done_testing
