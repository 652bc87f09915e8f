#!/usr/bin/env bash
# browser_history_escaping.t — merchant, shop and item names with <script> and quotes shown as text; the CSV's formula guard
# (tests/browser/history_escaping.js)
. "$(dirname "$0")/browser_lib.sh"
browser_run history_escaping
