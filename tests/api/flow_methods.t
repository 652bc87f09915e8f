#!/usr/bin/env bash
# flow_methods.t — issue 5, figures 9 and 10: for every row of the figure 10
# table (lib/common/demo_data.h demo_methods) a card of that issuer (found by
# the figure 9 ranges) is offered exactly that row's methods, both in the
# confirmation answer and by GET payment-methods; a method (or installment
# count) not offered is 422 method_not_offered and changes nothing; an offered
# one goes through the credit server; a card whose issuer the merchant does not
# take is declined card_not_accepted with a reason, at the POS and the handset.
. "$(dirname "$0")/flowlib.sh"

declare -A METHOD_NAME=([L]="lump sum" [I]=installments [B]=bonus [pB]="partial bonus" [R]=revolving)

# merchant   user (issuer)          methods     installments  not offered          pay with
ROWS=(
  "1111111111 00001 L,I,R      3,6,12  B,pB,I:5,I:24  R"
  "1111111111 00005 L,I,R      3,6,12  B              I:12"
  "2222222222 00002 L,I,pB,R   3,6     B,I:12,I:3x    pB"
  "2222222222 00004 L,B        -       I:3,pB,R       B"
  "3333333333 00002 L,B,pB     -       I:3,R          L"
  "4444444444 00003 L,R        -       B,I:6,pB       R"
)

choice_args() { if [[ $1 == *:* ]]; then echo "${1%%:*} ${1#*:}"; else echo "$1"; fi; }
gw_auths() { psql_q "SELECT count(*) FROM gateway.authorizations ga JOIN gateway.transactions t ON t.id = ga.transaction_id WHERE t.number = '$1'"; }

for row in "${ROWS[@]}"; do
  read -r merchant user methods counts refused pay <<<"$row"
  name="$merchant x $user"
  flow_to awaiting_method "$merchant" "$user"
  is "$name: reached awaiting_method" "$FLOW_ERROR" ""
  is "$name: the confirmation offers exactly $methods" "$(jqr '[.methods[].method] | join(",")')" "$methods"
  handset GET "$TXN" payment-methods "$SESSION"
  is "$name: GET payment-methods: 200" "$STATUS" 200
  is "$name: GET payment-methods lists exactly $methods" "$(jqr '[.methods[].method] | join(",")')" "$methods"
  names=$(IFS=,; for m in $methods; do printf '%s,' "${METHOD_NAME[$m]}"; done)
  is "$name: each method has its name" "$(jqr '[.methods[].name] | join(",")'),"  "$names"
  if [[ $counts != - ]]; then
    is "$name: installment counts $counts" \
      "$(jqr '.methods[] | select(.method == "I") | .installments | map(tostring) | join(",")')" "$counts"
  fi

  row_before=$(txn_row "$TXN")
  counts_before=$(table_counts)
  IFS=, read -ra refusals <<<"$refused"
  for r in "${refusals[@]}"; do
    if [[ $r == I:3x ]]; then      # installments on a method that has none
      handset POST "$TXN" payment-method "$SESSION" -H 'Content-Type: application/json' --data '{"method": "L", "installments": 3}'
      r="L with installments"
    else
      # shellcheck disable=SC2046
      choose "$TXN" "$SESSION" $(choice_args "$r")
    fi
    is "$name: $r not offered: 422 method_not_offered" "$STATUS $(jqr .code)" "422 method_not_offered"
  done
  is "$name: the refusals changed nothing (row)" "$(txn_row "$TXN")" "$row_before"
  is "$name: the refusals changed nothing (tables)" "$(table_counts)" "$counts_before"
  is "$name: nothing went to the credit server" "$(issuer_auths_for "$TXN")" 0

  # shellcheck disable=SC2046
  choose "$TXN" "$SESSION" $(choice_args "$pay")
  is "$name: the offered $pay completes" "$STATUS $(jqr .status)" "200 completed"
  is "$name: ... with method ${pay%%:*}" "$(jqr .method)" "${pay%%:*}"
  is "$name: one authorization at the credit server" "$(issuer_auths_for "$TXN")" 1
done

# --- cards whose issuer the merchant does not take ------------------------------
# merchant   user (issuer)
for row in "1111111111 00002" "3333333333 00004" "4444444444 00001" "1111111111 00003"; do
  read -r merchant user <<<"$row"
  name="$merchant x $user (not taken)"
  flow_to awaiting_confirmation "$merchant" "$user"
  is "$name: device-auth went through" "$FLOW_ERROR" ""
  confirm "$TXN" "$SESSION" true
  is "$name: agree answers 200" "$STATUS" 200
  is "$name: declined" "$(jqr .status)" declined
  is "$name: code card_not_accepted" "$(jqr .decline.code)" card_not_accepted
  like "$name: a reason a person understands" "$(jqr .decline.reason)" 'does not take|not accept'
  pos GET "/v1/transactions/$TXN" "$merchant"
  is "$name: the POS sees declined card_not_accepted" "$(jqr .status) $(jqr .decline.code)" "declined card_not_accepted"
  nonempty "$name: the POS sees the reason" "$(jqr '.decline.reason // empty')"
  mailbox_find "$DEVICE" "$TXN" completion
  is "$name: the handset's mailbox gets a signed declined completion" "$MSG_VERIFIED $(msg_field .status)" "true declined"
  nonempty "$name: ... with the reason" "$(msg_field .reason)"
  choose "$TXN" "$SESSION" L
  is "$name: choosing a method afterwards is 409 wrong_state" "$STATUS $(jqr .code)" "409 wrong_state"
  is "$name: no authorization at the gateway" "$(gw_auths "$TXN")" 0
done

done_testing
