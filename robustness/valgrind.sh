#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The test suite under valgrind memcheck: every httpd the suite runs (the
# main Apache::Test server and the tests' own, configtests and -k
# commands included) runs under valgrind, the servers in single-process
# mode (httpd -X) except those a test restarts gracefully, which run as
# real multi-process servers with every process under valgrind (see
# HSTS_TEST_VALGRIND in t/lib/HSTS/TestRun.pm and Httpd.pm). Then it reads
# every process's log and fails on any error, fatal signal or definite
# leak with a mod_hsts frame (robustness/valgrind-report.pl). Suppressions:
# robustness/valgrind.supp (third-party noise only).
#
#   robustness/valgrind.sh           full: the whole suite, event MPM;
#                                    writes its section of
#                                    robustness/RESULTS.md
#   robustness/valgrind.sh --quick   CI: three test files, event MPM
#
# As root it runs as the user hststest on a copy of the tree.
# ROBUST_PORT: t/TEST's first port (default 12640). ROBUST_VALGRIND_MPMS:
# the MPMs, one run each (default event). Under prefork, httpd -X has one
# process with one thread, so the three tests in which the server proxies
# a request to itself (a backend virtual host of its own) time out there:
# expect those three failures.
set -euo pipefail

# shellcheck disable=SC2034  # lib.sh reads it
ROBUST_PACKAGES="valgrind"
# shellcheck source=robustness/lib.sh
. "$(dirname "$0")/lib.sh"
robust_setup valgrind "$@"

port=${ROBUST_PORT:-12640}
if [ "$quick" = 1 ]; then
    mpms="event"
    tests="t/header_tls.t t/header_fastpath.t t/restart.t"
else
    mpms=${ROBUST_VALGRIND_MPMS:-event}
    tests=""
fi

robust_build
out=$(pwd)/robustness/valgrind-out
rm -rf "$out"
mkdir -p "$out"

# The report must find what it is there to find: a synthetic log with an
# error and a definite leak in mod_hsts frames, and one without.
mkdir -p "$out/self-test/bad" "$out/self-test/good"
cat >"$out/self-test/bad/t.start.1.log" <<'EOF'
==1== Command: /usr/sbin/apache2 -X
==1== 
==1== Thread 3:
==1== Invalid read of size 1
==1==    at 0x4C2F0A: hsts_path_excluded (hsts_redirect.c:12)
==1==    by 0x4C2F0B: ap_run_quick_handler (in /usr/sbin/apache2)
==1== 
==1== 40 bytes in 1 blocks are definitely lost in loss record 1 of 2
==1==    at 0x48465EF: malloc (in /usr/libexec/valgrind/vgpreload_memcheck-amd64-linux.so)
==1==    by 0x5000001: ??? (in /tmp/x/.libs/mod_hsts.so)
==1== 
==1== ERROR SUMMARY: 2 errors from 2 contexts (suppressed: 0 from 0)
EOF
sed -e 's/hsts_path_excluded (hsts_redirect.c:12)/ap_foo (in \/usr\/sbin\/apache2)/' \
    -e 's/(in \/tmp\/x\/.libs\/mod_hsts.so)/(in \/usr\/lib\/x86_64-linux-gnu\/libcrypto.so.3)/' \
    "$out/self-test/bad/t.start.1.log" >"$out/self-test/good/t.start.1.log"
if perl robustness/valgrind-report.pl "$out/self-test/bad" >/dev/null \
   || ! perl robustness/valgrind-report.pl "$out/self-test/good" >/dev/null; then
    echo "valgrind: the report's self-test failed" >&2
    exit 1
fi

# Waits (at most 10 minutes) until no process that logs to $1 runs any
# more: the leak check runs when a process exits, after the suite is done
# with it.
wait_valgrind_done() {
    local logs=$1 deadline=$(( $(date +%s) + 600 )) f pid left
    for f in "$logs"/*.log; do
        [ -e "$f" ] || continue
        pid=${f%.log}
        pid=${pid##*.}
        # the process, if it still runs, is the one that writes this log
        if [ -r "/proc/$pid/cmdline" ] \
           && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$logs/"; then
            left=$(( deadline - $(date +%s) ))
            [ "$left" -gt 0 ] || left=1
            timeout "$left" tail -s 0.2 --pid="$pid" -f /dev/null || {
                echo "valgrind: process $pid still runs after 10 minutes" >&2
                return 1
            }
        fi
    done
}

status=0
summary="$out/summary.md"
{
    echo "## Valgrind memcheck (robustness/valgrind.sh)"
    echo
    echo "$(robust_machine), $(valgrind --version)."
    echo "Options: \`--leak-check=full --show-leak-kinds=definite,possible"
    echo "--errors-for-leak-kinds=definite --keep-debuginfo=yes --error-limit=no\`,"
    echo "suppressions robustness/valgrind.supp. Servers in single-process mode"
    echo "(\`httpd -X\`) except those a test restarts gracefully (restart.t,"
    echo "lint_restart.t, lint_strict.t, cert_reuse.t), which run multi-process with"
    echo "every process under valgrind; configtests and \`-k\` commands under"
    echo "valgrind too."
} >"$summary"
for mpm in $mpms; do
    logs="$out/$mpm"
    mkdir -p "$logs"
    echo "== suite under valgrind, $mpm MPM${tests:+: $tests}"
    # shellcheck disable=SC2086  # one test file a word
    HSTS_TEST_MPM=$mpm HSTS_TEST_VALGRIND="$logs" \
        HSTS_TEST_VALGRIND_SUPP="$(pwd)/robustness/valgrind.supp" \
        APACHE_TEST_STARTUP_TIMEOUT=300 \
        robust_suite "$out/suite-$mpm.log" $tests
    line=$(tail -n 1 "$out/suite-$mpm.log")
    echo "$line ($suite_secs s)"
    [ "$suite_status" = 0 ] || { status=1; grep -E '^(not ok|Failed|t/.*\.t .*(Dubious|Failed))' \
                                   "$out/suite-$mpm.log" || true; }
    wait_valgrind_done "$logs" || status=1
    rc=0
    perl robustness/valgrind-report.pl "$logs" "$out/report-$mpm.md" || rc=$?
    [ "$rc" = 0 ] || status=1
    {
        echo
        echo "### $mpm MPM"
        echo
        echo "Suite: ${line#mod_hsts test suite: } in $suite_secs s. Memcheck: $( [ "$rc" = 0 ] \
            && echo 'no error, fatal signal or definite leak with a mod_hsts frame' \
            || echo 'FAIL: errors or definite leaks with a mod_hsts frame')."
        echo
        cat "$out/report-$mpm.md"
    } >>"$summary"
done

robust_finish valgrind "$status" "$summary" " ($mpms)" " (see $out)"
