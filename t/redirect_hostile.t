# SPDX-License-Identifier: Apache-2.0
# The plain-HTTP redirect against hostile requests (README: The
# redirect): a client can never make the server redirect to a host name the
# configuration does not name, nor add a header to the response, whether
# httpd checks requests strictly (the default) or not.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Test::More import => ['!plan'];
use Apache::Test qw(-withtestmore);
use HSTS::Client qw(connect_to request port_of);
use HSTS::Httpd ();
use HSTS::Assert qw(response_is redirect_is shown);

plan tests => 67;

my $port = port_of('hsts_redirect');
my $tls = port_of('hsts_tls');
my $base = "https://redirect.example.com:$tls";

# The response to raw request bytes, or undef with the reason in $@ when
# it was not a well-formed HTTP response.
sub raw_response {
    my ($port, $raw) = @_;
    return eval {
        request(port => $port, raw => $raw)
            // die "the connection closed without a response\n";
    };
}

# Header fields a response must never carry, whatever the request said.
my @injected = qw(X-Injected Set-Cookie Strict-Transport-Security);

# A well-formed response with this status, no Location and nothing
# injected.
sub rejected_is {
    my ($res, $status, $name) = @_;
    response_is($res, { status => $status, location => undef,
                        absent => \@injected }, $name);
}

# A well-formed redirect to exactly $want, with nothing injected.
sub redirected_is {
    my ($res, $want, $name) = @_;
    redirect_is($res, 301, $want, $name, absent => \@injected);
}

# ---------------------------------------------------------------------
# Host headers httpd refuses (HttpProtocolOptions Strict, the default).

for my $host ("redirect.example.com\rX-Injected: 1",
              "redirect.example.com\r\n X-Injected: 1",
              "redirect.example.com\r\n\tX-Injected: 1",
              "redirect.example.com%0d%0aX-Injected:%201",
              'evil.example/.wild.redirect.example.com',
              'evil.example?.wild.redirect.example.com',
              'evil.example#.wild.redirect.example.com',
              'evil.example\\.wild.redirect.example.com',
              'user@a.wild.redirect.example.com',
              'evil.example .wild.redirect.example.com',
              'evil.example%2f.wild.redirect.example.com',
              "ex\xc3\xa4mple.wild.redirect.example.com",
              "redirect.example.com\x00evil.example",
              'a..wild.redirect.example.com',
              'redirect.example.com, evil.example',
              'redirect.example.com:99999',
              'redirect.example.com:abc',
              '[::1%eth0]',
              '[evil.example]') {
    rejected_is(raw_response($port, "GET /x HTTP/1.1\r\nHost: $host\r\n"
                                     . "Connection: close\r\n\r\n"),
                400, 'Host ' . shown($host) . ': 400');
}
rejected_is(raw_response($port, "GET /x HTTP/1.1\r\n"
                                . "Host: evil.example\r\n"
                                . "Host: redirect.example.com\r\n"
                                . "Connection: close\r\n\r\n"),
            400, 'two Host headers: 400');

# Host names httpd takes, and the redirect does not.
for my $case (
    ['a.wild.redirect.example.com.evil.example', $base,
     'a wildcard alias followed by another domain'],
    ['evil.example', $base, 'another domain'],
    ['wild.redirect.example.com', $base, 'the wildcard\'s parent'],
    ['1.wild.redirect.example.com', "https://1.wild.redirect.example.com:$tls",
     'a name the wildcard does match'],
) {
    my ($host, $want, $name) = @$case;
    redirected_is(raw_response($port, "GET /x HTTP/1.1\r\nHost: $host\r\n"
                                      . "Connection: close\r\n\r\n"),
                  "$want/x", "Host $host: $name");
}

# ---------------------------------------------------------------------
# Request targets httpd refuses: never redirected.

for my $case (["/a\rX-Injected: 1", 'a bare CR'],
              ["/a\x00b", 'a NUL byte'],
              ["/a\x01b", 'a control byte'],
              ["/a\x7fb", 'DEL'],
              ["/a\tb", 'a TAB'],
              ['/a b', 'a space'],
              ['/a#fragment', 'a fragment'],
              ['http://user:pw@redirect.example.com/x', 'user information'],
              ['http:static.txt', 'a rootless path after a scheme'],
              ['static.txt', 'a relative path'],
              ['redirect.example.com:80', 'an authority-form target']) {
    my ($target, $name) = @$case;
    rejected_is(raw_response($port, "GET $target HTTP/1.1\r\n"
                                    . "Host: redirect.example.com\r\n"
                                    . "Connection: close\r\n\r\n"),
                400, "target with $name: 400");
}

# Targets with a scheme other than http(s): never redirected, left to
# httpd. httpd refuses them from 2.4.52 on; an older httpd serves them as
# their path (x:/static.txt as /static.txt: 200, ftp://.../x as /x: 404).
for my $case (['x:/static.txt', 'a scheme other than http(s)', 200],
              ['ftp://redirect.example.com/x', 'ftp', 404]) {
    my ($target, $name, $served) = @$case;
    my $res = raw_response($port, "GET $target HTTP/1.1\r\n"
                                  . "Host: redirect.example.com\r\n"
                                  . "Connection: close\r\n\r\n");
    if (have_min_apache_version('2.4.52')) {
        rejected_is($res, 400, "target with $name: 400");
    }
    else {
        rejected_is($res, $served, "target with $name: not redirected, "
                    . "served by httpd before 2.4.52 ($served)");
    }
}

# ---------------------------------------------------------------------
# Targets httpd takes: kept as sent, and nothing ends up a header.

for my $target ('/a%0d%0aX-Injected:%201',
                '/a?%0D%0AX-Injected:%201%0D%0A%0D%0A<html>',
                '/a%0aX-Injected:1?%0d',
                "/\xe5\x98\x8a\xe5\x98\x8dX-Injected:1",
                '/%E5%98%8A%E5%98%8DX-Injected:1',
                '/a%%0d0a%0%0d%0a',
                '/%c0%8a%c0%8dX-Injected:1',
                '//evil.example/x',
                '/\\evil.example/x',
                '/@evil.example',
                '/:evil.example:443/x') {
    redirected_is(raw_response($port, "GET $target HTTP/1.1\r\n"
                                      . "Host: redirect.example.com\r\n"
                                      . "Connection: close\r\n\r\n"),
                  "$base$target",
                  'target ' . shown($target) . ' kept as sent');
}

# The body says nothing from the request.
{
    my $plain = raw_response($port, "GET / HTTP/1.1\r\n"
                                    . "Host: redirect.example.com\r\n"
                                    . "Connection: close\r\n\r\n");
    my $res = raw_response($port, "GET /<script>alert(1)</script>?<b>x</b>"
                                  . " HTTP/1.1\r\n"
                                  . "Host: redirect.example.com\r\n"
                                  . "Connection: close\r\n\r\n");
    ok($res && $res->{status} == 301 && $res->{body} eq $plain->{body}
       && $res->{body} !~ /script|<b>/,
       'the redirect body is the same whatever the request')
        or diag($res ? $res->{body} : $@);
}

# HTTP/0.9 (no version, no header): the redirect's body, not the file.
{
    my $conn = connect_to(port => $port);
    $conn->send_raw("GET /static.txt\r\n");
    my $all = $conn->read_all;
    ok($all =~ /HTTPS/ && $all !~ /static file/ && $all !~ /^HTTP/,
       'HTTP/0.9: the redirect body, not the resource') or diag($all);
}

# ---------------------------------------------------------------------
# HttpProtocolOptions Unsafe: httpd no longer checks host names, and
# takes fragments and user information; the redirect still goes only to
# names the configuration gives. (A server of the test's own.)

{
    my $p = HSTS::Httpd::free_port();
    my $httpd = HSTS::Httpd->start(listen => [$p], conf => <<"CONF");
HttpProtocolOptions Unsafe
<VirtualHost 127.0.0.1:$p>
    ServerName canon.test
    ServerAlias www.canon.test *.wild.test
    HSTSRedirect On
</VirtualHost>
CONF
    my $get = sub {
        my ($target, $host) = @_;
        return raw_response($p, "GET $target HTTP/1.1\r\nHost: $host\r\n"
                                . "Connection: close\r\n\r\n");
    };
    redirected_is($get->('/x', 'a.wild.test'), 'https://a.wild.test/x',
                  'Unsafe: a name the wildcard matches');
    redirected_is($get->('/x', 'WWW.Canon.Test'), 'https://www.canon.test/x',
                  'Unsafe: an alias in upper case');
    for my $host ('evil.example?.wild.test', 'evil.example#.wild.test',
                  'evil.example .wild.test', 'user@x.wild.test',
                  'evil.example:@x.wild.test', 'evil.example%2f.wild.test',
                  'evil.example,x.wild.test', "evil.example\x01.wild.test",
                  "ev\xc3\xa4l.wild.test", 'evil.example;.wild.test',
                  'evil.example".wild.test', 'evil.example<.wild.test') {
        # httpd takes each of these and picks the host by the wildcard
        redirected_is($get->('/x', $host), 'https://canon.test/x',
                      'Unsafe: Host ' . shown($host) . ': to the ServerName');
    }
    redirected_is($get->('http://evil.example%3f.wild.test/x', 'canon.test'),
                  'https://canon.test/x',
                  'Unsafe: a hostile host in an absolute-form target');
    redirected_is($get->('http://a.wild.test@evil.example/x', 'canon.test'),
                  'https://canon.test/x',
                  'Unsafe: user information naming an alias');
    redirected_is($get->('/a?b#frag', 'canon.test'),
                  'https://canon.test/a?b#frag',
                  'Unsafe: a fragment is kept as sent');
    $httpd->stop;
}
