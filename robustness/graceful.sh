#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Graceful restarts under load: httpd -k graceful, again and again, while
# robustness/loadclient.pl keeps sending requests over TLS and plain HTTP
# (keep-alive and "Connection: close") and checks every response: no
# connection error, no status but 200 (TLS) / 301 (plain), exactly one
# Strict-Transport-Security with the policy over TLS and none over plain
# HTTP, a Location on the right host, port, path and query. The
# configuration has exactly three lint findings, and each generation of
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

# shellcheck source=robustness/lib.sh
. "$(dirname "$0")/lib.sh"
robust_setup graceful "$@"

if [ "$quick" = 1 ]; then
    restarts=3; mpms="event"
else
    restarts=20; mpms="event worker prefork"
fi
# responses each mode must get between two restarts (so the load runs
# across every restart and the new generation serves all four kinds)
per_restart=${ROBUST_PER_RESTART:-20}

robust_build
hsts_httpd_paths
out=$(pwd)/robustness/graceful-out
rm -rf "$out"
mkdir -p "$out/htdocs"
head -c 1024 /dev/zero | tr '\0' 'x' >"$out/htdocs/file.txt"

echo "== certificates"
hsts_make_pki "$out" "graceful CA" site "DNS:example.com,DNS:www.example.com"

# The findings the configuration must produce, each exactly once per
# generation: max-age over 10 years in the TLS host, HSTS set in the
# plain one, and that one redirecting from a test port to another.
expected_findings="config.hsts.plain_vhost config.http.nondefault_port header.preloadable.max_age.over_10_years"
max_age=346896000   # 11y
policy="max-age=$max_age"

# config <dir> <mpm> <tls port> <plain port>
config() {
    local dir=$1 mpm=$2 tls=$3 plain=$4
    hsts_httpd_conf_head "$dir" "$out/htdocs" "$mpm" authz_core mime \
        socache_shmcb ssl hsts
    cat <<EOF
LogLevel notice
ServerName example.com
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

count() { grep -c "$1" "$2" 2>/dev/null || true; }
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
    { read -r tls; read -r plain; } < <(hsts_free_ports 2)
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

    hsts_httpd_start "$dir" || exit 1
    parent=$(cat "$dir/httpd.pid")
    load=""
    trap '[ -z "$load" ] || kill -TERM "$load" 2>/dev/null; hsts_httpd_stop "$dir"' EXIT

    perl robustness/loadclient.pl --tls-port "$tls" --plain-port "$plain" \
        --policy "$policy" --ca "$out/ca.crt" --status "$dir/load.status" \
        >"$dir/load.out" 2>&1 &
    load=$!
    hsts_wait_until '[ "$(min_ok "$dir/load.status")" -ge '"$per_restart"' ]' 60 \
        || { echo "graceful: the load client does not get answers" >&2; cat "$dir/load.out" >&2; status=1; }
    rss_before=$(hsts_rss_kib "$parent")

    ok_restarts=0
    for i in $(seq 1 "$restarts"); do
        base=$(min_ok "$dir/load.status")
        "$httpd" -d "$dir" -f "$dir/httpd.conf" -k graceful
        if ! hsts_wait_until '[ "$(count "resuming normal operations" "$dir/error_log")" -ge '"$(( i + 1 ))"' ]' 60; then
            echo "graceful: restart $i: httpd did not come back" >&2
            status=1
            break
        fi
        if ! hsts_wait_until '[ "$(min_ok "$dir/load.status")" -ge '"$(( base + per_restart ))"' ]' 60; then
            echo "graceful: restart $i: the load stalled" >&2
            status=1
            break
        fi
        ok_restarts=$i
        [ "$i" = 1 ] && rss_first=$(hsts_rss_kib "$parent")
    done
    rss_after=$(hsts_rss_kib "$parent")
    rss_first=${rss_first:-$rss_after}
    [ "$(cat "$dir/httpd.pid")" = "$parent" ] || { echo "graceful: the parent changed" >&2; status=1; }

    kill -TERM "$load"
    lrc=0
    wait "$load" || lrc=$?
    hsts_httpd_stop "$dir"
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
    crashes=$(hsts_crash_lines "$dir/error_log")
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
robust_finish graceful "$status" "$summary" " ($mpms, $restarts restarts each)" \
    " (see $out)"
