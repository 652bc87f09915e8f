#!/usr/bin/env bash
# stack_nginx_site.t — the real host's site (conf/nginx/paygw-site.conf.in,
# docs/nginx.md) serves: made by make's own rules (conf/nginx/local.mk) with
# the stack's FastCGI sockets and the source's www/ in place of the
# installed ones, a throwaway certificate for certbot's, and its listeners
# moved to two of the tests' ports on 127.0.0.1 (nginx runs as the stack's
# user, who owns the sockets and cannot bind 80 or 443).  Plain HTTP
# answers the ACME challenge from the webroot and redirects the rest; HTTPS
# reaches the stack's gateway workers and static files with the shared
# headers.  tests/static/nginx_site.t checks the site's text and nginx -t.
. "$(dirname "$0")/lib.sh"

T=$(mktemp -d)
HTTP_PORT=$((PAYGW_TEST_PORT_BASE + 1)) HTTPS_PORT=$((PAYGW_TEST_PORT_BASE + 2))
cleanup() {
  [[ -s $T/nginx.pid ]] && kill "$(cat "$T/nginx.pid")" 2>/dev/null && sleep 0.3
  rm -rf "$T"
}
trap cleanup EXIT

# --- the site, by make's rules, for this stack ----------------------------------
. "$TEST_ROOT/tests/static/nginx_site_make.sh"
share=$T/share live=$T/live
mkdir -p "$T/build" "$share/nginx" "$live" "$T/acme/.well-known/acme-challenge" "$T/tmp"
ln -s "$TEST_ROOT/www" "$share/www"
read -ra made <<<"$(mk pkgdatadir="$share" print-nginx_DATA)"
read -ra as_is <<<"$(mk pkgdatadir="$share" print-dist_nginx_DATA)"
mk pkgdatadir="$share" nginx_cert_dir="$live" nginx_acme_root="$T/acme" nginx_run_dir="$PAYGW_VAR/run" \
  nginx_server_name=localhost "${made[@]}"
for f in "${made[@]}"; do cp "$T/build/$f" "$share/nginx/"; done
for f in "${as_is[@]}"; do cp "$TEST_ROOT/$f" "$share/nginx/"; done
SITE=$share/nginx/paygw-site.conf
check "make filled the site" test -s "$SITE"
sed -i -e "s#^ *listen 80;#  listen 127.0.0.1:$HTTP_PORT;#" -e "s#^ *listen 443 ssl#  listen 127.0.0.1:$HTTPS_PORT ssl#" \
  -e '/listen \[::\]:/d' -e "s#/var/log/nginx/#$T/#" "$SITE"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost -keyout "$live/privkey.pem" -out "$live/fullchain.pem" 2>/dev/null
cp "$live/fullchain.pem" "$live/chain.pem"
cat >"$T/nginx.conf" <<EOF
pid $T/nginx.pid;
error_log $T/error.log;
events {}
http {
  include /etc/nginx/mime.types;
  access_log $T/access.log;
  client_body_temp_path $T/tmp/body; proxy_temp_path $T/tmp/proxy; fastcgi_temp_path $T/tmp/fastcgi;
  uwsgi_temp_path $T/tmp/uwsgi; scgi_temp_path $T/tmp/scgi;
  include $SITE;
}
EOF
# as the sockets' owner (the stack's user under root)
owner=$(stat -c %U "$PAYGW_VAR/run/gateway.sock")
as_owner=()
if [[ $(id -u) -eq 0 && $owner != root ]]; then
  chown -R "$owner:" "$T"
  as_owner=(setpriv --reuid="$owner" --regid="$owner" --init-groups --)
fi
# (the throwaway certificate names no OCSP responder: nginx warns, and serves)
"${as_owner[@]}" nginx -q -p "$T" -c "$T/nginx.conf" -e "$T/error.log" 2>"$T/start.log"
for _ in $(seq 50); do [[ -s $T/nginx.pid ]] && break; sleep 0.1; done
check "the site's nginx runs" test -s "$T/nginx.pid"
is "... warning of nothing but the certificate's missing OCSP URL" \
  "$(grep -v 'no OCSP responder URL in the certificate' "$T/start.log")" ""

# --- plain HTTP ---------------------------------------------------------------
printf "token-%s" $$ >"$T/acme/.well-known/acme-challenge/token-$$"
out=$(curl -sS -w ' %{http_code} %{content_type}' "http://localhost:$HTTP_PORT/.well-known/acme-challenge/token-$$")
is "port 80: the ACME challenge answered from the webroot" "$out" "token-$$ 200 text/plain"
out=$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' "http://localhost:$HTTP_PORT/v1/health?x=1")
is "port 80: everything else redirected to https with a 301" "$out" "301 https://localhost/v1/health?x=1"
is "port 80: a challenge that is not there: 404, no redirect" \
  "$(curl -sS -o /dev/null -w '%{http_code}' "http://localhost:$HTTP_PORT/.well-known/acme-challenge/none")" 404

# --- HTTPS, to the stack's workers ---------------------------------------------
site() { curl -sS --cacert "$live/fullchain.pem" "$@"; }
h=$(site -D - -o "$T/health" "https://localhost:$HTTPS_PORT/v1/health" | tr -d '\r')
like "https: /v1/health through the site reaches the stack's gateway" "$h" $'^HTTP/2 200'
is "... which reaches its database" "$(jq -r .database "$T/health")" reachable
check "... with HSTS (the shared headers)" grep -qi '^strict-transport-security: max-age=63072000' <<<"$h"
check "... and a request id from the worker" grep -qiE '^x-request-id: [0-9a-f]{32}' <<<"$h"
check "... no nginx version" bash -c '! grep -qi "^server: nginx/" <<<"$1"' _ "$h"
is "https: the static page from www/" "$(site -o /dev/null -w '%{http_code} %{content_type}' "https://localhost:$HTTPS_PORT/")" \
  "200 text/html"
is "https: the history's sign-in page (history.fcgi)" \
  "$(site -o /dev/null -w '%{http_code}' "https://localhost:$HTTPS_PORT/history/sign-in")" 200
# the client offers TLS 1.1 (OpenSSL 3: only at security level 0), so the
# refusal is the server's protocol version alert
out=$(openssl s_client -connect "127.0.0.1:$HTTPS_PORT" -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0' </dev/null 2>&1)
check "https: TLS 1.1 refused by the server (the shared TLS profile)" grep -q 'alert protocol version' <<<"$out"
is "the site's access log in the paygw format, the redirect too" \
  "$(jq -r 'select(.uri == "/history/sign-in" or .uri == "/v1/health") | "\(.uri) \(.status)"' "$T/paygw-access.log" 2>&1 | sort -u | tr '\n' ' ')" \
  "/history/sign-in 200 /v1/health 200 /v1/health 301 "
done_testing
