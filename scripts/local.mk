# scripts — the developer's scripts (released in the tarball), and
# paygw-migrate, the installed scripts/migrate: the same file with its two
# marked lines pointing at the installed migrations and at
# $(sysconfdir)/paygw/admin.conf, so the two cannot drift apart.
EXTRA_DIST += scripts/bench scripts/build scripts/check scripts/demo scripts/deps scripts/format scripts/fuzz \
	scripts/migrate scripts/stack scripts/stack_ha.sh

bin_SCRIPTS += admin/paygw-migrate
CLEANFILES += admin/paygw-migrate
admin/paygw-migrate: $(srcdir)/scripts/migrate Makefile
	$(AM_V_GEN)$(MKDIR_P) admin && \
	sed -e 's|^SQL_DIR=$$ROOT/sql$$|SQL_DIR=$(sqldir)|' -e 's|^CONF_FILE=$$|CONF_FILE=$(paygwconfdir)/admin.conf|' \
	  $(srcdir)/scripts/migrate >$@.tmp && \
	grep -qx 'SQL_DIR=$(sqldir)' $@.tmp && grep -qx 'CONF_FILE=$(paygwconfdir)/admin.conf' $@.tmp && \
	chmod +x $@.tmp && mv $@.tmp $@
