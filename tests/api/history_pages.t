#!/usr/bin/env bash
# history_pages.t — the HTML history's pages through nginx, TLS and
# PostgreSQL (issue 13, docs/history.md): 60 transactions of a test user of
# its own (inserted in SQL, tests/api/history_seed.sql) paged 20/20/20 by
# the keyset cursors both ways, with two rows of one time at each page's
# edge; the cells of a row; the date and status filters carried through
# the page links; the totals per currency of the whole selection; the
# empty state; one transaction with its items and each state change; a
# number of another user and an unknown one both 404 and alike; a merchant,
# shop and item named with <script> and quotes shown as text; bad query
# values answered 400 with the page saying which, never 500.
. "$(dirname "$0")/history_pages_lib.sh"

tag=$(unique_tag)
USER=hp$tag OTHER=hq$tag PW="history pages $tag"
P=P${tag^^}   # 8 characters: the seeded numbers' prefix
history_user "$USER" "$PW" || exit 1
history_user "$OTHER" "$PW" || exit 1
BAD_NAME='<script>alert(1)</script>"'"'"'&'
merchant_add "$BAD_NAME" 'Shop "Q" <b>bold</b> & co' || { not_ok "a merchant could be made"; exit 1; }
seed "$USER" "$MERCHANT_ID" 60 "$P" '2025-03-01 00:00:00+00' '1 hour' '<script>item()</script> "Item"'
seed "$OTHER" "$MERCHANT_ID" 1 "Q${tag^^}" '2025-03-02 12:00:00+00' '1 hour' 'Other item'

sign_in "$USER" "$PW"
is "signed in" "$STATUS $LOCATION" "303 /history/transactions"

# --- paging: 60..41, 40..21, 20..1 and back ----------------------------------
hist GET /history/transactions
is "the list answers 200" "$STATUS" 200
is "it is the list page" "$(page)" list
is "page 1: the 20 newest, newest first" "$(rows | tr '\n' ' ')" "$(expected "$P" 60 41 | tr '\n' ' ')"
check "page 1 has no link to newer ones" test -z "$(link prev)"
next=$(link next)
check "page 1 links to older ones" test -n "$next"
hist GET "$next"
is "page 2: 40..21 (row 40 shares row 41's time: kept by the cursor's id)" "$(rows | tr '\n' ' ')" \
  "$(expected "$P" 40 21 | tr '\n' ' ')"
prev2=$(link prev) next2=$(link next)
check "page 2 links both ways" test -n "$prev2" -a -n "$next2"
hist GET "$next2"
is "page 3: 20..1" "$(rows | tr '\n' ' ')" "$(expected "$P" 20 1 | tr '\n' ' ')"
check "page 3 has no link to older ones" test -z "$(link next)"
prev3=$(link prev)
hist GET "$prev3"
is "newer from page 3: 40..21 again" "$(rows | tr '\n' ' ')" "$(expected "$P" 40 21 | tr '\n' ' ')"
hist GET "$(link prev)"
is "newer again: 60..41" "$(rows | tr '\n' ' ')" "$(expected "$P" 60 41 | tr '\n' ' ')"
check "and no link to newer ones" test -z "$(link prev)"
check "the cursor is opaque: no SQL, no time in clear" bash -c '[[ $1 =~ ^/history/transactions\?after=[A-Za-z0-9_-]+$ ]]' _ "$next"

# --- the cells ------------------------------------------------------------------
hist GET /history/transactions
n60=$(number "$P" 60) n57=$(number "$P" 57)
# row 60: 60 h after the start, USD 6000 cents, 3 installments, declined
is "row 60's cells: time, shop/merchant, amount, method, status, masked card" "$(row_cells "$n60")" \
  "2025-03-03 12:00|Shop &quot;Q&quot; &lt;b&gt;bold&lt;/b&gt; &amp; co/&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;|60.00 USD|Installments ×3|Declined|999999******0060"
is "row 58: lump sum, completed, JPY grouped" "$(row_cells "$(number "$P" 58)" | cut -d'|' -f3-5)" "1,580 JPY|Lump sum|Completed"
check "the number links to its page" grep -q "href=\"/history/transactions/$n60\"" <<<"$BODY"
check "a merchant or shop named with markup is text, never markup" \
  bash -c '! grep -q "<script>alert(1)" <<<"$1" && ! grep -q "<b>bold" <<<"$1"' _ "$BODY"

# --- totals --------------------------------------------------------------------
is "the totals: every currency of the whole selection, not the page" "$(page_totals)" "$(expected_totals 1 60)"
check "the totals say 'paid'" grep -q '<strong class="amount">[0-9,.]* JPY</strong> paid in' <<<"$BODY"

# --- filters -------------------------------------------------------------------
hist GET "/history/transactions?from=2025-03-02&to=2025-03-02"
is "a day: rows 24..47, the newest 20 first" "$(rows | tr '\n' ' ')" "$(expected "$P" 47 28 | tr '\n' ' ')"
is "its totals are the day's" "$(page_totals)" "$(expected_totals 24 47)"
next=$(link next)
check "the next link keeps the range" bash -c '[[ $1 == "/history/transactions?from=2025-03-02&to=2025-03-02&after="* ]]' _ "$next"
hist GET "$next"
is "its second page: 27..24" "$(rows | tr '\n' ' ')" "$(expected "$P" 27 24 | tr '\n' ' ')"
check "no older page after the range" test -z "$(link next)"
hist GET "$(link prev)"
is "back to the day's newest 20" "$(rows | tr '\n' ' ')" "$(expected "$P" 47 28 | tr '\n' ' ')"
# cursors from outside the range (edited by hand) stay inside it
top=$(printf '%s.1' "$(( ($(date -u -d 2026-01-01 +%s)) * 1000000 ))" | base64 | tr '+/' '-_' | tr -d '=\n')
bottom=$(printf '%s.1' "$(( ($(date -u -d 2025-01-01 +%s)) * 1000000 ))" | base64 | tr '+/' '-_' | tr -d '=\n')
hist GET "/history/transactions?from=2025-03-02&to=2025-03-02&after=$top"
is "after a cursor above the range: its newest 20" "$(rows | tr '\n' ' ')" "$(expected "$P" 47 28 | tr '\n' ' ')"
hist GET "/history/transactions?from=2025-03-02&to=2025-03-02&before=$bottom"
is "before a cursor below the range: its oldest 20" "$(rows | tr '\n' ' ')" "$(expected "$P" 43 24 | tr '\n' ' ')"
check "the filter form shows the range" grep -q 'id="from" name="from" type="date" value="2025-03-02"' <<<"$BODY"
csv=$(link csv)
is "the CSV link has the same selection" "$csv" "/history/transactions.csv?from=2025-03-02&to=2025-03-02"

hist GET "/history/transactions?status=declined"
is "status declined: rows 60, 50 ... 10" "$(rows | tr '\n' ' ')" "$(for i in 60 50 40 30 20 10; do number "$P" $i; echo; done | tr '\n' ' ')"
is "its totals: 6 transactions, nothing paid" "$(page_totals)" "$(expected_totals 1 60 declined)"
check "the status is selected in the form" grep -q '<option value="declined" selected>' <<<"$BODY"
hist GET "/history/transactions?status=completed&from=2025-03-03"
is "completed from 2025-03-03: 59..51, 49, 48" "$(rows | tr '\n' ' ')" \
  "$(for i in 59 58 57 56 55 54 53 52 51 49 48; do number "$P" $i; echo; done | tr '\n' ' ')"
hist GET "/history/transactions?from=&to=&status="
is "empty fields (the form sent as is): every row" "$(rows | wc -l)" 20

hist GET "/history/transactions?from=2030-01-01"
is "nothing in the range: 200" "$STATUS" 200
check "the empty state is shown" grep -q '<p id="empty">No transactions match this selection.</p>' <<<"$BODY"
check "and no table" bash -c '! grep -q "id=\"transactions\"" <<<"$1"' _ "$BODY"
check "no totals" bash -c '! grep -q "id=\"totals\"" <<<"$1"' _ "$BODY"

# --- bad query values: 400, the page says which ---------------------------------
HLOG=$PAYGW_VAR/log/history.log
log_before=$(wc -l <"$HLOG")
while IFS='|' read -r query says; do
  hist GET "/history/transactions?$query"
  is "?$query is refused 400" "$STATUS" 400
  is "?$query: the error page" "$(page)" error
  check "?$query: it says '$says'" grep -qF "$says" <<<"$BODY"
done <<'BAD'
from=2025-02-30|from must be a date written YYYY-MM-DD
to=03/01/2025|to must be a date written YYYY-MM-DD
from=2025-03-02&to=2025-03-01|from (2025-03-02) is after to (2025-03-01)
status=paid|status must be empty or one of the gateway&#39;s statuses
after=not-a-cursor|after is not a page link of this list
after=MTAuMQ&before=MTAuMQ|after and before cannot both be given
status=completed&status=declined|status is given more than once
from=%zz|the query string is malformed
status=%3Cscript%3E|got &#39;&lt;script&gt;&#39;
BAD
new_log=$(tail -n +"$((log_before + 1))" "$HLOG")
is "each refusal is logged as bad_query" "$(grep -c '"status":400,.*"problem":"bad_query"' <<<"$new_log")" 9
check "and none of them as a 500" bash -c '! grep -q "\"status\":5" <<<"$1"' _ "$new_log"

# --- one transaction ----------------------------------------------------------------
hist GET "/history/transactions/$n57"
is "a transaction of the user: 200" "$STATUS" 200
is "its page" "$(page)" transaction
is "#total" "$(text_of total)" "1,570"
is "#tax-total" "$(text_of tax-total)" "157"
is "#currency" "$(text_of currency)" JPY
is "#binding-code" "$(text_of binding-code)" B057
is "#approval-code" "$(text_of approval-code)" A00057
is "#method" "$(text_of method)" "Installments ×3"
is "#card (masked)" "$(text_of card)" "999999******0057"
check "the item's name is text: <script> and quotes escaped" \
  grep -qF '<td class="name">&lt;script&gt;item()&lt;/script&gt; &quot;Item&quot; 57</td>' <<<"$BODY"
check "no <script> element on the page" bash -c '! grep -qi "<script" <<<"$1"' _ "$BODY"
check "the item row has quantity, unit price and tax" grep -qF '<td class="num">1</td><td class="num">1,413</td><td class="num">157</td>' <<<"$BODY"
check "a print hint" grep -q 'id="print-hint"' <<<"$BODY"
hist GET "/history/transactions/$n60"
is "a declined one: #decline-reason" "$(text_of decline-reason)" "over the credit limit (code 51)"
check "and no approval code" bash -c '! grep -q "id=\"approval-code\"" <<<"$1"' _ "$BODY"

# each state change with its time: a payment moved through the flow's
# states one statement at a time (the trigger of sql/0019 records each)
E=E${tag^^}
seed "$USER" "$MERCHANT_ID" 1 "$E" '2025-02-28 09:00:00+00' '1 hour' 'Moved item' awaiting_device
ne=$(number "$E" 1)
for st in awaiting_confirmation awaiting_method authorizing completed; do
  psql_q "UPDATE gateway.transactions SET status = '$st' WHERE number = '$ne'" >/dev/null
done
hist GET "/history/transactions/$ne"
events=$(grep -o '<li data-status="[a-z_]*"><time>[0-9: -]*</time> UTC — [A-Za-z ]*</li>' <<<"$BODY" | sed 's/<li data-status="\([a-z_]*\)">.*/\1/' | tr '\n' ' ')
is "#events: every state it entered, in order" "$events" "awaiting_device awaiting_confirmation awaiting_method authorizing completed "
check "each with its time" bash -c '[[ $(grep -c "<time>20[0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9:]*</time>" <<<"$1") -ge 5 ]]' _ "$(tr '>' '\n' <<<"$BODY" | sed 's/$/>/' | tr -d '\n' | sed 's#</li>#</li>\n#g')"
hist GET "/history/transactions?from=2025-02-28&to=2025-02-28"
is "the moved payment counts in the totals once, completed" "$(page_totals)" "JPY 1 1 1010"

# --- gateway.user_day_totals agrees with the transactions ------------------------
# the whole table, also what the earlier tests' payments (flows, expiries,
# cancels: every role that changes a status) left there
drift() {
  psql_q "SELECT count(*) FROM
            (SELECT user_id, (created_at AT TIME ZONE 'UTC')::date AS day, currency, status,
                    count(*) AS n, sum(total) AS amount
               FROM gateway.transactions
              WHERE status IN ('completed', 'declined', 'failed', 'canceled', 'expired')
              GROUP BY 1, 2, 3, 4) t
            FULL JOIN (SELECT * FROM gateway.user_day_totals WHERE n > 0) d USING (user_id, day, currency, status)
           WHERE t.n IS DISTINCT FROM d.n OR t.amount IS DISTINCT FROM d.amount"
}
is "the totals table holds what the transactions say, for every user" "$(drift)" 0
priv() { psql_q "SELECT has_table_privilege('$1', 'gateway.user_day_totals', '$2')"; }
is "gateway.user_day_totals: paygw_history reads it, and nothing more" \
  "$(priv paygw_history SELECT) $(priv paygw_history INSERT) $(priv paygw_history UPDATE) $(priv paygw_history DELETE)" "t f f f"
is "the gateway's role has no right on it (its trigger writes as the owner)" \
  "$(priv paygw_gateway SELECT) $(priv paygw_gateway INSERT) $(priv paygw_gateway UPDATE) $(priv paygw_gateway DELETE)" "f f f f"
check "and holds this user's rows" test "$(psql_q "SELECT sum(n) FROM gateway.user_day_totals WHERE user_id = '$USER'")" = 61
psql_q "UPDATE gateway.transactions SET status = 'failed' WHERE number = '$ne'" >/dev/null
is "an end moved to another: still in step" "$(drift)" 0
hist GET "/history/transactions?from=2025-02-28&to=2025-02-28"
is "and the page's totals move with it" "$(page_totals)" "JPY 1 0 0"

# --- another user's number, an unknown one -------------------------------------
hist GET "/history/transactions/$(number "Q${tag^^}" 1)"
other_status=$STATUS other_body=$(sed 's/req-[0-9a-f-]*//g' <<<"$BODY")
is "another user's transaction: 404" "$other_status" 404
is "the not-found page" "$(page)" not-found
hist GET "/history/transactions/ZZZZZZZZZZZZZZZZ"
is "an unknown number: 404" "$STATUS" 404
check "the two answers are the same page" test "$other_body" = "$(sed 's/req-[0-9a-f-]*//g' <<<"$BODY")"
check "another user's number shows none of it" bash -c '! grep -q "Other item" <<<"$1"' _ "$other_body"
hist GET "/history/transactions"
check "another user's transaction is in no list page" bash -c '! grep -q "Q'"${tag^^}"'" <<<"$1"' _ "$BODY"
done_testing
