#!/usr/bin/env bash
# browser_shop_refund.t — the owner's refund form clicked through on a
# 360 px phone without JavaScript, the refund on the shopper's order page
# and on the history's receipt (tests/browser/shop_refund.js)
. "$(dirname "$0")/browser_lib.sh"
browser_run shop_refund
