#!/usr/bin/env bash
# history_csv.t — the HTML history's CSV export through nginx, TLS and
# PostgreSQL (issue 13, docs/history.md): the list's selection (the same
# query, no paging) as RFC 4180 text read back by Python's csv module: the
# header, one record per transaction newest first, amounts in major units
# from integer minor units, quotes doubled, CRLF; a merchant and shop
# starting with = and @ neutralised with a leading apostrophe; the date and
# status filters; nothing of another user; bad query values 400; and the
# cap of PAYGW_HISTORY_CSV_MAX_ROWS (10 000) with its closing line.
. "$(dirname "$0")/history_pages_lib.sh"

tag=$(unique_tag)
USER=hc$tag OTHER=hd$tag BIG=hb$tag PW="history csv $tag"
P=C${tag^^}
history_user "$USER" "$PW" || exit 1
history_user "$OTHER" "$PW" || exit 1
history_user "$BIG" "$PW" || exit 1
FORMULA='=HYPERLINK("https://example.com/?x","click, me")'
merchant_add "$FORMULA" '@SUM(A1:A9)' || { not_ok "a merchant could be made"; exit 1; }
seed "$USER" "$MERCHANT_ID" 60 "$P" '2025-03-01 00:00:00+00' '1 hour' 'Item'
seed "$OTHER" "$MERCHANT_ID" 3 "D${tag^^}" '2025-03-02 00:00:00+00' '1 hour' 'Item'

# csv_records FILE → its records as JSON lines (a list of fields each), as
# Python's csv module reads them (strict: a stray quote is an error)
csv_records() {
  python3 - "$1" <<'PY'
import csv, io, json, sys
text = open(sys.argv[1], 'rb').read().decode('utf-8')
for rec in csv.reader(io.StringIO(text, newline=''), strict=True):
    print(json.dumps(rec, ensure_ascii=False))
PY
}

sign_in "$USER" "$PW"
is "signed in" "$STATUS" 303
CSV=$H_TMP/export.csv

hist GET /history/transactions.csv
cp "$H_TMP/body" "$CSV"
is "the export answers 200" "$STATUS" 200
is "as text/csv in UTF-8" "$CTYPE" "text/csv; charset=utf-8"
is "as an attachment named for the range" "$(header Content-Disposition)" \
  'attachment; filename="paygw-history-start-end.csv"'
is "every record ends in CRLF" "$(grep -c $'\r$' "$CSV")" "$(wc -l <"$CSV")"
check "the CSV is valid UTF-8" iconv -f UTF-8 -t UTF-8 "$CSV" -o /dev/null
records=$(csv_records "$CSV")
is "the header record" "$(head -1 <<<"$records")" \
  '["date", "number", "merchant", "shop", "amount", "currency", "method", "installments", "status", "card", "approval_code", "refunded"]'
is "60 records after it" "$(($(wc -l <<<"$records") - 1))" 60
is "newest first: 60 .. 1" "$(sed 1d <<<"$records" | jq -r '.[1]' | tr '\n' ' ')" \
  "$(expected "$P" 60 1 | tr '\n' ' ')"
# row 60: 2025-03-03 12:00, USD 6000 cents, 3 installments, declined; row 57: JPY 1570, completed
guarded_merchant="'$FORMULA"
is "row 60: every field, the formula neutralised, quotes kept" "$(jq -c 'select(.[1] | endswith("00000060"))' <<<"$records")" \
  "$(jq -cn --arg n "$(number "$P" 60)" --arg m "$guarded_merchant" \
    '["2025-03-03 12:00", $n, $m, "'"'"'@SUM(A1:A9)", "60.00", "USD", "Installments", "3", "declined", "999999******0060", "", "0.00"]')"
is "row 57: JPY in whole yen, the approval code" "$(jq -c 'select(.[1] | endswith("00000057")) | [.[4], .[5], .[6], .[7], .[8], .[10]]' <<<"$records")" \
  '["1570","JPY","Installments","3","completed","A00057"]'
is "row 58: lump sum, no installments" "$(jq -c 'select(.[1] | endswith("00000058")) | [.[4], .[6], .[7]]' <<<"$records")" \
  '["1580","Lump sum",""]'
check "on the wire: the merchant in quotes, its quotes doubled, after the apostrophe" \
  grep -qF "\"'=HYPERLINK(\"\"https://example.com/?x\"\",\"\"click, me\"\")\"" "$CSV"
check "no field starts with = + - @ (every one is guarded)" \
  bash -c '! jq -r ".[]" <<<"$1" | grep -q "^[-=+@]"' _ "$records"
check "nothing of another user" bash -c '! grep -q "D'"${tag^^}"'" "$1"' _ "$CSV"
amounts_ok=$(sed 1d <<<"$records" | jq -r '[.[1], .[4], .[5]] | @tsv' | while IFS=$'\t' read -r n a c; do
  i=$((10#${n: -8}))
  if ((i % 4 == 0)); then want=$(printf '%d.%02d' $((100 * i / 100)) $((100 * i % 100))) wc=USD
  else want=$((1000 + 10 * i)) wc=JPY; fi
  [[ $a == "$want" && $c == "$wc" ]] || echo "row $i: $a $c, want $want $wc"
done)
is "every amount in major units of its currency" "$amounts_ok" ""

# --- the list's filters --------------------------------------------------------
hist GET "/history/transactions.csv?from=2025-03-02&to=2025-03-02&status=completed"
cp "$H_TMP/body" "$CSV"
is "a filtered export: 200" "$STATUS" 200
is "named for its range" "$(header Content-Disposition)" 'attachment; filename="paygw-history-2025-03-02-2025-03-02.csv"'
records=$(csv_records "$CSV")
want=$(for ((i = 47; i >= 24; i--)); do ((i % 10 == 0)) || { number "$P" $i; echo; }; done | tr '\n' ' ')
is "the day's completed ones only" "$(sed 1d <<<"$records" | jq -r '.[1]' | tr '\n' ' ')" "$want"
hist GET "/history/transactions.csv?status=declined&after=$(printf '1.1' | base64 | tr -d '=')"
is "a page cursor does not page the export: every declined one" "$(($(csv_records "$H_TMP/body" | wc -l) - 1))" 6

# --- bad query values ----------------------------------------------------------------
hist GET "/history/transactions.csv?to=2025-13-01"
is "a bad date: 400" "$STATUS" 400
is "the error page, not a CSV" "$(page) $CTYPE" "error text/html; charset=utf-8"
check "saying which field" grep -qF "to must be a date written YYYY-MM-DD" <<<"$BODY"
hist GET "/history/transactions.csv?status=%3D1%2B2"
is "an unknown status: 400" "$STATUS" 400

# --- the cap -------------------------------------------------------------------------
seed "$BIG" "$MERCHANT_ID" 10001 "B${tag^^}" '2024-01-01 00:00:00+00' '1 minute' 'Item'
new_browser
sign_in "$BIG" "$PW"
hist GET "/history/transactions.csv"
cp "$H_TMP/body" "$CSV"
is "10 001 transactions: 200" "$STATUS" 200
records=$(csv_records "$CSV")
is "the header, the newest 10 000 and one closing line" "$(wc -l <<<"$records")" 10002
is "the newest first, the oldest one left out" "$(sed -n '2p;10001p' <<<"$records" | jq -r '.[1]' | tr '\n' ' ')" \
  "$(number "B${tag^^}" 10001) $(number "B${tag^^}" 2) "
is "the closing line says so" "$(tail -1 <<<"$records")" \
  '["only the newest 10000 transactions are listed: choose a shorter range for the rest"]'
echo "# the export of 10 000 rows took ${TIME}s through nginx and TLS"
done_testing
