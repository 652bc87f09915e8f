#!/usr/bin/env bash
# browser_shop_declined.t — an order over user 00007's limit turns to declined without a reload
# (tests/browser/shop_declined.js)
. "$(dirname "$0")/browser_lib.sh"
browser_run shop_declined
