# sql — the migrations, NNNN_name.sql, applied in name order by
# scripts/migrate (from here) and paygw-migrate (from $(sqldir)).  A new
# migration goes into this list too: tests/api/install_layout.t compares the
# installed folder with this one.
sqldir = $(pkgdatadir)/sql
dist_sql_DATA = \
	sql/0001_gateway_schema.sql \
	sql/0002_issuer_schema.sql \
	sql/0003_transactions.sql \
	sql/0004_enrolment_notify.sql \
	sql/0005_narrow_grants.sql \
	sql/0006_explicit_grants.sql \
	sql/0007_reversal_schedule.sql \
	sql/0008_duplicate_keys.sql \
	sql/0009_open_limit.sql \
	sql/0011_card_binding.sql \
	sql/0012_issuer_functions.sql \
	sql/0014_gateway_do.sql \
	sql/0015_gateway_do_flow.sql \
	sql/0016_gateway_do_sweeper.sql \
	sql/0017_webhooks.sql \
	sql/0018_shop.sql \
	sql/0019_history.sql \
	sql/0020_history_paging.sql \
	sql/0021_tokens.sql \
	sql/0022_issuer_tokens.sql \
	sql/0023_refunds.sql \
	sql/0024_issuer_refunds.sql \
	sql/0025_refund_events.sql \
	sql/0026_shop_refunds.sql
