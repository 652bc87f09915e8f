# conf/nginx — the nginx pieces of a real host, in $(pkgdatadir)/nginx/:
# the site (paygw-site.conf) an operator links from
# /etc/nginx/sites-enabled/, and the pieces it includes, which the dev
# stack's nginx.conf includes too (scripts/stack fills them into var/nginx/
# with the same conf/nginx/fill; docs/nginx.md).  The .in files are filled
# here with the installed paths; what an operator may want otherwise is a
# make variable: `make nginx_server_name=pay.example.org`.
nginxdir = $(pkgdatadir)/nginx

nginx_server_name = pay.example.com
# certbot's layout: live/NAME/{fullchain,privkey,chain}.pem
nginx_cert_dir = /etc/letsencrypt/live/$(nginx_server_name)
# where certbot certonly --webroot writes its ACME http-01 tokens
nginx_acme_root = /var/www/letsencrypt
# the DNS resolver nginx asks for the OCSP responder's address
nginx_resolver = 127.0.0.1
# the FastCGI sockets the systemd socket units own (docs/systemd.md)
nginx_run_dir = /run/paygw
nginx_login_rate = 10r/s
nginx_device_rate = 200r/s
nginx_max_body = 64k

# pieces without placeholders: installed as they are
dist_nginx_DATA = conf/nginx/tls_profile.conf conf/nginx/security_headers.conf \
  conf/nginx/page_headers.conf conf/nginx/fastcgi_paygw.conf conf/nginx/fastcgi_shop.conf \
  conf/nginx/fastcgi_history.conf
# pieces filled here, into a folder of their own in the build tree (never
# beside their .in files, where the dev stack reads them)
nginx_DATA = conf/nginx/host/http_shared.conf conf/nginx/host/server_shared.conf \
  conf/nginx/host/acme_challenge.conf conf/nginx/host/paygw-site.conf
CLEANFILES += $(nginx_DATA)
# paygw.conf.in is the dev stack's (scripts/stack), shipped for it
EXTRA_DIST += conf/nginx/fill conf/nginx/paygw.conf.in conf/nginx/http_shared.conf.in \
  conf/nginx/server_shared.conf.in conf/nginx/acme_challenge.conf.in conf/nginx/paygw-site.conf.in

nginx_fill_values = NGINX_DIR='$(nginxdir)' WWW='$(pkgdatadir)/www' RUN_DIR='$(nginx_run_dir)' \
  SERVER_NAME='$(nginx_server_name)' CERT_DIR='$(nginx_cert_dir)' ACME_ROOT='$(nginx_acme_root)' \
  RESOLVER='$(nginx_resolver)' LOGIN_RATE='$(nginx_login_rate)' DEVICE_RATE='$(nginx_device_rate)' \
  MAX_BODY='$(nginx_max_body)'
nginx_fill = $(AM_V_GEN)$(MKDIR_P) conf/nginx/host && \
  $(SHELL) $(srcdir)/conf/nginx/fill $(srcdir)/conf/nginx/$(@F).in $@ $(nginx_fill_values)

conf/nginx/host/http_shared.conf: conf/nginx/http_shared.conf.in conf/nginx/fill Makefile
	$(nginx_fill)
conf/nginx/host/server_shared.conf: conf/nginx/server_shared.conf.in conf/nginx/fill Makefile
	$(nginx_fill)
conf/nginx/host/acme_challenge.conf: conf/nginx/acme_challenge.conf.in conf/nginx/fill Makefile
	$(nginx_fill)
conf/nginx/host/paygw-site.conf: conf/nginx/paygw-site.conf.in conf/nginx/fill Makefile
	$(nginx_fill)
