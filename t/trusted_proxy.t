# SPDX-License-Identifier: Apache-2.0
# TLS-terminating proxies (README: The header, The redirect): from an
# HSTSTrustedProxy address, X-Forwarded-Proto: https (as its last element)
# makes a plain-HTTP request secure: no redirect, and the header with the
# host's policy. Anything else, and any untrusted peer, is plain HTTP.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Test::More import => ['!plan'];
use Apache::Test qw(-withtestmore);
use HSTS::Client qw(connect_to request header_values h2_request port_of);
use HSTS::Httpd ();
use HSTS::Assert qw(response_is);

plan tests => 65;

my $port = port_of('hsts_proxy');
my $policy = 'max-age=86400; includeSubDomains';
my $acme = '/.well-known/acme-challenge/hsts-token';

# A request as the proxy forwards it: with X-Forwarded-Proto $xfp (a
# list of fields when an array), or without when $xfp is undef.
sub via_proxy {
    my ($host, $xfp, %a) = @_;
    my @xfp = ref $xfp ? @$xfp : defined $xfp ? ($xfp) : ();
    return request(port => $port, host => $host, target => '/static.txt',
                   headers => [map { ('X-Forwarded-Proto' => $_) } @xfp],
                   %a);
}

sub shown_xfp {
    my ($xfp) = @_;
    return 'no X-Forwarded-Proto' unless defined $xfp;
    return join ' + ', map { "X-Forwarded-Proto: '$_'" }
        ref $xfp ? @$xfp : ($xfp);
}

# Secure: served with exactly one Strict-Transport-Security, the policy.
sub secure_is {
    my ($res, $status, $name) = @_;
    response_is($res, { status => $status, location => undef,
                        sts => $policy }, $name);
}

# Plain HTTP: redirected to $want (or served with $status when $want is
# undef), without Strict-Transport-Security.
sub plain_is {
    my ($res, $status, $want, $name) = @_;
    response_is($res, { status => $status, location => $want,
                        sts => undef }, $name);
}

# ---------------------------------------------------------------------
# 127.0.0.1 trusted, X-Forwarded-Proto by X-Forwarded-Proto.

my @secure = ('https', 'HTTPS', ' https ', 'http, https', 'https,https',
              ['http', 'https']);
my @plain = (undef, 'http', 'HTTP', '', 'ftp', 'https, http', 'https,',
             'https;', 'httpsx', ['https', 'http']);
for my $xfp (@secure) {
    secure_is(via_proxy('proxy.example.com', $xfp), 200,
              'trusted 127.0.0.1, ' . shown_xfp($xfp) . ': secure');
}
for my $xfp (@plain) {
    plain_is(via_proxy('proxy.example.com', $xfp), 301,
             'https://proxy.example.com/static.txt',
             'trusted 127.0.0.1, ' . shown_xfp($xfp) . ': redirected');
}

# Other ways of trusting 127.0.0.1: a /8 among other blocks, and
# IPv4-mapped IPv6 blocks (stored as the IPv4 block they stand for).
for my $host ('proxy8.example.com', 'proxy-mapped.example.com',
              'proxy-mapped104.example.com') {
    secure_is(via_proxy($host, 'https'), 200,
              "$host: https from 127.0.0.1: secure");
    plain_is(via_proxy($host, 'https, http'), 301, "https://$host/static.txt",
             "$host: 'https, http' from 127.0.0.1: redirected");
}

# Every kind of response through a trusted proxy.
{
    my $h = 'proxy.example.com';
    secure_is(via_proxy($h, 'https', target => '/missing'), 404,
              'secure: a 404 (ErrorDocument) gets the header');
    secure_is(via_proxy($h, 'https', method => 'HEAD'), 200,
              'secure: HEAD gets the header');
    secure_is(via_proxy($h, 'https', method => 'POST', body => 'a=1'), 200,
              'secure: a POST is served, not redirected');
    secure_is(via_proxy($h, 'https', target => '/private/secret.txt'), 403,
              'secure: a 403 gets the header');
    secure_is(via_proxy($h, 'https', target => $acme),
              200, 'secure: an excluded path gets the header');
    plain_is(via_proxy($h, 'http', method => 'POST', body => 'a=1'), 308,
             "https://$h/static.txt", 'plain: a POST gets a 308');
    plain_is(via_proxy($h, 'http', target => $acme),
             200, undef, 'plain: an excluded path is served without header');
    plain_is(via_proxy($h, 'http', target => '/missing?x'), 301,
             "https://$h/missing?x", 'plain: a missing path is redirected');
}

# Per request, not per connection: one keep-alive connection from the
# proxy carries requests of both kinds.
{
    my $conn = connect_to(port => $port);
    my @got;
    for my $xfp ('https', 'http', undef, 'https', 'https, http', 'https') {
        my $res = via_proxy('proxy.example.com', $xfp, conn => $conn);
        my @sts = header_values($res, 'Strict-Transport-Security');
        push @got, $res->{status} . (@sts ? "+sts" : '');
    }
    $conn->close;
    is("@got", '200+sts 301 301 200+sts 301 200+sts',
       'one keep-alive connection: each request on its own');
}

# HTTP/2 from the proxy (h2c): the stream's connection is the proxy's.
{
    my $res = h2_request(port => $port, h2c => 1, host => 'proxy.example.com',
                         target => '/static.txt',
                         headers => ['X-Forwarded-Proto: https']);
    secure_is($res, 200, 'h2c from a trusted proxy with https: secure');
    $res = h2_request(port => $port, h2c => 1, host => 'proxy.example.com',
                      target => '/static.txt',
                      headers => ['X-Forwarded-Proto: http']);
    plain_is($res, 301, 'https://proxy.example.com/static.txt',
             'h2c from a trusted proxy with http: redirected');
}

# ---------------------------------------------------------------------
# A host that sends the header but does not redirect.

secure_is(via_proxy('proxy-header.example.com', 'https'), 200,
          'no redirect: https from the proxy gets the header');
secure_is(via_proxy('proxy-header.example.com', 'https', target => '/missing'),
          404, 'no redirect: and on a 404');
plain_is(via_proxy('proxy-header.example.com', 'http'), 200, undef,
         'no redirect: http from the proxy: served without the header');
plain_is(via_proxy('proxy-header.example.com', undef), 200, undef,
         'no redirect: no X-Forwarded-Proto: served without the header');

# ---------------------------------------------------------------------
# 127.0.0.1 not trusted: X-Forwarded-Proto is ignored.

for my $case (['proxy-v6.example.com', 'only ::1 trusted'],
              ['proxy-other.example.com', 'only other blocks trusted'],
              ['proxy-none.example.com', 'no HSTSTrustedProxy']) {
    my ($host, $name) = @$case;
    for my $xfp ('https', 'http, https', ['http', 'https']) {
        plain_is(via_proxy($host, $xfp), 301, "https://$host/static.txt",
                 "$name: " . shown_xfp($xfp) . ' from 127.0.0.1 is ignored');
    }
    plain_is(via_proxy($host, 'https', target => $acme),
             200, undef, "$name: and gets no header on an excluded path");
}

# ---------------------------------------------------------------------
# IPv6 and IPv4-mapped peers, and the main server's list inherited and
# replaced (a server of the test's own: it listens on IPv6).

SKIP: {
    my $q = HSTS::Httpd::free_port_on('::1');
    my $r = HSTS::Httpd::free_port_on('::');
    skip 'no IPv6 loopback here', 16 unless $q && $r;
    my $p = HSTS::Httpd::free_port();
    my $hosts = join '', map {
        my ($name, $trusted) = @$_;
        qq{<VirtualHost *:$p *:$q *:$r>\n    ServerName $name\n}
        . ($trusted ? "    HSTSTrustedProxy $trusted\n" : '')
        . qq{</VirtualHost>\n}
    } (['inherit.test', undef], ['v4.test', '127.0.0.1'],
       ['v6.test', '::1'], ['mapped.test', '::ffff:127.0.0.1'],
       ['v6net.test', '::/127']);
    my $httpd = HSTS::Httpd->start(listen => [$p], conf => <<"CONF");
Listen [::1]:$q
Listen [::]:$r
HSTS On
HSTSMaxAge 1d
HSTSIncludeSubDomains On
HSTSRedirect On
HSTSTrustedProxy 192.0.2.1 ::1
HSTSLintIgnore config.hsts.plain_vhost
# the address httpd sees the connection come from
Header always set X-Peer "expr=%{CONN_REMOTE_ADDR} %{IPV6}"
$hosts
CONF

    my $res;
    my $ask = sub {
        my ($addr, $port, $host, $xfp) = @_;
        return request(addr => $addr, port => $port, host => $host,
                       target => '/static.txt',
                       headers => ['X-Forwarded-Proto' => $xfp]);
    };
    # peer ::1
    $res = $ask->('::1', $q, 'v6.test', 'https');
    secure_is($res, 200, 'peer ::1, HSTSTrustedProxy ::1: secure');
    is(join(' ', header_values($res, 'X-Peer')), '::1 on',
       'the peer is ::1, over IPv6');
    secure_is($ask->('::1', $q, 'v6net.test', 'https'), 200,
              'peer ::1, HSTSTrustedProxy ::/127: secure');
    secure_is($ask->('::1', $q, 'inherit.test', 'https'), 200,
              'peer ::1, ::1 in the main server\'s list: inherited');
    plain_is($ask->('::1', $q, 'v6.test', 'http'), 301,
             'https://v6.test/static.txt', 'peer ::1, http: redirected');
    plain_is($ask->('::1', $q, 'v4.test', 'https'), 301,
             'https://v4.test/static.txt',
             'peer ::1, only 127.0.0.1 trusted: redirected');
    plain_is($ask->('::1', $q, 'mapped.test', 'https'), 301,
             'https://mapped.test/static.txt',
             'peer ::1, only ::ffff:127.0.0.1 trusted: redirected');

    # peer 127.0.0.1 on [::]: the kernel gives httpd ::ffff:127.0.0.1
    # (APR prints it as 127.0.0.1, so no header here can show it)
    secure_is($ask->('127.0.0.1', $r, 'v4.test', 'https'), 200,
              'mapped peer, HSTSTrustedProxy 127.0.0.1: secure');
    plain_is($ask->('127.0.0.1', $r, 'v6.test', 'https'), 301,
             'https://v6.test/static.txt',
             'mapped peer, only ::1 trusted: redirected');
    secure_is($ask->('127.0.0.1', $r, 'mapped.test', 'https'), 200,
              'mapped peer, HSTSTrustedProxy ::ffff:127.0.0.1: secure');
    plain_is($ask->('127.0.0.1', $r, 'inherit.test', 'https'), 301,
             'https://inherit.test/static.txt',
             'mapped peer, not in the main server\'s list: redirected');

    # peer 127.0.0.1 over IPv4
    secure_is($ask->('127.0.0.1', $p, 'v4.test', 'https'), 200,
              'peer 127.0.0.1, HSTSTrustedProxy 127.0.0.1: secure');
    secure_is($ask->('127.0.0.1', $p, 'mapped.test', 'https'), 200,
              'peer 127.0.0.1, HSTSTrustedProxy ::ffff:127.0.0.1: secure');
    plain_is($ask->('127.0.0.1', $p, 'v6.test', 'https'), 301,
             'https://v6.test/static.txt',
             'peer 127.0.0.1, only ::1 trusted: redirected');
    plain_is($ask->('127.0.0.1', $p, 'inherit.test', 'https'), 301,
             'https://inherit.test/static.txt',
             'peer 127.0.0.1, not in the main server\'s list: redirected');
    plain_is($ask->('127.0.0.1', $p, 'v6net.test', 'https'), 301,
             'https://v6net.test/static.txt',
             'peer 127.0.0.1, HSTSTrustedProxy ::/127: redirected');
    $httpd->stop;
}
