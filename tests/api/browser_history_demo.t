#!/usr/bin/env bash
# browser_history_demo.t — the demo user's history: a real payment first, sign in, the list, the transaction, print view, sign out
# (tests/browser/history_demo.js)
. "$(dirname "$0")/browser_lib.sh"
browser_run history_demo
