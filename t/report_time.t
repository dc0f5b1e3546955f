# SPDX-License-Identifier: Apache-2.0
# The report page follows the clock without a restart (README: The report
# page): days left, ?problems and hsts_certificate_expiry_seconds are
# worked out per request from the stored expiry dates. The server runs
# under libfaketime with a timestamp file (FAKETIME_TIMESTAMP_FILE, read
# on every call with FAKETIME_NO_CACHE=1), and the test moves its clock
# forward by rewriting the file: past the 30-day line of one certificate,
# then past its expiry. Only the server's clock moves; the test's is real.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use File::Spec::Functions qw(catfile);
use HTTP::Date ();
use JSON::PP ();
use Test::More import => ['!plan'];
use Apache::Test qw(-withtestmore);
use HSTS::Certs qw(make_ca make_cert);
use HSTS::Clock ();
use HSTS::Client qw(request header_values);
use HSTS::Httpd ();
use HSTS::Assert qw(no_crash);
use HSTS::Report qw(parse_metrics sample table_hosts days_until);
use HSTS::Util qw(wall_seconds);

HSTS::Clock::lib_or_fail();
plan tests => 28;

my ($tls, $plain) = HSTS::Httpd::free_ports(2);
my $dir = HSTS::Httpd::new_dir();
my $clock = HSTS::Clock->new($dir);

# clock.example.com's certificate expires in 40.5 days and crosses the
# 30-day line at +11 days, its expiry at +41; later.example.com's, in
# 60.5 days, crosses the 30-day line at +41 too. Half days keep the whole
# days left steady while the test runs.
my $started = time;
my $ca = make_ca(catfile($dir, 'ca'));
my %expiry = (clock => $started + 40 * 86400 + 43200,
              later => $started + 60 * 86400 + 43200);
my %cert = map {
    ($_ => make_cert($dir, $_, ca => $ca, not_after => $expiry{$_},
                     sans => ["$_.example.com"]))
} keys %expiry;
mkdir catfile($dir, 'empty');

my $server = HSTS::Httpd->start(
    listen => [$tls, $plain],
    env    => { %{ $clock->env },
                SSL_CERT_FILE => $ca->{crt},
                SSL_CERT_DIR  => catfile($dir, 'empty') },
    conf   => <<"EOF");
<VirtualHost 127.0.0.1:$plain>
    ServerName report.test
    <Location "/hsts-report">
        SetHandler hsts-report
    </Location>
</VirtualHost>
<VirtualHost 127.0.0.1:$tls>
    ServerName later.example.com
    SSLEngine on
    SSLCertificateFile "$cert{later}{crt}"
    SSLCertificateKeyFile "$cert{later}{key}"
    HSTS On
</VirtualHost>
<VirtualHost 127.0.0.1:$tls>
    ServerName clock.example.com
    SSLEngine on
    SSLCertificateFile "$cert{clock}{crt}"
    SSLCertificateKeyFile "$cert{clock}{key}"
    HSTS On
</VirtualHost>
EOF

my %id = (clock => "clock.example.com:$tls", later => "later.example.com:$tls");
my $lint_time;

# The views at $days days ahead: what the page, ?problems, JSON and the
# metrics say, and the test's times the requests were sent between.
sub look {
    my ($days) = @_;
    $clock->set($days);
    my %v = (before => wall_seconds());
    my %res = map {
        ($_ => request(port => $plain, host => 'report.test',
                       target => "/hsts-report$_"))
    } ('', '?problems', '?json', '?metrics');
    $v{after} = wall_seconds();
    $v{date} = HTTP::Date::str2time((header_values($res{''}, 'Date'))[0] // '');
    $v{page} = $res{''}{body};
    $v{problems} = table_hosts($res{'?problems'}{body});
    $v{json} = { map { ("$_->{name}:$_->{port}" => $_) }
                 @{ (eval { JSON::PP::decode_json($res{'?json'}{body}) } // {})->{hosts} // [] } };
    $v{metrics} = eval { parse_metrics($res{'?metrics'}{body}) } // {};
    return \%v;
}

# The seconds until $h's certificate expires in the metrics, and whether
# they are what the server's clock says, $days ahead of the test's.
sub expiry_ok {
    my ($v, $h, $days) = @_;
    my $s = sample($v->{metrics}, 'hsts_certificate_expiry_seconds', host => $id{$h})
            // return 0;
    my $offset = $days * 86400;
    return $s >= $expiry{$h} - $v->{after} - $offset
        && $s <= $expiry{$h} - $v->{before} - $offset;
}

for my $step ([0, 40, [], 'now'],
              [11, 29, [$id{clock}], '+11 days: clock.example.com within 30 days'],
              [41, -1, [@id{qw(clock later)}], '+41 days: clock.example.com expired, later.example.com within 30 days']) {
    my ($days, $left, $problems, $name) = @$step;
    my $v = look($days);
    ok(abs(($v->{date} // 0) - ($v->{before} + $days * 86400)) <= 2 + $v->{after} - $v->{before},
       "$name: the server's clock is $days days ahead")
        or diag("Date: $v->{date}");
    is($v->{json}{$id{clock}}{days_left}, $left, "$name: JSON days_left");
    ok(expiry_ok($v, 'clock', $days), "$name: hsts_certificate_expiry_seconds")
        or diag(explain($v->{metrics}{hsts_certificate_expiry_seconds}));
    ok(expiry_ok($v, 'later', $days), "$name: hsts_certificate_expiry_seconds of later.example.com");
    is_deeply($v->{problems}, $problems, "$name: ?problems");
    my $ts = sample($v->{metrics}, 'hsts_lint_timestamp_seconds') // 0;
    if (defined $lint_time) {
        is($ts, $lint_time, "$name: the same lint, no restart");
    }
    else {
        ok($ts >= $started && $ts <= $v->{before}, "$name: the lint ran at start");
        $lint_time = $ts;
    }
    if ($left >= 30) {
        like($v->{page}, qr{>clock\.example\.com:$tls</a>.*?<td class="ok">expires [\d-]{10} \($left days left\)</td>},
             "$name: the page's days left");
        is($v->{json}{$id{clock}}{problem}, undef, "$name: no problem");
    }
    elsif ($left >= 0) {
        like($v->{page}, qr{>clock\.example\.com:$tls</a>.*?<td class="warn">expires [\d-]{10} \($left days left\)</td>},
             "$name: the page's days left, marked");
        like($v->{page}, qr{<p class="cert warn">The certificate <code>[^<]*clock\.crt</code> expires on .* in $left days; .* Renew it now\.</p>},
             "$name: the page says to renew it");
        is($v->{json}{$id{clock}}{problem}, 'warning', "$name: a warning-class problem");
    }
    else {
        like($v->{page}, qr{>clock\.example\.com:$tls</a>.*?<td class="bad">expired [\d-]{10} \(1 day ago\)</td>},
             "$name: the page says it expired");
        is($v->{json}{$id{clock}}{certificate}, 'expired', "$name: JSON says it expired");
        ok(sample($v->{metrics}, 'hsts_certificate_expiry_seconds', host => $id{clock}) < 0,
           "$name: negative seconds once expired");
        is($v->{json}{$id{clock}}{problem}, 'error', "$name: an error-class problem");
    }
}

$server->stop;
no_crash($server, 'no child crashed');
