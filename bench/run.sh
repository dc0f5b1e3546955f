#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# mod_hsts benchmark: what mod_hsts costs per request, side by side with
# the recipes it replaces and with the least any module can cost, plus
# what its startup lint adds to `apache2 -t`.
#
#   bench/run.sh            the full run; writes bench/RESULTS.md, keeping
#                           the sections other benchmarks write there
#                           (bench/report.sh)
#   bench/run.sh --quick    a smoke run that only checks the benchmark works
#                           (writes the table to its work directory)
#
# Instructions per request come from callgrind on `apache2 -X` (prefork):
# one connection, N keep-alive requests, a dump before each request is
# read, and the average over the requests after the first few, so
# startup and the TLS handshake drop out exactly. Throughput comes from
# wrk on loopback against the event MPM, configurations interleaved
# A B A B. Startup is `apache2 -t` on generated configurations.
set -euo pipefail
shopt -s inherit_errexit

quick=0
[ "${1:-}" = --quick ] && quick=1

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. scripts/lib.sh

if [ "$(id -u)" = 0 ]; then
    scripts/deps.sh valgrind wrk
fi

if [ "$quick" = 1 ]; then
    n_warm=2; n_total=6; rounds=1; wrk_secs=1; vhost_counts="100 1000"; t_runs=1
else
    n_warm=5; n_total=25; rounds=5; wrk_secs=5; vhost_counts="1000 10000"; t_runs=5
fi

work=$(mktemp -d /tmp/hsts-bench.XXXXXX)
chmod 755 "$work"
trap 'pkill -f "$work/" 2>/dev/null || true' EXIT

echo "== build (work directory $work)"
hsts_build
hsts_httpd_paths
cp bench/mod_floor.c "$work/"
(cd "$work" && "$apxs" -c mod_floor.c >/dev/null)
floor_so="$work/.libs/mod_floor.so"
hsts_so="$top/.libs/mod_hsts.so"

# as root, the servers run as the test user
user_line=""
if [ "$(id -u)" = 0 ]; then
    user=$(hsts_test_user)
    user_line=$(hsts_httpd_user "$user")
fi

echo "== certificates and content"
hsts_make_pki "$work" "bench CA" site "DNS:example.com,DNS:*.example.com"
mkdir -p "$work/htdocs"
head -c 1024 /dev/zero | tr '\0' 'x' >"$work/htdocs/file.txt"
chmod -R a+rX "$work"

# config <dir> <mpm> <tls: 1|0> <port> <extra directives...>
config() {
    local dir=$1 mpm=$2 tls=$3 port=$4
    shift 4
    mkdir -p "$dir"
    {
        hsts_httpd_conf_head "$dir" "$work/htdocs" "$mpm" authz_core mime \
            alias rewrite headers socache_shmcb ssl
        echo "LogLevel notice"
        echo "$user_line"
        echo "ServerName example.com"
        echo "KeepAlive On"
        echo "MaxKeepAliveRequests 0"
        echo "Listen 127.0.0.1:$port"
        if [ "$tls" = 1 ]; then
            echo "SSLEngine on"
            echo "SSLCertificateFile $work/site.crt"
            echo "SSLCertificateKeyFile $work/site.key"
            echo "SSLProtocol TLSv1.3"
            echo "SSLSessionCache none"
        fi
        printf '%s\n' "$@"
    } >"$dir/httpd.conf"
    chmod -R a+rX "$dir"
    [ -z "$user_line" ] || chown -R "$user" "$dir"
}

# Waits until httpd has written its pid file, which it does once its
# listeners are bound (no probe request: it would shift the dumps).
wait_ready() {
    local dir=$1
    # shellcheck disable=SC2016  # the condition expands as it is evaluated
    hsts_wait_until '[ -s "$dir/httpd.pid" ]' 120 && return 0
    echo "bench: httpd did not start:" >&2
    cat "$dir/error_log" "$dir/valgrind.log" >&2 2>/dev/null
    return 1
}

# callgrind <name> <tls> <path> <curl options...> -- <directives...>:
# prints the average instructions per request.
callgrind() {
    local name=$1 tls=$2 path=$3
    shift 3
    local curl_opts=()
    while [ "$1" != -- ]; do curl_opts+=("$1"); shift; done
    shift
    local dir="$work/cg-$name" port scheme urls=() i
    port=$(hsts_free_port)
    config "$dir" prefork "$tls" "$port" "$@"
    scheme=http; [ "$tls" = 1 ] && scheme=https
    valgrind --tool=callgrind --dump-before=ap_read_request \
        --callgrind-out-file="$dir/cg.out" \
        "$httpd" -X -d "$dir" -f "$dir/httpd.conf" >"$dir/valgrind.log" 2>&1 &
    local vg=$!
    wait_ready "$dir"
    for i in $(seq 1 "$n_total"); do
        urls+=(-o /dev/null "$scheme://example.com:$port$path")
    done
    curl -s --http1.1 --cacert "$work/ca.crt" --resolve "example.com:$port:127.0.0.1" \
        "${curl_opts[@]}" -w '%{http_code} ' "${urls[@]}" >"$dir/statuses"
    kill -TERM "$vg"
    wait "$vg" || true
    # dump k (k >= 2) holds request k-1; the last request may share the final
    # dump with the shutdown: average the requests between warm-up and it
    perl -e '
        my ($dir, $warm, $total) = @ARGV;
        my %ir;
        for my $f (glob "$dir/cg.out*") {
            my ($k) = $f =~ /cg\.out\.(\d+)$/ or next;
            open my $fh, "<", $f or die;
            while (<$fh>) { if (/^(?:summary|totals): (\d+)/) { $ir{$k} = $1; last } }
        }
        my ($sum, $n) = (0, 0);
        for my $req ($warm + 1 .. $total - 1) {
            defined $ir{$req + 1} or die "no dump for request $req in $dir\n";
            $sum += $ir{$req + 1}; $n++;
        }
        printf "%d\n", $sum / $n;
    ' "$dir" "$n_warm" "$n_total"
}

results="$work/RESULTS.md"
declare -A ir

echo "== instructions per request (callgrind, prefork, one keep-alive connection)"
sts='"max-age=31536000; includeSubDomains; preload"'
run_cg() {
    local key=$1
    shift
    ir[$key]=$(callgrind "$key" "$@")
    printf '   %-22s %8d\n' "$key" "${ir[$key]}"
}
hsts_load="LoadModule hsts_module $hsts_so"
hsts_policy="HSTSPolicy $sts"
if [ "$quick" = 1 ]; then
    run_cg tls_baseline 1 /file.txt --
    run_cg tls_hsts 1 /file.txt -- "$hsts_load" "$hsts_policy"
    run_cg plain_alias 0 /file.txt -- "Redirect permanent / https://example.com/"
    run_cg plain_hsts 0 /file.txt -- "$hsts_load" "HSTSRedirect On"
else
    run_cg tls_baseline 1 /file.txt --
    run_cg tls_headers_always 1 /file.txt -- "Header always set Strict-Transport-Security $sts"
    run_cg tls_headers_expr 1 /file.txt -- "Header always set Strict-Transport-Security $sts \"expr=%{HTTPS} == 'on'\""
    run_cg tls_floor 1 /file.txt -- "LoadModule hsts_floor_module $floor_so"
    run_cg tls_hsts 1 /file.txt -- "$hsts_load" "$hsts_policy"
    run_cg tls_baseline_404 1 /missing --
    run_cg tls_hsts_404 1 /missing -- "$hsts_load" "$hsts_policy"
    run_cg tls_baseline_304 1 /file.txt -H "If-Modified-Since: $(date -u -R -d '+1 day' | sed 's/+0000/GMT/')" --
    run_cg tls_hsts_304 1 /file.txt -H "If-Modified-Since: $(date -u -R -d '+1 day' | sed 's/+0000/GMT/')" -- "$hsts_load" "$hsts_policy"
    run_cg plain_baseline 0 /file.txt --
    run_cg plain_alias 0 /file.txt -- "Redirect permanent / https://example.com/"
    run_cg plain_rewrite 0 /file.txt -- "RewriteEngine on" \
        "RewriteCond %{SERVER_NAME} =example.com" \
        "RewriteRule ^ https://%{SERVER_NAME}%{REQUEST_URI} [END,NE,R=permanent]"
    run_cg plain_hsts 0 /file.txt -- "$hsts_load" "HSTSRedirect On"
fi

echo "== throughput (wrk, event MPM, keep-alive, $rounds round(s) of ${wrk_secs}s)"
declare -A rps
wrk_config() {
    local name=$1 tls=$2
    shift 2
    local dir="$work/wrk-$name" port
    port=$(hsts_free_port)
    config "$dir" event "$tls" "$port" "$@"
    echo "$port" >"$dir/port"
}
if [ "$quick" = 1 ]; then
    wrk_names="tls_baseline tls_hsts"
else
    wrk_names="tls_baseline tls_headers_always tls_hsts plain_alias plain_hsts"
fi
wrk_config tls_baseline 1
wrk_config tls_headers_always 1 "Header always set Strict-Transport-Security $sts"
wrk_config tls_hsts 1 "$hsts_load" "$hsts_policy"
wrk_config plain_alias 0 "Redirect permanent / https://example.com/"
wrk_config plain_hsts 0 "$hsts_load" "HSTSRedirect On"
for name in $wrk_names; do
    "$httpd" -d "$work/wrk-$name" -f "$work/wrk-$name/httpd.conf" -k start
    wait_ready "$work/wrk-$name"
done
for round in $(seq 1 "$rounds"); do
    for name in $wrk_names; do
        port=$(cat "$work/wrk-$name/port")
        scheme=http
        case $name in tls_*) scheme=https ;; esac
        r=$(wrk -t1 -c8 -d"${wrk_secs}s" "$scheme://127.0.0.1:$port/file.txt" \
            | awk '/^Requests\/sec:/ {print $2}')
        rps[$name]="${rps[$name]:-} $r"
    done
done
for name in $wrk_names; do
    "$httpd" -d "$work/wrk-$name" -f "$work/wrk-$name/httpd.conf" -k stop
    printf '   %-22s %s\n' "$name" "${rps[$name]}"
done

echo "== startup: apache2 -t with generated TLS virtual hosts"
declare -A t_with t_without
gen_vhosts() {
    local n=$1 hsts=$2 dir=$3 port=$4 i extra=()
    # the hosts are subdomains on a test port: silence those findings
    # (they are still computed)
    [ "$hsts" = 1 ] && extra=("$hsts_load" "HSTSLintIgnore domain.is_subdomain domain.tls.cannot_connect")
    # every listener belongs to the TLS hosts: nothing is served over plain HTTP
    config "$dir" event 0 "$port" "${extra[@]}"
    for i in $(seq 1 "$n"); do
        cat <<EOF
<VirtualHost 127.0.0.1:$port>
    ServerName site$i.example.com
    SSLEngine on
    SSLCertificateFile $work/site.crt
    SSLCertificateKeyFile $work/site.key
EOF
        [ "$hsts" = 1 ] && echo "    HSTSPolicy \"max-age=63072000; includeSubDomains; preload\""
        echo "</VirtualHost>"
    done >>"$dir/httpd.conf"
}
median() {
    tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
time_configtest() {
    local dir=$1 runs=$2 i s e out=""
    for i in $(seq 1 "$runs"); do
        s=$(date +%s%N)
        SSL_CERT_FILE="$work/ca.crt" "$httpd" -t -d "$dir" -f "$dir/httpd.conf" >/dev/null 2>"$dir/t.err" \
            || { cat "$dir/t.err" >&2; return 1; }
        e=$(date +%s%N)
        out="$out $(( (e - s) / 1000000 ))"
    done
    echo "$out" | median
}
for n in $vhost_counts; do
    port=$(hsts_free_port)
    gen_vhosts "$n" 0 "$work/t-$n-without" "$port"
    gen_vhosts "$n" 1 "$work/t-$n-with" "$port"
    t_without[$n]=$(time_configtest "$work/t-$n-without" "$t_runs")
    t_with[$n]=$(time_configtest "$work/t-$n-with" "$t_runs")
    printf '   %6d vhosts: %5d ms without mod_hsts, %5d ms with\n' "$n" "${t_without[$n]}" "${t_with[$n]}"
    if grep -q "mod_hsts:" "$work/t-$n-with/t.err"; then
        echo "bench: the generated configuration has lint findings:" >&2
        head -3 "$work/t-$n-with/t.err" >&2
        exit 1
    fi
done

echo "== results"
perl - "$results" "$quick" <<'PERL' \
    "$(declare -p ir)" "$(declare -p rps)" "$(declare -p t_with)" "$(declare -p t_without)" "$vhost_counts"
use strict;
use warnings;
my ($file, $quick, $ir_decl, $rps_decl, $tw_decl, $two_decl, $counts) = @ARGV;
sub assoc {
    my ($decl) = @_;
    my %h;
    while ($decl =~ /\[([^\]]+)\]="([^"]*)"/g) { $h{$1} = $2 }
    return %h;
}
my %ir = assoc($ir_decl);
my %rps = assoc($rps_decl);
my %tw = assoc($tw_decl);
my %two = assoc($two_decl);
my @counts = split ' ', $counts;
my @verdicts;
sub verdict {
    my ($name, $ok, $detail) = @_;
    push @verdicts, sprintf "| %s | %s | %s |", $name, $ok ? 'PASS' : 'FAIL', $detail;
}
sub median { my @a = sort { $a <=> $b } @_; return $a[int($#a / 2)] }

open my $out, '>', $file or die "$file: $!";
chomp(my $cpu = `grep -m1 'model name' /proc/cpuinfo | cut -d: -f2`);
$cpu =~ s/^\s+//;
chomp(my $kernel = `uname -sr`);
chomp(my $httpd = `apache2 -v | head -1 | sed 's/Server version: //'`);
chomp(my $date = `date -u +%Y-%m-%d`);
printf $out "# mod_hsts benchmark results%s\n\n", $quick ? ' (quick smoke run)' : '';
print $out "$date, $cpu, " . `nproc | tr -d '\n'` . " cores, $kernel, $httpd, "
         . `openssl version | tr -d '\n'` . ". Produced by `bench/run.sh`.\n\n";

print $out "## Instructions per request (callgrind)\n\n";
print $out "| Configuration | Instructions | Added |\n|---|---:|---:|\n";
my %base_of = (tls_baseline_404 => undef, tls_hsts_404 => 'tls_baseline_404',
               tls_baseline_304 => undef, tls_hsts_304 => 'tls_baseline_304',
               plain_baseline => undef);
for my $k (qw(tls_baseline tls_headers_always tls_headers_expr tls_floor tls_hsts
              tls_baseline_404 tls_hsts_404 tls_baseline_304 tls_hsts_304
              plain_baseline plain_alias plain_rewrite plain_hsts)) {
    next unless defined $ir{$k};
    my $base = exists $base_of{$k} ? $base_of{$k}
             : $k =~ /^tls_/ ? 'tls_baseline' : 'plain_baseline';
    my $added = $base && defined $ir{$base} ? sprintf('%+d', $ir{$k} - $ir{$base}) : '';
    $added = '' if $k =~ /^plain_(alias|rewrite|hsts)$/;   # a redirect replaces the response
    printf $out "| %s | %d | %s |\n", $k, $ir{$k}, $added;
}
if (defined $ir{tls_floor} && defined $ir{tls_headers_always}) {
    my $hsts = $ir{tls_hsts} - $ir{tls_baseline};
    my $floor = $ir{tls_floor} - $ir{tls_baseline};
    my $hdr = $ir{tls_headers_always} - $ir{tls_baseline};
    verdict('mod_hsts added instructions <= 1.10 x floor module', $hsts <= 1.10 * $floor,
            sprintf('%d vs %d (%.2fx)', $hsts, $floor, $hsts / $floor));
    verdict('mod_hsts added instructions <= 0.5 x `Header always set`', $hsts <= 0.5 * $hdr,
            sprintf('%d vs %d (%.2fx)', $hsts, $hdr, $hsts / $hdr));
}
if (defined $ir{plain_rewrite}) {
    verdict('HSTSRedirect <= 0.9 x mod_alias `Redirect permanent`',
            $ir{plain_hsts} <= 0.9 * $ir{plain_alias},
            sprintf('%d vs %d (%.2fx)', $ir{plain_hsts}, $ir{plain_alias},
                    $ir{plain_hsts} / $ir{plain_alias}));
    verdict('HSTSRedirect < certbot mod_rewrite recipe', $ir{plain_hsts} < $ir{plain_rewrite},
            sprintf('%d vs %d (%.2fx)', $ir{plain_hsts}, $ir{plain_rewrite},
                    $ir{plain_hsts} / $ir{plain_rewrite}));
}

print $out "\n## Throughput (wrk, event MPM, 8 keep-alive connections, rounds interleaved)\n\n";
print $out "| Configuration | Median req/s | Median ratio | Min-max ratio |\n|---|---:|---:|---:|\n";
for my $k (qw(tls_baseline tls_headers_always tls_hsts plain_alias plain_hsts)) {
    next unless $rps{$k};
    my @r = split ' ', $rps{$k};
    my $base = $k =~ /^tls_/ ? 'tls_baseline' : 'plain_alias';
    my @b = split ' ', ($rps{$base} // $rps{$k});
    my @ratio = map { $r[$_] / $b[$_] } 0 .. $#r;
    my @sorted = sort { $a <=> $b } @ratio;
    printf $out "| %s | %.0f | %.3f | %.3f-%.3f |\n", $k, median(@r), median(@ratio),
        $sorted[0], $sorted[-1];
}
print $out "\nTLS rows are relative to tls_baseline, plain rows to mod_alias's redirect.\n";

print $out "\n## Startup (`apache2 -t`, TLS name-based virtual hosts, one certificate, preload policy each; median)\n\n";
print $out "| Virtual hosts | Without mod_hsts | With mod_hsts and its lint | Added |\n|---:|---:|---:|---:|\n";
for my $n (@counts) {
    printf $out "| %d | %d ms | %d ms | %+d ms (%.0f%%) |\n", $n, $two{$n}, $tw{$n},
        $tw{$n} - $two{$n}, 100 * ($tw{$n} - $two{$n}) / ($two{$n} || 1);
}
my ($small, $large) = @counts;
if (!$quick) {
    my $add_l = $tw{$large} - $two{$large};
    my $add_s = $tw{$small} - $two{$small};
    verdict("lint adds <= 50% to `apache2 -t` at $large vhosts", $add_l <= 0.5 * $two{$large},
            sprintf('%+d ms on %d ms', $add_l, $two{$large}));
    verdict("${large} vhosts cost <= 12x the added time of $small", $add_l <= 12 * ($add_s > 0 ? $add_s : 1),
            sprintf('%+d ms vs %+d ms', $add_l, $add_s));
}

if (@verdicts) {
    print $out "\n## Targets\n\n| Target | Verdict | Measured |\n|---|---|---|\n";
    print $out "$_\n" for @verdicts;
}
close $out;
PERL
cat "$results"
if [ "$quick" = 0 ]; then
    # the sections other benchmarks write stay as they last wrote them
    perl -0777 -ne 'print "\n$1" while /(<!-- begin (bench\/[\w.]+) -->\n.*?<!-- end \2 -->\n)/sg' \
        bench/RESULTS.md >"$work/sections" 2>/dev/null || true
    cat "$results" "$work/sections" >bench/RESULTS.md
    echo "bench: wrote bench/RESULTS.md"
else
    echo "bench: quick run OK"
fi
