# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# Shared by the robustness scripts (sourced, not run).
#
# robust_setup <name> "$@": as root, installs what is missing (the
# project's Debian packages, plus those in $ROBUST_PACKAGES), makes the
# unprivileged user (hststest, or $HSTS_TEST_USER), copies the tree to a
# work directory of its own (/tmp/mod_hsts-robust-<name>, or $ROBUST_DIR)
# that the user owns, and runs the calling script again
# from there as that user; then it records the section of results that
# run left (robust_result) in robustness/RESULTS.md of the original tree,
# and exits with the run's status. As that user it returns, in the copy.
#
# robust_build: configure and build the module in the current tree.
# robust_result <name> <file>: the full run's section of RESULTS.md.

robust_setup() {
    local name=$1
    shift
    local top
    top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
    cd "$top" || exit 1
    if [ "$(id -u)" != 0 ]; then
        return 0
    fi
    scripts/deps.sh
    local p missing=""
    for p in ${ROBUST_PACKAGES:-}; do
        dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "ok installed" \
            || missing="$missing $p"
    done
    if [ -n "$missing" ]; then
        echo "robustness: installing$missing"
        # shellcheck disable=SC2086
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
            --no-install-recommends $missing >/dev/null \
            || { DEBIAN_FRONTEND=noninteractive apt-get update -qq \
                 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
                    --no-install-recommends $missing >/dev/null; }
    fi
    local user=${HSTS_TEST_USER:-hststest}
    id "$user" >/dev/null 2>&1 || useradd --system --create-home --shell /bin/sh "$user"
    local work=${ROBUST_DIR:-/tmp/mod_hsts-robust-$name}
    case $work in /|/tmp|/tmp/) echo "robustness: refusing work directory $work" >&2; exit 1 ;; esac
    rm -rf "$work"
    mkdir -p "$work"
    # the tree as checked out, without what builds and runs left behind;
    # files that vanish while copying (a fuzzer's corpus) do not matter
    local rc=0
    rsync -a --exclude=.git --exclude='t/logs' --exclude='t/pki' \
        --exclude='*.o' --exclude='*.lo' --exclude='*.slo' --exclude='*.la' \
        --exclude='.libs' --exclude='autom4te.cache' --exclude='config.status' \
        --exclude='/Makefile' --exclude='t/TEST' --exclude='/fuzz/build' \
        --exclude='/demo/run' ./ "$work/" || rc=$?
    if [ "$rc" != 0 ] && [ "$rc" != 24 ]; then
        echo "robustness: copying the tree failed (rsync $rc)" >&2
        exit 1
    fi
    chown -R "$user" "$work"
    rm -f "$top/robustness/.result-$name.md"
    export ROBUST_ORIGIN="$top"
    local status=0
    runuser -u "$user" -- bash "$work/robustness/$name.sh" "$@" || status=$?
    if [ -f "$work/robustness/.result-$name.md" ]; then
        robust_record "$name" "$work/robustness/.result-$name.md" \
            "$top/robustness/RESULTS.md"
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
    [ -x configure ] || autoreconf -fi >/dev/null
    ./configure --enable-werror >/dev/null
    make >/dev/null
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
