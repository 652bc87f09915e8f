#!/usr/bin/env bash
# browser_shop_handset_pay.t — the shop's whole flow in a browser, paid on
# the handset; the order page turns to paid without a reload
# (tests/browser/shop_handset_pay.js)
. "$(dirname "$0")/browser_lib.sh"
browser_run shop_handset_pay
