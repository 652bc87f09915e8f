# cgi/shop — shop.fcgi, the demo online shop's FastCGI worker (docs/shop.md):
# one ep_*.c per URL, its database operations db/*.c (one each), its pages
# templates/*.html (lib/tmpl), its static files www/shop/static/.
SHOP_CFLAGS = $(AM_CFLAGS) -I$(top_srcdir)/cgi $(FCGI_CFLAGS) $(LIBPQ_CFLAGS) $(JANSSON_CFLAGS) $(OPENSSL_CFLAGS) \
	$(CURL_CFLAGS) -DSHOP_TEMPLATE_DIR='"$(shoptemplatesdir)"'
SHOP_LIBS = $(WEB_LIBS) $(FCGIREQ_LIBS) $(TMPL_LIBS) $(DB_LIBS) $(COMMON_LIBS) $(CURL_LIBS)

# everything but main.c, so the unit tests link the same code
noinst_LIBRARIES += cgi/shop/libshop.a
cgi_shop_libshop_a_CFLAGS = $(SHOP_CFLAGS)
cgi_shop_libshop_a_SOURCES = \
	cgi/shop/request.c cgi/shop/request.h \
	cgi/shop/reply.c cgi/shop/reply.h \
	cgi/shop/settings.c cgi/shop/settings.h \
	cgi/shop/router.c cgi/shop/router.h cgi/shop/endpoints.h \
	cgi/shop/cookies.c cgi/shop/cookies.h \
	cgi/shop/session.c cgi/shop/session.h \
	cgi/shop/order_code.c cgi/shop/order_code.h \
	cgi/shop/cart_view.c cgi/shop/cart_view.h \
	cgi/shop/order_view.c cgi/shop/order_view.h \
	cgi/shop/refund_view.c cgi/shop/refund_view.h \
	cgi/shop/user_submit.c cgi/shop/user_submit.h \
	cgi/shop/gateway_client.c cgi/shop/gateway_client.h \
	cgi/shop/ep_catalog_get.c cgi/shop/ep_cart.c cgi/shop/ep_checkout_post.c \
	cgi/shop/ep_order_get.c cgi/shop/ep_order_post.c cgi/shop/ep_pay_get.c \
	cgi/shop/ep_api_order_user_post.c cgi/shop/ep_webhook_post.c cgi/shop/ep_admin.c \
	cgi/shop/ep_admin_refund_post.c \
	cgi/shop/db/shop_db.h \
	cgi/shop/db/session_touch.c cgi/shop/db/session_create.c cgi/shop/db/session_admin.c \
	cgi/shop/db/goods_list.c cgi/shop/db/cart_lines.c cgi/shop/db/cart_set.c cgi/shop/db/checkout.c \
	cgi/shop/db/order_get.c cgi/shop/db/order_lines.c cgi/shop/db/order_user.c cgi/shop/db/order_cancel.c \
	cgi/shop/db/webhook_record.c cgi/shop/db/orders_list.c cgi/shop/db/owner_hash.c \
	cgi/shop/db/order_refunds.c cgi/shop/db/refund_record.c

pkglibexec_PROGRAMS += cgi/shop/shop.fcgi
cgi_shop_shop_fcgi_SOURCES = cgi/shop/main.c
cgi_shop_shop_fcgi_CFLAGS = $(SHOP_CFLAGS)
cgi_shop_shop_fcgi_LDADD = cgi/shop/libshop.a $(SHOP_LIBS)

# The pages' templates, read at start from the installed copy unless
# PAYGW_SHOP_TEMPLATE_DIR names another folder (scripts/stack: this one)
shoptemplatesdir = $(pkgdatadir)/templates/shop
dist_shoptemplates_DATA = \
	cgi/shop/templates/admin_login.html cgi/shop/templates/admin_orders.html cgi/shop/templates/cart.html \
	cgi/shop/templates/catalog.html cgi/shop/templates/error.html cgi/shop/templates/foot.html \
	cgi/shop/templates/head.html cgi/shop/templates/order.html cgi/shop/templates/pay.html

# the shop's pure logic: order codes, forms, tax and totals, cookies
check_PROGRAMS += tests/unit/test_shop
TESTS += tests/unit/test_shop
tests_unit_test_shop_SOURCES = tests/unit/test_shop.c
tests_unit_test_shop_CFLAGS = $(SHOP_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_shop_LDADD = cgi/shop/libshop.a $(SHOP_LIBS) $(CMOCKA_LIBS)
