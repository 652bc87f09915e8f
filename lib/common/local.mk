# lib/common — helpers shared by every program: logging, configuration,
# card-number rules and encryption, the second embodiment's token keys, password hashes, base64url, Ed25519,
# webhook signatures and their check, QR codes as SVG,
# the currency table and amounts as text (money_text).
noinst_LIBRARIES += lib/common/libpaygw_common.a
lib_common_libpaygw_common_a_SOURCES = \
	lib/common/log.c lib/common/log.h \
	lib/common/config.c lib/common/config.h \
	lib/common/pan.c lib/common/pan.h \
	lib/common/cardcrypt.c lib/common/cardcrypt.h \
	lib/common/tokencrypt.c lib/common/tokencrypt.h \
	lib/common/pwhash.c lib/common/pwhash.h \
	lib/common/b64url.c lib/common/b64url.h \
	lib/common/webhook_sig.c lib/common/webhook_sig.h \
	lib/common/webhook_verify.c lib/common/webhook_verify.h \
	lib/common/qr_svg.c lib/common/qr_svg.h \
	lib/common/ed25519.c lib/common/ed25519.h \
	lib/common/utf8.c lib/common/utf8.h \
	lib/common/money_text.c lib/common/money_text.h \
	lib/common/prom.c lib/common/prom.h \
	lib/common/demo_data.h lib/common/pg_errors.h
lib_common_libpaygw_common_a_CFLAGS = $(AM_CFLAGS) $(JANSSON_CFLAGS) $(OPENSSL_CFLAGS) $(ARGON2_CFLAGS) $(QRENCODE_CFLAGS)
COMMON_LIBS = lib/common/libpaygw_common.a $(JANSSON_LIBS) $(OPENSSL_LIBS) $(ARGON2_LIBS) $(QRENCODE_LIBS)
