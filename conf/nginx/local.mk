# conf/nginx — the pieces of nginx's configuration shared by the dev stack
# (scripts/stack fills paygw.conf.in) and a real host's site, installed in
# $(pkgdatadir)/nginx for the site file to include.
nginxdir = $(pkgdatadir)/nginx
dist_nginx_DATA = \
	conf/nginx/fastcgi_history.conf conf/nginx/fastcgi_paygw.conf conf/nginx/fastcgi_shop.conf \
	conf/nginx/page_headers.conf conf/nginx/security_headers.conf
EXTRA_DIST += conf/nginx/paygw.conf.in
