#!/usr/bin/env bash
# nginx_site.t — the real host's nginx site and the dev stack's nginx.conf
# are made from the same pieces of conf/nginx/ (docs/nginx.md), so they
# cannot drift: the site is made here by make's own rules
# (conf/nginx/local.mk) and the dev configuration by scripts/stack's (its
# nginx-conf command); both read the same shared pieces, neither wrapper
# repeats a directive of them, and `nginx -t` accepts each — the site in
# a copy of Debian's nginx.conf, as sites-enabled/ is included there, with
# a throwaway self-signed certificate standing in for certbot's.
. "$(dirname "$0")/lib.sh"

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
NAME=pay.example.com

# --- the site, by make's rules --------------------------------------------
. "$(dirname "$0")/nginx_site_make.sh"
read -ra made <<<"$(mk pkgdatadir=/usr/share/paygw print-nginx_DATA)"
read -ra as_is <<<"$(mk pkgdatadir=/usr/share/paygw print-dist_nginx_DATA)"
read -ra dist <<<"$(mk pkgdatadir=/usr/share/paygw print-EXTRA_DIST)"
check "local.mk fills the site and installs pieces as they are" \
  test "${#made[@]}" -ge 2 -a "${#as_is[@]}" -ge 1

# every piece of conf/nginx/ is installed (or, paygw.conf.in, shipped for
# the dev stack), every .in is in the tarball
installed_pieces() { for f in "${made[@]}" "${as_is[@]}"; do basename "$f" .conf; done | sort; }
unlisted=()
for f in conf/nginx/*.conf conf/nginx/*.conf.in; do
  b=$(basename "$f"); b=${b%.in}; b=${b%.conf}
  [[ $f == conf/nginx/paygw.conf.in ]] && continue
  installed_pieces | grep -qxF "$b" || unlisted+=("$f")
  if [[ $f == *.in ]] && ! printf '%s\n' "${dist[@]}" | grep -qxF "$f"; then unlisted+=("$f (not in EXTRA_DIST)"); fi
done
is "every piece of conf/nginx/ is installed by local.mk" "${unlisted[*]}" ""

# with make's defaults: certbot's paths for the name
mk pkgdatadir=/usr/share/paygw conf/nginx/host/paygw-site.conf
site_default=$T/build/conf/nginx/host/paygw-site.conf
for f in fullchain privkey chain; do
  check "the site reads certbot's $f.pem (/etc/letsencrypt/live/$NAME/)" \
    grep -qE "^ *ssl_(certificate|certificate_key|trusted_certificate) /etc/letsencrypt/live/$NAME/$f\.pem;" "$site_default"
done
check "the site includes its pieces from /usr/share/paygw/nginx/" \
  grep -q '^include /usr/share/paygw/nginx/http_shared.conf;' "$site_default"
check "the gateway's upstream is the socket unit's /run/paygw/gateway.sock" \
  bash -c 'sed -n "/^upstream paygw_gateway {/,/}/p" "$1" | grep -qx "  server unix:/run/paygw/gateway.sock;"' _ "$site_default"
rm -rf "$T/build"/*

# in a throwaway prefix: the pieces where make install puts them, a
# self-signed certificate where certbot puts its
share=$T/share live=$T/letsencrypt/live/$NAME
mkdir -p "$T/build" "$share/nginx" "$share/www" "$live" "$T/acme" "$T/sites-enabled" "$T/tmp"
mk pkgdatadir="$share" nginx_cert_dir="$live" nginx_acme_root="$T/acme" "${made[@]}"
for f in "${made[@]}"; do cp "$T/build/$f" "$share/nginx/"; done
for f in "${as_is[@]}"; do cp "$f" "$share/nginx/"; done
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj "/CN=$NAME" \
  -keyout "$live/privkey.pem" -out "$live/fullchain.pem" 2>/dev/null
cp "$live/fullchain.pem" "$live/chain.pem"
ln -s "$share/nginx/paygw-site.conf" "$T/sites-enabled/paygw"
SITE=$share/nginx/paygw-site.conf

# --- the dev stack's, by scripts/stack's rules --------------------------------
PAYGW_VAR=$T/dev PAYGW_HTTPS_PORT=8443 scripts/stack nginx-conf >/dev/null
DEV=$T/dev/nginx/nginx.conf
check "scripts/stack nginx-conf writes the dev stack's nginx.conf" test -s "$DEV"

# --- the same pieces ---------------------------------------------------------
# includes FILE: every file FILE includes, and what those include, one a line
includes() {
  local f
  for f in $(sed -n 's/^ *include \([^;]*\);.*/\1/p' "$1"); do
    for g in $f; do [[ -f $g ]] && { echo "$g"; includes "$g"; }; done
  done
}
# the paygw pieces a configuration reads, by name (nginx's own files aside)
pieces_of() { includes "$1" | grep -v '^/etc/nginx/' | xargs -rn1 basename | sort -u; }
dev_pieces=$(pieces_of "$DEV")
site_pieces=$(pieces_of "$SITE")
for p in http_shared.conf tls_profile.conf server_shared.conf; do
  check "the dev stack's nginx.conf includes $p" grep -qxF "$p" <<<"$dev_pieces"
  check "the site includes $p" grep -qxF "$p" <<<"$site_pieces"
done
# the site reads every piece the dev stack reads, and one more: the ACME
# challenge location of its port 80
is "the site reads the dev stack's pieces, and acme_challenge.conf besides" \
  "$(comm -13 <(echo "$dev_pieces") <(echo "$site_pieces") | tr '\n' ' ')" "acme_challenge.conf "
is "the dev stack reads no piece the site does not" \
  "$(comm -23 <(echo "$dev_pieces") <(echo "$site_pieces") | tr '\n' ' ')" ""
# each piece the same in both but for the folders (the rates and the body
# limit too: make's defaults are the dev stack's)
unfolder() { sed -e "s#$T/dev/nginx#NGINX_DIR#g; s#$share/nginx#NGINX_DIR#g" -e "s#$TEST_ROOT/www#WWW#g; s#$share/www#WWW#g" \
                 -e "s#$T/dev/run#RUN_DIR#g; s#/run/paygw#RUN_DIR#g" "$1"; }
differ=()
for p in $dev_pieces; do
  diff -q <(unfolder "$T/dev/nginx/$p") <(unfolder "$share/nginx/$p") >/dev/null || differ+=("$p")
done
is "each piece reads the same for both but for the folders" "${differ[*]}" ""

# names of the directives of a file: the first word of each statement
directives() {
  sed -e 's/#.*//' "$@" | grep -oE '^ *[a-z_0-9]+' | tr -d ' ' | sort -u
}
# a wrapper may open its own blocks and include; everything else the shared
# pieces set is theirs alone (default_type: the dev stack's http block sets
# nginx's, as Debian's nginx.conf does; upstream: the gateway's, its pools
# or hosts, is each wrapper's)
STRUCTURAL='^(include|location|return|default_type|server|http|events|map|default|upstream)$'
shared_directives() {
  local p
  for p in $dev_pieces; do directives "$T/dev/nginx/$p"; done | sort -u | grep -vE "$STRUCTURAL"
}
SHARED=$(shared_directives)
check "the shared pieces set the TLS profile, limits and locations (ssl_protocols, limit_req, client_max_body_size, fastcgi_pass, add_header)" \
  bash -c 'for d in ssl_protocols limit_req limit_req_zone client_max_body_size fastcgi_pass add_header log_format; do grep -qxF $d <<<"$1" || exit 1; done' _ "$SHARED"
repeated() { comm -12 <(echo "$SHARED") <(directives "$1"); }
is "conf/nginx/paygw.conf.in repeats no directive of the shared pieces" \
  "$(repeated conf/nginx/paygw.conf.in | tr '\n' ' ')" ""
is "conf/nginx/paygw-site.conf.in repeats no directive of the shared pieces" \
  "$(repeated conf/nginx/paygw-site.conf.in | tr '\n' ' ')" ""
# the comparison sees a repeated directive (else the two above prove nothing)
sed 's/^\( *\)include .*tls_profile.conf;/\1ssl_protocols TLSv1.2;/' conf/nginx/paygw-site.conf.in >"$T/planted.conf"
is "... and finds one planted in a copy of the site" "$(repeated "$T/planted.conf" | tr '\n' ' ')" "ssl_protocols "

# --- what the site adds for a real host ---------------------------------------
check "the site listens on 443 over IPv4 and IPv6, with TLS" \
  bash -c 'grep -qE "^ *listen 443 ssl( http2)?;" "$1" && grep -qE "^ *listen \[::\]:443 ssl( http2)?;" "$1"' _ "$SITE"
check "the site listens on 80 over IPv4 and IPv6" \
  bash -c 'grep -qE "^ *listen 80;" "$1" && grep -qE "^ *listen \[::\]:80;" "$1"' _ "$SITE"
check "port 80 redirects to https with a 301" grep -qE '^ *return 301 https://\$host\$request_uri;' "$SITE"
check "port 80 serves the ACME challenges from the webroot" \
  grep -qE "^ *root $T/acme;" "$share/nginx/acme_challenge.conf"
check "OCSP stapling on, verified against chain.pem, with a resolver" \
  bash -c 'grep -qx "  ssl_stapling on;" "$1" && grep -qx "  ssl_stapling_verify on;" "$1" && grep -qE "^ *resolver [^;]+;" "$1"' _ "$SITE"
check "/metrics to the gateway from 127.0.0.1 and ::1 only" \
  bash -c 'sed -n "/location = \/metrics {/,/}/p" "$1" | tr -s " \n" " " | grep -q "allow 127.0.0.1; allow ::1; deny all; .*include .*/fastcgi_paygw.conf;"' _ "$share/nginx/server_shared.conf"

# --- nginx -t --------------------------------------------------------------------
# the site as Debian includes it: Debian's own nginx.conf (its http block
# includes conf.d/*.conf and sites-enabled/*) with its default site beside
# ours, only the folders moved into the throwaway prefix (and no dynamic
# module loaded: their paths are relative to the prefix; the site needs none)
main=$T/nginx.conf
if [[ -f /etc/nginx/nginx.conf ]]; then
  [[ -e /etc/nginx/sites-enabled/default ]] && ln -s /etc/nginx/sites-enabled/default "$T/sites-enabled/default"
  sed -e "s#/etc/nginx/sites-enabled/#$T/sites-enabled/#" -e "s#^pid .*#pid $T/nginx.pid;#" \
      -e "s#^error_log .*#error_log $T/error.log;#" -e "s#access_log /var/log/nginx/access.log#access_log $T/access.log#" \
      -e "s#^user .*##" -e "s#^include /etc/nginx/modules-enabled/.*##" /etc/nginx/nginx.conf >"$main"
else
  printf 'pid %s/nginx.pid;\nevents {}\nhttp {\n  include /etc/nginx/mime.types;\n  include %s/sites-enabled/*;\n}\n' "$T" "$T" >"$main"
fi
check "the test's nginx.conf includes the site from sites-enabled/" grep -qF "include $T/sites-enabled/*;" "$main"
# nginx's default temp folders (/var/lib/nginx) and logs need root: moved
temp="client_body_temp_path $T/tmp/body; proxy_temp_path $T/tmp/proxy; fastcgi_temp_path $T/tmp/fastcgi; uwsgi_temp_path $T/tmp/uwsgi; scgi_temp_path $T/tmp/scgi;"
sed -i "s#^http {#http {\n  $temp#" "$main"
sed -i "s#/var/log/nginx/paygw-#$T/paygw-#" "$SITE"
# nginx -t binds each listener for a moment (an address in use is let
# pass): a user other than root cannot bind 80 and 443, so the site's copy
# listens on two of the tests' ports instead, without Debian's default site
if [[ $(id -u) -ne 0 ]]; then
  base=${PAYGW_TEST_PORT_BASE:-10600}
  sed -i -e "s#listen \(\[::\]:\)\?80;#listen \1$((base + 1));#" -e "s#listen \(\[::\]:\)\?443 #listen \1$((base + 2)) #" "$SITE"
  rm -f "$T/sites-enabled/default"
fi
out=$(nginx -t -p "$T" -c "$main" -e "$T/error.log" 2>&1)
check "nginx -t accepts the site (Debian's nginx.conf, a self-signed certificate for certbot's)" \
  grep -q 'test is successful' <<<"$out"
[[ $out == *'test is successful'* ]] || echo "$out" | sed 's/^/# /'
# the self-signed certificate names no OCSP responder: nginx says so and
# carries on; anything else it warns about is a fault of ours
is "... with no warning but the throwaway certificate's missing OCSP URL" \
  "$(grep -E '\[(warn|emerg|alert)\]' <<<"$out" | grep -v 'no OCSP responder URL in the certificate')" ""
# the dev stack's, with a throwaway certificate where scripts/stack makes its own
mkdir -p "$T/dev/tls" "$T/dev/nginx/tmp" "$T/dev/log" "$T/dev/run"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=localhost \
  -keyout "$T/dev/tls/server.key" -out "$T/dev/tls/server.crt" 2>/dev/null
out=$(nginx -t -p "$T/dev/nginx" -c "$DEV" -e "$T/dev/log/nginx-error.log" 2>&1)
check "nginx -t accepts the dev stack's nginx.conf" grep -q 'test is successful' <<<"$out"
[[ $out == *'test is successful'* ]] || echo "$out" | sed 's/^/# /'
# and refuses a site that lost a piece (else the two above prove nothing)
rm "$share/nginx/tls_profile.conf"
check "... and refuses the site when a shared piece is missing" \
  bash -c 'nginx -t -q -p "$1" -c "$2" -e "$1/error.log" 2>&1 | grep -q "emerg.*tls_profile.conf"' _ "$T" "$main"
done_testing
