#!/usr/bin/env bash
# gateway_enrolment_changes.t — the workers keep terminal credentials and the
# issuers' ranges in memory, but a change made with paygw-admin takes effect
# with the next request, not after the cache's lifetime: the tables announce
# every change (NOTIFY paygw_enrolment, sql/0004) and each worker drops its
# copies.  The warm-ups run in parallel so that many of the 8 workers hold
# the old rows when the change is made.
. "$(dirname "$0")/flowlib.sh"
ADMIN=$TEST_ROOT/admin/paygw-admin
S=$$$RANDOM
T=$(unique_tag)   # terminal codes: a letter and T, so their first 8 characters (field 41) are this run's
M=7${S:0:8}
# paygw-admin has no "issuer enable": an operator's UPDATE, which the
# triggers announce like any other change
reactivate() { psql_q "UPDATE gateway.issuers SET status = 'active' WHERE code = '2s44444'" >/dev/null; }
trap 'reactivate; flow_cleanup' EXIT

# statuses CREDENTIAL N → N parallel GETs of an unknown transaction with the
# credential, their HTTP statuses sorted and counted ("24x404")
statuses() {
  seq "$2" | xargs -P 8 -I{} curl -s -o /dev/null -w '%{http_code}\n' --cacert "$PAYGW_CA" \
    -H "Authorization: Bearer $1" "$PAYGW_URL/v1/transactions/0000000000000000" |
    sort | uniq -c | awk '{printf "%s%sx%s", sep, $1, $2; sep=" "}'
}

# --- a terminal disabled, then its merchant --------------------------------
"$ADMIN" merchant add --code "$M" --name "Cache test $S" --shop "Shop $S" >/dev/null 2>&1
cred1=$("$ADMIN" terminal add --merchant "$M" --code "a$T" 2>/dev/null)
cred2=$("$ADMIN" terminal add --merchant "$M" --code "b$T" 2>/dev/null)
is "a new terminal is known at once (unknown transaction: 404)" "$(statuses "$cred1" 24)" 24x404
is "so is the second" "$(statuses "$cred2" 24)" 24x404
"$ADMIN" terminal disable --code "a$T" >/dev/null 2>&1
is "right after terminal disable every worker refuses it: 401" "$(statuses "$cred1" 24)" 24x401
is "... and still takes the merchant's other terminal" "$(statuses "$cred2" 24)" 24x404
"$ADMIN" merchant disable --code "$M" >/dev/null 2>&1
is "right after merchant disable its terminal is refused: 401" "$(statuses "$cred2" 24)" 24x401

# --- an issuer disabled, then active again -----------------------------------
# user 00004's card 1360000123456784 lies in 2s44444's range 13600, which
# merchant 2222222222 takes: with the issuer disabled the card has no issuer.
for i in $(seq 8); do
  flow_to awaiting_method 2222222222 00004 120
  is "before: confirmation $i reaches awaiting_method" "$FLOW_ERROR" ""
  pos POST "/v1/transactions/$TXN/cancel" 2222222222 >/dev/null
done
"$ADMIN" issuer disable --code 2s44444 >/dev/null 2>&1
for i in $(seq 8); do
  flow_to awaiting_confirmation 2222222222 00004 120
  confirm "$TXN" "$SESSION" true
  is "right after issuer disable: confirmation $i declines" "$(jqr .status)/$(jqr .decline.code)" declined/card_not_accepted
done
reactivate
flow_to awaiting_method 2222222222 00004 120
is "right after the issuer is active again the card is taken" "$FLOW_ERROR" ""
pos POST "/v1/transactions/$TXN/cancel" 2222222222 >/dev/null
done_testing
