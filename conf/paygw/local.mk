# conf/paygw — the example configuration, one file per service so each gets
# only its own secrets (docs/install.md): made from NAME.conf.in with the
# configured folders, installed 0640 in $(paygwconfdir) by the install hook
# below, which never replaces a file already there (an operator's edits
# survive a reinstall).  Beside them: the keys folder (0700) and the state
# folder.  `make uninstall` removes an example only while it is unchanged.
paygwconfdir = $(sysconfdir)/paygw
paygwkeysdir = $(paygwconfdir)/keys
paygwstatedir = $(localstatedir)/lib/paygw
# the services' log folders (LogsDirectory=paygw/NAME in conf/systemd), for PAYGW_LOG_FILE
paygwlogdir = $(localstatedir)/log/paygw
PAYGW_CONF_FILES = conf/paygw/gateway.conf conf/paygw/sweeper.conf conf/paygw/webhooks.conf \
	conf/paygw/credit-server.conf conf/paygw/shop.conf conf/paygw/history.conf conf/paygw/admin.conf
PAYGW_CONF_TEMPLATES = conf/paygw/gateway.conf.in conf/paygw/sweeper.conf.in conf/paygw/webhooks.conf.in \
	conf/paygw/credit-server.conf.in conf/paygw/shop.conf.in conf/paygw/history.conf.in conf/paygw/admin.conf.in
EXTRA_DIST += $(PAYGW_CONF_TEMPLATES)
CLEANFILES += $(PAYGW_CONF_FILES)

$(PAYGW_CONF_FILES): $(PAYGW_CONF_TEMPLATES) Makefile
	$(AM_V_GEN)$(MKDIR_P) conf/paygw && \
	sed -e 's|@paygwconfdir[@]|$(paygwconfdir)|g' -e 's|@pkgdatadir[@]|$(pkgdatadir)|g' \
	  -e 's|@paygwstatedir[@]|$(paygwstatedir)|g' -e 's|@paygwlogdir[@]|$(paygwlogdir)|g' $(srcdir)/$@.in >$@.tmp && \
	if grep -n '@[a-z]*@' $@.tmp; then echo "$@: a placeholder left" >&2; rm -f $@.tmp; exit 1; fi && \
	mv $@.tmp $@

INSTALL_DATA_HOOKS += install-paygw-conf
install-paygw-conf: $(PAYGW_CONF_FILES)
	$(MKDIR_P) '$(DESTDIR)$(paygwconfdir)' '$(DESTDIR)$(paygwkeysdir)' '$(DESTDIR)$(paygwstatedir)'
	chmod 0700 '$(DESTDIR)$(paygwkeysdir)'
	chmod 0750 '$(DESTDIR)$(paygwstatedir)'
	@for f in $(PAYGW_CONF_FILES); do \
	  dest='$(DESTDIR)$(paygwconfdir)/'$$(basename $$f); \
	  if test -e "$$dest" || test -h "$$dest"; then \
	    echo "  keeping $$dest (already there; the new example is $(pkgdatadir)/examples)"; \
	  else \
	    echo " $(INSTALL) -m 0640 $$f '$$dest'"; \
	    $(INSTALL) -m 0640 $$f "$$dest" || exit 1; \
	  fi; \
	done

UNINSTALL_HOOKS += uninstall-paygw-conf
uninstall-paygw-conf:
	@for f in $(PAYGW_CONF_FILES); do \
	  dest='$(DESTDIR)$(paygwconfdir)/'$$(basename $$f); \
	  if test -f "$$dest" && cmp -s $$f "$$dest"; then echo " rm -f '$$dest'"; rm -f "$$dest"; \
	  elif test -e "$$dest"; then echo "  keeping $$dest (changed since it was installed)"; fi; \
	done
	@for d in '$(DESTDIR)$(paygwkeysdir)' '$(DESTDIR)$(paygwconfdir)' '$(DESTDIR)$(paygwstatedir)'; do \
	  rmdir "$$d" 2>/dev/null || :; \
	done

# the examples as shipped, also where a reinstall can show them
examplesdir = $(pkgdatadir)/examples
examples_DATA = $(PAYGW_CONF_FILES)
