# SPDX-License-Identifier: Apache-2.0
# The "hsts-report" handler (README: The report page): every virtual host
# with its policy, header, redirect, certificate expiry, preload verdict
# and lint findings, as an HTML page that a real (headless) browser
# renders, as ?problems (only the hosts that need attention, errors
# first), as JSON, and as Prometheus metrics read back with the
# prometheus_client parser; everything from the configuration escaped;
# access controlled by Require; methods. t/report_time.t moves the clock.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use File::Spec::Functions qw(catfile);
use File::Temp qw(tempdir);
use JSON::PP ();
use POSIX qw(strftime);
use Test::More import => ['!plan'];
use Apache::Test qw(-withtestmore);
use HSTS::Certs qw(make_ca make_cert);
use HSTS::Client qw(request header_values);
use HSTS::Httpd ();
use HSTS::Assert qw(no_crash);
use HSTS::Report qw(parse_metrics sample table_hosts days_until);
use HSTS::Util qw(wall_seconds);

plan tests => 73;

my $top = HSTS::Httpd::top_dir();
my ($tls, $plain) = HSTS::Httpd::free_ports(2);

# Certificates of a CA that httpd is made to trust (SSL_CERT_FILE), with
# expiry dates half a day off a whole number of days from now, so that
# the days left the page counts cannot change while the test runs.
my $pki = HSTS::Httpd::new_dir();
my $started = time;
my $ca = make_ca(catfile($pki, 'ca'));
mkdir catfile($pki, 'empty');
my %expiry = (apex => $started + 200 * 86400 + 43200,
              soon => $started + 10 * 86400 + 43200,
              shop => $started + 365 * 86400 + 43200);
my %cert = (
    apex => make_cert($pki, 'apex', ca => $ca, not_after => $expiry{apex},
                      sans => ['example.com', 'www.example.com']),
    soon => make_cert($pki, 'soon', ca => $ca, not_after => $expiry{soon},
                      sans => ['soon.example.net']),
    shop => make_cert($pki, 'shop', ca => $ca, not_after => $expiry{shop},
                      sans => ['shop.example.net']),
);
sub tls_files {
    my ($c) = @_;
    return qq{SSLEngine on\n    SSLCertificateFile "$cert{$c}{crt}"\n}
         . qq{    SSLCertificateKeyFile "$cert{$c}{key}"};
}

# A ServerName with characters that HTML, JSON and the metrics format
# must escape: httpd reads it as odd"quote\back<b>x.example.net.
my $odd = 'odd"quote\\back<b>x.example.net';
my $odd_conf = 'ServerName "odd\"quote\\\\back<b>x.example.net"';

# In configuration order: the report's host, the plain side of
# example.com, then the TLS hosts: example.com meets every preload
# requirement; shop.example.net sends two headers (an error);
# blocked.example.org has preload intent with a short max-age (errors)
# and an ignored name mismatch; soon.example.net's certificate expires
# in 10 days (a warning); the odd name has errors.
my $server = HSTS::Httpd->start(
    listen  => [$tls, $plain],
    modules => ['authz_host'],
    env     => { SSL_CERT_FILE => $ca->{crt},
                 SSL_CERT_DIR  => catfile($pki, 'empty') },
    conf    => <<"EOF");
HSTSRedirect On
<VirtualHost 127.0.0.1:$plain>
    ServerName report.test
    HSTSRedirect Off
    <Location "/hsts-report">
        SetHandler hsts-report
        Require ip 127.0.0.1
    </Location>
    <Location "/hsts-report-denied">
        SetHandler hsts-report
        Require all denied
    </Location>
</VirtualHost>
<VirtualHost 127.0.0.1:$plain>
    ServerName example.com
    ServerAlias www.example.com
    HSTSRedirectPort 443
</VirtualHost>
<VirtualHost 127.0.0.1:$tls>
    ServerName example.com
    ServerAlias www.example.com
    @{[ tls_files('apex') ]}
    HSTSPolicy "max-age=31536000; includeSubDomains; preload"
</VirtualHost>
<VirtualHost 127.0.0.1:$tls>
    ServerName shop.example.net
    @{[ tls_files('shop') ]}
    Header always set Strict-Transport-Security "max-age=31536000"
    Header add Strict-Transport-Security "max-age=60"
</VirtualHost>
<VirtualHost 127.0.0.1:$tls>
    ServerName blocked.example.org
    @{[ tls_files('shop') ]}
    HSTSPolicy "max-age=300; includeSubDomains; preload"
    HSTSLintIgnore tls.cert.name_mismatch
</VirtualHost>
<VirtualHost 127.0.0.1:$tls>
    ServerName soon.example.net
    @{[ tls_files('soon') ]}
    HSTS On
</VirtualHost>
<VirtualHost 127.0.0.1:$tls>
    $odd_conf
    @{[ tls_files('shop') ]}
    HSTSPolicy "max-age=31536000; includeSubDomains; preload"
</VirtualHost>
EOF

my %id = (report => "report.test:$plain", plain => "example.com:$plain",
          apex => "example.com:$tls", shop => "shop.example.net:$tls",
          blocked => "blocked.example.org:$tls", soon => "soon.example.net:$tls",
          odd => "$odd:$tls");

# A request, with the times (seconds, the test's clock) it was sent
# between.
sub get {
    my ($target, %opt) = @_;
    my $before = wall_seconds();
    my $res = request(port => $plain, host => 'report.test', target => $target,
                      %opt);
    @$res{qw(before after)} = ($before, wall_seconds());
    return $res;
}

sub iso { return strftime('%Y-%m-%dT%H:%M:%SZ', gmtime $_[0]) }

# ------------------------------------------------------------------
# JSON

my $res = get('/hsts-report?json');
is($res->{status}, 200, 'JSON: 200');
like((header_values($res, 'Content-Type'))[0], qr{^application/json},
     'JSON: content type');
my $report = eval { JSON::PP::decode_json($res->{body}) };
ok($report, 'JSON: parses') or diag($@ . $res->{body});
my %hosts = map { ("$_->{name}:$_->{port}" => $_) } @{ $report->{hosts} // [] };
is_deeply([sort keys %hosts], [sort values %id],
          'JSON: every virtual host, as ServerName:port, the odd name intact');
ok($report->{now_unix} >= $res->{before} && $report->{now_unix} <= $res->{after},
   'JSON: now_unix is the time of the request');
ok($report->{generated_unix} >= $started && $report->{generated_unix} <= $res->{before},
   'JSON: generated_unix is when the lint ran');

my $apex = $hosts{$id{apex}};
is($apex->{header}, 'max-age=31536000; includeSubDomains; preload',
   'JSON: the header a TLS host sends');
ok($apex->{tls} && $apex->{preload}, 'JSON: TLS, preload intent');
is_deeply($apex->{aliases}, ['www.example.com'], 'JSON: its aliases');
ok($apex->{preload_ready}, 'JSON: a host that meets every preload requirement')
    or diag(explain($apex));
is($apex->{verdict}, 'sends "max-age=31536000; includeSubDomains; preload" '
                   . 'and meets every preload requirement this server can check.',
   'JSON: its verdict is the summary line\'s');
is($apex->{certificate}, 'ok', 'JSON: its certificate is ok');
is($apex->{certificate_file}, $cert{apex}{crt}, 'JSON: the certificate file');
is($apex->{certificate_expiry}, iso($expiry{apex}), 'JSON: the expiry as an ISO date');
is($apex->{certificate_expiry_unix}, $expiry{apex}, 'JSON: the expiry as Unix time');
is($apex->{days_left}, days_until($expiry{apex}, $report->{now_unix}),
   'JSON: days left, counted from the time of the request');
is($apex->{problem}, undef, 'JSON: the compliant host is no problem');

my $blocked = $hosts{$id{blocked}};
is($blocked->{preload_ready}, JSON::PP::false, 'JSON: a blocked host is not ready');
like($blocked->{verdict} // '', qr/^sends "max-age=300; includeSubDomains; preload"; preloading is blocked by: .*header\.preloadable\.max_age\.below_1_year/,
     'JSON: the blocked verdict names the codes');
my %codes = map { ($_->{code} // '') => $_ } @{ $blocked->{findings} };
ok($codes{'header.preloadable.max_age.below_1_year'}
   && $codes{'header.preloadable.max_age.below_1_year'}{message} =~ /HSTSMaxAge/,
   'JSON: a finding with its fix');
ok($codes{'tls.cert.name_mismatch'} && $codes{'tls.cert.name_mismatch'}{ignored},
   'JSON: an ignored finding is marked so');
ok($codes{'domain.tls.cannot_connect'}, 'JSON: blocked.example.org is not served on 443');
is($blocked->{certificate}, 'ok',
   'JSON: ... which is not a certificate problem (nor is the ignored finding)');

my $soon = $hosts{$id{soon}};
is($soon->{certificate}, 'expires soon', 'JSON: a certificate within 30 days');
is($soon->{days_left}, 10, 'JSON: its days left');
is($soon->{problem}, 'warning', 'JSON: a warning-class problem');
is($hosts{$id{shop}}{problem}, 'error', 'JSON: an error-class problem');
ok((grep { $_->{code} eq 'response.multiple_headers' } @{ $hosts{$id{shop}}{findings} }),
   'JSON: a mod_headers host\'s findings');
is($hosts{$id{plain}}{redirect}, 'to HTTPS', 'JSON: the plain host redirects');
ok(!defined $hosts{$id{plain}}{days_left}
   && $hosts{$id{plain}}{certificate} eq 'n/a (plain HTTP)',
   'JSON: a plain host has no certificate');
is($hosts{$id{report}}{redirect}, 'off', 'JSON: the report host does not redirect');

$res = get('/hsts-report?problems&json');
my $problems = eval { JSON::PP::decode_json($res->{body}) } // {};
is_deeply([map { "$_->{name}:$_->{port}" } @{ $problems->{hosts} // [] }],
          [@id{qw(shop blocked odd soon)}],
          '?problems&json: the problem hosts, errors first, then in order');

# ------------------------------------------------------------------
# Metrics, parsed by prometheus_client

$res = get('/hsts-report?metrics');
is($res->{status}, 200, 'metrics: 200');
is((header_values($res, 'Content-Type'))[0], 'text/plain; version=0.0.4',
   'metrics: the content type of the text format 0.0.4');
my $m = eval { parse_metrics($res->{body}) } // {};
ok(%$m, 'metrics: prometheus_client parses them') or diag($@);
my @families = qw(hsts_hosts hsts_findings hsts_certificate_expiry_seconds
                  hsts_preload_ready hsts_lint_timestamp_seconds);
is_deeply([grep { ($m->{$_}{type} // '') eq 'gauge' && ($m->{$_}{help} // '') =~ /\w \w/ } @families],
          \@families, 'metrics: each family a gauge with its help');
is(sample($m, 'hsts_hosts', protocol => 'https'), 5, 'metrics: HTTPS hosts');
is(sample($m, 'hsts_hosts', protocol => 'http'), 2, 'metrics: plain HTTP hosts');
is(sample($m, 'hsts_findings', severity => 'error'), $report->{errors},
   'metrics: error findings, as in JSON');
is(sample($m, 'hsts_findings', severity => 'warning'), $report->{warnings},
   'metrics: warning findings, as in JSON');
ok($report->{errors} > 0 && $report->{warnings} > 0, '... some of each');
is_deeply([sort map { $_->{labels}{host} } @{ $m->{hsts_certificate_expiry_seconds}{samples} }],
          [sort @id{qw(apex shop blocked soon odd)}],
          'metrics: a certificate expiry for each HSTS host, none for plain hosts');
for my $h (qw(apex soon)) {
    my $v = sample($m, 'hsts_certificate_expiry_seconds', host => $id{$h}) // -1e12;
    ok($v >= $expiry{$h} - $res->{after} && $v <= $expiry{$h} - $res->{before},
       "metrics: seconds until $id{$h}'s certificate expires")
        or diag("$v, expected about " . ($expiry{$h} - $res->{before}));
}
is_deeply({ map { ($_->{labels}{host} => $_->{value}) } @{ $m->{hsts_preload_ready}{samples} } },
          { $id{apex} => 1, $id{blocked} => 0, $id{odd} => 0 },
          'metrics: preload_ready for the hosts with preload intent only');
ok(defined sample($m, 'hsts_preload_ready', host => "$odd:$tls"),
   'metrics: the odd host name read back intact (quote, backslash escaped)');
my $ts = sample($m, 'hsts_lint_timestamp_seconds') // 0;
ok($ts >= $started && $ts <= $res->{before}, 'metrics: when the lint ran');
like($res->{body}, qr/^hsts_preload_ready\{host="odd\\"quote\\\\back<b>x\.example\.net:$tls"\} 0$/m,
     'metrics: the label value escaped as the format requires');

# ------------------------------------------------------------------
# The page as HTML; access control and methods

$res = get('/hsts-report');
is($res->{status}, 200, 'HTML: 200');
like((header_values($res, 'Content-Type'))[0], qr{^text/html}, 'HTML: content type');
is_deeply(table_hosts($res->{body}), [@id{qw(report plain apex shop blocked soon odd)}],
          'HTML: every host, in order');
my $days = days_until($expiry{apex}, $res->{before});
like($res->{body}, qr{>example\.com:$tls</a>.*?<td class="ok">expires \Q@{[ substr(iso($expiry{apex}), 0, 10) ]}\E \($days days left\)</td><td class="ok">ready</td>},
     'HTML: the expiry date and days left, and the preload verdict, in the table');
like($res->{body}, qr{>soon\.example\.net:$tls</a>.*?<td class="warn">expires [\d-]{10} \(10 days left\)</td>},
     'HTML: a certificate within 30 days is marked');
like($res->{body}, qr{>blocked\.example\.org:$tls</a>.*?<td class="bad">blocked</td>},
     'HTML: a blocked host');
unlike($res->{body}, qr{<b>x}, 'HTML: the odd name is escaped');

$res = get('/hsts-report?problems');
is_deeply(table_hosts($res->{body}), [@id{qw(shop blocked odd soon)}],
          '?problems: the problem hosts, errors first, then in order');
like($res->{body}, qr{<p id="shown">4 of 7 hosts need attention}, '?problems: says how many');

$res = get('/hsts-report', method => 'HEAD');
ok($res->{status} == 200 && $res->{body} eq '', 'HEAD: 200, no body');
is(get('/hsts-report-denied')->{status}, 403, 'Require all denied: 403');
$res = get('/hsts-report', method => 'POST', body => 'x');
is($res->{status}, 405, 'POST: 405');
like((header_values($res, 'Allow'))[0] // '', qr/\bGET\b/, 'POST: Allow names GET');

# ------------------------------------------------------------------
# The page rendered by a headless browser

my $profile = tempdir('hsts-chromium-XXXXXX', TMPDIR => 1, CLEANUP => 1);
my @chromium = ('chromium', '--headless', '--no-sandbox', '--disable-gpu',
                '--disable-quic', '--no-first-run',
                '--disable-background-networking', '--disable-component-update',
                '--disable-sync', "--user-data-dir=$profile");
my $url = "http://127.0.0.1:$plain/hsts-report";
local $ENV{HOME} = $profile;
sub dom {
    my ($u) = @_;
    my $out = qx{@{[ join ' ', map { quotemeta } @chromium, '--dump-dom', $u ]} 2>/dev/null};
    return $? == 0 ? $out : '';
}
my $dom = dom($url);
ok($dom =~ /<table id="hosts">/, 'the browser rendered the page') or diag("chromium exit $?");
my @rows = $dom =~ /<tr class="host">/g;
is(scalar @rows, 7, 'the page lists every host');
like($dom, qr{example\.com:$tls.*max-age=31536000; includeSubDomains; preload}s,
     'the page shows a host\'s header');
like($dom, qr{\[header\.preloadable\.max_age\.below_1_year\]</code> The max-age must be at least},
     'the page shows findings with their fix');
like($dom, qr{class="error ignored"}, 'the page marks ignored findings');
like($dom, qr{<p class="verdict ok">example\.com:$tls sends "max-age=31536000; includeSubDomains; preload" and meets every preload requirement this server can check\.</p>},
     'the page shows the preload verdict');
like($dom, qr{<p class="cert warn">The certificate <code>\Q$cert{soon}{crt}\E</code> expires on [\d-]{10} [\d:]{8} UTC, in 10 days; after that browsers lock users out of this HSTS host\. Renew it now\.</p>},
     'the page says when a certificate expires and what to do');
ok($dom =~ /odd"quote\\back&lt;b&gt;x\.example\.net/ && $dom !~ /<b>x/,
   'the browser shows the odd name as text');
my $pdom = dom("$url?problems");
is_deeply(table_hosts($pdom), [@id{qw(shop blocked odd soon)}],
          'the browser renders ?problems: errors first');
like($pdom, qr{<a href="\?">All hosts</a>}, '?problems links to every host');

my $shot = catfile($top, 't', 'logs', 'hsts-report.png');
unlink $shot;
system(join(' ', map { quotemeta } @chromium, '--window-size=1280,1800',
            "--screenshot=$shot", $url) . ' >/dev/null 2>&1');
ok(-s $shot && -s $shot > 20_000, "a screenshot of the page: $shot")
    or diag('no screenshot');

$server->stop;
no_crash($server, 'no child crashed');
