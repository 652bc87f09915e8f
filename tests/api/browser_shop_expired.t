#!/usr/bin/env bash
# browser_shop_expired.t — an order whose expiry passed turns to expired; the handset is refused
# (tests/browser/shop_expired.js)
. "$(dirname "$0")/browser_lib.sh"
browser_run shop_expired
