#!/usr/bin/env bash
# check: alone
# install_payment.t — issue 16: a payment through the installed programs,
# started exactly as their systemd units start them.  `make install` of this
# build tree into a DESTDIR; `systemd-analyze verify` of the installed units
# against the installed programs (--root=DESTDIR); then, as an operator
# would, the installed configuration files edited (this stack's database,
# the credit server's address, a log file) and the key files put into the
# installed keys folder (0600).  The credit server and the gateway are then
# run from their units' ExecStart= lines, with only what systemd would
# substitute: ${VAR} from the unit's Environment= and its EnvironmentFile=,
# %d (a credentials folder holding 0400 copies of the unit's
# LoadCredential= files) and %t, and for the socket-activated gateway the
# socket on descriptor 0 (spawn-fcgi binds it 0660 root:www-data, as
# paygw-gateway.socket does).  A test nginx that includes the installed
# fastcgi_paygw.conf passes /v1/ to them, and flow_happy.t runs a whole
# payment against it.  The installed gateway's and credit server's own log
# files must show the payment, so it cannot have gone through the stack's.
#
# A DESTDIR, not a temporary prefix: it installs the build every other test
# runs (no second configure and build, minutes on this machine); the one
# cost is that each path a unit names is found under DESTDIR — the only
# rewrite made to an ExecStart= line.  Run as root, the programs run as the
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
mkdir -p "$LOGS/gateway" "$LOGS/credit-server" "$RUN/paygw/gateway"   # LogsDirectory=, RuntimeDirectory=
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

# --- the gateway, as paygw-gateway.socket + .service start it ----------------
check "gateway: its credentials" unit_credentials "$GW_UNIT" gateway
mapfile -t GW_CMD < <(unit_command "$GW_UNIT" gateway)
like "gateway: ExecStart is multiwatch over the installed paygw.fcgi, PAYGW_WORKERS from gateway.conf" "${GW_CMD[*]}" \
  "^/usr/bin/multiwatch -f 3 -- $D/.*/libexec/paygw/paygw.fcgi\$"
mapfile -t GW_ENV < <(unit_env "$GW_UNIT" gateway)
SOCK=$RUN/paygw/gateway.sock
check "gateway: the socket unit's path is /run/paygw/gateway.sock" grep -qx "ListenStream=/run/paygw/gateway.sock" "$UNITDIR/paygw-gateway.socket"
SPAWN=(spawn-fcgi -n -s "$SOCK" -M 0660)
[[ -n $RUN_USER ]] && SPAWN+=(-G www-data -u "$RUN_USER" -g "$RUN_USER")   # bound as root, like systemd
(cd / && exec env -i PATH=/usr/bin:/bin "${GW_ENV[@]}" "${SPAWN[@]}" -- "${GW_CMD[@]}" </dev/null >"$D/gateway.out" 2>&1) &
PIDS+=($!)
for _ in $(seq 50); do [[ $(grep -c 'ready' "$LOGS/gateway/gateway.log" 2>/dev/null) -ge 3 ]] && break; sleep 0.1; done
is "gateway: three workers ready, logging to the configured log file" "$(grep -c 'worker [0-9]* ready' "$LOGS/gateway/gateway.log" 2>/dev/null)" 3
grep -q 'ready' "$LOGS/gateway/gateway.log" 2>/dev/null || sed 's/^/# /' "$D/gateway.out"
# spawn-fcgi gives the socket to the user it runs the workers as; systemd
# keeps it root's: what matters to nginx is the group and the mode
[[ -n $RUN_USER ]] && is "gateway: the socket is 0660, group www-data, as the socket unit makes it" \
  "$(stat -c '%a %G' "$SOCK")" "660 www-data"

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
  server {
    listen 127.0.0.1:$HTTPS_PORT ssl;
    ssl_certificate $PAYGW_VAR/tls/server.crt;
    ssl_certificate_key $PAYGW_VAR/tls/server.key;
    location /v1/ { include $FASTCGI_CONF; }
  }
}
EOF
} >"$D/nginx/nginx.conf"
nginx -q -e "$D/nginx/error.log" -c "$D/nginx/nginx.conf"
is "nginx starts in front of the installed gateway" "$?" 0
URL=https://127.0.0.1:$HTTPS_PORT
like "GET /v1/health through it: the installed workers and the database" \
  "$(curl -s --cacert "$PAYGW_CA" "$URL/v1/health")" '"status":"ok"'

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
