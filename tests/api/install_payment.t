#!/usr/bin/env bash
# check: alone
# install_payment.t — issue 16: a payment through the installed programs,
# started exactly as their systemd units start them.  `make install` of this
# build tree into a DESTDIR; `systemd-analyze verify` of the installed units
# against the installed programs (--root=DESTDIR); then, as an operator
# would, the installed configuration files edited (this stack's database,
# the credit server's address, a log file) and the key files put into the
# installed keys folder (0600).  Every service is then run from its unit's
# ExecStart= line, with only what systemd would
# substitute: ${VAR} from the unit's Environment= and its EnvironmentFile=,
# %d (a credentials folder holding 0400 copies of the unit's
# LoadCredential= files) and %t, and for the socket-activated ones the
# socket on descriptor 0 (spawn-fcgi binds it 0660 group www-data, as the
# .socket units do).  A test nginx that includes the installed
# fastcgi_*.conf pieces passes /v1/, /shop/ and /history/ to them, and flow_happy.t runs a whole
# payment against it.  The installed gateway's and credit server's own log
# files must show the payment, so it cannot have gone through the stack's.
# The shop's and the history's pages answer through the same nginx; the
# sweeper and the webhook sender wait for the lock the stack's own hold.
#
# A DESTDIR, not a temporary prefix: it installs the build every other test
# runs (no second configure and build, minutes on this machine); the one
# cost is that each path a unit names is found under DESTDIR — the only
# rewrite made to an ExecStart= line — and that the shop and the history are
# told where their installed templates are for now.  Run as root, the programs run as the
# stack's unprivileged user (systemd would use the unit's own User=) and
# nginx's workers as www-data.
. "$(dirname "$0")/lib.sh"

BASE=${PAYGW_TEST_PORT_BASE:-10600}
HTTPS_PORT=$((BASE + 40)) CREDIT_PORT=$((BASE + 41))
D=$(mktemp -d)
chmod 755 "$D"
PIDS=()
cleanup() {
  [[ -s $D/nginx/nginx.pid ]] && kill -QUIT "$(cat "$D/nginx/nginx.pid")" 2>/dev/null
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; done
  sleep 0.5
  rm -rf "$D" "$D.install.log"
}
trap cleanup EXIT
RUN_USER="" AS_USER=()
if [[ $(id -u) -eq 0 ]]; then
  RUN_USER=$(stat -c %U "$PAYGW_VAR/run")          # the stack's service user
  [[ $RUN_USER == root ]] && RUN_USER=""
  [[ -n $RUN_USER ]] && AS_USER=(setpriv --reuid="$RUN_USER" --regid="$RUN_USER" --init-groups --)
fi
own() { [[ -n $RUN_USER ]] && chown -R "$RUN_USER:" "$@"; return 0; }

# --- install, and verify what was installed ------------------------------------
make -s -C "$TEST_ROOT" install DESTDIR="$D" >"$D.install.log" 2>&1
is "make install DESTDIR=... succeeds" "$?" 0
UNITDIR=$(find "$D" -type d -path '*/lib/systemd/system' | head -1)
check "the units are installed" test -s "$UNITDIR/paygw-gateway.service"
mkdir -p "$D/usr/lib/systemd/system" "$D/usr/bin"
cp -an /usr/lib/systemd/system/. "$D/usr/lib/systemd/system/"
HOST_TOOLS=(/usr/bin/multiwatch /usr/bin/kill)   # what the units call that the install does not put there
cp "${HOST_TOOLS[@]}" "$D/usr/bin/"
[[ -e $D/bin ]] || ln -s usr/bin "$D/bin"
out=$(cd "$UNITDIR" && systemd-analyze verify --root="$D" paygw* 2>&1)
is "systemd-analyze verify: the installed units and programs, exit 0" "$?" 0
is "systemd-analyze verify: nothing to say" "$out" ""

# --- what systemd does with a unit: environment, credentials, command line ----
RUN=$D/run CREDS=$D/credentials
mkdir -p "$RUN" "$CREDS"
conf_of() { echo "$D$(sed -n 's/^EnvironmentFile=-\{0,1\}//p' "$1")"; }
# conf_set FILE KEY VALUE: as an operator edits: the KEY's line (commented
# out or not) replaced by KEY=VALUE
conf_set() {
  awk -v k="$2" -v v="$3" 'BEGIN { done = 0 }
    $0 ~ "^#?" k "=" { if (!done) print k "=" v; done = 1; next } { print }
    END { if (!done) print k "=" v }' "$1" >"$1.new" && cat "$1.new" >"$1" && rm "$1.new"
}
# unit_env UNIT → one NAME=value per line: Environment= (specifiers %d, %t
# filled), then the EnvironmentFile=, whose settings win, as in systemd
unit_env() {
  local unit=$1 name=$2 kv
  for kv in $(sed -n 's/^Environment=//p' "$unit"); do
    sed -e "s|%d|$CREDS/$name|g" -e "s|%t|$RUN|g" <<<"$kv"
  done
  grep -E '^[A-Za-z_][A-Za-z0-9_]*=' "$(conf_of "$unit")" | sed -E "s/^([^=]*)=\"(.*)\"$/\1=\2/; s/^([^=]*)='(.*)'$/\1=\2/"
}
# unit_credentials UNIT NAME: the LoadCredential= files copied, 0400, into
# the unit's credentials folder (systemd's %d), owned by the service's user
unit_credentials() {
  local unit=$1 dir=$CREDS/$2 id src
  mkdir -p "$dir"
  while IFS=: read -r id src; do
    install -m 0400 "$D$src" "$dir/$id" || return 1
  done < <(sed -n 's/^LoadCredential=//p' "$unit")
  chmod 0500 "$dir"
  own "$dir"
}
# unit_command UNIT NAME → the ExecStart= words, ${VAR} replaced from the
# unit's environment, an installed program's path under DESTDIR
unit_command() {
  local unit=$1 w name val kv
  local -a env; mapfile -t env < <(unit_env "$1" "$2")
  for w in $(sed -n 's/^ExecStart=//p' "$unit"); do
    if [[ $w =~ ^\$\{([A-Za-z_0-9]+)\}$ ]]; then
      name=${BASH_REMATCH[1]} val=""
      for kv in "${env[@]}"; do [[ $kv == "$name="* ]] && val=${kv#*=}; done
      echo "$val"
    elif [[ -e $D$w && " ${HOST_TOOLS[*]} " != *" $w "* ]]; then echo "$D$w"
    else echo "$w"; fi
  done
}

# --- the operator's part: keys and configuration ------------------------------
KEYS=$(conf_of "$UNITDIR/paygw-gateway.service"); KEYS=${KEYS%/*}/keys
check "the installed keys folder is there, 0700" test "$(stat -c %a "$KEYS")" = 700
install -m 0600 "$PAYGW_CARD_KEY_FILE" "$KEYS/card.keys"
install -m 0600 "$PAYGW_MESSAGE_KEY_FILE" "$KEYS/message.pem"
install -m 0600 "$PAYGW_CREDIT_CA" "$KEYS/ca.crt"
install -m 0600 "$PAYGW_CREDIT_CLIENT_CERT" "$KEYS/gateway-client.crt"
install -m 0600 "$PAYGW_CREDIT_CLIENT_KEY" "$KEYS/gateway-client.key"
install -m 0600 "$PAYGW_ISSUER_CARD_KEY_FILE" "$KEYS/issuer-card.keys"
install -m 0600 "$PAYGW_CREDIT_SERVER_CERT" "$KEYS/credit-server.crt"
install -m 0600 "$PAYGW_CREDIT_SERVER_KEY" "$KEYS/credit-server.key"
LOGS=$D/var/log/paygw
mkdir -p "$LOGS/gateway" "$LOGS/credit-server" "$RUN/paygw/gateway" "$RUN/paygw/metrics"   # LogsDirectory=, RuntimeDirectory=, tmpfiles.d (systemd makes them)
own "$LOGS/gateway" "$LOGS/credit-server" "$RUN/paygw/gateway"
chmod 755 "$RUN" "$RUN/paygw"

CS_UNIT=$UNITDIR/paygw-credit-server.service CS_CONF=$(conf_of "$CS_UNIT")
conf_set "$CS_CONF" PAYGW_ISSUER_DB_URI "$PAYGW_ISSUER_DB_URI"
conf_set "$CS_CONF" PAYGW_CREDIT_LISTEN "127.0.0.1:$CREDIT_PORT"
conf_set "$CS_CONF" PAYGW_LOG_FILE "$LOGS/credit-server/credit-server.log"
GW_UNIT=$UNITDIR/paygw-gateway.service GW_CONF=$(conf_of "$GW_UNIT")
conf_set "$GW_CONF" PAYGW_DB_URI "$PAYGW_DB_URI"
conf_set "$GW_CONF" PAYGW_CREDIT_ADDR "127.0.0.1:$CREDIT_PORT"
conf_set "$GW_CONF" PAYGW_WORKERS 3
conf_set "$GW_CONF" PAYGW_LOG_FILE "$LOGS/gateway/gateway.log"

# --- the credit server, as paygw-credit-server.service starts it -------------
check "credit server: its credentials" unit_credentials "$CS_UNIT" credit-server
mapfile -t CS_CMD < <(unit_command "$CS_UNIT" credit-server)
like "credit server: ExecStart is the installed program on the configured address" "${CS_CMD[*]}" \
  "^$D/.*/libexec/paygw/credit-server --listen 127.0.0.1:$CREDIT_PORT\$"
mapfile -t CS_ENV < <(unit_env "$CS_UNIT" credit-server)
(cd / && exec env -i PATH=/usr/bin:/bin "${CS_ENV[@]}" "${AS_USER[@]}" "${CS_CMD[@]}" </dev/null >"$D/credit-server.out" 2>&1) &
PIDS+=($!)
for _ in $(seq 50); do grep -q '"listening"' "$LOGS/credit-server/credit-server.log" 2>/dev/null && break; sleep 0.1; done
check "credit server: listening, logging to its configured log file" grep -q '"msg":"listening"' "$LOGS/credit-server/credit-server.log"
grep -q 'listening' "$LOGS/credit-server/credit-server.log" 2>/dev/null || sed 's/^/# /' "$D/credit-server.out"

# --- the FastCGI services, as their .socket + .service units start them -----
# start_fcgi NAME WORKERS: the socket where the .socket unit says (/run
# under $RUN, as %t), bound by spawn-fcgi 0660 group www-data (the unit's
# SocketGroup=/SocketMode=) and handed over on descriptor 0; the .service's
# ExecStart= on it; waits for WORKERS "ready" lines in its log file
start_fcgi() {
  local name=$1 want=$2 unit=$UNITDIR/paygw-$1.service sock i
  local -a cmd env spawn
  check "$name: its credentials" unit_credentials "$unit" "$name"
  mapfile -t cmd < <(unit_command "$unit" "$name")
  like "$name: ExecStart is multiwatch over the installed program, the workers from $name.conf" "${cmd[*]}" \
    "^/usr/bin/multiwatch -f $want -- $D/.*/libexec/paygw/[a-z]*\.fcgi\$"
  mapfile -t env < <(unit_env "$unit" "$name")
  sock=$(sed -n 's|^ListenStream=/run/|'"$RUN"'/|p' "$UNITDIR/paygw-$name.socket")
  like "$name: the socket unit's socket is /run/paygw/$name.sock" "$sock" "^$RUN/paygw/$name\.sock\$"
  spawn=(spawn-fcgi -n -s "$sock" -M 0660)
  # bound as root, like systemd; spawn-fcgi then gives it to the workers' user
  [[ -n $RUN_USER ]] && spawn+=(-G www-data -u "$RUN_USER" -g "$RUN_USER")
  (cd / && exec env -i PATH=/usr/bin:/bin "${env[@]}" "${spawn[@]}" -- "${cmd[@]}" </dev/null >"$D/$name.out" 2>&1) &
  PIDS+=($!)
  for i in $(seq 100); do [[ $(grep -c 'worker [0-9]* ready' "$LOGS/$name/$name.log" 2>/dev/null) -ge $want ]] && break; sleep 0.1; done
  is "$name: $want workers ready, logging to the configured log file" \
    "$(grep -c 'worker [0-9]* ready' "$LOGS/$name/$name.log" 2>/dev/null)" "$want"
  grep -q 'ready' "$LOGS/$name/$name.log" 2>/dev/null || sed 's/^/# /' "$D/$name.out"
  [[ -n $RUN_USER ]] && is "$name: the socket is 0660, group www-data (nginx's)" "$(stat -c '%a %G' "$sock")" "660 www-data"
}
SHARE=$(find "$D" -type d -path '*/share/paygw' | head -1)
SHOP_CONF=$(conf_of "$UNITDIR/paygw-shop.service") HISTORY_CONF=$(conf_of "$UNITDIR/paygw-history.service")
install -m 0600 "$PAYGW_VAR/shop/terminal-credential" "$KEYS/shop-terminal-credential"
install -m 0600 "$PAYGW_VAR/shop/webhook-secret" "$KEYS/shop-webhook-secret"
conf_set "$SHOP_CONF" PAYGW_SHOP_DB_URI "$PAYGW_SHOP_DB_URI"
conf_set "$SHOP_CONF" PAYGW_SHOP_PUBLIC_URL "https://127.0.0.1:$HTTPS_PORT"
conf_set "$SHOP_CONF" PAYGW_SHOP_GATEWAY_URL "https://127.0.0.1:$HTTPS_PORT"
conf_set "$SHOP_CONF" PAYGW_SHOP_GATEWAY_CA "$PAYGW_CA"
conf_set "$SHOP_CONF" PAYGW_SHOP_WORKERS 2
conf_set "$SHOP_CONF" PAYGW_LOG_FILE "$LOGS/shop/shop.log"
# the one edit a DESTDIR needs: the templates are not yet where they will be
conf_set "$SHOP_CONF" PAYGW_SHOP_TEMPLATE_DIR "$SHARE/templates/shop"
conf_set "$HISTORY_CONF" PAYGW_HISTORY_DB_URI "$PAYGW_HISTORY_DB_URI"
conf_set "$HISTORY_CONF" PAYGW_HISTORY_WORKERS 2
conf_set "$HISTORY_CONF" PAYGW_LOG_FILE "$LOGS/history/history.log"
conf_set "$HISTORY_CONF" PAYGW_HISTORY_TEMPLATE_DIR "$SHARE/templates/history"
mkdir -p "$LOGS/shop" "$LOGS/history" "$RUN/paygw/shop" "$RUN/paygw/history"
own "$LOGS/shop" "$LOGS/history" "$RUN/paygw/shop" "$RUN/paygw/history"
start_fcgi gateway 3
start_fcgi shop 2
start_fcgi history 2
SOCK=$RUN/paygw/gateway.sock

# --- the sweeper and the webhook sender, as their units start them -----------
# Each takes its advisory lock, which the stack's own holds: started with
# its configuration and keys, it waits for the lock and says so.
for name in sweeper webhooks; do
  unit=$UNITDIR/paygw-$name.service
  conf=$(conf_of "$unit")
  conf_set "$conf" PAYGW_DB_URI "$PAYGW_DB_URI"
  conf_set "$conf" PAYGW_CREDIT_ADDR "127.0.0.1:$CREDIT_PORT"
  conf_set "$conf" PAYGW_LOG_FILE "$LOGS/$name/$name.log"
  mkdir -p "$LOGS/$name"; own "$LOGS/$name"
  check "$name: its credentials" unit_credentials "$unit" "$name"
  mapfile -t cmd < <(unit_command "$unit" "$name")
  like "$name: ExecStart is the installed paygw-$name" "${cmd[*]}" "^$D/.*/libexec/paygw/paygw-$name\$"
  mapfile -t env < <(unit_env "$unit" "$name")
  (cd / && exec env -i PATH=/usr/bin:/bin "${env[@]}" "${AS_USER[@]}" "${cmd[@]}" </dev/null >"$D/$name.out" 2>&1) &
  PIDS+=($!)
  for _ in $(seq 50); do grep -q 'holds the lock' "$LOGS/$name/$name.log" 2>/dev/null && break; sleep 0.1; done
  check "$name: started, and waits for the lock the stack's $name holds" grep -q "another .* holds the lock" "$LOGS/$name/$name.log"
  check "$name: no error in its log" bash -c '! grep -q "\"level\":\"error\"" "$1"' _ "$LOGS/$name/$name.log"
  grep -q 'lock' "$LOGS/$name/$name.log" 2>/dev/null || sed 's/^/# /' "$D/$name.out" "$LOGS/$name/$name.log" 2>/dev/null
done

# --- nginx in front, with the installed FastCGI piece -------------------------
FASTCGI_CONF=$(find "$D" -path '*/nginx/fastcgi_paygw.conf' | head -1)
check "the installed nginx piece for the gateway is there" test -s "$FASTCGI_CONF"
mkdir -p "$D/nginx/tmp"
[[ -n $RUN_USER ]] && chown www-data: "$D/nginx/tmp"
{
  [[ -n $RUN_USER ]] && echo "user www-data;"
  cat <<EOF
worker_processes 1;
pid $D/nginx/nginx.pid;
error_log $D/nginx/error.log;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $D/nginx/tmp;
  fastcgi_temp_path $D/nginx/tmp;
  upstream paygw_gateway { server unix:$SOCK; }
  upstream paygw_shop { server unix:$RUN/paygw/shop.sock; }
  upstream paygw_history { server unix:$RUN/paygw/history.sock; }
  server {
    listen 127.0.0.1:$HTTPS_PORT ssl;
    ssl_certificate $PAYGW_VAR/tls/server.crt;
    ssl_certificate_key $PAYGW_VAR/tls/server.key;
    location /v1/ { include $FASTCGI_CONF; }
    location /shop/ { include ${FASTCGI_CONF%/*}/fastcgi_shop.conf; }
    location /history/ { include ${FASTCGI_CONF%/*}/fastcgi_history.conf; }
  }
}
EOF
} >"$D/nginx/nginx.conf"
nginx -q -e "$D/nginx/error.log" -c "$D/nginx/nginx.conf"
is "nginx starts in front of the installed gateway" "$?" 0
URL=https://127.0.0.1:$HTTPS_PORT
like "GET /v1/health through it: the installed workers and the database" \
  "$(curl -s --cacert "$PAYGW_CA" "$URL/v1/health")" '"status":"ok"'

like "GET /shop/ through it: the installed shop's catalog page" \
  "$(curl -s -o /dev/null -w '%{http_code} %{content_type}' --cacert "$PAYGW_CA" "$URL/shop/")" '^200 text/html'
like "GET /history/ through it: the installed history's sign-in" \
  "$(curl -s -o /dev/null -w '%{http_code}' --cacert "$PAYGW_CA" "$URL/history/")" '^(200|303)$'

# --- a payment, end to end: flow_happy.t against this gateway -----------------
sed -e "/^PAYGW_URL=/d" "$PAYGW_STACK_ENV" >"$D/stack.env"
echo "PAYGW_URL='$URL'" >>"$D/stack.env"
flow=$(PAYGW_STACK_ENV=$D/stack.env "$TEST_ROOT/tests/api/flow_happy.t" 2>&1)
rc=$?
sed -n 's/^\(not \)\{0,1\}ok - /&installed: /p' <<<"$flow"
TESTS_FAILED=$((TESTS_FAILED + $(grep -c '^not ok' <<<"$flow")))
is "flow_happy.t through the installed programs exits 0" "$rc" 0
check "flow_happy.t made its checks (more than 20)" test "$(grep -c '^ok' <<<"$flow")" -gt 20
TXN=$(grep -o '"path":"/v1/transactions/[0-9A-Z]\{16\}/payment-method","status":200' "$LOGS/gateway/gateway.log" | head -1)
nonempty() { if [[ -n $2 ]]; then ok "$1"; else not_ok "$1 (empty)"; fi; }
nonempty "the installed gateway's log holds the payment's method choice, answered 200" "$TXN"
check "the installed credit server's log holds the authorization" grep -q '"msg":"authorization"' "$LOGS/credit-server/credit-server.log"
done_testing
