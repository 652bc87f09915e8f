#!/usr/bin/env bash
# browser_history_mobile.t — the history on a 360 px phone: every page fits, the flow by tapping
# (tests/browser/history_mobile.js)
. "$(dirname "$0")/browser_lib.sh"
browser_run history_mobile
