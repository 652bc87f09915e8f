#!/usr/bin/env bash
# openapi_lint.t — docs/openapi.yaml is clean by @redocly/cli's lint
# (redocly.yaml: the recommended rules, every one an error, no warning let
# through), and it cannot lose a route or a problem code unnoticed: every
# route of cgi/gateway/router.c is there with its method and credential,
# every code of cgi/gateway/problems.c is in its ProblemCode enum, and
# every request body's schema has exactly the members, types, bounds and
# required ones of the field table validate.c checks it by.
# @redocly/cli comes from tests/browser's npm tooling (package-lock.json,
# installed by tests/browser/install: npm ci, nothing fetched once
# installed).  docs/openapi.md says what the document covers.
. "$(dirname "$0")/lib.sh"

DOC=docs/openapi.yaml
CONFIG=redocly.yaml
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_UPDATE_NOTIFIER=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# the installed tooling, run from its own folder (npx finds it there)
redocly() { (cd tests/browser && npx --no-install redocly "$@"); }

if ! tests/browser/install >"$tmp/install.out" 2>&1; then
  not_ok "tests/browser/install installs @redocly/cli ($(tail -3 "$tmp/install.out" | tr '\n' ' '))"
  done_testing
fi
ok "tests/browser/install installed the npm tooling"

# --- the lint ----------------------------------------------------------------
redocly lint --config "$TEST_ROOT/$CONFIG" "$TEST_ROOT/$DOC" >"$tmp/lint.out" 2>&1
rc=$?
sed -n '/^\[[0-9]/,/^Reference/p' "$tmp/lint.out" | head -60 | sed 's/^/# /'
is "redocly lint $DOC exits 0" "$rc" 0
check "the lint read $CONFIG (not its built-in defaults)" bash -c '! grep -q "No configurations were provided" "$1"' _ "$tmp/lint.out"
check "the lint says the document is valid" grep -q 'Your API description is valid' "$tmp/lint.out"
check "... with no warning" bash -c '! grep -qiE "[0-9]+ warnings?" "$1"' _ "$tmp/lint.out"

# the lint can fail: an operation without its summary is an error under $CONFIG
sed '0,/^      summary: /{/^      summary: /d}' "$DOC" >"$tmp/broken.yaml"
redocly lint --config "$TEST_ROOT/$CONFIG" "$tmp/broken.yaml" >"$tmp/broken.out" 2>&1
isnt_zero=$?
check "a planted fault (a summary taken out) fails the lint" test "$isnt_zero" -ne 0

# --- the routes and the problem codes, against the code ----------------------
# one bundle, every $ref resolved, for jq
redocly bundle "$TEST_ROOT/$DOC" --dereferenced --ext json -o "$tmp/openapi.json" >"$tmp/bundle.out" 2>&1
check "the document bundles to JSON" bash -c 'jq -e ".openapi == \"3.1.0\"" "$1" >/dev/null' _ "$tmp/openapi.json"
# what the checks below read, small enough for a jq call per row: each
# operation's security, and the request bodies' schemas
jq '{paths: (.paths | with_entries(.value |= with_entries(select(.key != "parameters") | .value |= {security}))),
     components: {schemas: (.components.schemas | with_entries(select(.key | test("Request$|^Item$|^AuthResult$"))))}}' \
  "$tmp/openapi.json" >"$tmp/slim.json"

# { "GET", "/v1/health", ep_health_get, AUTH_NONE },
routes=$(grep -oE '^  \{ "(GET|POST|PUT|PATCH|DELETE)", "/[^"]*", [a-z_]+, AUTH_[A-Z]+ \}' cgi/gateway/router.c \
  | sed -E 's/^  \{ "([A-Z]+)", "([^"]+)", [a-z_]+, (AUTH_[A-Z]+) \}/\1 \2 \3/')
check "router.c's routes were read (more than 15)" test "$(wc -l <<<"$routes")" -gt 15
# the security scheme each credential of router.h is
scheme_of() {
  case $1 in
    AUTH_TERMINAL) echo terminalCredential ;;
    AUTH_SESSION) echo session ;;
    AUTH_DEVICE) echo deviceSignature ;;
    *) echo none ;;
  esac
}
missing="" wrong_auth=""
while read -r method path auth; do
  op=$(jq -c --arg p "$path" --arg m "${method,,}" '.paths[$p][$m] // empty' "$tmp/slim.json")
  if [[ -z $op ]]; then
    missing+=" $method:$path"
    continue
  fi
  want=$(scheme_of "$auth")
  got=$(jq -r '[(.security // [])[] | keys[]] | map(select(. != "deviceId" and . != "deviceTimestamp")) | join(",")' <<<"$op")
  if [[ $want == none ]]; then
    # no credential checked by the router: none declared, or the handler's
    # own (a device signature, the optional metrics token)
    [[ -z $got || $got == deviceSignature || $got == metricsToken ]] || wrong_auth+=" $method:$path($got)"
  elif [[ $got != "$want" ]]; then
    wrong_auth+=" $method:$path($got, want $want)"
  fi
done <<<"$routes"
is "every route of router.c is in $DOC with its method" "$missing" ""
is "... with the credential router.c checks" "$wrong_auth" ""
documented=$(jq -r '.paths | to_entries[] | .key as $p | .value | keys[] | select(. != "parameters") | "\(ascii_upcase) \($p)"' \
  "$tmp/openapi.json" | sort)
is "$DOC has no route router.c lacks" "$documented" "$(cut -d' ' -f1,2 <<<"$routes" | sort)"

codes=$(grep -oE '\.code = "[a-z_]+"' cgi/gateway/problems.c | sed -E 's/.*"([a-z_]+)"/\1/')
check "problems.c's codes were read (more than 20)" test "$(wc -l <<<"$codes")" -gt 20
enum=$(jq -r '.components.schemas.ProblemCode.enum[]' "$tmp/openapi.json")
unlisted=$(comm -23 <(sort <<<"$codes") <(sort <<<"$enum") | paste -sd' ')
is "every code of problems.c is in ProblemCode" "$unlisted" ""
# the others are nginx's (a piece of conf/nginx/ answers them)
extra=$(comm -13 <(sort <<<"$codes") <(sort <<<"$enum"))
not_nginx=""
for c in $extra; do
  cat conf/nginx/*.conf.in conf/nginx/*.conf 2>/dev/null | grep -q "problems/$c\"" || not_nginx+=" $c"
done
is "every other code of ProblemCode is one nginx answers" "$not_nginx" ""

# --- the request bodies, against the field tables validate.c checks them by --
# each table of the ep_*.c files and the schema of the body it binds
declare -A schema_of=([transaction_spec]=SaleRequest [item_spec]=Item [device_auth_spec]=DeviceAuthRequest
  [auth_result_spec]=AuthResult [confirmation_spec]=ConfirmationRequest [method_spec]=MethodRequest
  [cancel_spec]=CancelRequest [token_reply_spec]=TokenReplyRequest [refund_spec]=RefundRequest)
items_max=$(grep -oE '#define ITEMS_MAX [0-9]+' cgi/gateway/bodies.h | awk '{ print $3 }')
check "ITEMS_MAX was read from bodies.h" test -n "$items_max"
rows=$(awk -f tests/static/field_rows.awk cgi/gateway/ep_*.c | sed "s/ ITEMS_MAX / $items_max /")
check "the field tables were read (more than 20 rows)" test "$(wc -l <<<"$rows")" -gt 20
unmapped=$(cut -d' ' -f1 <<<"$rows" | sort -u | while read -r t; do [[ -n ${schema_of[$t]:-} ]] || echo "$t"; done | paste -sd' ')
is "every field table has its schema here (a new table needs one)" "$unmapped" ""
differs=""
while read -r table name type req lo hi min max; do
  [[ -n ${schema_of[$table]:-} ]] || continue
  differs+=$(jq -r --arg s "${schema_of[$table]}" --arg n "$name" --arg t "$type" --arg r "$req" --arg lo "$lo" \
    --arg hi "$hi" --arg min "$min" --arg max "$max" -f tests/static/openapi_field_row.jq "$tmp/slim.json" | sed 's/$/; /')
done <<<"$rows"
is "every member of every table: in its schema, required as there, of its type, its bounds, null only when optional" \
  "$differs" ""
extra=""
for table in "${!schema_of[@]}"; do
  s=${schema_of[$table]}
  want=$(awk -v t="$table" '$1 == t { print $2 }' <<<"$rows" | sort | paste -sd' ')
  got=$(jq -r --arg s "$s" '.components.schemas[$s].properties | keys[]' "$tmp/slim.json" | sort | paste -sd' ')
  [[ $want == "$got" ]] || extra+=" $s($got; want $want)"
  [[ $(jq -r --arg s "$s" '.components.schemas[$s].additionalProperties' "$tmp/slim.json") == false ]] \
    || extra+=" $s(unknown members not refused)"
done
is "each body schema has exactly its table's members and refuses others" "$extra" ""
# the comparison finds what it must: a bound changed in a copy is reported
jq '.components.schemas.Item.properties.quantity.maximum = 9998' "$tmp/slim.json" >"$tmp/bound.json"
check "a planted bound (quantity at most 9998) is reported" bash -c \
  'jq -r --arg s Item --arg n quantity --arg t FIELD_INT --arg r required --arg lo - --arg hi - --arg min 1 --arg max 9999 \
     -f tests/static/openapi_field_row.jq "$1" | grep -q "maximum \[9998\] not 9999"' _ "$tmp/bound.json"
done_testing
