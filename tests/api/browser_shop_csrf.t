#!/usr/bin/env bash
# browser_shop_csrf.t — forms sent without the CSRF token are refused with the error page
# (tests/browser/shop_csrf.js)
. "$(dirname "$0")/browser_lib.sh"
browser_run shop_csrf
