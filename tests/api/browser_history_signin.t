#!/usr/bin/env bash
# browser_history_signin.t — wrong password, unknown user, the 10th wrong password locks, idle and old sessions end
# (tests/browser/history_signin.js)
. "$(dirname "$0")/browser_lib.sh"
browser_run history_signin
