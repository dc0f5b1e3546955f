# SPDX-License-Identifier: Apache-2.0
# The header on a server where nothing else is configured to touch it:
# mod_hsts then sets it in the fixups phase and adds its guard filter only
# for responses that need it (a handler other than httpd's default, error
# pages, 304s, mod_cache's answers). The suite's main server has Header
# directives, so every response there takes the guarded path; this one
# checks the other.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use File::Path qw(make_path);
use File::Spec::Functions qw(catfile);
use Test::More import => ['!plan'];
use Apache::Test qw(-withtestmore);
use HSTS::Client qw(connect_to request requester header_values h2_request);
use HSTS::Httpd ();
use HSTS::Assert qw(sts_is no_crash);

plan tests => 22;

my $pki = HSTS::Httpd::pki_dir();
my $htdocs = catfile(HSTS::Httpd::top_dir(), 't', 'htdocs');
my $policy = 'max-age=31536000; includeSubDomains; preload';
my $cache_dir = HSTS::Httpd::new_dir();
my ($tls, $plain) = HSTS::Httpd::free_ports(2);

my $common = <<"EOF";
TypesConfig /etc/mime.types
ScriptSock "$cache_dir/cgisock"
Protocols h2 http/1.1
<Directory "$htdocs">
    Require all granted
</Directory>
<Directory "$htdocs/cgi">
    Options +ExecCGI
    SetHandler cgi-script
</Directory>
ErrorDocument 404 /errors/404.html
HSTSPolicy "$policy"
HSTSRedirect On

<VirtualHost 127.0.0.1:$tls>
    ServerName example.com
    SSLEngine on
    SSLCertificateFile "$pki/example.com.crt"
    SSLCertificateKeyFile "$pki/example.com.key"
    Redirect permanent /moved /static.txt
    ProxyPass /proxy/ http://127.0.0.1:$plain/
    <IfModule cache_module>
        CacheRoot "$cache_dir"
        CacheEnable disk /cached/
        CacheHeader on
        CacheIgnoreNoLastMod On
        Alias /cached/ "$htdocs/"
    </IfModule>
</VirtualHost>

<VirtualHost 127.0.0.1:$plain>
    ServerName backend.example.com
    HSTSRedirect Off
    HSTS Off
</VirtualHost>
EOF

my @modules = ('mime', 'alias', 'cgid', 'http2', 'proxy', 'proxy_http');
my $server = HSTS::Httpd->start(listen => [$tls, $plain],
                                modules => \@modules, conf => $common);
my $hsts_error = qr/\[hsts:(?:error|crit)\]/;

my $https = requester(port => $tls, tls => 1, host => 'example.com');

sts_is($https->(target => '/static.txt'), 200, $policy,
       'a file: set in fixups');
sts_is($https->(target => '/static.txt', method => 'HEAD'), 200, $policy,
       'HEAD');
{
    my $first = $https->(target => '/static.txt');
    my ($etag) = header_values($first, 'ETag');
    sts_is($https->(target => '/static.txt',
                    headers => ['If-None-Match' => $etag]),
           304, $policy, '304');
}
sts_is($https->(target => '/missing'), 404, $policy,
       '404 through ErrorDocument');
sts_is($https->(target => '/moved'), 301, $policy, 'mod_alias redirect');
sts_is($https->(target => '/static.txt', method => 'BREW'), 501, $policy,
       '501');
sts_is($https->(target => '/cgi/sts.cgi'), 200, $policy,
       'a CGI script\'s header is replaced');
sts_is($https->(target => '/cgi/bad-header.cgi'), 500, $policy,
       'a 500 raised while the CGI response starts');
sts_is($https->(target => '/proxy/static.txt'), 200, $policy, 'proxied');
sts_is(h2_request(port => $tls, host => 'example.com', target => '/static.txt'),
       200, $policy, 'HTTP/2');

# mod_cache answers the second request in its quick handler: no fixups.
{
    $server->stop;
    no_crash($server, 'no child crashed', also => $hsts_error);
    $server = HSTS::Httpd->start(listen => [$tls, $plain],
                                 modules => [@modules, 'cache', 'cache_disk'],
                                 conf => $common);
    my $first = $https->(target => '/cached/static.txt');
    my $second = $https->(target => '/cached/static.txt');
    my ($cache) = header_values($second, 'X-Cache');
    like($cache // '', qr/^HIT/, 'the second answer came from mod_cache');
    sts_is($first, 200, $policy, 'cached path, first (stored) answer');
    sts_is($second, 200, $policy, 'cached path, answer from the cache');

    $first = $https->(target => '/cached/cgi/sts-cacheable.cgi');
    $second = $https->(target => '/cached/cgi/sts-cacheable.cgi');
    ($cache) = header_values($second, 'X-Cache');
    like($cache // '', qr/^HIT/, 'a cacheable CGI answer came from mod_cache');
    sts_is($first, 200, $policy,
           'cached CGI with its own header, first answer');
    sts_is($second, 200, $policy,
           'cached CGI with its own header, from the cache');
}

# Keep-alive: every response of one connection.
{
    my $conn = connect_to(port => $tls, tls => 1, sni => 'example.com');
    my $all = 1;
    for my $t ('/static.txt', '/missing', '/cgi/sts.cgi', '/static.txt') {
        my $res = request(conn => $conn, host => 'example.com', target => $t);
        my @sts = header_values($res, 'Strict-Transport-Security');
        $all &&= @sts == 1 && $sts[0] eq $policy;
    }
    $conn->close;
    ok($all, 'every response on one keep-alive connection');
}

# Plain HTTP: the redirect; the backend host, not engaged, sends nothing.
{
    my $res = request(port => $plain, host => 'backend.example.com',
                      target => '/static.txt');
    is($res->{status}, 200, 'plain host without HSTS serves');
    ok(!header_values($res, 'Strict-Transport-Security'), 'and sends no header');
    $res = request(port => $plain, host => 'backend.example.com',
                   target => '/cgi/sts.cgi');
    is_deeply([header_values($res, 'Strict-Transport-Security')],
              ['max-age=3; from-cgi'],
              'a host that is not engaged keeps a CGI\'s header');
}

$server->stop;
no_crash($server, 'no child crashed', also => $hsts_error);
