#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Graceful restarts under load: httpd -k graceful, again and again, while
# robustness/loadclient.pl keeps sending requests over TLS and plain HTTP
# (keep-alive and "Connection: close") and checks every response: no
# connection error, no status but 200 (TLS) / 301 (plain), exactly one
# Strict-Transport-Security with the policy over TLS and none over plain
# HTTP, a Location on the right host, port, path and query. The
# configuration has exactly two lint findings, and each generation of
# the server (the start and every restart) must log each exactly once.
# Every wait is for httpd's own signals (its pid file, "resuming normal
# operations" in its error log, its processes) or for the load client's
# counts, with a timeout.
#
#   robustness/graceful.sh           full: 20 restarts under each of the
#                                    event, worker and prefork MPMs; writes
#                                    its section of robustness/RESULTS.md
#   robustness/graceful.sh --quick   CI: 3 restarts, event MPM
#
# Also checked: the parent's resident memory after the first restart and
# after the last (what a restart leaks stays in the parent): at most
# 512 KiB more (httpd without mod_hsts grows by about 2 KiB a restart).
# As root it runs httpd and the client as the user hststest on a copy of
# the tree.
set -euo pipefail

. "$(dirname "$0")/lib.sh"
robust_setup graceful "$@"

quick=0
[ "${1:-}" = --quick ] && quick=1
if [ "$quick" = 1 ]; then
    restarts=3; mpms="event"
else
    restarts=20; mpms="event worker prefork"
fi
# responses each mode must get between two restarts (so the load runs
# across every restart and the new generation serves all four kinds)
per_restart=${ROBUST_PER_RESTART:-20}

robust_build
apxs=$(grep '^APXS = ' Makefile | sed 's/^APXS = //')
httpd="$($apxs -q SBINDIR)/$($apxs -q TARGET)"
libexec=$($apxs -q LIBEXECDIR)
out=$(pwd)/robustness/graceful-out
rm -rf "$out"
mkdir -p "$out/htdocs"
head -c 1024 /dev/zero | tr '\0' 'x' >"$out/htdocs/file.txt"

echo "== certificates"
. scripts/pki.sh
make_pki "$out" "graceful CA" site "DNS:example.com,DNS:www.example.com"

# The findings the configuration must produce, each exactly once per
# generation: max-age over 10 years in the TLS host, HSTS set in the
# plain one.
expected_findings="config.hsts.plain_vhost header.preloadable.max_age.over_10_years"
max_age=346896000   # 11y
policy="max-age=$max_age"

# config <dir> <mpm> <tls port> <plain port>
config() {
    local dir=$1 mpm=$2 tls=$3 plain=$4
    cat <<EOF
LoadModule mpm_${mpm}_module $libexec/mod_mpm_${mpm}.so
LoadModule authz_core_module $libexec/mod_authz_core.so
LoadModule mime_module $libexec/mod_mime.so
LoadModule socache_shmcb_module $libexec/mod_socache_shmcb.so
LoadModule ssl_module $libexec/mod_ssl.so
LoadModule hsts_module $(pwd)/.libs/mod_hsts.so
ServerRoot "$dir"
DefaultRunTimeDir "$dir"
PidFile "$dir/httpd.pid"
ErrorLog "$dir/error_log"
LogLevel notice
Mutex file:$dir default
ServerName example.com
DocumentRoot "$out/htdocs"
TypesConfig /etc/mime.types
<Directory "$out/htdocs">
    Require all granted
</Directory>
KeepAlive On
MaxKeepAliveRequests 0
StartServers 2
SSLSessionCache "shmcb:$dir/ssl_scache(512000)"
Listen 127.0.0.1:$tls
Listen 127.0.0.1:$plain
<VirtualHost 127.0.0.1:$tls>
    ServerName example.com
    ServerAlias www.example.com
    SSLEngine on
    SSLCertificateFile "$out/site.crt"
    SSLCertificateKeyFile "$out/site.key"
    HSTS On
    HSTSMaxAge 11y
</VirtualHost>
<VirtualHost 127.0.0.1:$plain>
    ServerName example.com
    ServerAlias www.example.com
    HSTS On
    HSTSRedirect On
</VirtualHost>
EOF
}

# Waits for a condition (a shell command) for at most $2 seconds.
wait_until() {
    local cond=$1 deadline=$(( $(date +%s) + $2 ))
    until eval "$cond"; do
        [ "$(date +%s)" -le "$deadline" ] || return 1
        sleep 0.05   # the polling interval of this wait for a condition
    done
}
count() { grep -c "$1" "$2" 2>/dev/null || true; }
rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
# the lowest count of OK responses over the four modes
min_ok() { awk 'NR == 1 || $2 < m {m = $2} END {print m + 0}' "$1" 2>/dev/null || echo 0; }

status=0
summary="$out/summary.md"
{
    echo "## Graceful restarts under load (robustness/graceful.sh)"
    echo
    echo "$(robust_machine). $restarts graceful restarts (\`httpd -k graceful\`) per MPM while"
    echo "robustness/loadclient.pl (Perl, IO::Socket::SSL; 2 workers for each of TLS keep-alive,"
    echo "TLS \`Connection: close\`, plain keep-alive, plain \`Connection: close\`) checks every"
    echo "response; each restart waits for httpd's \"resuming normal operations\" and then for"
    echo "$per_restart more good responses of every kind. Lint findings expected once per"
    echo "generation: \`$expected_findings\`."
    echo
    echo "| MPM | Restarts | Responses checked | Failed | Keep-alive retries | Findings per generation | Parent RSS before / after the 1st / after the last restart (KiB) | Result |"
    echo "|---|---:|---:|---:|---:|---|---|---|"
} >"$summary"

for mpm in $mpms; do
    dir="$out/$mpm"
    mkdir -p "$dir"
    tls=$(free_port)
    plain=$(free_port)
    while [ "$plain" = "$tls" ]; do plain=$(free_port); done
    config "$dir" "$mpm" "$tls" "$plain" >"$dir/httpd.conf"
    echo "== $mpm MPM: TLS port $tls, plain port $plain"

    # the configuration has exactly the expected findings
    "$httpd" -t -d "$dir" -f "$dir/httpd.conf" >"$dir/configtest.out" 2>&1 \
        || { cat "$dir/configtest.out" >&2; exit 1; }
    got=$(grep -o '\[[a-z0-9_.]*\] ' "$dir/configtest.out" | tr -d '[] ' | sort | tr '\n' ' ')
    if [ "$got" != "$(echo "$expected_findings" | tr ' ' '\n' | sort | tr '\n' ' ')" ]; then
        echo "graceful: configtest findings are '$got', not '$expected_findings'" >&2
        cat "$dir/configtest.out" >&2
        exit 1
    fi

    "$httpd" -d "$dir" -f "$dir/httpd.conf" -k start
    wait_until '[ -s "$dir/httpd.pid" ] && [ "$(count "resuming normal operations" "$dir/error_log")" -ge 1 ]' 60 \
        || { echo "graceful: httpd did not start" >&2; cat "$dir/error_log" >&2; exit 1; }
    parent=$(cat "$dir/httpd.pid")
    stop_server() {
        "$httpd" -d "$dir" -f "$dir/httpd.conf" -k stop >/dev/null 2>&1 || true
        wait_until '! kill -0 '"$parent"' 2>/dev/null' 60 || true
    }
    load=""
    trap '[ -z "$load" ] || kill -TERM "$load" 2>/dev/null; stop_server' EXIT

    perl robustness/loadclient.pl --tls-port "$tls" --plain-port "$plain" \
        --policy "$policy" --ca "$out/ca.crt" --status "$dir/load.status" \
        >"$dir/load.out" 2>&1 &
    load=$!
    wait_until '[ "$(min_ok "$dir/load.status")" -ge '"$per_restart"' ]' 60 \
        || { echo "graceful: the load client does not get answers" >&2; cat "$dir/load.out" >&2; status=1; }
    rss_before=$(rss_kib "$parent")

    ok_restarts=0
    for i in $(seq 1 "$restarts"); do
        base=$(min_ok "$dir/load.status")
        "$httpd" -d "$dir" -f "$dir/httpd.conf" -k graceful
        if ! wait_until '[ "$(count "resuming normal operations" "$dir/error_log")" -ge '"$(( i + 1 ))"' ]' 60; then
            echo "graceful: restart $i: httpd did not come back" >&2
            status=1
            break
        fi
        if ! wait_until '[ "$(min_ok "$dir/load.status")" -ge '"$(( base + per_restart ))"' ]' 60; then
            echo "graceful: restart $i: the load stalled" >&2
            status=1
            break
        fi
        ok_restarts=$i
        [ "$i" = 1 ] && rss_first=$(rss_kib "$parent")
    done
    rss_after=$(rss_kib "$parent")
    rss_first=${rss_first:-$rss_after}
    [ "$(cat "$dir/httpd.pid")" = "$parent" ] || { echo "graceful: the parent changed" >&2; status=1; }

    kill -TERM "$load"
    lrc=0
    wait "$load" || lrc=$?
    stop_server
    trap - EXIT
    cat "$dir/load.out"
    total=$(sed -n 's/^LOAD total ok=\([0-9]*\) bad=\([0-9]*\) retries=\([0-9]*\)/\1 \2 \3/p' "$dir/load.out")
    read -r n_ok n_bad n_retry <<<"${total:-0 1 0}"
    [ "$lrc" = 0 ] && [ "$n_bad" = 0 ] || status=1

    # Each generation (the start, then each restart) logged each expected
    # finding exactly once, before its "resuming normal operations"; the
    # shutdown logged none.
    findings=$(perl -e '
        my ($log, @codes) = @ARGV;
        open my $fh, "<", $log or die "$log: $!";
        my @gen = ({});
        while (<$fh>) {
            if (/resuming normal operations/) { push @gen, {}; next }
            $gen[-1]{$1}++ if /\[hsts:\w+\].* mod_hsts: \S+:\d+ \[([a-z0-9_.]+)\]/;
        }
        my $after = pop @gen;                 # after the last generation started
        my $bad = 0;
        for my $i (0 .. $#gen) {
            my %seen = %{ $gen[$i] };
            for my $c (@codes) {
                my $n = delete $seen{$c} // 0;
                if ($n != 1) { $bad++; print STDERR "generation $i: $c logged $n times\n" }
            }
            for my $c (sort keys %seen) { $bad++; print STDERR "generation $i: unexpected $c\n" }
        }
        for my $c (sort keys %$after) { $bad++; print STDERR "at shutdown: $c\n" }
        printf "%s in %d generations", $bad ? "WRONG" : "each once", scalar @gen;
        exit($bad ? 1 : 0);
    ' "$dir/error_log" $expected_findings) || status=1
    crashes=$(grep -cE 'exit signal|Segmentation|AH00052|AH00060' "$dir/error_log" || true)
    [ "$crashes" = 0 ] || { echo "graceful: $crashes crash lines in the error log" >&2; status=1; }
    # What a restart allocates for good stays in the parent: from the
    # first restart on (the first one grows it once, as without mod_hsts)
    # it may grow by 512 KiB in all (httpd alone: about 2 KiB a restart).
    rss_growth=$(( rss_after - rss_first ))
    verdict=PASS
    if [ "$ok_restarts" != "$restarts" ] || [ "$n_bad" != 0 ] || [ "$lrc" != 0 ] \
       || [ "${findings#WRONG}" != "$findings" ] || [ "$crashes" != 0 ] \
       || [ "$rss_growth" -gt 512 ]; then
        verdict=FAIL
        status=1
    fi
    echo "   $mpm: $ok_restarts restarts, $n_ok responses checked, $n_bad failed, $n_retry retries; findings: $findings; parent RSS $rss_before / $rss_first / $rss_after KiB: $verdict"
    echo "| $mpm | $ok_restarts | $n_ok | $n_bad | $n_retry | $findings | $rss_before / $rss_first / $rss_after | $verdict |" >>"$summary"
    grep '^FAILURE' "$dir/load.out" | sed 's/^/    /' >>"$summary.failures" || true
done

if [ -s "$summary.failures" ]; then
    { echo; echo "Failures (first 20 per MPM):"; echo; cat "$summary.failures"; } >>"$summary"
fi
{
    echo
    echo "Parent RSS: may grow by at most 512 KiB from the first restart to the last (without"
    echo "mod_hsts, 40 restarts of an idle server grow it by about 2 KiB each, as with it)."
    echo
    echo "Keep-alive retries: a request on a kept-alive connection that the server closed"
    echo "before sending any byte of the response (a restart ends idle keep-alive"
    echo "connections), sent again on a new connection, as HTTP clients do (RFC 9112 9.3.1)."
} >>"$summary"
cat "$summary"
if [ "$quick" = 0 ]; then
    robust_result graceful "$summary"
fi
if [ "$status" = 0 ]; then
    echo "graceful: PASS ($mpms, $restarts restarts each)"
else
    echo "graceful: FAIL (see $out)"
fi
exit "$status"
