# SPDX-License-Identifier: Apache-2.0
# No Strict-Transport-Security over plain HTTP (README: The header):
# in every host where mod_hsts is engaged, a header that anything else
# adds to a plain-HTTP response is removed (RFC 6797 7.2).
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Test::More import => ['!plan'];
use Apache::Test qw(-withtestmore);
use HSTS::Client qw(request requester header_values h2_request port_of);
use HSTS::Assert qw(no_sts);

plan tests => 12;

my $port = port_of('hsts_plain');

my $http = requester(port => $port, tls => 0);

# A host with HSTS on (but no redirect) serves plain HTTP without it.
no_sts($http->(host => 'engaged.example.com', target => '/static.txt'), 200,
       'engaged host: 200 without the header "Header always set" adds');
no_sts($http->(host => 'engaged.example.com', target => '/static.txt',
               method => 'HEAD'), 200, 'engaged host: HEAD');
no_sts($http->(host => 'engaged.example.com', target => '/missing'), 404,
       'engaged host: 404 (ErrorDocument)');
no_sts($http->(host => 'engaged.example.com', target => '/cgi/sts.cgi'),
       200, 'engaged host: a CGI script\'s header is removed');
no_sts($http->(host => 'engaged.example.com', target => '/cgi/sts-error.cgi'),
       503, 'engaged host: and on its error status');
no_sts($http->(host => 'engaged.example.com', target => '/proxy/hello.txt'),
       200, 'engaged host: a proxied backend\'s header is removed');
{
    my $first = $http->(host => 'engaged.example.com', target => '/static.txt');
    my ($etag) = header_values($first, 'ETag');
    no_sts($http->(host => 'engaged.example.com', target => '/static.txt',
                   headers => ['If-None-Match' => $etag]),
           304, 'engaged host: 304');
}
no_sts(h2_request(port => $port, h2c => 1, host => 'engaged.example.com',
                  target => '/static.txt'),
       200, 'engaged host: plain HTTP/2 (h2c)');

# A redirecting host: the redirect and the excluded ACME path carry none.
no_sts($http->(host => 'example.com', target => '/static.txt'), 301,
       'redirecting host: the redirect has no header');
no_sts($http->(host => 'example.com',
               target => '/.well-known/acme-challenge/token'), 404,
       'redirecting host: an excluded path has no header');

# A host where mod_hsts is not engaged keeps what others send.
{
    my $res = $http->(host => 'untouched.example.com', target => '/static.txt');
    is_deeply([header_values($res, 'Strict-Transport-Security')],
              ['max-age=4; not-ours'],
              'a host without HSTS or HSTSRedirect is left alone');
}

# The main server, which sets nothing, is not engaged either.
{
    my $res = request(port => Apache::Test::basic_config()->{vars}{port},
                      host => 'localhost', target => '/static.txt');
    is($res->{status}, 200, 'the main server serves plain HTTP');
}
