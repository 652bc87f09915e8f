# tests/api/browser_lib.sh — the browser_*.t wrappers: each runs one script
# of tests/browser/ (node, playwright-core, Debian's chromium) with the
# stack's environment (lib.sh exports var/check/stack.env: PAYGW_SHOP_URL,
# PAYGW_CA, PAYGW_PGURI...).  The script prints the ok/not ok lines itself.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
BROWSER_DIR=$TEST_ROOT/tests/browser

# browser_run NAME: exec node on tests/browser/NAME.js
browser_run() {
  command -v node >/dev/null || { echo "not ok - node is installed (scripts/deps)"; exit 1; }
  [[ -x ${PAYGW_CHROMIUM:-/usr/bin/chromium} ]] || { echo "not ok - chromium is installed (scripts/deps)"; exit 1; }
  [[ -f $BROWSER_DIR/node_modules/playwright-core/package.json ]] ||
    { echo "not ok - tests/browser/node_modules holds playwright-core (run tests/browser/install; scripts/check does)"; exit 1; }
  if [[ $1 == shop_* && -z ${PAYGW_SHOP_URL:-} ]]; then
    echo "not ok - the stack serves the shop (no PAYGW_SHOP_URL in $PAYGW_STACK_ENV)"; exit 1
  fi
  # handset_pay.sh sources flowlib.sh, which finds the stack by this
  export PAYGW_STACK_ENV PAYGW_VAR PAYGW_HTTPS_PORT PAYGW_PG_PORT
  # a test's own requests (context.request: Node's TLS, not chromium's)
  # trust the stack's CA too, and nothing is ignored there either
  export NODE_EXTRA_CA_CERTS=$PAYGW_CA
  exec node "$BROWSER_DIR/$1.js"
}
