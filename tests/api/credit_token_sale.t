#!/usr/bin/env bash
# credit_token_sale.t — a merchant POS's own 0100 with a token (fields
# 60-62, no card number; docs/iso8583.md "Token sales"): approved and
# charged once, the retransmission answered as the first, the token single
# use (63, balance unchanged); the decline codes in the table's order, each
# charging nothing and (but for the card rules) leaving the token unspent:
# 58 field 42 not the POS's own merchant / an acquirer's token 0100 / a
# POS's 0100 with a card number, 30 a field 60-62 missing, 14 an unknown key
# ID / a tampered number / another field 62, 03 another merchant's POS, 13
# another amount or currency, 54 an expired token, then the card's rules
# (51 over the limit: the token is spent).  Figure 24C's key column and
# 24D's encrypted card number; no card number or key in the log.
. "$(dirname "$0")/credit_token_lib.sh"

pan=$(new_test_pan)
account=$(enrol_test_account "$pan" 100000)
check "(a test account was enrolled, limit 100000)" test -n "$account"
offset=$(log_offset)
secrets=("$pan")
TOKEN_MERCHANT=$MERCHANT_A TOKEN_AMOUNT=2592
new_token() {  # new_token [token-make options]: made and delivered
  make_token "$pan" "$TOKEN_MERCHANT" "$TOKEN_AMOUNT" "$@"
  secrets+=("$KEY")
  deliver
  [[ $(fld 39) == 00 ]] || echo "not ok - (a token was delivered: got $(fld 39))"
}
spent() { psql_q "SELECT used_at IS NOT NULL FROM issuer.token_keys WHERE key_id = '$KID'"; }

# --- approved, retransmitted, reused ---------------------------------------
new_token
t=$(now_time); next_stan; sale=$STAN
token_auth "$sale" "$t"
is "token 0100 from merchant 1111111111's POS: approved" "$(fld mti) $(fld 39)" "0110 00"
approval=$(fld 38)
check "... with an approval code" test -n "$approval"
is "... the balance moved by the amount" "$(balance_id "$account")" 2592
is "... the answer carries no card number and no field 61" "$(fld 02)$(fld 2)$(fld 61)" ""
is "figure 24C: the authorization names its token key, from the POS" \
  "$(psql_q "SELECT token_key_id || ' ' || peer || ' ' || account_id || ' ' || status FROM issuer.authorizations WHERE stan = '$sale' AND terminal_id = '$TERMINAL' AND peer <> 'acquirer'")" \
  "$KID merchant-$MERCHANT_A $account approved"
is "the token is spent, by that authorization" \
  "$(psql_q "SELECT (t.used_at IS NOT NULL) AND t.authorization_id = a.id FROM issuer.token_keys t JOIN issuer.authorizations a ON a.token_key_id = t.key_id WHERE t.key_id = '$KID'")" t
is "figure 24D: the sale's card number is the encrypted one" \
  "$(psql_q "SELECT card_number FROM issuer.merchant_sales WHERE token_key_id = '$KID'")" "$ECN"
sold=("$KID" "$ECN" "$EXP")

token_auth "$sale" "$t"
is "the same 0100 again (retransmission): the first answer, not 63" "$(fld 39) $(fld 38)" "00 $approval"
is "... charged once" "$(balance_id "$account")" 2592
is "... one authorization" "$(auth_rows "$sale")" 1

next_stan
token_auth "$STAN" "$t"
is "the token again in a new 0100 (reuse): 63" "$(fld 39) $(fld 38)" "63 "
is "... the balance unchanged" "$(balance_id "$account")" 2592
next_stan
token_auth "$STAN" "$t" 4=100
is "reused with another amount: still 63 (used is checked before the amount)" "$(fld 39)" 63

# --- who may send it ----------------------------------------------------------
new_token
next_stan
token_auth "$STAN" "$t" 42=2222222222
is "field 42 not the POS certificate's merchant: 58" "$(fld 39)" 58
is "... nothing stored" "$(auth_rows "$STAN")" 0
next_stan
token_auth "$STAN" "$t" --as ACQ[@]
is "a token 0100 from an acquirer: 58" "$(fld 39) $(auth_rows "$STAN")" "58 0"
next_stan
token_auth "$STAN" "$t" 2="$pan" 14=3012
is "a POS's 0100 with a card number: 58" "$(fld 39) $(auth_rows "$STAN")" "58 0"
pos_of 2222222222
next_stan
TOKEN_MERCHANT=2222222222 token_auth "$STAN" "$t" --as POS[@]
is "merchant 2222222222's POS with merchant 1111111111's token: 03" "$(fld 39)" 03
is "... the balance unchanged, the token unspent" "$(balance_id "$account") $(spent)" "2592 f"
check "(the other merchant's POS certificate names it: merchant-2222222222)" \
  grep -q 'merchant-2222222222' <<<"$(openssl x509 -in "${POS[1]}" -noout -ext subjectAltName 2>/dev/null)"

# --- the token's own checks, in order ------------------------------------------
next_stan
send "${POS_A[@]}" 0100 3=000000 4=2592 7="$t" 11="$STAN" 12="${t:4:6}" 13="${t:0:4}" 22=010 37="${t:4:6}$STAN" \
  41="$TERMINAL" 42="$MERCHANT_A" 48="PML 00" 49=392 60="$KID" 62="$EXP"
is "field 61 missing: 30" "$(fld 39)" 30
next_stan
token_auth "$STAN" "$t" 60=AAAAAAAAAAAAAAAAAAAAAA
is "a key ID the issuer never got: 14" "$(fld 39)" 14
next_stan
token_auth "$STAN" "$t" 61="${ECN:0:30}$([[ ${ECN:30:1} == A ]] && echo B || echo A)${ECN:31}"
is "a tampered encrypted number: 14" "$(fld 39)" 14
next_stan
token_auth "$STAN" "$t" 62=20991231235959
is "another expiry in field 62 (the number is bound to its own): 14" "$(fld 39)" 14
next_stan
token_auth "$STAN" "$t" 60="${sold[0]}" 61="${sold[1]}" 62="${sold[2]}" 4=1
is "a used token with another amount: 63 before 13" "$(fld 39)" 63
next_stan
token_auth "$STAN" "$t" 4=2593
is "another amount: 13" "$(fld 39)" 13
next_stan
token_auth "$STAN" "$t" 49=840
is "another currency: 13" "$(fld 39)" 13
is "... after each: the balance unchanged, the token unspent" "$(balance_id "$account") $(spent)" "2592 f"
next_stan; good=$STAN
token_auth "$good" "$t"
is "the same token, right this time: approved (an early refusal does not spend it)" "$(fld 39)" 00
is "... charged" "$(balance_id "$account")" 5184

# expired: delivered with an expiry already past
new_token --ttl -60
next_stan
token_auth "$STAN" "$t"
is "an expired token: 54" "$(fld 39)" 54
is "... nothing charged, token unspent" "$(balance_id "$account") $(spent)" "5184 f"
is "... recorded declined under the POS's key, so a retransmission answers the same" \
  "$(psql_q "SELECT response_code || ' ' || status FROM issuer.authorizations WHERE stan = '$STAN' AND terminal_id = '$TERMINAL'")" "54 declined"

# the card's rules: over the limit — the token is spent
TOKEN_AMOUNT=99999
new_token
next_stan
token_auth "$STAN" "$t"
is "a token sale over the card's limit: 51" "$(fld 39)" 51
is "... nothing charged, the token spent (it reached the card rules)" "$(balance_id "$account") $(spent)" "5184 t"
next_stan
token_auth "$STAN" "$t"
is "... so it cannot be tried again: 63" "$(fld 39)" 63

# a gateway 0100 with the same STAN, terminal and time as a POS's: its own key
next_stan; same=$STAN
TOKEN_AMOUNT=300
new_token
token_auth "$same" "$t"
is "(a POS's token sale under STAN $same)" "$(fld 39)" 00
auth "$pan" 3012 300 "$MERCHANT_A" "PML 00" "$same" "$t"
is "an acquirer's 0100 with the same STAN, terminal and time: a request of its own (approved, not 94)" "$(fld 39)" 00
is "... two authorizations under the two peers' keys" \
  "$(psql_q "SELECT string_agg(peer, ' ' ORDER BY peer) FROM issuer.authorizations WHERE stan = '$same' AND terminal_id = '$TERMINAL'")" \
  "acquirer merchant-$MERCHANT_A"

no_secret_in_log "$offset" "the credit server's log holds no card number and no token key" "${secrets[@]}"
check "... and names the token sales by key ID" grep -qF "\"key_id\":\"${sold[0]}\"" <(tail -c +$((offset + 1)) "$CREDIT_LOG" | tr -d ' ')
done_testing
