#!/usr/bin/env bash
# flow_disabled_before_method.t — issue 6: a card, user ID, handset,
# subscriber, terminal, merchant or issuer disabled with paygw-admin after
# the handset's device-auth is not charged.  The database transaction that
# would move the payment to `authorizing` finds the party disabled and ends
# it `declined` with the decline code `enrolment_disabled` instead: no
# authorization is recorded, no 0100 reaches the credit server (its own
# table is counted), the handset's payment-method answer is 200 declined
# with the reason, a signed completion goes to its mailbox and the POS reads
# the same decline.  Throwaway enrolments throughout (each case disables its
# own); their cards are enrolled at the credit server too, so a payment that
# got through would be approved — the first case shows one that does.
. "$(dirname "$0")/flowlib.sh"
M=1111111111 DEMO_ISSUER=2a11111
R=$$$RANDOM
N=${R//[!0-9]/}

issuer_rows() { psql_q "SELECT count(*) FROM issuer.authorizations"; }
gateway_auths() { psql_q "SELECT count(*) FROM gateway.authorizations a JOIN gateway.transactions t ON t.id = a.transaction_id WHERE t.number = '$1'"; }
completion_of() {
  psql_q "SELECT (message::json)->>'status' FROM gateway.mailbox m JOIN gateway.transactions t ON t.id = m.transaction_id
           WHERE t.number = '$1' AND m.kind = 'completion'"
}
stored() { psql_q "SELECT status || ' ' || coalesce(response_code, '-') FROM gateway.transactions WHERE number = '$1'"; }
# a card number in the demo issuer's range 1525000000-1525059999, unique to this run
new_pan() { luhn "152505$(date +%s%N | tail -c 10 | head -c 9)"; }
# a shopper whose card the credit server knows (it would approve a charge)
shopper() { local pan; pan=$(new_pan); enrol_shopper "$1" "$pan" && issuer_enrol_card "$pan"; }

# --- the control: the same enrolment, nothing disabled, is charged ---------------------
check "control: a throwaway shopper, its card known to the credit server" shopper "c$R"
ISSUER0=$(issuer_rows)
flow_to chosen $M "uc$R" 500 L
is "control: the payment completes" "$STATUS $(jqr .status)" "200 completed"
is "control: one 0100 reached the credit server" "$(issuer_rows)" $((ISSUER0 + 1))

# refused KIND TXN MERCHANT REASON-REGEX: the payment-method answer and what is stored
refused() {
  local kind=$1 txn=$2 merchant=$3 reason=$4 issuer0
  issuer0=$(issuer_rows)
  choose "$txn" "$SESSION" L
  is "$kind disabled: payment-method answers 200 declined" "$STATUS $(jqr .status)" "200 declined"
  is "$kind disabled: decline code enrolment_disabled" "$(jqr .decline.code)" enrolment_disabled
  like "$kind disabled: the reason names it" "$(jqr .decline.reason)" "$reason"
  is "$kind disabled: no authorization recorded" "$(gateway_auths "$txn")" 0
  is "$kind disabled: no 0100 reached the credit server" "$(issuer_rows)" "$issuer0"
  is "$kind disabled: the transaction is declined (enrolment_disabled)" "$(stored "$txn")" "declined enrolment_disabled"
  is "$kind disabled: a completion for the handset says declined" "$(completion_of "$txn")" declined
  if [[ -n $merchant ]]; then
    pos GET "/v1/transactions/$txn" "$merchant"
    is "$kind disabled: the POS reads declined, enrolment_disabled" "$(jqr .status) $(jqr .decline.code)" \
      "declined enrolment_disabled"
  fi
  choose "$txn" "$SESSION" L
  is "$kind disabled: choosing again is 409 wrong_state (declined)" "$STATUS $(jqr .code) $(problem_state)" \
    "409 wrong_state declined"
  is "$kind disabled: ... and still no 0100" "$(issuer_rows)" "$issuer0"
}
admin() { "$PAYGW_ADMIN" "$@" >/dev/null 2>>"$FLOW_TMP/enrol.err"; }

# --- the card: disabled right after device-auth, before the shopper agrees ------------
check "card: a throwaway shopper" shopper "k$R"
flow_to awaiting_confirmation $M "uk$R" 500
is "card: device-auth done" "${FLOW_ERROR:-ok}" ok
check "card: paygw-admin card disable" admin card disable --id "$CARD_ID"
confirm "$TXN" "$SESSION" true
is "card: the shopper agrees: 200 awaiting_method (the card is checked when the method is chosen)" \
  "$STATUS $(jqr .status)" "200 awaiting_method"
refused card "$TXN" $M "card"

# --- the user ID, the handset, the subscriber: disabled while the method is chosen ----
for kind in user device subscriber; do
  check "$kind: a throwaway shopper" shopper "${kind:0:1}$R"
  flow_to awaiting_method $M "u${kind:0:1}$R" 500
  is "$kind: agreed, awaiting the method" "${FLOW_ERROR:-ok}" ok
  case $kind in
    user) check "user: paygw-admin user disable" admin user disable --user-id "u${kind:0:1}$R" ;;
    device) check "device: paygw-admin device disable" admin device disable --code "h${kind:0:1}$R" ;;
    subscriber) check "subscriber: paygw-admin subscriber disable" admin subscriber disable --code "s${kind:0:1}$R" ;;
  esac
  refused "$kind" "$TXN" $M "$([[ $kind == device ]] && echo handset || echo "$kind")"
done

# --- the terminal that made the sale ------------------------------------------------------
check "terminal: a throwaway terminal of merchant $M" enrol_terminal $M "T$N"
check "terminal: a throwaway shopper" shopper "t$R"
flow_to awaiting_method "T$N" "ut$R" 500
is "terminal: agreed, awaiting the method" "${FLOW_ERROR:-ok}" ok
check "terminal: paygw-admin terminal disable" admin terminal disable --code "T$N"
refused terminal "$TXN" $M terminal

# --- the merchant (its own issuer row in figure 10) ----------------------------------------
check "merchant: a throwaway merchant" admin merchant add --code "8$N" --name "Merchant $R" --shop "Shop $R"
check "merchant: ... taking the demo issuer's cards (L)" admin method set --merchant "8$N" --issuer $DEMO_ISSUER --methods L
check "merchant: ... with a terminal" enrol_terminal "8$N" "U$N"
check "merchant: a throwaway shopper" shopper "m$R"
flow_to awaiting_method "U$N" "um$R" 500
is "merchant: agreed, awaiting the method" "${FLOW_ERROR:-ok}" ok
check "merchant: paygw-admin merchant disable" admin merchant disable --code "8$N"
refused merchant "$TXN" "" merchant

# --- the card's issuer (a throwaway issuer and range; the credit server does not know it) ---
check "issuer: a throwaway issuer" admin issuer add --code "I$N" --name "Issuer $R"
P=7$(date +%s%N | tail -c 11)
check "issuer: ... with a range" admin range add --issuer "I$N" --low "$P" --high "$P"
check "issuer: ... taken by merchant $M (L)" admin method set --merchant $M --issuer "I$N" --methods L
check "issuer: a throwaway shopper with a card in that range" enrol_shopper "i$R" "$(luhn "${P}12345")"
flow_to awaiting_method $M "ui$R" 500
is "issuer: agreed, awaiting the method" "${FLOW_ERROR:-ok}" ok
check "issuer: paygw-admin issuer disable" admin issuer disable --code "I$N"
refused issuer "$TXN" $M issuer

done_testing
