# admin — paygw-admin, the enrolment tool: main.c holds the command table,
# cmd_<entity>.c one file per entity, db/ one typed function per database
# operation (on lib/db), support.c the transaction per command, args.c and
# validate.c the option parsing and input rules (unit-tested without a DB).
bin_PROGRAMS += admin/paygw-admin
admin_paygw_admin_SOURCES = \
	admin/main.c admin/admin.h \
	admin/args.c admin/args.h \
	admin/validate.c admin/validate.h \
	admin/support.c admin/list.c \
	admin/db/ops.h admin/db/table.h \
	admin/db/admin_log_add.c admin/db/card_add.c admin/db/card_by_lookup.c admin/db/card_expiry_lock.c \
	admin/db/card_expiry_update.c admin/db/card_for_user.c admin/db/card_list.c admin/db/card_next_id.c \
	admin/db/card_reencrypt.c admin/db/cards_old_batch.c admin/db/cards_old_count.c admin/db/demo_lock.c \
	admin/db/device_add.c admin/db/device_list.c admin/db/device_public_key.c admin/db/device_rekey.c \
	admin/db/device_subscriber.c admin/db/find_by_code.c admin/db/issuer_add.c admin/db/issuer_list.c \
	admin/db/merchant_add.c admin/db/merchant_list.c admin/db/merchant_webhook_lock.c \
	admin/db/merchant_webhook_update.c admin/db/merchant_webhook_show.c admin/db/method_list.c admin/db/method_set.c \
	admin/db/range_add.c admin/db/range_list.c admin/db/ranges_all.c admin/db/ranges_lock.c \
	admin/db/set_disabled.c admin/db/subscriber_add.c admin/db/subscriber_list.c admin/db/table.c \
	admin/db/terminal_add.c admin/db/terminal_clash.c admin/db/terminal_credential_current.c admin/db/terminal_list.c \
	admin/db/terminal_rotate.c admin/db/uim_users.c admin/db/user_add.c admin/db/user_list.c \
	admin/db/user_unlock.c admin/db/user_web_password.c admin/db/transaction.c \
	admin/cmd_issuer.c admin/cmd_range.c \
	admin/cmd_merchant.c admin/cmd_merchant_webhook.c admin/cmd_terminal.c admin/cmd_method.c \
	admin/cmd_subscriber.c admin/cmd_device.c \
	admin/cmd_card.c admin/cmd_keys.c admin/cmd_keys_generate.c admin/cmd_user.c \
	admin/cmd_uim.c admin/cmd_demo.c admin/demo.h admin/demo_refresh.c
admin_paygw_admin_CFLAGS = $(AM_CFLAGS) $(LIBPQ_CFLAGS) $(JANSSON_CFLAGS) $(OPENSSL_CFLAGS)
# prompt.c of lib/proxlink: echo off (and back on signals) for secrets typed at a terminal
admin_paygw_admin_LDADD = lib/proxlink/libpaygw_client.a $(DB_LIBS)

# unit tests of the pure parts: option parsing and input rules
check_PROGRAMS += tests/unit/test_admin_validate tests/unit/test_admin_args
TESTS += tests/unit/test_admin_validate tests/unit/test_admin_args
tests_unit_test_admin_validate_SOURCES = tests/unit/test_admin_validate.c admin/validate.c admin/validate.h
tests_unit_test_admin_validate_CFLAGS = $(AM_CFLAGS) -I$(top_srcdir)/admin $(CMOCKA_CFLAGS) $(OPENSSL_CFLAGS)
tests_unit_test_admin_validate_LDADD = lib/proxlink/libpaygw_client.a $(COMMON_LIBS) $(CMOCKA_LIBS)
tests_unit_test_admin_args_SOURCES = tests/unit/test_admin_args.c admin/args.c admin/args.h
tests_unit_test_admin_args_CFLAGS = $(AM_CFLAGS) -I$(top_srcdir)/admin $(CMOCKA_CFLAGS)
tests_unit_test_admin_args_LDADD = $(COMMON_LIBS) $(CMOCKA_LIBS)

# a list as the list commands copy and print it (admin/db/table.c, admin/list.c)
check_PROGRAMS += tests/unit/test_admin_list
TESTS += tests/unit/test_admin_list
tests_unit_test_admin_list_SOURCES = tests/unit/test_admin_list.c admin/list.c admin/db/table.c admin/db/table.h
tests_unit_test_admin_list_CFLAGS = $(AM_CFLAGS) -I$(top_srcdir)/admin $(CMOCKA_CFLAGS) $(LIBPQ_CFLAGS) $(JANSSON_CFLAGS)
tests_unit_test_admin_list_LDADD = $(DB_LIBS) $(CMOCKA_LIBS)

# the card key file as paygw-admin rotates it (lib/common/cardcrypt.c)
check_PROGRAMS += tests/unit/test_cardcrypt
TESTS += tests/unit/test_cardcrypt
tests_unit_test_cardcrypt_SOURCES = tests/unit/test_cardcrypt.c
tests_unit_test_cardcrypt_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(OPENSSL_CFLAGS)
tests_unit_test_cardcrypt_LDADD = $(COMMON_LIBS) $(CMOCKA_LIBS)

# a test tool: card numbers sealed as rows were before migration 0011
# (admin_reencrypt_old_rows.t)
noinst_PROGRAMS += tests/tools/card-seal
tests_tools_card_seal_SOURCES = tests/tools/card-seal.c
tests_tools_card_seal_CFLAGS = $(AM_CFLAGS) $(OPENSSL_CFLAGS)
tests_tools_card_seal_LDADD = $(COMMON_LIBS)
