# SPDX-License-Identifier: Apache-2.0
# The "hsts-report" handler: every virtual host with its policy, header,
# redirect, certificate and lint findings, as JSON and as an HTML page
# that a real (headless) browser renders; access controlled by Require.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use File::Spec::Functions qw(catfile);
use File::Temp qw(tempdir);
use JSON::PP ();
use Test::More import => ['!plan'];
use Apache::Test qw(-withtestmore);
use HSTS::Client qw(requester header_values);
use HSTS::Httpd ();
use HSTS::Assert qw(no_crash);

plan tests => 24;

my $pki = HSTS::Httpd::pki_dir();
my ($tls, $plain) = HSTS::Httpd::free_ports(2);

my $server = HSTS::Httpd->start(
    listen  => [$tls, $plain],
    modules => ['authz_host'],
    conf    => <<"EOF");
HSTSRedirect On
<VirtualHost 127.0.0.1:$plain>
    ServerName report.example.com
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
</VirtualHost>
<VirtualHost 127.0.0.1:$tls>
    ServerName example.com
    ServerAlias www.example.com
    SSLEngine on
    SSLCertificateFile "$pki/example.com.crt"
    SSLCertificateKeyFile "$pki/example.com.key"
    HSTSPolicy "max-age=300; includeSubDomains; preload"
    HSTSLintIgnore domain.tls.invalid_cert_chain
</VirtualHost>
<VirtualHost 127.0.0.1:$tls>
    ServerName shop.example.net
    SSLEngine on
    SSLCertificateFile "$pki/example.com.crt"
    SSLCertificateKeyFile "$pki/example.com.key"
    Header always set Strict-Transport-Security "max-age=31536000"
    Header add Strict-Transport-Security "max-age=60"
</VirtualHost>
EOF

my $report_host = requester(port => $plain, host => 'report.example.com');

# JSON
my $res = $report_host->(target => '/hsts-report?json');
is($res->{status}, 200, 'JSON: 200');
like((header_values($res, 'Content-Type'))[0], qr{^application/json},
     'JSON: content type');
my $report = eval { JSON::PP::decode_json($res->{body}) };
ok($report, 'JSON: parses') or diag($@ . $res->{body});
my %hosts = map { ("$_->{name}:$_->{port}" => $_) } @{ $report->{hosts} // [] };
is_deeply([sort keys %hosts],
          [sort("report.example.com:$plain", "example.com:$plain",
                "example.com:$tls", "shop.example.net:$tls")],
          'JSON: every virtual host, as ServerName:port');
my $apex = $hosts{"example.com:$tls"};
is($apex->{header}, 'max-age=300; includeSubDomains; preload',
   'JSON: the header a TLS host sends');
ok($apex->{tls} && $apex->{preload}, 'JSON: TLS, preload intent');
is_deeply($apex->{aliases}, ['www.example.com'], 'JSON: its aliases');
my %codes = map { ($_->{code} // '') => $_ } @{ $apex->{findings} };
ok($codes{'header.preloadable.max_age.below_1_year'}
   && $codes{'header.preloadable.max_age.below_1_year'}{message} =~ /HSTSMaxAge/,
   'JSON: a finding with its fix');
ok($codes{'domain.tls.invalid_cert_chain'}
   && $codes{'domain.tls.invalid_cert_chain'}{ignored},
   'JSON: an ignored finding is marked so');
is($apex->{certificate}, 'ok',
   'JSON: certificate ok once the chain finding is ignored');
is($hosts{"example.com:$plain"}{redirect}, 'to HTTPS',
   'JSON: the plain host redirects');
is($hosts{"report.example.com:$plain"}{redirect}, 'off',
   'JSON: the report host does not');
my %shop = map { ($_->{code} // '') => 1 } @{ $hosts{"shop.example.net:$tls"}{findings} };
ok($shop{'response.multiple_headers'}, 'JSON: a mod_headers host\'s findings');

# Access control and methods
is($report_host->(target => '/hsts-report-denied')->{status}, 403,
   'Require all denied: 403');
is($report_host->(method => 'POST', target => '/hsts-report',
                  body => 'x')->{status},
   405, 'POST: 405');

# HTML, rendered by a headless browser
$res = $report_host->(target => '/hsts-report');
is($res->{status}, 200, 'HTML: 200');
like((header_values($res, 'Content-Type'))[0], qr{^text/html}, 'HTML: content type');

my $profile = tempdir('hsts-chromium-XXXXXX', TMPDIR => 1, CLEANUP => 1);
my @chromium = ('chromium', '--headless', '--no-sandbox', '--disable-gpu',
                '--disable-quic', '--no-first-run',
                '--disable-background-networking', '--disable-component-update',
                '--disable-sync', "--user-data-dir=$profile");
my $url = "http://127.0.0.1:$plain/hsts-report";
local $ENV{HOME} = $profile;
my $dom = qx{@{[ join ' ', map { quotemeta } @chromium, '--dump-dom', $url ]} 2>/dev/null};
ok($? == 0 && $dom =~ /<table id="hosts">/, 'the browser rendered the page')
    or diag("chromium exit $?");
my @rows = $dom =~ /<tr class="host">/g;
is(scalar @rows, 4, 'the page lists every host');
like($dom, qr{example\.com:$tls.*max-age=300; includeSubDomains; preload}s,
     'the page shows a host\'s header');
like($dom, qr{\[header\.preloadable\.max_age\.below_1_year\]</code> The max-age must be at least},
     'the page shows findings with their fix');
like($dom, qr{class="error ignored"}, 'the page marks ignored findings');

my $shot = catfile(HSTS::Httpd::top_dir(), 't', 'logs', 'hsts-report.png');
unlink $shot;
system(join(' ', map { quotemeta } @chromium, '--window-size=1280,1800',
            "--screenshot=$shot", $url) . ' >/dev/null 2>&1');
ok(-s $shot && -s $shot > 20_000, "a screenshot of the page: $shot")
    or diag('no screenshot');

$server->stop;
no_crash($server, 'no child crashed');
