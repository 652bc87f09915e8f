# conf/systemd — the systemd units, the sysusers.d and tmpfiles.d files and
# the logrotate file, filled from the autotools directory variables at make
# time (so ${prefix} is expanded and `make prefix=...` is honoured) by
# conf/systemd/fill, the same script tests/static/systemd_verify.t uses.
# docs/systemd.md says what each unit does.
PAYGW_SYSTEMD_UNITS = conf/systemd/paygw.target conf/systemd/paygw-gateway.socket \
	conf/systemd/paygw-gateway.service conf/systemd/paygw-sweeper.service \
	conf/systemd/paygw-webhooks.service conf/systemd/paygw-credit-server.service \
	conf/systemd/paygw-shop.socket conf/systemd/paygw-shop.service \
	conf/systemd/paygw-history.socket conf/systemd/paygw-history.service
PAYGW_SYSTEMD_FILLED = $(PAYGW_SYSTEMD_UNITS) conf/systemd/sysusers.d/paygw.conf \
	conf/systemd/tmpfiles.d/paygw.conf conf/logrotate/paygw

if WITH_SYSTEMD_UNITS
systemdsystemunit_DATA = $(PAYGW_SYSTEMD_UNITS)
endif
sysusersdir = $(prefix)/lib/sysusers.d
sysusers_DATA = conf/systemd/sysusers.d/paygw.conf
tmpfilesdir = $(prefix)/lib/tmpfiles.d
tmpfiles_DATA = conf/systemd/tmpfiles.d/paygw.conf
logrotatedir = $(sysconfdir)/logrotate.d
logrotate_DATA = conf/logrotate/paygw

EXTRA_DIST += conf/systemd/fill $(PAYGW_SYSTEMD_FILLED:=.in)
CLEANFILES += $(PAYGW_SYSTEMD_FILLED)

SUFFIXES = .in
.in:
	$(AM_V_GEN)$(MKDIR_P) conf/systemd/sysusers.d conf/systemd/tmpfiles.d conf/logrotate && \
	$(SHELL) $(srcdir)/conf/systemd/fill pkglibexecdir='$(pkglibexecdir)' bindir='$(bindir)' \
		sysconfdir='$(sysconfdir)' localstatedir='$(localstatedir)' docdir='$(docdir)' \
		pkgdatadir='$(pkgdatadir)' MULTIWATCH='$(MULTIWATCH)' <$< >$@.tmp && mv $@.tmp $@
$(PAYGW_SYSTEMD_FILLED): conf/systemd/fill Makefile
