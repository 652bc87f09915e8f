#!/usr/bin/env bash
# browser_shop_typed_user.t — the user ID typed into the order page (#user-form), an unknown one refused
# (tests/browser/shop_typed_user.js)
. "$(dirname "$0")/browser_lib.sh"
browser_run shop_typed_user
