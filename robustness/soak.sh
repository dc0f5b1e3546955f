#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Soak: hundreds of thousands of requests against a real server (event
# MPM, two fixed child processes), on mod_hsts's two paths: the header
# over TLS and the redirect over plain HTTP, each with keep-alive and with
# "Connection: close" (a new connection, and over TLS a new handshake,
# per request). wrk checks every response (robustness/check.lua). The
# resident memory (VmRSS, /proc) of every httpd process is sampled after
# a warm-up round and after each later round.
#
# Pass: no failed or wrong response, no crash, the same processes from
# start to end, at most 10 per million (and 10 in a short run) keep-alive
# connections closed
# under the client (wrk "read" errors: the same happens without mod_hsts),
# at least 200,000 requests after the warm-up, and (full
# mode) no child grew after the warm-up by more than the tolerance,
# 4 MiB. The same server without mod_hsts (the baseline the full run
# measures after it: no header, mod_alias redirects) has grown by up to
# about 1 MiB a child, in steps of some 800 KiB (the allocator), so less
# would fail by chance; over the full run's two and a half million
# requests (1.3 million a child) a leak of 4 bytes per request, or of
# 150 bytes per TLS connection, is above it.
#
#   robustness/soak.sh           full: a warm-up round, then 4 rounds of 28 s
#                                (about 2.5 million requests on 2 cores),
#                                then the baseline; writes its section of
#                                robustness/RESULTS.md
#   robustness/soak.sh --quick   CI: 8 s of requests, only checks it all runs
#
# As root it runs httpd and wrk as the user hststest on a copy of the tree.
set -euo pipefail

# shellcheck disable=SC2034  # lib.sh reads it
ROBUST_PACKAGES="wrk"
# shellcheck source=robustness/lib.sh
. "$(dirname "$0")/lib.sh"
robust_setup soak "$@"

# seconds per phase: TLS keep-alive, TLS close, plain keep-alive, plain
# close (round() reads them by name). wrk runs for a time, not a number
# of requests; the full run fails below 200,000 requests after the warm-up.
# shellcheck disable=SC2034
if [ "$quick" = 1 ]; then
    warm=(1 1 1 1); main=(1 1 1 1); rounds=1
else
    warm=(10 5 8 5); main=(10 5 8 5); rounds=4
fi
threads=2
conns=16

robust_build
hsts_httpd_paths
out=$(pwd)/robustness/soak-out
rm -rf "$out"
mkdir -p "$out/htdocs"
head -c 1024 /dev/zero | tr '\0' 'x' >"$out/htdocs/file.txt"

echo "== certificates"
hsts_make_pki "$out" "soak CA" site "DNS:example.com,DNS:www.example.com"
# config <dir> <with mod_hsts: 1|0>: the server; without mod_hsts (the
# baseline of the full run) the TLS host sends no header and the plain
# host redirects with mod_alias to the same Location.
config() {
    local dir=$1 with=$2 tls_line="" plain_line
    local modules=(authz_core mime alias socache_shmcb ssl)
    plain_line="Redirect permanent / https://example.com:$tls/"
    if [ "$with" = 1 ]; then
        modules+=(hsts)
        tls_line="HSTSPolicy \"$policy\""
        plain_line="HSTSRedirect On"
    fi
    hsts_httpd_conf_head "$dir" "$out/htdocs" event "${modules[@]}"
    cat <<EOF
LogLevel notice
ServerName example.com
# Two children from start to end: none started or stopped for spare
# threads, none recycled.
StartServers 2
ServerLimit 2
ThreadsPerChild 16
MaxRequestWorkers 32
MinSpareThreads 1
MaxSpareThreads 32
# Each worker thread's allocator keeps at most this much freed memory
# (KiB; httpd's default, 2048, lets the RSS creep up by megabytes as
# more threads get to serve, with or without mod_hsts: noise that would
# hide a leak).
MaxMemFree 64
MaxConnectionsPerChild 0
KeepAlive On
MaxKeepAliveRequests 0
SSLSessionCache "shmcb:$dir/ssl_scache(512000)"
Listen 127.0.0.1:$tls
Listen 127.0.0.1:$plain
<VirtualHost 127.0.0.1:$tls>
    ServerName example.com
    ServerAlias www.example.com
    SSLEngine on
    SSLCertificateFile "$out/site.crt"
    SSLCertificateKeyFile "$out/site.key"
    $tls_line
</VirtualHost>
<VirtualHost 127.0.0.1:$plain>
    ServerName example.com
    ServerAlias www.example.com
    $plain_line
</VirtualHost>
EOF
}

children() {
    local ppid=$1 p
    for p in /proc/[0-9]*; do
        [ "$(awk '{print $4}' "$p/stat" 2>/dev/null)" = "$ppid" ] && echo "${p#/proc/}"
    done | sort -n
}

# phase <label> <seconds>: one wrk run against the current server ($dir,
# $with), every response checked
phase() {
    local label=$1 secs=$2 url mode expect close=()
    case $label in
        tls-*)   url="https://127.0.0.1:$tls/file.txt"; mode=tls
                 expect=$policy; [ "$with" = 1 ] || expect=none ;;
        plain-*) url="http://127.0.0.1:$plain/file.txt"; mode=plain; expect=$location ;;
    esac
    case $label in *-close) close=(-H "Connection: close") ;; esac
    local res
    res=$(wrk -t"$threads" -c"$conns" -d"${secs}s" "${close[@]}" -s robustness/check.lua \
          "$url" -- "$mode" "$expect" 0 example.com 2>&1)
    printf '%s\n%s\n' "== $label ${secs}s" "$res" >>"$dir/wrk.log"
    local line rps got bad errs reads
    line=$(grep '^CHECK responses' <<<"$res") || { echo "$res" >&2; return 1; }
    rps=$(awk '/^Requests\/sec:/ {printf "%d", $2}' <<<"$res")
    got=$(sed 's/.*responses=\([0-9]*\).*/\1/' <<<"$line")
    bad=$(sed 's/.* bad=\([0-9]*\).*/\1/' <<<"$line")
    errs=$(perl -ne 'my $s = 0; $s += $_ for /(?:connect|write|status|timeout)=(\d+)/g; print $s' <<<"$line")
    reads=$(sed 's/.* read=\([0-9]*\).*/\1/' <<<"$line")
    total=$(( total + got ))
    bad_total=$(( bad_total + bad ))
    errors_total=$(( errors_total + errs ))
    reads_total=$(( reads_total + reads ))
    printf '   %-11s %7d responses, %d bad, %d socket errors, %d closed under the client, %6d req/s\n' \
        "$label" "$got" "$bad" "$errs" "$reads" "$rps"
    grep '^CHECK first' <<<"$res" || true
}

# Whether the server still has connections of the last phase (any state
# but LISTEN and TIME_WAIT on its ports; /proc/net/tcp, ports in hex).
server_busy() {
    awk -v a="$(printf '%04X' "$tls")" -v b="$(printf '%04X' "$plain")" '
        NR > 1 { split($2, l, ":"); if ((l[2] == a || l[2] == b) && $4 != "0A" && $4 != "06") n++ }
        END { exit n ? 0 : 1 }' /proc/net/tcp
}

# Each phase starts once the last one's connections are all closed: the
# event MPM closes idle keep-alive connections while a child is over its
# connection limit, lingering closes of the last phase included, and a
# client then sees a keep-alive connection closed under it (a wrk "read"
# error; seen twice in one full run before this wait).
round() {
    local -n counts=$1
    local i=0 p
    for p in tls-ka tls-close plain-ka plain-close; do
        hsts_wait_until '! server_busy' 60 || echo "soak: connections still open after 60 s" >&2
        phase "$p" "${counts[$i]}"
        i=$(( i + 1 ))
    done
}

# sample <label>: "label pid rss role" lines for the parent and each child
sample() {
    local label=$1 parent p
    parent=$(cat "$dir/httpd.pid")
    echo "$label $parent $(hsts_rss_kib "$parent") parent"
    for p in $(children "$parent"); do
        echo "$label $p $(hsts_rss_kib "$p") child"
    done
}

# soak <name> <with mod_hsts: 1|0>: start, warm-up, rounds, stop; leaves
# $dir/rss and $dir/counts ("requests after-warm-up bad errors crashes")
soak() {
    local name=$1 warm_total r crashes
    with=$2
    dir="$out/$name"
    mkdir -p "$dir"
    config "$dir" "$with" >"$dir/httpd.conf"
    echo "== $name: event MPM, TLS port $tls, plain port $plain"
    hsts_httpd_start "$dir" || exit 1
    trap 'hsts_httpd_stop "$dir"' EXIT
    hsts_wait_until '[ "$(children "$(cat "$dir/httpd.pid")" | wc -l)" -ge 2 ]' 60 \
        || { echo "soak: httpd did not start its children" >&2; exit 1; }
    : >"$dir/wrk.log"
    : >"$dir/rss"
    total=0 bad_total=0 errors_total=0 reads_total=0
    echo "-- warm-up"
    round warm
    warm_total=$total
    sample warm-up | tee -a "$dir/rss"
    for r in $(seq 1 "$rounds"); do
        echo "-- round $r/$rounds"
        round main
        sample "round-$r" | tee -a "$dir/rss"
    done
    hsts_httpd_stop "$dir"
    trap - EXIT
    crashes=$(hsts_crash_lines "$dir/error_log")
    echo "$total $(( total - warm_total )) $bad_total $errors_total $reads_total $crashes" >"$dir/counts"
}

# the same ports for both servers, one after the other
{ read -r tls; read -r plain; } < <(hsts_free_ports 2)
policy="max-age=31536000; includeSubDomains"
location="https://example.com:$tls/file.txt"

soak hsts 1
[ "$quick" = 1 ] || soak baseline 0

# The verdict: per process of the mod_hsts server, RSS at the end against
# the warm-up; the baseline's numbers beside them.
verdict=0
perl - "$out" "$rounds" "$quick" "$(robust_machine)" "${main[*]}" \
    "$(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2)" \
    >"$out/summary.md" <<'PERL' || verdict=$?
use strict;
use warnings;
my ($out, $rounds, $quick, $machine, $secs, $wrk) = @ARGV;
my @s = split ' ', $secs;

sub table {
    my ($dir, $check) = @_;
    my (%rss, %role, @labels);
    open my $fh, '<', "$dir/rss" or die "$dir/rss: $!";
    while (<$fh>) {
        my ($label, $pid, $kib, $role) = split;
        push @labels, $label unless grep { $_ eq $label } @labels;
        $rss{$pid}{$label} = $kib;
        $role{$pid} = $role;
    }
    my ($first, $last) = @labels[0, -1];
    my $tol = 4096;
    my @pids = sort { ($role{$b} cmp $role{$a}) || $a <=> $b } keys %rss;
    my $same = !grep { !defined $rss{$_}{$first} || !defined $rss{$_}{$last} } @pids;
    my ($grown, $text) = (0, '');
    $text .= "| Process | PID | " . join(' | ', map { "RSS $_ (KiB)" } @labels)
           . " | Growth after warm-up |" . ($check ? " Tolerance |" : '') . "\n";
    $text .= "|---|---:|" . ('---:|' x @labels) . "---:|" . ($check ? '---:|' : '') . "\n";
    for my $pid (@pids) {
        my $w = $rss{$pid}{$first} // 0;
        my $e = $rss{$pid}{$last} // 0;
        $grown++ if $check && $role{$pid} eq 'child' && $e - $w > $tol;
        $text .= sprintf "| %s | %d | %s | %+d KiB |%s\n", $role{$pid}, $pid,
            join(' | ', map { $rss{$pid}{$_} // '-' } @labels), $e - $w,
            $check ? " $tol KiB |" : '';
    }
    return ($text, $same, $grown);
}
sub counts {
    my ($dir) = @_;
    open my $fh, '<', "$dir/counts" or die "$dir/counts: $!";
    return split ' ', scalar <$fh>;
}

my ($total, $soak, $bad, $errors, $reads, $crashes) = counts("$out/hsts");
my ($text, $same, $grown) = table("$out/hsts", 1);
print "## Soak (robustness/soak.sh)\n\n";
print "$machine, $wrk. Event MPM, 2 children x 16 threads, MaxMemFree 64; wrk 2 threads,\n";
print "16 connections;\n";
print "a 1 KiB file over TLS (header path) and a 301 over plain HTTP (redirect path),\n";
print "keep-alive and `Connection: close`; every response checked (status, header, Location).\n";
print "A warm-up round, then $rounds round(s), each of TLS keep-alive $s[0] s, TLS close $s[1] s,\n";
print "plain keep-alive $s[2] s, plain close $s[3] s, each phase once the last one's\n";
print "connections are closed.\n\n";
printf "With mod_hsts: %d requests in all, %d after the warm-up. Wrong responses: %d. "
     . "Socket errors (connect, write, timeout, status): %d. Keep-alive connections closed "
     . "under the client (wrk \"read\" errors): %d. Crashes in the error log: %d.\n\n",
       $total, $soak, $bad, $errors, $reads, $crashes;
print $text;
# A keep-alive connection that the server closes while the client sends
# its next request (wrk counts a "read" error) happens without mod_hsts
# too, at the same rate (the baseline): allowed up to 10 per million, and
# up to 10 in any run (a short run has too few requests for a rate).
my $reads_allowed = $total / 100000 > 10 ? $total / 100000 : 10;
my $reads_ok = $reads <= $reads_allowed;
my $ok = $same && !$bad && !$errors && !$crashes && $reads_ok
         && ($quick || ($soak >= 200000 && !$grown));
printf "\nTolerance: a child may grow by 4 MiB between the warm-up sample and the last one\n"
    . "(checked in the full run only); the baseline below shows how much the same server\n"
    . "moves without mod_hsts. A leak of 4 bytes per request would have grown the children\n"
    . "by %d KiB in all over the %d requests after the warm-up.\n",
    $soak * 4 / 1024, $soak;
if (-e "$out/baseline/counts") {
    my ($bt, $bs, $bb, $be, $br, $bc) = counts("$out/baseline");
    my ($btext, $bsame) = table("$out/baseline", 0);
    $ok &&= !$bb && !$be && !$bc;
    print "\nBaseline, the same server and load without mod_hsts (no header; mod_alias\n";
    printf "`Redirect permanent`): %d requests, %d after the warm-up; wrong responses %d, "
         . "socket errors %d, keep-alive connections closed under the client %d, "
         . "crashes %d.\n\n", $bt, $bs, $bb, $be, $br, $bc;
    print $btext;
}
print "\nKeep-alive connections closed under the client: allowed up to 10 per million\n"
    . "requests, and up to 10 in a short run (a client sends the request again); the\n"
    . "baseline shows the same without mod_hsts.\n";
printf "\nVerdict: %s%s.\n", $ok ? 'PASS' : 'FAIL',
    $same ? '' : ' (the processes changed during the run)';
exit($ok ? 0 : 1);
PERL
cat "$out/summary.md"
robust_finish soak "$verdict" "$out/summary.md" "" " (see $out)"
