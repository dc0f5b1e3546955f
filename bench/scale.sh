#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# mod_hsts at hosting scale: N TLS name-based virtual hosts on one
# address:port, each with its own certificate (an ECDSA P-256 leaf and the
# one intermediate every leaf shares, in one file as Let's Encrypt's
# fullchain.pem), the preload policy on every host, one plain-HTTP host
# with HSTSRedirect On, SSL_CERT_FILE naming the test root. Measured with
# mod_hsts and without it (the same configuration less LoadModule hsts and
# its directives):
#   - `apache2 -t`, first run (runtime directory emptied) and repeated
#     (runtime directory kept, as it is between two `apachectl graceful`);
#   - a start (runtime directory emptied): from `httpd -k start` until a
#     TLS handshake with one of the hosts succeeds;
#   - a graceful restart: from `httpd -k graceful` until the new
#     generation is configured (its "resuming normal operations" line in
#     the error log, followed with inotify through `tail -f`) and a TLS
#     handshake succeeds;
#   - the parent's resident memory (VmRSS) after the start.
# Then the verdicts against the hosting-scale targets.
#
#   bench/scale.sh            1,000 and 10,000 hosts (5 and 3 runs, medians);
#                             writes its section of bench/RESULTS.md
#   bench/scale.sh --quick    20 and 100 hosts, one run: checks that the
#                             benchmark works (CI); writes nothing in bench/
#   --sizes "N ..."           other numbers of hosts (smallest first)
#   --runs R                  runs per size (default 5, 3 above 5,000 hosts)
#   --keep                    keep the work directory: its <n>-with/ and
#                             <n>-without/ hold httpd.conf for profiling, e.g.
#       SSL_CERT_FILE=$HSTS_SCALE_CACHE/<n>/root.pem valgrind --tool=callgrind \
#           apache2 -t -d <dir> -f <dir>/httpd.conf
#
# Certificates are made by bench/scale_certs.c (compiled on the fly) and
# kept in $HSTS_SCALE_CACHE (default /tmp/hsts-scale-cache), one directory
# per number of hosts, made again when the generator changes or after 30
# days (the leaves are valid 90). Run as root: httpd starts as root and
# serves as the unprivileged user hststest.
set -euo pipefail
shopt -s inherit_errexit
export LC_ALL=C

quick=0
sizes="1000 10000"
runs=""
keep=0
while [ $# -gt 0 ]; do
    case $1 in
    --quick) quick=1; sizes="20 100"; runs=${runs:-1} ;;
    --sizes) sizes=$2; shift ;;
    --runs) runs=$2; shift ;;
    --keep) keep=1 ;;
    *) echo "usage: bench/scale.sh [--quick] [--sizes \"N ...\"] [--runs R] [--keep]" >&2
       exit 2 ;;
    esac
    shift
done
[ "$(id -u)" = 0 ] || { echo "bench/scale.sh: run it as root" >&2; exit 1; }

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
# shellcheck source=scripts/lib.sh
. scripts/lib.sh
scripts/deps.sh

work=$(mktemp -d /tmp/hsts-scale.XXXXXX)
chmod 755 "$work"
cache=${HSTS_SCALE_CACHE:-/tmp/hsts-scale-cache}
mkdir -p "$cache"
running=()
cleanup() {
    local dir pid
    for dir in "${running[@]}"; do
        pid=$(cat "$dir/httpd.pid" 2>/dev/null) || continue
        kill -TERM "$pid" 2>/dev/null || true
    done
}
trap cleanup EXIT

echo "== build (work directory $work)"
hsts_build
hsts_httpd_paths
user=$(hsts_test_user)

gen_id=$(sha256sum bench/scale_certs.c | cut -c1-16)
gen="$cache/scale_certs-$gen_id"
if [ ! -x "$gen" ]; then
    read -ra crypto <<<"$(pkg-config --cflags --libs libcrypto)"
    cc -O2 -Wall -Wextra -Werror -o "$gen.tmp" bench/scale_certs.c "${crypto[@]}"
    mv "$gen.tmp" "$gen"
fi

# certs_for <n>: the certificates of n hosts in $cache/<n>, made if needed.
certs_for() {
    local n=$1 dir="$cache/$1" id made tmp
    if [ -f "$dir/made" ] && read -r id made <"$dir/made" \
       && [ "$id" = "$gen_id" ] && [ $(( $(date +%s) - made )) -lt 2592000 ]; then
        return 0
    fi
    echo "   making $n certificates in $dir"
    tmp=$(mktemp -d "$cache/.new.XXXXXX")
    "$gen" "$tmp" "$n" 90
    echo "$gen_id $(date +%s)" >"$tmp/made"
    chmod -R a+rX "$tmp"
    rm -rf "$dir"
    mv "$tmp" "$dir"
}

# write_conf <dir> <n> <hsts: 1|0> <tls port> <plain port>
write_conf() {
    local dir=$1 n=$2 hsts=$3 tport=$4 pport=$5 m
    mkdir -p "$dir/run" "$dir/htdocs"
    {
        echo "LoadModule mpm_event_module $libexec/mod_mpm_event.so"
        for m in authz_core socache_shmcb ssl; do
            echo "LoadModule ${m}_module $libexec/mod_${m}.so"
        done
        [ "$hsts" = 0 ] || echo "LoadModule hsts_module $hsts_top/.libs/mod_hsts.so"
        cat <<EOF
ServerRoot $dir
DefaultRunTimeDir $dir/run
PidFile $dir/httpd.pid
ErrorLog $dir/error_log
LogLevel notice
$(hsts_httpd_user "$user")
ServerName example.com
DocumentRoot $dir/htdocs
Mutex file:$dir/run default
SSLSessionCache none
Listen 127.0.0.1:$pport
Listen 127.0.0.1:$tport
EOF
        # the hosts are subdomains on test ports: silence those findings
        # (they are still computed)
        [ "$hsts" = 0 ] || echo "HSTSLintIgnore domain.is_subdomain domain.tls.cannot_connect"
        perl -e '
            my ($n, $hsts, $tport, $pport, $certs) = @ARGV;
            print "<VirtualHost 127.0.0.1:$pport>\n",
                  "    ServerName example.com\n",
                  "    ServerAlias *.example.com\n",
                  $hsts ? "    HSTSRedirect On\n" : "",
                  "</VirtualHost>\n";
            for my $i (1 .. $n) {
                print "<VirtualHost 127.0.0.1:$tport>\n",
                      "    ServerName site$i.example.com\n",
                      "    ServerAlias www.site$i.example.com\n",
                      "    SSLEngine on\n",
                      "    SSLCertificateFile $certs/site$i.pem\n",
                      "    SSLCertificateKeyFile $certs/site$i.key\n",
                      $hsts ? "    HSTSPolicy \"max-age=63072000; includeSubDomains; preload\"\n" : "",
                      "</VirtualHost>\n";
            }' "$n" "$hsts" "$tport" "$pport" "$cache/$n"
    } >"$dir/httpd.conf"
    echo "$tport" >"$dir/tls_port"
    echo "$n" >"$dir/hosts"
    chmod -R a+rX "$dir"
    chown -R "$user" "$dir"
}

# An empty runtime directory: nothing a previous run left there.
clear_runtime() {
    rm -rf "$1/run"
    mkdir "$1/run"
    chown "$user" "$1/run"
}

# ms_since <$EPOCHREALTIME value>: milliseconds since then.
ms_since() {
    local t0=${1//[!0-9]/} t1=${EPOCHREALTIME//[!0-9]/}
    echo $(( (t1 - t0) / 1000 ))
}

# timed <out file> <command...>: runs it with its output in the file and
# prints the user + system milliseconds it took (bash's time keyword, so
# the processes it waited for).
timed() {
    local out=$1 TIMEFORMAT='%3U %3S' t user sys
    shift
    t=$( { time "$@" >"$out" 2>&1; } 2>&1 ) \
        || { echo "bench/scale.sh: $* failed:" >&2; cat "$out" >&2; return 1; }
    read -r user sys <<<"$t"
    echo $(( 10#${user//[!0-9]/} + 10#${sys//[!0-9]/} ))
}

# The milliseconds of CPU a running process has used (user + system).
cpu_ms() {
    awk -v hz="$(getconf CLK_TCK)" '{ print int(($14 + $15) * 1000 / hz) }' "/proc/$1/stat"
}

run_httpd() {
    local dir=$1
    shift
    SSL_CERT_FILE="$cache/$(cat "$dir/hosts")/root.pem" \
        "$httpd" -d "$dir" -f "$dir/httpd.conf" "$@"
}

# configtest <dir>: one `httpd -t`; prints its wall and CPU milliseconds.
configtest() {
    local dir=$1 t0 cpu
    t0=$EPOCHREALTIME
    cpu=$(timed "$dir/t.out" run_httpd "$dir" -t)
    echo "$(ms_since "$t0") $cpu"
}

# wait_generation <dir> <k>: until the error log says "resuming normal
# operations" for the k-th time (tail -f follows the file with inotify).
wait_generation() {
    local dir=$1 k=$2 hosts limit
    hosts=$(cat "$dir/hosts")
    limit=$((120 + hosts / 5))
    # (grep -c: with its output on /dev/null, grep -m 2 does not stop)
    # shellcheck disable=SC2016
    timeout "$limit" bash -c '[ "$(tail -n +1 -f "$1" | grep -c -m "$2" -F "resuming normal operations")" = "$2" ]' \
        _ "$dir/error_log" "$k" \
        || { echo "bench/scale.sh: httpd did not come up within ${limit}s:" >&2
             tail -20 "$dir/error_log" >&2; return 1; }
}

# handshake <dir>: a TLS handshake with the last host, its chain and name
# verified against the test root (any HTTP status will do).
handshake() {
    local dir=$1 port n
    port=$(cat "$dir/tls_port")
    n=$(cat "$dir/hosts")
    curl -sS -o /dev/null --max-time 600 --cacert "$cache/$n/root.pem" \
        --resolve "site$n.example.com:$port:127.0.0.1" \
        "https://site$n.example.com:$port/"
}

rss_kib() {
    hsts_rss_kib "$(cat "$1/httpd.pid")"
}

# start_stop <dir>: start, graceful restart, stop; sets start_ms,
# graceful_ms (wall), start_cpu, graceful_cpu (the signalling process's
# CPU and the parent's), rss_start, rss_graceful.
start_stop() {
    local dir=$1 t0 pid cpu parent_cpu
    clear_runtime "$dir"
    rm -f "$dir/httpd.pid"
    : >"$dir/error_log"
    running+=("$dir")
    t0=$EPOCHREALTIME
    cpu=$(timed "$dir/k.out" run_httpd "$dir" -k start)
    wait_generation "$dir" 1
    handshake "$dir"
    start_ms=$(ms_since "$t0")
    pid=$(cat "$dir/httpd.pid")
    parent_cpu=$(cpu_ms "$pid")
    start_cpu=$((cpu + parent_cpu))
    rss_start=$(rss_kib "$dir")

    t0=$EPOCHREALTIME
    cpu=$(timed "$dir/k.out" run_httpd "$dir" -k graceful)
    wait_generation "$dir" 2
    handshake "$dir"
    graceful_ms=$(ms_since "$t0")
    graceful_cpu=$((cpu + $(cpu_ms "$pid") - parent_cpu))
    rss_graceful=$(rss_kib "$dir")

    run_httpd "$dir" -k stop
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
    unset 'running[-1]'
}

data="$work/data"
: >"$data"
load_start=$(cut -d' ' -f1 /proc/loadavg)
record() { echo "$*" >>"$data"; }

for n in $sizes; do
    echo "== $n hosts"
    certs_for "$n"
    r=${runs:-$([ "$n" -gt 5000 ] && echo 3 || echo 5)}
    { read -r tport; read -r pport; } < <(hsts_free_ports 2)
    write_conf "$work/$n-without" "$n" 0 "$tport" "$pport"
    write_conf "$work/$n-with" "$n" 1 "$tport" "$pport"

    for run in $(seq 1 "$r"); do
        # pairs alternate which goes first, so a drift of the machine's
        # speed does not favour one side
        if [ $((run % 2)) = 1 ]; then order="without with"; else order="with without"; fi
        for v in $order; do
            dir="$work/$n-$v"
            clear_runtime "$dir"
            read -r cold cold_cpu <<<"$(configtest "$dir")"
            read -r repeated repeated_cpu <<<"$(configtest "$dir")"
            if [ "$v" = with ] && grep -q "mod_hsts:" "$dir/t.out"; then
                echo "bench/scale.sh: the generated configuration has lint findings" \
                     "(the scenario is meant to have none):" >&2
                grep "mod_hsts:" "$dir/t.out" | head -5 >&2
                exit 1
            fi
            record "$n $v t_cold $cold $cold_cpu"
            record "$n $v t_repeated $repeated $repeated_cpu"
            printf '   run %d %-7s apache2 -t: %6d ms first (CPU %d), %6d ms repeated (CPU %d)\n' \
                "$run" "$v" "$cold" "$cold_cpu" "$repeated" "$repeated_cpu"
        done
        for v in $order; do
            start_stop "$work/$n-$v"
            record "$n $v start $start_ms $start_cpu"
            record "$n $v graceful $graceful_ms $graceful_cpu"
            record "$n $v rss $rss_start"
            record "$n $v rss_graceful $rss_graceful"
            printf '   run %d %-7s start %6d ms (CPU %d), graceful %6d ms (CPU %d), parent RSS %d KiB (%d after graceful)\n' \
                "$run" "$v" "$start_ms" "$start_cpu" "$graceful_ms" "$graceful_cpu" \
                "$rss_start" "$rss_graceful"
        done
    done
done

echo "== results"
results="$work/scale.md"
load_end=$(cut -d' ' -f1 /proc/loadavg)
perl - "$data" "$results" "$quick" "$sizes" "$load_start" "$load_end" <<'PERL'
use strict;
use warnings;
my ($datafile, $file, $quick, $sizes, $load_start, $load_end) = @ARGV;
my (%wall, %cpu);
open my $in, '<', $datafile or die "$datafile: $!";
while (<$in>) {
    my ($n, $variant, $measure, $value, $cpu) = split;
    push @{ $wall{$n}{$variant}{$measure} }, $value;
    push @{ $cpu{$n}{$variant}{$measure} }, $cpu if defined $cpu;
}
close $in;
sub median { my @a = sort { $a <=> $b } @_; return $a[int($#a / 2)] }
sub med { my ($h, $n, $variant, $m) = @_; return median(@{ $h->{$n}{$variant}{$m} }) }
sub secs { my ($ms) = @_; return $ms >= 1000 ? sprintf('%.2f s', $ms / 1000) : "$ms ms" }
sub signed_secs { my ($ms) = @_; return ($ms < 0 ? '-' : '+') . secs(abs $ms) }
sub mib { return sprintf('%.1f MiB', $_[0] / 1024) }
sub ratio { my ($a, $b) = @_; return sprintf('%.2f', $a / ($b || 1)) }

my @sizes = split ' ', $sizes;
my ($small, $large) = ($sizes[0], $sizes[-1]);
my @rows = (
    [t_cold => '`apache2 -t`, first run'],
    [t_repeated => '`apache2 -t`, repeated'],
    [start => 'start until TLS is served'],
    [graceful => 'graceful restart until the new generation serves TLS'],
    [rss => 'parent RSS after start'],
    [rss_graceful => 'parent RSS after the graceful restart'],
);
chomp(my $cpu = `grep -m1 'model name' /proc/cpuinfo | cut -d: -f2`);
$cpu =~ s/^\s+//;
chomp(my $httpd = `apache2 -v | head -1 | sed 's/Server version: //'`);
chomp(my $ossl = `openssl version`);
chomp(my $date = `date -u +%Y-%m-%d`);
chomp(my $cores = `nproc`);
my $out = "<!-- begin bench/scale.sh -->\n";
$out .= sprintf "## Hosting scale: one certificate per host%s\n\n",
    $quick ? ' (quick smoke run)' : '';
$out .= "$date, $cpu, $cores cores, $httpd, $ossl; load average $load_start "
      . "before the run, $load_end after. Produced by `bench/scale.sh`.\n\n";
$out .= "N TLS name-based virtual hosts on one address:port, each with its own "
      . "ECDSA P-256 certificate (leaf + the one shared intermediate, in one file), "
      . "`HSTSPolicy \"max-age=63072000; includeSubDomains; preload\"` on every host, "
      . "one plain-HTTP host with `HSTSRedirect On`, `SSL_CERT_FILE` naming the test root, "
      . "event MPM. \"Without\" is the same configuration less `LoadModule hsts_module` "
      . "and its directives. Medians of the runs given, with and without taken in turn. "
      . "A start begins with an empty runtime directory; a repeated `apache2 -t` keeps "
      . "what the first one left there. Wall is the time a user waits; CPU is the user "
      . "+ system time of the processes involved (`apache2 -t`; `httpd -k start` or "
      . "`-k graceful` and the parent's), which waiting for a busy core does not "
      . "inflate (on a virtual machine that accounts no steal time, the host's "
      . "preemption still does). The targets are judged on wall time; at 10,000 hosts "
      . "a start or a graceful restart varies by tens of percent from run to run on "
      . "a shared machine.\n\n";
$out .= "| Hosts | Measure | Runs | Without mod_hsts | With mod_hsts | Added | Ratio "
      . "| CPU without | CPU with | CPU ratio |\n"
      . "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n";
for my $n (@sizes) {
    for my $r (@rows) {
        my ($m, $label) = @$r;
        my ($wo, $w) = (med(\%wall, $n, 'without', $m), med(\%wall, $n, 'with', $m));
        my $runs = scalar @{ $wall{$n}{with}{$m} };
        if ($m =~ /^rss/) {
            $out .= sprintf "| %d | %s | %d | %s | %s | %+.1f MiB (%.2f KiB per host) | %s | | | |\n",
                $n, $label, $runs, mib($wo), mib($w), ($w - $wo) / 1024, ($w - $wo) / $n,
                ratio($w, $wo);
        }
        else {
            my ($cwo, $cw) = (med(\%cpu, $n, 'without', $m), med(\%cpu, $n, 'with', $m));
            $out .= sprintf "| %d | %s | %d | %s | %s | %s | %s | %s | %s | %s |\n",
                $n, $label, $runs, secs($wo), secs($w), signed_secs($w - $wo), ratio($w, $wo),
                secs($cwo), secs($cw), ratio($cw, $cwo);
        }
    }
}

my @verdicts;
sub verdict {
    my ($name, $ok, $detail) = @_;
    push @verdicts, sprintf "| %s | %s | %s |", $name, $ok ? 'PASS' : 'FAIL', $detail;
}
sub ratio_verdict {
    my ($m, $label, $max) = @_;
    my ($wo, $w) = (med(\%wall, $large, 'without', $m), med(\%wall, $large, 'with', $m));
    my ($cwo, $cw) = (med(\%cpu, $large, 'without', $m), med(\%cpu, $large, 'with', $m));
    verdict("$label at $large hosts <= ${max}x without mod_hsts", $w <= $max * $wo,
            sprintf('%s vs %s (%sx; CPU %sx)', secs($w), secs($wo), ratio($w, $wo),
                    ratio($cw, $cwo)));
}
ratio_verdict('graceful', 'graceful restart', 1.05);
ratio_verdict('start', 'start', 1.10);
ratio_verdict('t_repeated', '`apache2 -t` repeated', 1.5);
ratio_verdict('t_cold', '`apache2 -t` first run', 6);
if ($small != $large) {
    my $k = $large / $small;
    my %added;
    for my $h (\%wall, \%cpu) {
        for my $n ($small, $large) {
            $added{$h}{$n} = med($h, $n, 'with', 't_cold') - med($h, $n, 'without', 't_cold');
            $added{$h}{$n} = 1 if $added{$h}{$n} < 1;
        }
    }
    my ($add_l, $add_s) = ($added{\%wall}{$large}, $added{\%wall}{$small});
    verdict(sprintf('%g x the hosts cost <= %g x the added time (`apache2 -t` first run)',
                    $k, 1.1 * $k),
            $add_l <= 1.1 * $k * $add_s,
            sprintf('%s at %d vs %s at %d (%.1fx; CPU %.1fx)', signed_secs($add_l), $large,
                    signed_secs($add_s), $small, $add_l / $add_s,
                    $added{\%cpu}{$large} / $added{\%cpu}{$small}));
}
my $per_host = (med(\%wall, $large, 'with', 'rss') - med(\%wall, $large, 'without', 'rss'))
             / $large;
verdict("parent RSS after start at $large hosts: <= 2 KiB added per host", $per_host <= 2,
        sprintf('%.2f KiB per host', $per_host));

$out .= "\n### Targets";
$out .= " (quick run: $large hosts is not the targets' scale)" if $quick;
$out .= "\n\n| Target | Verdict | Measured |\n|---|---|---|\n";
$out .= "$_\n" for @verdicts;
$out .= "<!-- end bench/scale.sh -->\n";
open my $fh, '>', $file or die "$file: $!";
print $fh $out;
close $fh;
PERL
cat "$results"

if [ "$quick" = 0 ]; then
    # replace this script's section of bench/RESULTS.md, keeping the rest
    hsts_record_section bench/scale.sh "$results"
    echo "bench: wrote the hosting-scale section of bench/RESULTS.md"
else
    echo "bench: quick hosting-scale run OK"
fi
if [ "$keep" = 1 ]; then
    echo "bench: kept $work"
else
    rm -rf "$work"
fi
