#!/usr/bin/env bash
# browser_stack_page.t — the browser runner on the stack's static page:
# TLS with the stack's CA trusted (and refused without it), the CSP in
# force, the axe audit able to fail (tests/browser/stack_page.js)
. "$(dirname "$0")/browser_lib.sh"
browser_run stack_page
