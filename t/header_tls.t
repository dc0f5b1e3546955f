# SPDX-License-Identifier: Apache-2.0
# The Strict-Transport-Security header on responses served over TLS
# (README: The header): exactly one, with the configured policy, on
# every kind of response, whatever else tried to set it.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Test::More import => ['!plan'];
use Apache::Test qw(-withtestmore);
use HSTS::Client qw(connect_to request requester header_values h2_request
                    port_of);
use HSTS::Assert qw(sts_is);

plan tests => 36;

my $port = port_of('hsts_tls');
my $policy = 'max-age=63072000; includeSubDomains; preload';

my $https = requester(port => $port, tls => 1, host => 'example.com');

# Static content, methods.
sts_is($https->(target => '/static.txt'), 200, $policy, '200 GET');
sts_is($https->(target => '/static.txt', method => 'HEAD'), 200, $policy,
       '200 HEAD');
sts_is($https->(target => '/static.txt', version => '1.0'), 200, $policy,
       '200 over HTTP/1.0');
sts_is($https->(target => '/static.txt', method => 'POST', body => 'x=1'),
       200, $policy, 'POST to a static file');

# 304 from a conditional request.
{
    my $first = $https->(target => '/static.txt');
    my ($etag) = header_values($first, 'ETag');
    my $res = $https->(target => '/static.txt',
                       headers => ['If-None-Match' => $etag]);
    sts_is($res, 304, $policy, '304 Not Modified (If-None-Match)');
    my ($lm) = header_values($first, 'Last-Modified');
    $res = $https->(target => '/static.txt',
                    headers => ['If-Modified-Since' => $lm]);
    sts_is($res, 304, $policy, '304 Not Modified (If-Modified-Since)');
}

# Errors httpd makes.
sts_is($https->(target => '/no/such/file'), 404, $policy,
       '404 through a local ErrorDocument (internal redirect)');
{
    my $res = $https->(target => '/no/such/file');
    like($res->{body}, qr/custom not found page/,
         'the ErrorDocument page was served');
}
sts_is($https->(target => '/private/secret.txt'), 403, $policy, '403');
sts_is($https->(target => '/auth/'), 401, $policy, '401');
sts_is($https->(target => '/cgi/broken.cgi'), 500, $policy,
       '500 from a failing CGI script');
sts_is($https->(target => '/cgi/bad-header.cgi'), 500, $policy,
       '500 when httpd refuses a response\'s header after it started');
sts_is($https->(target => '/static.txt', method => 'BREW'), 501, $policy,
       '501 for an unknown method');
sts_is($https->(target => '/static.txt',
                headers => ['Content-Length' => 'abc']), 400, $policy,
       '400 for a malformed request');
sts_is($https->(target => '/htaccess/'), 500, $policy,
       '500 when an .htaccess file has an HSTS directive');

# Redirects made by other modules.
sts_is($https->(target => '/alias-redirect'), 301, $policy,
       '301 from mod_alias Redirect');
sts_is($https->(target => '/rewrite-redirect'), 302, $policy,
       '302 from mod_rewrite [R]');
sts_is($https->(target => '/rewrite-internal'), 200, $policy,
       '200 after a mod_rewrite internal rewrite');

# Whatever else sets the header is replaced.
sts_is($https->(target => '/others/always/static.txt'), 200, $policy,
       'replaces "Header always set"');
sts_is($https->(target => '/others/error/missing'), 404, $policy,
       'replaces "Header always set" on an error (404)');
sts_is($https->(target => '/others/onsuccess/static.txt'), 200, $policy,
       'replaces "Header set"');
sts_is($https->(target => '/others/add/static.txt'), 200, $policy,
       'replaces "Header add" and "Header always add"');
sts_is($https->(target => '/cgi/sts.cgi'), 200, $policy,
       'replaces a CGI script\'s header');
sts_is($https->(target => '/cgi/sts-error.cgi'), 503, $policy,
       'replaces a CGI script\'s header on its own error status');
sts_is($https->(target => '/proxy/hello.txt'), 200, $policy,
       'replaces a proxied backend\'s header');
sts_is($https->(target => '/proxy-down/x'), 503, $policy,
       '503 when the proxied backend is down');

# Every response of a keep-alive connection.
{
    my $conn = connect_to(port => $port, tls => 1, sni => 'example.com');
    my @status;
    my $all_one = 1;
    for my $target ('/static.txt', '/missing', '/alias-redirect',
                    '/static.txt') {
        my $res = request(conn => $conn, host => 'example.com',
                          target => $target);
        push @status, $res->{status};
        my @sts = header_values($res, 'Strict-Transport-Security');
        $all_one &&= @sts == 1 && $sts[0] eq $policy;
    }
    $conn->close;
    ok($all_one && "@status" eq '200 404 301 200',
       'every response on one keep-alive connection')
        or diag("statuses: @status");
}

# Host policies: inherited, defaults, units, normalised, zero, off.
sts_is($https->(host => 'www.example.com', target => '/static.txt'), 200,
       $policy, 'a ServerAlias gets its host\'s policy');
sts_is($https->(host => 'inherit.example.com', target => '/static.txt'), 200,
       'max-age=31536000; includeSubDomains',
       'default max-age, includeSubDomains inherited from the server config');
sts_is($https->(host => 'units.example.com', target => '/static.txt'), 200,
       'max-age=1209600', 'HSTSMaxAge 2w, HSTSIncludeSubDomains Off');
sts_is($https->(host => 'normalized.example.com', target => '/static.txt'),
       200, 'max-age=31536000; includeSubDomains; preload',
       'HSTSPolicy is sent in canonical form');
sts_is($https->(host => 'zero.example.com', target => '/static.txt'), 200,
       'max-age=0; includeSubDomains', 'HSTSMaxAge 0');
sts_is($https->(host => 'off.example.com', target => '/static.txt'), 200,
       'max-age=4; not-ours',
       'HSTS Off: the module leaves others\' headers alone');

# HTTP/2 (inactive under prefork: mod_http2 says so at startup, AH10034).
SKIP: {
    skip 'mod_http2 does not serve HTTP/2 under the prefork MPM', 3
        if Apache::Test::config()->{server}{mpm} eq 'prefork';
    my $res = h2_request(port => $port, host => 'example.com',
                         target => '/static.txt');
    is($res->{proto}, 'HTTP/2', 'curl spoke HTTP/2');
    sts_is($res, 200, $policy, '200 over HTTP/2');
    sts_is(h2_request(port => $port, host => 'example.com',
                      target => '/others/always/missing'),
           404, $policy, '404 over HTTP/2, replacing "Header always set"');
}
