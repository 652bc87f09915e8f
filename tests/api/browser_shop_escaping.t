#!/usr/bin/env bash
# browser_shop_escaping.t — a good named <script>alert(1)</script>"'& shows as text everywhere
# (tests/browser/shop_escaping.js)
. "$(dirname "$0")/browser_lib.sh"
browser_run shop_escaping
