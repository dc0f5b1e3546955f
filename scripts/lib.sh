# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# What the scripts of scripts/, robustness/, bench/ and fuzz/ share
# (sourced, not run; bash). hsts_top is the tree this file is in.
#
# Packages and build
#   hsts_install_packages PKG...   installs those of the Debian packages
#                                  that are missing (root; otherwise says
#                                  which and fails)
#   hsts_apt_get ARG...            apt-get, non-interactive, waiting for
#                                  the package lock; hsts_apt_update once
#   hsts_build [--werror] [CONFIGURE-OPTION...]
#                                  autoreconf when there is no configure;
#                                  configure (always with --werror or
#                                  options, else only without a Makefile);
#                                  make
#   hsts_httpd_paths               sets apxs, httpd and libexec: the apxs
#                                  configure chose, else $APXS, else apxs
#                                  or apxs2 on PATH
# Servers of a script's own
#   hsts_httpd_conf_head DIR DOCROOT MPM MODULE...
#                                  prints the head of a configuration in
#                                  DIR (modules from $libexec; "hsts" is
#                                  the one built here)
#   hsts_httpd_user USER           User and Group lines for USER, as root
#   hsts_httpd_start DIR / hsts_httpd_stop DIR
#                                  httpd -k start (waits until it serves)
#                                  and -k stop (waits until it is gone) on
#                                  DIR/httpd.conf
#   hsts_crash_lines LOG           how many lines of an error log tell of
#                                  a crashed process
#   hsts_rss_kib PID               a process's resident memory
#   hsts_make_pki DIR CA LEAF SAN  a CA and a leaf certificate it signs
#   hsts_free_port, hsts_free_ports N
#                                  free loopback ports
#   hsts_wait_until COND SECONDS   polls a shell condition
# The unprivileged test user
#   hsts_test_user                 makes the user (hststest, or
#                                  $HSTS_TEST_USER) if needed; prints it
#   hsts_as_test_user WORK SCRIPT ARG...
#                                  copies the tree to WORK for that user
#                                  and runs WORK/SCRIPT there as the user

hsts_top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

hsts_apt_updated=""

hsts_apt_get() {
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 "$@"
}

hsts_apt_update() {
    [ -n "$hsts_apt_updated" ] && return 0
    hsts_apt_get update -qq
    hsts_apt_updated=1
}

hsts_install_packages() {
    local p absent=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "ok installed" \
            || absent+=("$p")
    done
    [ "${#absent[@]}" = 0 ] && return 0
    if [ "$(id -u)" != 0 ]; then
        echo "mod_hsts: these Debian packages are missing: ${absent[*]}" >&2
        echo "mod_hsts: run this again as root, or install them: apt-get install ${absent[*]}" >&2
        return 1
    fi
    echo "mod_hsts: installing ${absent[*]}"
    hsts_apt_update
    hsts_apt_get install -y -qq --no-install-recommends "${absent[@]}" >/dev/null
}

# shellcheck disable=SC2120  # options are optional
hsts_build() {
    local werror=()
    if [ "${1:-}" = --werror ]; then
        werror=(--enable-werror)
        shift
    fi
    [ -x configure ] || autoreconf -fi >/dev/null
    if [ "${#werror[@]}" != 0 ] || [ "$#" != 0 ] || [ ! -f Makefile ]; then
        ./configure "${werror[@]}" "$@" >/dev/null
    fi
    make >/dev/null
}

hsts_httpd_paths() {
    apxs=""
    [ -f "$hsts_top/Makefile" ] && apxs=$(sed -n 's/^APXS = //p' "$hsts_top/Makefile")
    apxs=${apxs:-${APXS:-$(command -v apxs || command -v apxs2 || true)}}
    [ -n "$apxs" ] || { echo "mod_hsts: no apxs (apt-get install apache2-dev)" >&2; return 1; }
    httpd="$("$apxs" -q SBINDIR)/$("$apxs" -q TARGET)"
    libexec=$("$apxs" -q LIBEXECDIR)
}

hsts_httpd_conf_head() {
    local dir=$1 docroot=$2 mpm=$3 m
    shift 3
    echo "LoadModule mpm_${mpm}_module \"$libexec/mod_mpm_$mpm.so\""
    for m in "$@"; do
        if [ "$m" = hsts ]; then
            echo "LoadModule hsts_module \"$hsts_top/.libs/mod_hsts.so\""
        else
            echo "LoadModule ${m}_module \"$libexec/mod_$m.so\""
        fi
    done
    cat <<EOF
ServerRoot "$dir"
DefaultRunTimeDir "$dir"
PidFile "$dir/httpd.pid"
ErrorLog "$dir/error_log"
Mutex file:$dir default
DocumentRoot "$docroot"
<Directory "$docroot">
    Require all granted
</Directory>
EOF
    case " $* " in *" mime "*) echo "TypesConfig /etc/mime.types" ;; esac
}

hsts_httpd_user() {
    [ "$(id -u)" = 0 ] || return 0
    printf 'User %s\nGroup %s\n' "$1" "$(id -gn "$1")"
}

hsts_httpd_start() {
    local dir=$1 ready="resuming normal operations" before
    before=$(grep -c "$ready" "$dir/error_log" 2>/dev/null || true)
    "$httpd" -d "$dir" -f "$dir/httpd.conf" -k start || return 1
    # the pid file once the listeners are bound, then httpd's own word
    # (in an error log that may hold earlier starts)
    hsts_wait_until '[ -s "$dir/httpd.pid" ] && [ "$(grep -c "$ready" "$dir/error_log")" -gt "${before:-0}" ]' 60 \
        && return 0
    echo "mod_hsts: httpd did not start ($dir/httpd.conf):" >&2
    cat "$dir/error_log" >&2
    return 1
}

hsts_httpd_stop() {
    local dir=$1 pid
    pid=$(cat "$dir/httpd.pid" 2>/dev/null) || return 0
    [ -n "$pid" ] || return 0
    "$httpd" -d "$dir" -f "$dir/httpd.conf" -k stop >/dev/null 2>&1 || true
    hsts_wait_until "! kill -0 $pid 2>/dev/null" 60 || true
}

hsts_crash_lines() {
    grep -cE 'exit signal|Segmentation|AH00052|AH00060' "$1" || true
}

hsts_rss_kib() {
    awk '/^VmRSS:/ {print $2}' "/proc/$1/status"
}

# SAN: an openssl subjectAltName value, e.g. "DNS:example.com,IP:127.0.0.1".
# DIR gets ca.crt and ca.key (valid ten years) and LEAF.crt and LEAF.key
# (one year).
hsts_make_pki() {
    local dir=$1 ca=$2 leaf=$3 san=$4 cn=${4%%,*}
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
        -keyout "$dir/ca.key" -out "$dir/ca.crt" -days 3650 -subj "/CN=$ca" \
        -addext "basicConstraints=critical,CA:TRUE" \
        -addext "keyUsage=critical,keyCertSign" 2>/dev/null
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
        -keyout "$dir/$leaf.key" -out "$dir/$leaf.csr" \
        -subj "/CN=${cn#*:}" 2>/dev/null
    printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\n' "$san" >"$dir/$leaf.ext"
    openssl x509 -req -in "$dir/$leaf.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" \
        -CAcreateserial -days 365 -extfile "$dir/$leaf.ext" \
        -out "$dir/$leaf.crt" 2>/dev/null
}

hsts_free_port() {
    perl -MIO::Socket::IP -e 'my $s = IO::Socket::IP->new(LocalHost => "127.0.0.1",
        LocalPort => 0, Listen => 1) or die "no free port: $@"; print $s->sockport'
}

# N different ports, one a line.
hsts_free_ports() {
    local ports=" " p
    while [ "$(wc -w <<<"$ports")" -lt "$1" ]; do
        p=$(hsts_free_port)
        case "$ports" in *" $p "*) ;; *) ports="$ports$p " ;; esac
    done
    # shellcheck disable=SC2086  # one port a word
    printf '%s\n' $ports
}

# COND: a shell command, evaluated every 50 ms for at most SECONDS.
hsts_wait_until() {
    local cond=$1 deadline=$(( $(date +%s) + $2 ))
    until eval "$cond"; do
        [ "$(date +%s)" -le "$deadline" ] || return 1
        sleep 0.05   # the polling interval of this wait for a condition
    done
}

hsts_test_user() {
    local user=${HSTS_TEST_USER:-hststest}
    id "$user" >/dev/null 2>&1 || useradd --system --create-home --shell /bin/sh "$user"
    echo "$user"
}

# The tree as checked out, without what builds and runs leave behind
# (files that vanish while copying, a fuzzer's corpus, do not matter),
# owned by the user; then WORK/SCRIPT ARG... as the user, with the
# environment, and its exit status.
hsts_as_test_user() {
    local work=$1 script=$2 user rc=0
    shift 2
    case $work in /|/tmp|/tmp/|"") echo "mod_hsts: refusing work directory '$work'" >&2; return 1 ;; esac
    user=$(hsts_test_user)
    rm -rf "$work"
    mkdir -p "$work"
    rsync -a --exclude=.git --exclude='t/logs' --exclude='t/pki' \
        --exclude='*.o' --exclude='*.lo' --exclude='*.slo' --exclude='*.la' \
        --exclude='.libs' --exclude='autom4te.cache' --exclude='config.status' \
        --exclude='/Makefile' --exclude='t/TEST' --exclude='/fuzz/build' \
        --exclude='/demo/run' "$hsts_top/" "$work/" || rc=$?
    if [ "$rc" != 0 ] && [ "$rc" != 24 ]; then
        echo "mod_hsts: copying the tree to $work failed (rsync $rc)" >&2
        return 1
    fi
    chown -R "$user" "$work"
    runuser -u "$user" -- bash "$work/$script" "$@"
}

# hsts_record_section <script> <section file> [results file]: puts a
# benchmark's section (from "<!-- begin <script> -->" to its end marker)
# in place of the same section of the results file (default
# bench/RESULTS.md), or after the rest when it has none yet; atomically.
hsts_record_section() {
    perl -e '
        my ($name, $file, $section) = @ARGV;
        my $slurp = sub { open my $f, "<", $_[0] or return ""; local $/; return <$f> };
        my ($old, $new) = ($slurp->($file), $slurp->($section));
        if ($old !~ s/<!-- begin \Q$name\E -->\n.*?<!-- end \Q$name\E -->\n/$new/s) {
            $old =~ s/\n*\z/\n\n/ if length $old;
            $old .= $new;
        }
        open my $out, ">", "$file.new" or die "$file.new: $!";
        print $out $old;
        close $out or die "$file.new: $!";
        rename "$file.new", $file or die "$file: $!";
    ' "$1" "${3:-bench/RESULTS.md}" "$2"
}
