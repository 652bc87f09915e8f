#!/usr/bin/env bash
# client_token_rejected.t — token requests the gateway rejects before any
# handset is asked ([0152], [0157]-[0158]): an unknown user ID (404
# unknown_user), a user whose card is disabled (no_card), a user whose card
# has expired by the gateway's record (card_expired).  The POS prints the
# rejection in plain words, journals token_rejected and exits 1; no key and
# no authorization reach the credit server.  The user IDs are the test's own
# (paygw-admin), sent over the link as any handset would.
. "$(dirname "$0")/client_token_lib.sh"
TAG=$(unique_tag)
counts=$(issuer_counts)

# own_user NAME → a user ID uNAME with a card in issuer A's range; sets CARD
own_user() {
  local out pan
  pan=$(luhn "152500$(date +%s%N | tail -c 10 | head -c 9)")
  {
    "$PAYGW_ADMIN" subscriber add --code "s$1" --name "Token test $1" &&
      "$PAYGW_ADMIN" device add --subscriber "s$1" --code "h$1" --key-out "$CT/h$1.pem" &&
      out=$(echo "$pan" | "$PAYGW_ADMIN" card add --subscriber "s$1" --expiry 3012 --label "Card $1") &&
      echo "a long password $1" | "$PAYGW_ADMIN" user add --user-id "u$1" --subscriber "s$1" \
        --card "$(cut -d' ' -f2 <<<"$out")" --device "h$1"
  } >/dev/null 2>>"$CT/enrol.err" || return 1
  CARD=$(cut -d' ' -f2 <<<"$out")
}

# rejected NAME USER REASON-TEXT: one token sale for USER, sent over the link
rejected() {
  token_pos "$1" --item "Coffee beans,2,1200,192"
  send_raw_user "$2"
  wait_exit "$POS_PID" 30; is "$1: pos exit status 1" "$RC" 1
  check "$1: the POS prints the rejection" grep -q "$3" "$CT/$1.out"
}

rejected unknown "nobody$TAG" "^The gateway refused the sale: unknown_user"
is "unknown: journal" "$(jq -r '.status + " " + .user_id' "$CT/unknown.journal")" "token_rejected nobody$TAG"
check "unknown: the journal says why" grep -q '"reason":"unknown_user' "$CT/unknown.journal"

own_user "nc$TAG" || echo "not ok - enrol a user"
"$PAYGW_ADMIN" card disable --id "$CARD" >/dev/null 2>>"$CT/enrol.err"
rejected nocard "unc$TAG" "^No payment: the token request was rejected (no_card).$"
check "no card: the slip" grep -q "^SALE NOT PAID - REJECTED$" "$CT/nocard.out"
T=$(pos_token nocard)
is "no card: rejected at the gateway" "$(token_row "$T")" "rejected|no_card"
is "no card: journal" "$(jq -r '[.status, .token, .reason] | join(" ")' "$CT/nocard.journal")" "token_rejected $T no_card"

own_user "ex$TAG" || echo "not ok - enrol a user"
# the card ran out last month by the gateway's record (card update refuses a passed expiry)
psql_q "UPDATE gateway.cards SET expiry = to_char(now() - interval '1 month', 'YYMM') WHERE id = $CARD" >/dev/null
rejected expired "uex$TAG" "^No payment: the token request was rejected (card_expired).$"
is "expired card: rejected at the gateway" "$(token_row "$(pos_token expired)")" "rejected|card_expired"
is "expired card: journal" "$(jq -r '.status + " " + .reason' "$CT/expired.journal")" "token_rejected card_expired"

is "nothing reached the credit server: no key, no authorization" "$(issuer_counts)" "$counts"
check "no mailbox message for the rejected users" \
  test "$(psql_q "SELECT count(*) FROM gateway.mailbox WHERE user_id IN ('unc$TAG', 'uex$TAG')")" -eq 0
done_testing
