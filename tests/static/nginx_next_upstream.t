#!/usr/bin/env bash
# nginx_next_upstream.t — what nginx does when a gateway pool or host fails
# (docs/ha.md, "Two gateway pools"): a request it could not hand to one
# server of the gateway's upstream goes to the next, once, and never a POST
# a worker has received — `non_idempotent` appears in no configuration
# nginx is given (the dev stack's with one pool and with two, the real
# host's site and its pieces), since a worker may have committed before it
# died and only the client's retry with its Idempotency-Key may resend.
. "$(dirname "$0")/lib.sh"

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# the dev stack's, with one pool and with two
PAYGW_VAR=$T/one PAYGW_GATEWAY_POOLS=1 scripts/stack nginx-conf >/dev/null
PAYGW_VAR=$T/two PAYGW_GATEWAY_POOLS=2 scripts/stack nginx-conf >/dev/null
# the real host's, by make's rules
. "$(dirname "$0")/nginx_site_make.sh"
read -ra made <<<"$(mk pkgdatadir=/usr/share/paygw print-nginx_DATA)"
mk pkgdatadir=/usr/share/paygw "${made[@]}"
site=$T/build/conf/nginx/host/paygw-site.conf
check "the three configurations were written" test -s "$T/one/nginx/nginx.conf" -a -s "$T/two/nginx/nginx.conf" -a -s "$site"

# upstream_servers CONF: the servers of the gateway's upstream, one a line
upstream_servers() {
  sed -n '/upstream paygw_gateway {/,/}/p' "$1" | sed -e 's/#.*//' | grep -oE 'server [^;]+;' | sed 's/^server //; s/;$//'
}
is "one pool: the upstream is the gateway's one socket, as before" \
  "$(upstream_servers "$T/one/nginx/nginx.conf")" "unix:$T/one/run/gateway.sock"
is "two pools: the upstream holds both pools' sockets" \
  "$(upstream_servers "$T/two/nginx/nginx.conf" | tr '\n' ' ')" "unix:$T/two/run/gateway-a.sock unix:$T/two/run/gateway-b.sock "
is "the site: this host's socket unit's socket" "$(upstream_servers "$site")" "unix:/run/paygw/gateway.sock"

# every file each configuration reads (fastcgi_paygw.conf is installed as
# it is: the tree's own stands in for the site's copy)
all_files=("$T"/one/nginx/*.conf "$T"/two/nginx/*.conf "$T"/build/conf/nginx/host/*.conf conf/nginx/*.conf conf/nginx/*.in)
# a mention in a comment of the pieces is allowed: a directive is not
directive_bad=$(sed -e 's/#.*//' "${all_files[@]}" | grep -c 'non_idempotent' || true)
is "no configuration sets non_idempotent" "$directive_bad" "0"

# next_upstream FILE: its fastcgi_next_upstream* directives, one a line
next_upstream() { sed -e 's/#.*//' "$1" | grep -oE 'fastcgi_next_upstream[a-z_]* [^;]*;' ; }
is "the gateway's requests go on to the next server on error or time-out only, twice at most" \
  "$(next_upstream "$T/two/nginx/fastcgi_paygw.conf" | tr '\n' ' ')" "fastcgi_next_upstream error timeout; fastcgi_next_upstream_tries 2; "
is "the dev stack's piece is the tree's" "$(next_upstream "$T/one/nginx/fastcgi_paygw.conf")" "$(next_upstream conf/nginx/fastcgi_paygw.conf)"
for f in "$T"/two/nginx/nginx.conf "$T"/two/nginx/http_shared.conf "$T"/two/nginx/server_shared.conf "$site"; do
  is "$(basename "$f") sets no next_upstream of its own" "$(next_upstream "$f")" ""
done

# the check sees a planted non_idempotent (else the one above proves nothing)
sed 's/^fastcgi_next_upstream error timeout;/fastcgi_next_upstream error timeout non_idempotent;/' \
  "$T/two/nginx/fastcgi_paygw.conf" >"$T/planted.conf"
is "... and finds one planted in a copy" "$(sed -e 's/#.*//' "$T/planted.conf" | grep -c 'non_idempotent')" "1"

# nginx accepts the two-pool configuration
mkdir -p "$T/two/tls" "$T/two/nginx/tmp" "$T/two/log" "$T/two/run"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=localhost \
  -keyout "$T/two/tls/server.key" -out "$T/two/tls/server.crt" 2>/dev/null
out=$(nginx -t -p "$T/two/nginx" -c "$T/two/nginx/nginx.conf" -e "$T/two/log/nginx-error.log" 2>&1)
check "nginx -t accepts the two-pool nginx.conf" grep -q 'test is successful' <<<"$out"
[[ $out == *'test is successful'* ]] || echo "$out" | sed 's/^/# /'
done_testing
