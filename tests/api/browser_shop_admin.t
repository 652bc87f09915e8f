#!/usr/bin/env bash
# browser_shop_admin.t — the owner's sign-in and order list
# (tests/browser/shop_admin.js)
. "$(dirname "$0")/browser_lib.sh"
browser_run shop_admin
