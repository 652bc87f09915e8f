#!/usr/bin/env bash
# browser_history_nojs.t — the history with JavaScript off
# (tests/browser/history_nojs.js)
. "$(dirname "$0")/browser_lib.sh"
browser_run history_nojs
