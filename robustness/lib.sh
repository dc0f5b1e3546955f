# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# Shared by the robustness scripts (sourced, not run), on top of
# scripts/lib.sh.
#
# robust_setup <name> "$@": sets quick=1 when the first argument is
# --quick (else 0). As root, installs what is missing (the project's
# Debian packages, plus those in $ROBUST_PACKAGES), copies the tree to a
# work directory of its own (/tmp/mod_hsts-robust-<name>, or $ROBUST_DIR)
# and runs the calling script again from there as the unprivileged test
# user (hsts_as_test_user); then it records the section of results that
# run left (robust_result) in robustness/RESULTS.md of the original tree,
# and exits with the run's status. As that user it returns, in the copy.
#
# robust_build: configures (warnings as errors) and builds the module in
# the current tree.
# robust_suite <log> [t/TEST arguments]: runs the test suite on port
# $port (the environment passed on); sets suite_status and suite_secs.
# robust_result <name> <file>: the full run's section of RESULTS.md.
# robust_finish <name> <status> <summary> <passed> <failed>: records a
# full run's summary, says "<name>: PASS<passed>" or "<name>: FAIL<failed>"
# and exits with the status.

# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"

robust_setup() {
    local name=$1
    shift
    quick=0
    [ "${1:-}" = --quick ] && quick=1
    cd "$hsts_top" || exit 1
    if [ "$(id -u)" != 0 ]; then
        return 0
    fi
    # shellcheck disable=SC2086  # one package a word
    scripts/deps.sh ${ROBUST_PACKAGES:-}
    rm -f "$hsts_top/robustness/.result-$name.md"
    export ROBUST_ORIGIN="$hsts_top"
    local work=${ROBUST_DIR:-/tmp/mod_hsts-robust-$name} status=0
    hsts_as_test_user "$work" "robustness/$name.sh" "$@" || status=$?
    if [ -f "$work/robustness/.result-$name.md" ]; then
        robust_record "$name" "$work/robustness/.result-$name.md" \
            "$hsts_top/robustness/RESULTS.md"
    fi
    exit "$status"
}

# shellcheck disable=SC2034,SC2154  # $port and suite_*: the calling script's
robust_suite() {
    local log=$1 start
    shift
    start=$(date +%s)
    suite_status=0
    bash scripts/test.sh -port "$port" "$@" >"$log" 2>&1 || suite_status=$?
    suite_secs=$(( $(date +%s) - start ))
}

robust_finish() {
    local name=$1 status=$2 summary=$3 passed=$4 failed=$5
    [ "$quick" = 1 ] || robust_result "$name" "$summary"
    if [ "$status" = 0 ]; then
        echo "$name: PASS$passed"
    else
        echo "$name: FAIL$failed"
    fi
    exit "$status"
}

# robust_result <name> <file>: a full run's results (markdown, a "## "
# section) for robustness/RESULTS.md: kept for the root part to record
# when this is a copy, recorded in place otherwise.
robust_result() {
    local name=$1 file=$2
    if [ -n "${ROBUST_ORIGIN:-}" ]; then
        cp "$file" "robustness/.result-$name.md"
    else
        robust_record "$name" "$file" robustness/RESULTS.md
    fi
}

# Replaces the section between this script's markers in RESULTS.md (or
# adds it at the end).
robust_record() {
    local name=$1 file=$2 results=$3
    perl -e '
        my ($name, $file, $results) = @ARGV;
        local $/;
        open my $in, "<", $file or die "$file: $!";
        my $section = <$in>;
        my $text = "";
        if (open my $fh, "<", $results) { $text = <$fh> }
        $text = "# mod_hsts robustness results\n\nWritten by the full runs of "
              . "the scripts in robustness/ (see each section for the command).\n"
            unless length $text;
        my $block = "<!-- $name:begin -->\n$section<!-- $name:end -->\n";
        $text =~ s/\n*\z/\n/;
        $text =~ s/<!-- \Q$name\E:begin -->\n.*?<!-- \Q$name\E:end -->\n/$block/s
            or $text .= "\n$block";
        open my $out, ">", $results or die "$results: $!";
        print $out $text;
    ' "$name" "$file" "$results"
    echo "robustness: recorded the results in $results"
}

robust_build() {
    echo "== build ($(pwd))"
    hsts_build --werror
}

# The machine, for the results: date, CPU, cores, kernel, httpd, OpenSSL.
robust_machine() {
    local cpu
    cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')
    printf '%s, %s, %s cores, %s, %s, %s' "$(date -u '+%Y-%m-%d %H:%M UTC')" \
        "${cpu:-unknown CPU}" "$(nproc)" "$(uname -sr)" \
        "$(apache2 -v 2>/dev/null | sed -n 's/^Server version: //p')" \
        "$(openssl version | cut -d' ' -f1-2)"
}
