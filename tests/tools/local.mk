# tests/tools — programs the tests run (iso-send is built by credit-server/local.mk).
if ENABLE_SANITIZE
# a planted defect of each kind, for scripts/check --sanitize's own check
noinst_PROGRAMS += tests/tools/sanitizer-canary
tests_tools_sanitizer_canary_SOURCES = tests/tools/sanitizer-canary.c
endif
