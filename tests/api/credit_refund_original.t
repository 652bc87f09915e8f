#!/usr/bin/env bash
# What a refund's original must be, and voids: a refund of a reversed, an
# unknown or a declined original is refused 25 (nothing moves, no row in
# figure 24D); a void (0400) of an approved authorization restores the
# balance and answers 00 again when repeated; a void after a partial refund
# gives back only what is left; a merchant's POS certificate sending a 0220
# — even for its own merchant code — gets 58 and nothing is stored.
. "$(dirname "$0")/credit_refund_lib.sh"

# --- a void of an approved sale, then a refund of it ---------------------------
sale 2500
is "the sale is approved" "$(fld 39)" 00
is "the balance is 2500" "$(balance_id "$ACCOUNT")" 2500
reverse 0400 "$SALE_STAN" "$SALE_TIME" 2500 "$MERCHANT_A"
is "void (0400) of the approved sale: 0410 00" "$(fld mti) $(fld 39)" "0410 00"
is "... the balance is restored" "$(balance_id "$ACCOUNT")" 0
is "... the original is reversed" "$(original_state "$SALE_STAN" "$SALE_TIME")" "0 reversed"
reverse 0401 "$SALE_STAN" "$SALE_TIME" 2500 "$MERCHANT_A"
is "its repeat (0401): 00 again" "$(fld 39)" 00
reverse 0400 "$SALE_STAN" "$SALE_TIME" 2500 "$MERCHANT_A"
is "a void of an already reversed sale: 00, balance unchanged" "$(fld 39) $(balance_id "$ACCOUNT")" "00 0"
is "fig 24D: the voided sale is gone" "$(net_sales)" 0
next_stan
refund 0220 "$STAN" "$(now_time)" "$SALE_STAN" "$SALE_TIME" 100
is "a refund of the reversed original: 25" "$(fld 39)" 25
is "... the balance does not move (never below 0)" "$(balance_id "$ACCOUNT")" 0
is "... recorded refused, with its original" \
  "$(psql_q "SELECT status || ' ' || response_code || ' ' || (authorization_id IS NOT NULL) FROM issuer.refunds
             WHERE stan = '$STAN' AND terminal_id = '$TERMINAL'")" "refused 25 true"
is "fig 24D: no refund row" "$(refund_rows)" "0 0"

# --- a void after a partial refund gives back the rest ------------------------------
sale 2000
next_stan
refund 0220 "$STAN" "$(now_time)" "$SALE_STAN" "$SALE_TIME" 500
is "a partial refund of 500: 00" "$(fld 39)" 00
is "... balance 1500" "$(balance_id "$ACCOUNT")" 1500
reverse 0400 "$SALE_STAN" "$SALE_TIME" 2000 "$MERCHANT_A"
is "then a void: 00" "$(fld 39)" 00
is "... the balance is 0, not -500" "$(balance_id "$ACCOUNT")" 0
is "fig 24D: the sale and its refund are both gone" "$(net_sales) $(refund_rows)" "0 0 0"
is "fig 24D: the daily view's total is the day's net" "$(daily_consistent)" t

# --- unknown and declined originals ---------------------------------------------
sale 100
next_stan; ghost=$STAN
next_stan
refund 0220 "$STAN" "$(now_time)" "$ghost" "$SALE_TIME" 100
is "a refund of an original never seen: 25" "$(fld 39)" 25
is "... recorded refused without an original" \
  "$(psql_q "SELECT status || ' ' || response_code || ' ' || (authorization_id IS NULL) FROM issuer.refunds
             WHERE stan = '$STAN' AND terminal_id = '$TERMINAL'")" "refused 25 true"
refund 0221 "$STAN" "$(psql_q "SELECT transmission_time FROM issuer.refunds WHERE stan = '$STAN' AND terminal_id = '$TERMINAL'")" \
  "$ghost" "$SALE_TIME" 100
is "... its repeat: 25 again" "$(fld 39)" 25
is "... no authorization was made up for it" \
  "$(psql_q "SELECT count(*) FROM issuer.authorizations WHERE stan = '$ghost' AND terminal_id = '$TERMINAL'")" 0
is "the account's sale is untouched" "$(balance_id "$ACCOUNT")" 100

t=$(now_time)
next_stan; declined=$STAN
auth "$CARD_LOW" 3012 5000 "$MERCHANT_A" "PML 00" "$declined" "$t"
is "an over-limit 0100 is declined" "$(fld 39)" 51
low=$(balance_of 152500 7895)
next_stan
refund 0220 "$STAN" "$(now_time)" "$declined" "$t" 100
is "a refund of a declined original: 25" "$(fld 39)" 25
is "... the card's balance does not move" "$(balance_of 152500 7895)" "$low"

next_stan
send --original "0100,$SALE_STAN,$SALE_TIME" 0220 3=200000 4=100 7="$(now_time)" 11="$STAN" 41="$TERMINAL" \
  42=2222222222 49=392
is "a refund naming another merchant's sale: 25" "$(fld 39)" 25
is "... nothing moves" "$(balance_id "$ACCOUNT")" 100

# --- only acquirers send refunds ----------------------------------------------------
[[ -r ${PAYGW_POS_CREDIT_CERT:-} && -r ${PAYGW_POS_CREDIT_KEY:-} ]] \
  || { echo "not ok - merchant 1111111111's POS certificate (PAYGW_POS_CREDIT_CERT, _KEY) is readable"; exit 1; }
next_stan; pos_stan=$STAN
refund 0220 "$pos_stan" "$(now_time)" "$SALE_STAN" "$SALE_TIME" 100 --cert "$PAYGW_POS_CREDIT_CERT" \
  --key "$PAYGW_POS_CREDIT_KEY"
is "a merchant's POS sending a 0220 for its own merchant code: 0230 with 58" "$(fld mti) $(fld 39)" "0230 58"
is "... nothing stored" \
  "$(psql_q "SELECT count(*) FROM issuer.refunds WHERE stan = '$pos_stan' AND terminal_id = '$TERMINAL'")" 0
is "... nothing refunded" "$(balance_id "$ACCOUNT")" 100
done_testing
