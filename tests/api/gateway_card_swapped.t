#!/usr/bin/env bash
# gateway_card_swapped.t — a card's ciphertext is bound to its row: two
# cards whose ciphertexts (and key IDs) are swapped in SQL, or a row given
# another card's lookup hash, no longer decrypt.  A payment with either
# fails cleanly — the confirmation answers 500 card_unreadable with the
# transaction failed, nothing reaches the issuer, the handset is told, the
# gateway logs an error naming the card row (never a number) — instead of
# paying with the other card; so does a swap between the confirmation and
# the method choice (payment-method answers card_unreadable).  Put back,
# the same cards pay again.
. "$(dirname "$0")/flowlib.sh"
ADMIN=$TEST_ROOT/admin/paygw-admin
CREDIT_SERVER=$TEST_ROOT/credit-server/credit-server
MERCHANT=1111111111 DEV=1234567
S=w$$$RANDOM
LOG=$PAYGW_VAR/log/gateway.log
# two 16-digit numbers inside issuer A's range 1525000000-1525059999 (demo
# data), "1525004" + 8 random digits + check digit: no demo card starts so
new_pan() { luhn "1525004$(printf '%08d' $(( (RANDOM * 32768 + RANDOM) % 100000000 )))"; }
PAN_A=$(new_pan) PAN_B=$(new_pan)
[[ $PAN_A != "$PAN_B" ]] || PAN_B=$(new_pan)

# enrol CARD-PAN NAME → a card and user ID on the demo device 1234567
# (subscriber S1), held by the issuer too; sets CARD
enrol() {
  CARD=$("$ADMIN" card add --subscriber S1 --expiry 3012 --label "Swap $2" <<<"$1" 2>/dev/null | awk '{print $2}')
  printf 'swap password %s\n' "$S" | "$ADMIN" user add --user-id "$2" --subscriber S1 --card "$CARD" --device "$DEV" >/dev/null 2>&1
  "$CREDIT_SERVER" --enrol-account --expiry 3012 --limit 100000 --holder "Swap $S" --address "1 Swap St" <<<"$1" >/dev/null 2>&1
}
enrol "$PAN_A" "a$S"; CARD_A=$CARD
enrol "$PAN_B" "b$S"; CARD_B=$CARD
USER_DEVICE[a$S]=$DEV USER_DEVICE[b$S]=$DEV
check "both cards and users enrolled" test -n "$CARD_A" -a -n "$CARD_B" -a \
  "$(psql_q "SELECT count(*) FROM gateway.users WHERE user_id IN ('a$S', 'b$S')")" = 2
SINCE=$(db_now)
issuer_auths() {   # 0100s the issuer recorded for this test's two cards
  psql_q "SELECT count(*) FROM issuer.authorizations a JOIN issuer.card_accounts c ON c.id = a.account_id
           WHERE c.holder = 'Swap $S' AND a.created_at >= '$SINCE'"
}
card_row() { psql_q "SELECT encode(pan_ciphertext, 'hex') || ' ' || key_id || ' ' || pan_lookup FROM gateway.cards WHERE id = $1"; }
ROW_A=$(card_row "$CARD_A") ROW_B=$(card_row "$CARD_B")
restore() {   # unique lookup hashes: move them out of the way first
  psql_q "UPDATE gateway.cards SET pan_lookup = md5(id::text) || md5(id::text) WHERE id IN ($CARD_A, $CARD_B)" >/dev/null
  psql_q "UPDATE gateway.cards SET pan_ciphertext = decode(split_part(v, ' ', 1), 'hex'), key_id = split_part(v, ' ', 2)::int,
                 pan_lookup = split_part(v, ' ', 3)
            FROM (VALUES ($CARD_A, '$ROW_A'), ($CARD_B, '$ROW_B')) AS r(id, v) WHERE cards.id = r.id" >/dev/null
}
cleanup() { restore; flow_cleanup; }
trap cleanup EXIT

# refused USER WHAT: a payment with USER's card ends cleanly, unpaid
refused() {
  local user=$1 what=$2 log_before
  log_before=$(wc -l <"$LOG")
  flow_to awaiting_confirmation "$MERCHANT" "$user" 700
  is "$what: the flow reaches the confirmation ($FLOW_ERROR)" "$FLOW_ERROR" ""
  confirm "$TXN" "$SESSION" true
  local confirm_status=$STATUS confirm_body=$BODY
  # a gateway that decrypted the other card goes on to pay with it
  [[ $STATUS == 200 ]] && choose "$TXN" "$SESSION" L
  STATUS=$confirm_status BODY=$confirm_body
  is "$what: the confirmation answers 500" "$STATUS" 500
  is "$what: ... with the code card_unreadable" "$(jqr .code)" card_unreadable
  is "$what: ... and the transaction failed" "$(problem_state)" failed
  # the request_id is 32 random hex digits: a run of 12 decimal ones in it
  # (about one answer in thirty) is no card number, so it is left out
  check "$what: the answer holds neither card number" bash -c '! grep -qE -- "$1|$2" <<<"$3"' _ "$PAN_A" "$PAN_B" "$BODY"
  check "$what: ... nor any other run of 12 digits" bash -c '! grep -qE -- "[0-9]{12}" <<<"$1"' _ "$(jq -c 'del(.request_id)' <<<"$BODY")"
  is "$what: the transaction is failed, not awaiting a method" \
    "$(psql_q "SELECT status || '|' || coalesce(response_code, '') || '|' || (method IS NULL) FROM gateway.transactions WHERE number = '$TXN'")" \
    "failed|card_unreadable|true"
  is "$what: no authorization was recorded" \
    "$(psql_q "SELECT count(*) FROM gateway.authorizations a JOIN gateway.transactions t ON t.id = a.transaction_id WHERE t.number = '$TXN'")" 0
  is "$what: the POS sees it failed" "$(txn_status "$MERCHANT" "$TXN")" failed
  mailbox_find "$DEV" "$TXN" completion
  is "$what: the handset is told it failed" "$(msg_field .status)" failed
  check "$what: the gateway logged an error naming the card row" \
    bash -c 'tail -n +"$(($1 + 1))" "$2" | grep "\"level\":\"error\"" | grep -q "card $3 of transaction $4 cannot be decrypted"' \
    _ "$log_before" "$LOG" "$(psql_q "SELECT card_id FROM gateway.transactions WHERE number = '$TXN'")" "$TXN"
  # a 500 is a bug (BUG_PROBLEM, cgi/gateway/reply.h): an error line with the file and line that answered
  is "$what: the answer's bug is logged at error, with where it was answered" \
    "$(tail -n +"$((log_before + 1))" "$LOG" | grep -F "(request $(jq -r .request_id <<<"$confirm_body"))" \
       | jq -r '[.level, .kind, (.at | sub(":[0-9]+$"; ":N")), (.msg | split(":")[0])] | join(" ")')" \
    "error bug cgi/gateway/ep_confirmation_post.c:N card_unreadable"
  nonempty "$what: the answer carries a hint" "$(jq -r '.hint // empty' <<<"$confirm_body")"
}

# --- the two ciphertexts (and key IDs) swapped ---------------------------------
psql_q "UPDATE gateway.cards SET pan_ciphertext = o.pan_ciphertext, key_id = o.key_id
          FROM gateway.cards o WHERE (cards.id, o.id) IN (($CARD_A, $CARD_B), ($CARD_B, $CARD_A))" >/dev/null
is "the ciphertexts are swapped" "$(card_row "$CARD_A" | cut -d' ' -f1)" "$(cut -d' ' -f1 <<<"$ROW_B")"
refused "a$S" "swapped, card A"
refused "b$S" "swapped, card B"
restore

# --- card A's ciphertext with card B's lookup hash (and B's with a third) ----
psql_q "BEGIN; UPDATE gateway.cards SET pan_lookup = md5('$S') || md5('$S') WHERE id = $CARD_B;
        UPDATE gateway.cards SET pan_lookup = '$(cut -d' ' -f3 <<<"$ROW_B")' WHERE id = $CARD_A; COMMIT" >/dev/null
refused "a$S" "another lookup hash"
restore

# --- swapped after the confirmation, before the method is chosen ----------------
flow_to awaiting_method "$MERCHANT" "a$S" 700
is "swapped late: the flow reaches the method choice ($FLOW_ERROR)" "$FLOW_ERROR" ""
psql_q "UPDATE gateway.cards SET pan_ciphertext = o.pan_ciphertext, key_id = o.key_id
          FROM gateway.cards o WHERE (cards.id, o.id) IN (($CARD_A, $CARD_B), ($CARD_B, $CARD_A))" >/dev/null
choose "$TXN" "$SESSION" L
is "swapped late: payment-method answers 500 card_unreadable, the transaction failed" \
  "$STATUS $(jqr .code) $(problem_state)" "500 card_unreadable failed"
is "swapped late: the transaction is failed, no method recorded, no authorization" \
  "$(psql_q "SELECT t.status || '|' || (t.method IS NULL) || '|' || count(a.id) FROM gateway.transactions t LEFT JOIN gateway.authorizations a ON a.transaction_id = t.id WHERE t.number = '$TXN' GROUP BY t.id")" \
  "failed|true|0"
restore

is "the issuer received no 0100 for either card" "$(issuer_auths)" 0
check "the gateway log holds neither card number" bash -c '! grep -qE -- "$1|$2" "$3"' _ "$PAN_A" "$PAN_B" "$LOG"

# --- put back, both pay with their own card -----------------------------------
for u in "a$S" "b$S"; do
  flow_to chosen "$MERCHANT" "$u" 700 L
  is "put back, $u: the payment completes" "$STATUS $(jqr .status)" "200 completed"
done
is "the issuer charged each card once, on its own account" \
  "$(psql_q "SELECT string_agg(c.card_masked, ' ' ORDER BY c.card_masked) FROM issuer.authorizations a JOIN issuer.card_accounts c ON c.id = a.account_id
              WHERE c.holder = 'Swap $S' AND a.created_at >= '$SINCE' AND a.status = 'approved'")" \
  "$(printf '%s\n' "${PAN_A:0:6}******${PAN_A: -4}" "${PAN_B:0:6}******${PAN_B: -4}" | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')"
done_testing
