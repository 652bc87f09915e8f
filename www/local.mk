# www — the static files nginx serves: the stack's page, the shop's and the
# history's static/ folders, installed with the same sub-layout under
# $(pkgdatadir)/www (the nginx site's root).  tests/api/install_layout.t
# compares the installed folder with this one.
nobase_dist_pkgdata_DATA = \
	www/history/static/history.css \
	www/index.html \
	www/shop/static/icons/apple.svg \
	www/shop/static/icons/bento.svg \
	www/shop/static/icons/chopsticks.svg \
	www/shop/static/icons/coffee.svg \
	www/shop/static/icons/cracker.svg \
	www/shop/static/icons/daifuku.svg \
	www/shop/static/icons/fan.svg \
	www/shop/static/icons/mug.svg \
	www/shop/static/icons/notebook.svg \
	www/shop/static/icons/tea.svg \
	www/shop/static/icons/towel.svg \
	www/shop/static/icons/umbrella.svg \
	www/shop/static/order.js \
	www/shop/static/shop.css
