#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Runs mod_hsts's whole test suite: builds the module with warnings as
# errors, then runs the Apache::Test suite (t/), which drives a real httpd
# with real mod_ssl and includes the unit tests of the pure parts.
#
#   scripts/test.sh [--with-apxs PATH] [t/TEST arguments, e.g. t/header_tls.t]
#
# --with-apxs PATH (or HSTS_APXS=PATH in the environment) tests against the
# httpd that this apxs belongs to, e.g. a source build in /opt/httpd-2.4.62
# (--with-apxs /opt/httpd-2.4.62/bin/apxs); by default, the apxs on PATH.
#
# Apache::Test refuses to run as root, so as root this installs what is
# missing, then runs the suite as the unprivileged user "hststest" on a
# copy of the tree that the user owns.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. scripts/lib.sh

apxs=${HSTS_APXS:-}
case "${1:-}" in
    --with-apxs|--with-apxs=*)
        if [ "$1" = --with-apxs ]; then
            apxs=${2:-}; shift $(($# > 1 ? 2 : 1))
        else
            apxs=${1#--with-apxs=}; shift
        fi
        if [ -z "$apxs" ]; then
            echo "scripts/test.sh: --with-apxs needs the path of the apxs of" \
                 "the httpd to test, e.g. --with-apxs /opt/httpd-2.4.62/bin/apxs" >&2
            exit 2
        fi ;;
esac
if [ -n "$apxs" ]; then
    if [ ! -f "$apxs" ] || [ ! -x "$apxs" ]; then
        echo "scripts/test.sh: '$apxs' (--with-apxs or HSTS_APXS) is not an" \
             "executable apxs: give the path of the apxs of the httpd to test," \
             "e.g. --with-apxs /opt/httpd-2.4.62/bin/apxs" >&2
        exit 2
    fi
    # the suite runs from a copy of the tree, elsewhere
    apxs=$(realpath "$apxs")
fi

if [ "$(id -u)" = 0 ]; then
    scripts/deps.sh
    # the copy builds for the same apxs
    export HSTS_APXS="$apxs"
    hsts_as_test_user "${HSTS_TEST_DIR:-/tmp/mod_hsts-test}" scripts/test.sh "$@"
    exit
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT

echo "== build"
hsts_build --werror ${apxs:+--with-apxs="$apxs"}
make check TESTS= >/dev/null

echo "== suite"
perl t/TEST.PL
set +e
t/TEST -clean >/dev/null 2>&1
# Verbose, so that a failing test's diagnostics are shown (Apache::Test
# sends them to STDOUT, which a quiet harness drops); each passing test's
# "ok" line is left out of the display, not out of the log.
t/TEST -verbose -apxs "$(grep "^APXS = " Makefile | sed "s/^APXS = //")" "$@" 2>&1 \
    | tee "$log" | grep -a -v -e '^ok ' -e '^# Using Apache/Test.pm'
status=${PIPESTATUS[0]}
set -e

# The last line: what ran, from Test::Harness's own summary.
files=$(sed -n 's/^Files=\([0-9]*\), Tests=\([0-9]*\).*/\1/p' "$log" | tail -n 1)
tests=$(sed -n 's/^Files=\([0-9]*\), Tests=\([0-9]*\).*/\2/p' "$log" | tail -n 1)
failed=$(grep -a -c '^Failed \|not ok' "$log" || true)
if [ "$status" = 0 ] && grep -a -q '^All tests successful' "$log"; then
    echo "mod_hsts test suite: PASS: ${tests:-0} tests in ${files:-0} files"
    exit 0
fi
echo "mod_hsts test suite: FAIL: ${tests:-?} tests in ${files:-?} files, ${failed} failure lines (see above)"
exit 1
