#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# What a request for the report page costs at hosting scale: N TLS
# name-based virtual hosts on one address:port with an HSTS policy, every
# 5th with preload intent, every 10th with a max-age below a year (an
# error finding), every 25th with a certificate that expires in 20 days (a
# warning, and a problem by its date), all sharing two certificates. The page is served over plain
# HTTP by a host of its own on another address, so only the page's
# generation and transfer are timed, not TLS. For each view (the page,
# ?problems, ?json, ?metrics): the median time of R requests on one
# keep-alive connection (curl's time_total, first byte to last) and the
# bytes of the response body.
#
#   bench/report.sh            1,000 and 10,000 hosts; writes its section
#                              of bench/RESULTS.md
#   bench/report.sh --quick    100 hosts, 3 requests: checks that the
#                              benchmark works (CI); writes nothing in bench/
#   --sizes "N ..."            other numbers of hosts
#   --requests R               requests per view (default 21)
#
# The target: at 10,000 hosts the full page and ?problems are generated in
# well under a second (here: under 250 ms each).
set -euo pipefail
shopt -s inherit_errexit

quick=0
sizes="1000 10000"
requests=21
while [ $# -gt 0 ]; do
    case $1 in
    --quick) quick=1; sizes="100"; requests=3 ;;
    --sizes) sizes=$2; shift ;;
    --requests) requests=$2; shift ;;
    *) echo "usage: bench/report.sh [--quick] [--sizes \"N ...\"] [--requests R]" >&2
       exit 2 ;;
    esac
    shift
done

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
# shellcheck source=scripts/lib.sh
. scripts/lib.sh
if [ "$(id -u)" = 0 ]; then
    scripts/deps.sh
fi

work=$(mktemp -d /tmp/hsts-report-bench.XXXXXX)
chmod 755 "$work"
running=()
cleanup() {
    local dir
    for dir in "${running[@]}"; do
        hsts_httpd_stop "$dir"
    done
}
trap cleanup EXIT

echo "== build (work directory $work)"
hsts_build
hsts_httpd_paths

# as root, the servers run as the test user
user=""
user_line=""
if [ "$(id -u)" = 0 ]; then
    user=$(hsts_test_user)
    user_line=$(hsts_httpd_user "$user")
fi

echo "== certificates"
hsts_make_pki "$work" "report bench CA" site "DNS:example.com,DNS:*.example.com"
# the same names, expiring in 20 days
openssl x509 -req -in "$work/site.csr" -CA "$work/ca.crt" -CAkey "$work/ca.key" \
    -CAcreateserial -days 20 -extfile "$work/site.ext" -out "$work/soon.crt" 2>/dev/null
mkdir -p "$work/htdocs"
chmod -R a+rX "$work"

# config <dir> <hosts> <tls port> <plain port>
config() {
    local dir=$1 n=$2 tls=$3 plain=$4 i cert policy
    mkdir -p "$dir"
    {
        hsts_httpd_conf_head "$dir" "$work/htdocs" event authz_core \
            authz_host socache_shmcb ssl hsts
        echo "LogLevel notice"
        echo "$user_line"
        echo "ServerName report.localhost"
        echo "KeepAlive On"
        echo "MaxKeepAliveRequests 0"
        echo "Listen 127.0.0.1:$tls"
        echo "Listen 127.0.0.2:$plain"
        # the hosts are subdomains on a port other than 443 whose plain
        # side is the report's host: silence what follows from that for the
        # preload hosts (it is still computed, and shown as ignored)
        echo "HSTSLintIgnore domain.is_subdomain domain.tls.cannot_connect" \
             "redirects.http.does_not_exist redirects.http.no_redirect" \
             "domain.www.no_tls"
        echo "<VirtualHost 127.0.0.2:$plain>"
        echo "    ServerName report.localhost"
        echo "    <Location \"/hsts-report\">"
        echo "        SetHandler hsts-report"
        echo "        Require ip 127.0.0.0/8"
        echo "    </Location>"
        echo "</VirtualHost>"
        for i in $(seq 1 "$n"); do
            cert=site.crt
            policy="max-age=63072000; includeSubDomains"
            [ $((i % 25)) = 0 ] && cert=soon.crt
            [ $((i % 5)) = 0 ] && policy="$policy; preload"
            [ $((i % 10)) = 0 ] && policy="max-age=300; includeSubDomains; preload"
            cat <<EOF
<VirtualHost 127.0.0.1:$tls>
    ServerName site$i.example.com
    SSLEngine on
    SSLCertificateFile $work/$cert
    SSLCertificateKeyFile $work/site.key
    HSTSPolicy "$policy"
</VirtualHost>
EOF
        done
    } >"$dir/httpd.conf"
    chmod -R a+rX "$dir"
    [ -z "$user" ] || chown -R "$user" "$dir"
}

median() {
    sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

views="page problems json metrics"
declare -A ms best bytes status
for n in $sizes; do
    dir="$work/hosts-$n"
    { read -r tls; read -r plain; } < <(hsts_free_ports 2)
    config "$dir" "$n" "$tls" "$plain"
    running+=("$dir")
    SSL_CERT_FILE="$work/ca.crt" hsts_httpd_start "$dir"
    for view in $views; do
        query=""
        [ "$view" = page ] || query="?$view"
        urls=()
        for _ in $(seq 1 "$requests"); do
            urls+=(-o /dev/null "http://127.0.0.2:$plain/hsts-report$query")
        done
        # one keep-alive connection; the first request is a warm-up
        curl -s --http1.1 -w '%{http_code} %{time_total} %{size_download}\n' \
            "${urls[@]}" | tail -n +2 >"$dir/$view.times"
        status[$n,$view]=$(cut -d' ' -f1 "$dir/$view.times" | sort -u | tr '\n' ' ')
        ms[$n,$view]=$(awk '{printf "%.1f\n", $2 * 1000}' "$dir/$view.times" | median)
        best[$n,$view]=$(awk '{printf "%.1f\n", $2 * 1000}' "$dir/$view.times" | sort -n | head -1)
        bytes[$n,$view]=$(cut -d' ' -f3 "$dir/$view.times" | sort -u | head -1)
        printf '   %6d hosts %-9s %8s ms (best %s ms) %10s bytes (status %s)\n' "$n" \
            "$view" "${ms[$n,$view]}" "${best[$n,$view]}" "${bytes[$n,$view]}" \
            "${status[$n,$view]% }"
        if [ "${status[$n,$view]}" != "200 " ]; then
            echo "bench: the report answered ${status[$n,$view]}" >&2
            cat "$dir/error_log" >&2
            exit 1
        fi
    done
    hsts_httpd_stop "$dir"
done

results="$work/section.md"
perl - "$results" "$quick" "$requests" "$sizes" "$views" \
    "$(declare -p ms)" "$(declare -p best)" "$(declare -p bytes)" <<'PERL'
use strict;
use warnings;
my ($file, $quick, $requests, $sizes, $views, $ms_decl, $best_decl, $bytes_decl) = @ARGV;
sub assoc {
    my ($decl) = @_;
    my %h;
    while ($decl =~ /\[([^\]]+)\]="([^"]*)"/g) { $h{$1} = $2 }
    return %h;
}
my %ms = assoc($ms_decl);
my %best = assoc($best_decl);
my %bytes = assoc($bytes_decl);
my @sizes = split ' ', $sizes;
my @views = split ' ', $views;
my %label = (page => 'the page', problems => '`?problems`', json => '`?json`',
             metrics => '`?metrics`');
sub group { my $n = reverse shift; $n =~ s/(\d{3})(?=\d)/$1,/g; return scalar reverse $n }

chomp(my $cpu = `grep -m1 'model name' /proc/cpuinfo | cut -d: -f2`);
$cpu =~ s/^\s+//;
chomp(my $date = `date -u +%Y-%m-%d`);
my $out = "<!-- begin bench/report.sh -->\n## The report page at scale (`bench/report.sh`)\n\n";
$out .= "$date, $cpu, " . `nproc | tr -d '\n'` . " cores. TLS name-based virtual hosts "
      . "with an HSTS policy, every 5th with preload intent, every 10th with an error "
      . "finding, every 25th with a "
      . "certificate that expires in 20 days; the page served over plain HTTP on "
      . "loopback, median of $requests requests on one keep-alive connection.\n\n";
$out .= "| Hosts | View | Time per request (median) | Best | Bytes |\n"
      . "|---:|---|---:|---:|---:|\n";
for my $n (@sizes) {
    for my $v (@views) {
        $out .= sprintf "| %s | %s | %s ms | %s ms | %s |\n", group($n), $label{$v},
                        $ms{"$n,$v"}, $best{"$n,$v"}, group($bytes{"$n,$v"});
    }
}
my $large = $sizes[-1];
my @verdicts;
for my $v ('page', 'problems') {
    my $t = $ms{"$large,$v"};
    push @verdicts, sprintf "| %s at %s hosts in under 250 ms | %s | %s ms |",
        $label{$v}, group($large), $t < 250 ? 'PASS' : 'FAIL', $t;
}
$out .= "\n### Targets";
$out .= " (quick run: $large hosts is not the targets' scale)" if $quick;
$out .= "\n\n| Target | Verdict | Measured |\n|---|---|---|\n";
$out .= "$_\n" for @verdicts;
$out .= "<!-- end bench/report.sh -->\n";
open my $fh, '>', $file or die "$file: $!";
print $fh $out;
close $fh;
PERL
cat "$results"

if [ "$quick" = 0 ]; then
    # replace this script's section of bench/RESULTS.md, keeping the rest
    hsts_record_section bench/report.sh "$results"
    echo "bench: wrote the report page section of bench/RESULTS.md"
else
    echo "bench: quick report page run OK"
fi
rm -rf "$work"
