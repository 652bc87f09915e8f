# tests/api/history_pages_lib.sh — shared by history_pages.t and
# history_csv.t: transactions of a test user of the test's own, inserted
# in SQL as the superuser (tests/api/history_seed.sql says what row i is),
# and readers of the list page's markup (docs/history.md).  Sources
# history_lib.sh (sign-in, the cookie jar, hist).
. "$(dirname "${BASH_SOURCE[0]}")/history_lib.sh"
SEED_SQL=$TEST_ROOT/tests/api/history_seed.sql

# seed USER MERCHANT_ID N PREFIX START STEP ITEM [STATUS] → N transactions
# (history_seed.sql; PREFIX: 8 characters of 0-9 A-Z)
seed() {
  psql -X -q -v ON_ERROR_STOP=1 "$PAYGW_PGURI" -v user="$1" -v merchant="$2" -v n="$3" -v prefix="$4" \
    -v start="$5" -v step="$6" -v item="$7" -v status="${8:-}" -f "$SEED_SQL" >/dev/null
}
# number PREFIX I → the number seed gave row I
number() { printf '%s%08d' "$1" "$2"; }

# merchant_add NAME SHOP → MERCHANT_ID of a new merchant with one terminal
merchant_add() {
  local code
  code=$(date +%s%N | tail -c 13)
  "$ADMIN" merchant add --code "$code" --name "$1" --shop "$2" >/dev/null 2>&1 &&
    "$ADMIN" terminal add --merchant "$code" --code "h$(unique_tag)" >/dev/null 2>&1 || return 1
  MERCHANT_ID=$(psql_q "SELECT id FROM gateway.merchants WHERE code = '$code'")
}

# rows → the data-number of every tr.txn of the list page in BODY, one a line
rows() { grep -o '<tr class="txn" data-number="[0-9A-Z]*"' <<<"$BODY" | sed 's/.*data-number="\(.*\)"/\1/'; }
# expected PREFIX FROM TO → the numbers of rows FROM down to TO, one a line
expected() { local i; for ((i = $2; i >= $3; i--)); do number "$1" "$i"; echo; done; }
# link ID → the href of <a id="ID"> in BODY, entities undone (&amp; → &)
link() { grep -o "<a id=\"$1\"[^>]*href=\"[^\"]*\"" <<<"$BODY" | head -1 | sed 's/.*href="\([^"]*\)"/\1/; s/&amp;/\&/g'; }
# total_li CURRENCY → the #totals li of that currency in BODY
total_li() { grep -o "<li data-currency=\"$1\"[^>]*>" <<<"$BODY" | head -1; }
# row_cells NUMBER → the text of the cells of that tr.txn, '|' between them
row_cells() {
  tr -d '\n' <<<"$BODY" | grep -o "<tr class=\"txn\" data-number=\"$1\"[^>]*>.*" | sed 's#</tr>.*##' \
    | sed 's#<span class="merchant">#/#g; s#</td>#|#g; s#<[^>]*>##g; s#^ *##; s#| *#|#g; s#|$##'
}

# expected_totals FROM TO [STATUS] → "CURRENCY count paid_count paid" lines
# of the seeded rows FROM..TO (history_seed.sql's rules), JPY then USD
expected_totals() {
  local i cur n_jpy=0 n_usd=0 pc_jpy=0 pc_usd=0 p_jpy=0 p_usd=0 st amount
  for ((i = $1; i <= $2; i++)); do
    st=completed; ((i % 10 == 0)) && st=declined
    [[ -n ${3:-} && $3 != "$st" ]] && continue
    if ((i % 4 == 0)); then cur=usd amount=$((100 * i)); else cur=jpy amount=$((1000 + 10 * i)); fi
    eval "n_$cur=\$((n_$cur + 1))"
    [[ $st == completed ]] && eval "pc_$cur=\$((pc_$cur + 1)); p_$cur=\$((p_$cur + amount))"
    :
  done
  ((n_jpy)) && echo "JPY $n_jpy $pc_jpy $p_jpy"
  ((n_usd)) && echo "USD $n_usd $pc_usd $p_usd"
  return 0
}
# page_totals → the same lines read from the #totals of the page in BODY
page_totals() {
  grep -o '<li data-currency="[A-Z]*" data-paid="[0-9]*" data-count="[0-9]*"[^<]*<strong class="amount">[^<]*</strong> paid in [0-9]*' <<<"$BODY" \
    | sed 's/<li data-currency="\([A-Z]*\)" data-paid="\([0-9]*\)" data-count="\([0-9]*\)".* paid in \([0-9]*\)$/\1 \3 \4 \2/'
}
