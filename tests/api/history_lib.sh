# tests/api/history_lib.sh — shared by the history_*.t tests: the HTML
# transaction history (docs/history.md) driven as a browser would, with curl
# and a cookie jar through nginx + TLS, and test user IDs of the test's own
# (made with paygw-admin), so no test locks or signs out a demo user.
# Sources lib.sh.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ADMIN=$TEST_ROOT/admin/paygw-admin
H_TMP=$(mktemp -d)
JAR=$H_TMP/jar
history_cleanup() { rm -rf "$H_TMP"; }
trap history_cleanup EXIT

# hist METHOD PATH [curl args...] → STATUS, BODY, CTYPE, HEADERS (the
# answer's header lines), LOCATION, TIME (seconds); cookies in $JAR
hist() {
  local method=$1 path=$2; shift 2
  local out=$H_TMP/body hdr=$H_TMP/headers meta
  meta=$(curl -sS -o "$out" -D "$hdr" -w '%{http_code} %{time_total} %{content_type}' --cacert "$PAYGW_CA" \
    -b "$JAR" -c "$JAR" -X "$method" "$@" "$PAYGW_URL$path") || meta="000 0 none"
  STATUS=${meta%% *} meta=${meta#* } TIME=${meta%% *} CTYPE=${meta#* }
  BODY=$(cat "$out") HEADERS=$(tr -d '\r' <"$hdr")
  LOCATION=$(sed -n 's/^[Ll]ocation: //p' <<<"$HEADERS" | head -1)
}
header() { sed -n "s/^$1: //Ip" <<<"$HEADERS" | head -1; }
# set_cookie NAME → the Set-Cookie line of cookie NAME in the last answer
set_cookie() { grep -i "^set-cookie: $1=" <<<"$HEADERS" | head -1; }
# jar_cookie NAME → the value of cookie NAME in the jar
jar_cookie() { awk -v n="$1" '$6 == n { v = $7 } END { print v }' "$JAR" 2>/dev/null; }
# csrf → the form token of the page in BODY
csrf() { grep -o 'name="csrf" value="[0-9a-f]*"' <<<"$BODY" | head -1 | sed 's/.*value="\(.*\)"/\1/'; }
# page → the data-page of the page in BODY
page() { grep -o 'data-page="[a-z-]*"' <<<"$BODY" | head -1 | sed 's/.*="\(.*\)"/\1/'; }
# text_of ID → the text of the element with that id in BODY (one line)
text_of() { tr '\n' ' ' <<<"$BODY" | grep -o "id=\"$1\"[^>]*>[^<]*" | head -1 | sed 's/^[^>]*>//'; }
# hist_form PATH FIELD=VALUE... → POST as a browser sends a form
hist_form() {
  local path=$1; shift
  local args=() kv
  for kv in "$@"; do args+=(--data-urlencode "$kv"); done
  hist POST "$path" "${args[@]}"
}
new_browser() { rm -f "$JAR"; }
# sign_in USER PASSWORD → the sign-in page fetched, then the form posted
# with its token.  nginx lets 10 sign-in POSTs a second through per
# address (PAYGW_LOGIN_RATE): each waits a tenth of a second first.
sign_in() {
  hist GET /history/sign-in
  local token; token=$(csrf)
  sleep 0.11
  hist_form /history/sign-in "csrf=$token" "user_id=$1" "password=$2"
}

# history_user ID [WEB-PASSWORD] → a user ID of the test's own (subscriber,
# handset, card, user), with that web password when one is given
history_user() {
  local id=$1 pan card
  pan=$(luhn "98$(date +%s%N | tail -c 14 | head -c 13)")
  "$ADMIN" subscriber add --code "s$id" --name "History test $id" >/dev/null 2>&1 &&
    "$ADMIN" device add --subscriber "s$id" --code "d$id" --key-out "$H_TMP/d$id.pem" >/dev/null 2>&1 &&
    card=$(printf '%s\n' "$pan" | "$ADMIN" card add --subscriber "s$id" --expiry 3012 --label "History $id" 2>/dev/null \
      | cut -d' ' -f2) &&
    printf 'handset pass %s\n' "$id" | "$ADMIN" user add --user-id "$id" --subscriber "s$id" --card "$card" \
      --device "d$id" >/dev/null 2>&1 || { echo "not ok - history_user $id could not be made"; return 1; }
  if [[ -n ${2:-} ]]; then
    printf '%s\n' "$2" | "$ADMIN" user set-web-password --user-id "$id" >/dev/null 2>&1 \
      || { echo "not ok - the web password of $id could not be set"; return 1; }
  fi
}
