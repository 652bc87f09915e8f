#!/usr/bin/env bash
# browser_shop_canceled.t — the shopper cancels, before and after the handset claimed the order
# (tests/browser/shop_canceled.js)
. "$(dirname "$0")/browser_lib.sh"
browser_run shop_canceled
