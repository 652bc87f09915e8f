#!/usr/bin/env bash
# browser_shop_mobile.t — the shop on a phone's screen: every page fits, the flow works by tapping
# (tests/browser/shop_mobile.js)
. "$(dirname "$0")/browser_lib.sh"
browser_run shop_mobile
