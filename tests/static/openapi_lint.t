#!/usr/bin/env bash
# openapi_lint.t — docs/openapi.yaml is clean by @redocly/cli's lint
# (redocly.yaml: the recommended rules, every one an error, no warning let
# through), and it cannot lose a route or a problem code unnoticed: every
# route of cgi/gateway/router.c is there with its method and credential,
# every code of cgi/gateway/problems.c is in its ProblemCode enum.
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
redocly bundle "$TEST_ROOT/$DOC" --ext json -o "$tmp/openapi.json" >"$tmp/bundle.out" 2>&1
check "the document bundles to JSON" jq -e '.openapi == "3.1.0"' "$tmp/openapi.json" >/dev/null

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
  op=$(jq -c --arg p "$path" --arg m "${method,,}" '.paths[$p][$m] // empty' "$tmp/openapi.json")
  if [[ -z $op ]]; then
    missing+=" $method:$path"
    continue
  fi
  want=$(scheme_of "$auth")
  got=$(jq -r '[(.security // [])[] | keys[]] | map(select(. != "deviceId" and . != "deviceTimestamp")) | join(",")' <<<"$op")
  if [[ $want == none ]]; then
    # no credential checked by the router: none declared, or the handler's own device signature
    [[ -z $got || $got == deviceSignature ]] || wrong_auth+=" $method:$path($got)"
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
# the others are nginx's (conf/nginx/paygw.conf.in answers them)
extra=$(comm -13 <(sort <<<"$codes") <(sort <<<"$enum"))
not_nginx=""
for c in $extra; do
  grep -q "problems/$c\"" conf/nginx/paygw.conf.in || not_nginx+=" $c"
done
is "every other code of ProblemCode is one nginx answers" "$not_nginx" ""
done_testing
