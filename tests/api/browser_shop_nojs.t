#!/usr/bin/env bash
# browser_shop_nojs.t — the whole flow with JavaScript off: the order page refreshes itself to paid
# (tests/browser/shop_nojs.js)
. "$(dirname "$0")/browser_lib.sh"
browser_run shop_nojs
