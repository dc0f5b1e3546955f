# SPDX-License-Identifier: Apache-2.0
# LogLevel hsts:debug shows each decision mod_hsts makes per request
# (README: The header): the header set over TLS or for a trusted proxy,
# a value from elsewhere replaced, a value from elsewhere removed over
# plain HTTP, a redirect with its target, an exclusion, a trusted proxy
# that stopped a redirect; and at info it logs nothing per request.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Test::More import => ['!plan'];
use Apache::Test qw(-withtestmore);
use HSTS::Httpd ();
use HSTS::Client qw(requester);
use HSTS::Lint qw(pki tls_vhost vhost);

plan tests => 9;

my $pki = pki();
my ($P, $T) = HSTS::Httpd::free_ports(2);
my $conf = tls_vhost($T, $pki->{good}, 'ServerName example.com',
                     'HSTS On',
                     '<Location "/status/">',
                     '    Header always set Strict-Transport-Security "max-age=5"',
                     '</Location>')
    . vhost($P, 'ServerName example.com', 'HSTSRedirect On',
            'HSTSRedirectExclude /healthz',
            'Header always set Strict-Transport-Security "max-age=7"')
    . vhost($P, 'ServerName proxied.example.com', 'HSTS On',
            'HSTSRedirect On', 'HSTSTrustedProxy 127.0.0.1')
    . "HSTSLint Off\n";

# Makes the requests against a server at this log level; returns what it
# logged, all of it (the server is stopped first).
sub run_at {
    my ($loglevel) = @_;
    my $httpd = HSTS::Httpd->start(listen => [$P, $T], conf => $conf,
                                   loglevel => $loglevel);
    my $https = requester(port => $T, tls => 1, host => 'example.com',
                          ca => $pki->{ca}{crt});
    my $http = requester(port => $P, host => 'example.com');
    $https->(target => '/static.txt');
    $https->(target => '/status/ok.txt');
    $http->(target => '/static.txt?a=b');
    $http->(target => '/healthz');
    $http->(host => 'proxied.example.com', target => '/static.txt',
            headers => ['X-Forwarded-Proto' => 'https']);
    return $httpd->stop;
}

my $log = run_at('warn hsts:debug');
my $policy = 'max-age=31536000';
like($log, qr/\[hsts:debug\] .*setting Strict-Transport-Security "\Q$policy\E" \(over TLS\)/,
     'debug: the header set over TLS');
like($log, qr/\[hsts:debug\] .*replacing Strict-Transport-Security "max-age=5", set by another module, with "\Q$policy\E" \(over TLS\)/,
     'debug: a value set by mod_headers replaced');
like($log, qr{\[hsts:debug\] .*redirecting plain-HTTP request to https://example\.com:$T/static\.txt\?a=b \(301\)},
     'debug: the redirect with its target and status');
like($log, qr{\[hsts:debug\] .*not redirecting /healthz: its path is under an HSTSRedirectExclude prefix},
     'debug: the exclusion that kept a request on plain HTTP');
like($log, qr/\[hsts:debug\] .*removing Strict-Transport-Security "max-age=7", set by another module, from a plain-HTTP response/,
     'debug: a value from elsewhere removed over plain HTTP');
like($log, qr/\[hsts:debug\] .*not redirecting: trusted proxy 127\.0\.0\.1 says X-Forwarded-Proto: https/,
     'debug: a trusted proxy that stopped the redirect');
like($log, qr/\[hsts:debug\] .*setting Strict-Transport-Security "\Q$policy\E" \(for trusted proxy 127\.0\.0\.1, which says X-Forwarded-Proto: https\)/,
     'debug: the header set for a trusted proxy');
my @set = $log =~ /(setting Strict-Transport-Security)/g;
is(scalar @set, 2, 'debug: one line per decision')
    or diag($log);

$log = run_at('warn hsts:info');
unlike($log, qr/\[hsts:(?:debug|trace\d)\]/, 'info: nothing per request');
