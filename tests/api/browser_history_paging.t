#!/usr/bin/env bash
# browser_history_paging.t — 60 transactions paged 20/20/20 and back, the date and status filter, totals, the CSV download
# (tests/browser/history_paging.js)
. "$(dirname "$0")/browser_lib.sh"
browser_run history_paging
