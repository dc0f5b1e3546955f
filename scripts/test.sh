#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Runs mod_hsts's whole test suite: builds the module with warnings as
# errors, then runs the Apache::Test suite (t/), which drives a real httpd
# with real mod_ssl and includes the unit tests of the pure parts.
#
#   scripts/test.sh [t/TEST arguments, e.g. t/header_tls.t or -defines MPM_PREFORK]
#
# Apache::Test refuses to run as root, so as root this installs what is
# missing, then runs the suite as the unprivileged user "hststest" on a
# copy of the tree that the user owns.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. scripts/lib.sh

if [ "$(id -u)" = 0 ]; then
    scripts/deps.sh
    hsts_as_test_user "${HSTS_TEST_DIR:-/tmp/mod_hsts-test}" scripts/test.sh "$@"
    exit
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT

echo "== build"
hsts_build --werror
make check TESTS= >/dev/null

echo "== suite"
perl t/TEST.PL
set +e
t/TEST -clean >/dev/null 2>&1
t/TEST -apxs "$(grep "^APXS = " Makefile | sed "s/^APXS = //")" "$@" 2>&1 | tee "$log"
status=$?
set -e

# The last line: what ran, from Test::Harness's own summary.
files=$(sed -n 's/^Files=\([0-9]*\), Tests=\([0-9]*\).*/\1/p' "$log" | tail -n 1)
tests=$(sed -n 's/^Files=\([0-9]*\), Tests=\([0-9]*\).*/\2/p' "$log" | tail -n 1)
failed=$(grep -c '^Failed \|not ok' "$log" || true)
if [ "$status" = 0 ] && grep -q '^All tests successful' "$log"; then
    echo "mod_hsts test suite: PASS: ${tests:-0} tests in ${files:-0} files"
    exit 0
fi
echo "mod_hsts test suite: FAIL: ${tests:-?} tests in ${files:-?} files, ${failed} failure lines (see above)"
exit 1
