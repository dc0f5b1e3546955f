# SPDX-License-Identifier: Apache-2.0
# The plain-HTTP redirect (README: The redirect): status by method and
# version, the Location (host, port, path and query as sent), exclusions,
# what it runs before, no loop over TLS, and keep-alive after it.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Test::More import => ['!plan'];
use Apache::Test qw(-withtestmore);
use HSTS::Client qw(connect_to request requester header_values h2_request
                    port_of ca_file);
use HSTS::Httpd ();
use HSTS::Assert qw(redirect_page_is served_is shown);

plan tests => 169;

my $port = port_of('hsts_redirect');
my $tls = port_of('hsts_tls');
my $alt = port_of('hsts_tls_alt');
my $base = "https://redirect.example.com:$tls";

my $http = requester(port => $port, host => 'redirect.example.com');

# ---------------------------------------------------------------------
# Status by method and version.

my @methods = (['GET'], ['HEAD'], ['POST', 'a=1'], ['PUT', 'data'],
               ['DELETE'], ['OPTIONS'], ['PATCH', 'patch'], ['PROPFIND']);
for my $mode (['redirect.example.com', 'Permanent', 301, 308, $base],
              ['temporary.example.com', 'Temporary', 302, 307,
               'https://temporary.example.com']) {
    my ($host, $word, $get_status, $other_status, $prefix) = @$mode;
    for my $m (@methods) {
        my ($method, $body) = @$m;
        my $head = $method eq 'HEAD';
        my $want = $method eq 'GET' || $head ? $get_status : $other_status;
        my %req = (host => $host, method => $method, body => $body,
                   target => '/m?x=1');
        redirect_page_is($http->(%req), $want, "$prefix/m?x=1",
                         "$word: $method over HTTP/1.1 gives $want",
                         head => $head);
        redirect_page_is($http->(%req, version => '1.0'),
                         $get_status, "$prefix/m?x=1",
                         "$word: $method over HTTP/1.0 gives $get_status",
                         head => $head);
    }
}

# ---------------------------------------------------------------------
# The path and query exactly as sent.

for my $target ('/', '/static.txt', '/a/b/c?x=1&y=2', '/%2e%2e/x',
                '/a/%2E%2E/%2e%2e/b', '/..%2f..%2fetc/passwd',
                '//double//slashes', '///x', '/a%0d%0aSet-Cookie:%20x=1',
                '/a%00b', '/%25%2F%3F?%23%26', '/a?', '/?', '/a??b',
                '/a?q=a%20b+c', '/a?q=%0D%0A', '/a;p=1?q',
                '/~u/!$&\'()*+,;=:@', "/<>\"{}|\\^`",
                "/\x80\xff\xc3\xa9?\xe2\x82\xac=\xe2\x82\xac") {
    my $res = $http->(target => $target);
    redirect_page_is($res, 301, "$base$target",
                     'path kept as sent: ' . shown($target));
}
{
    my $res = $http->(target => '/a%0d%0aSet-Cookie:%20x=1'
                              . '?%0d%0aX-Injected:%201');
    ok($res->{status} == 301 && !header_values($res, 'Set-Cookie')
       && !header_values($res, 'X-Injected'),
       'an encoded CR LF in the path or query adds no header');
}

# The longest request line httpd takes (LimitRequestLine 8190: with
# "GET " and " HTTP/1.1" a target of 8178 bytes) is redirected whole.
{
    my $target = '/' . ('abcdefgh' x 1000) . '?' . ('q' x 176);
    is(length $target, 8178, 'a target of 8178 bytes');
    redirect_page_is($http->(target => $target), 301, "$base$target",
                     'a target at LimitRequestLine is redirected whole');
    my $res = $http->(target => "$target" . 'q');
    ok($res->{status} == 414 && !header_values($res, 'Location'),
       'one byte longer: 414 from httpd, no Location')
        or diag($res->{head});
}

# Absolute-form targets: only their path and query are used, and the
# host in them counts only when the virtual host names it.
for my $case (
    ['http://other.example/x?y', 'redirect.example.com', "$base/x?y",
     'another host in the target: the ServerName'],
    ['http://other.example/x?y', 'www.redirect.example.com', "$base/x?y",
     'another host in the target wins over a named Host header'],
    ['http://www.redirect.example.com/x', 'other.example',
     "https://www.redirect.example.com:$tls/x",
     'a ServerAlias in the target'],
    ['HTTP://WWW.Redirect.Example.COM:80/x', 'other.example',
     "https://www.redirect.example.com:$tls/x",
     'upper-case scheme and host, and a port, in the target'],
    ['http://other.example', 'redirect.example.com', "$base/",
     'a target without a path: /'],
    ['http://other.example?q=1', 'redirect.example.com', "$base/?q=1",
     'a target with a query and no path'],
    ['http://other.example//x//y', 'redirect.example.com', "$base//x//y",
     'a target whose path starts with //'],
    ['https://other.example/x', 'www.redirect.example.com',
     "https://www.redirect.example.com:$tls/x",
     'an https target: httpd takes the host from the Host header'],
    ['http:/static.txt', 'redirect.example.com', "$base/static.txt",
     'a target without an authority ("http:/static.txt")'],
    ['http:?q', 'redirect.example.com', "$base/?q",
     'a target with neither authority nor path ("http:?q")'],
) {
    my ($target, $host, $want, $name) = @$case;
    redirect_page_is($http->(target => $target, host => $host), 301, $want,
                     "absolute-form: $name");
}
redirect_page_is($http->(target => 'http://temporary.example.com/x',
                         host => 'redirect.example.com'),
                 302, 'https://temporary.example.com/x',
                 'absolute-form: the host in the target picks the virtual '
                 . 'host');

# ---------------------------------------------------------------------
# The host: as requested when the virtual host names it, else ServerName.

for my $case (
    ['redirect.example.com', $base, 'the ServerName'],
    ['redirect.example.com:8080', $base, 'a Host with a port: port dropped'],
    ['REDIRECT.Example.COM', $base, 'an upper-case Host is lower-cased'],
    ['redirect.example.com.', $base, 'a trailing dot is dropped'],
    ['www.redirect.example.com', "https://www.redirect.example.com:$tls",
     'a ServerAlias'],
    ['WWW.REDIRECT.EXAMPLE.COM:80', "https://www.redirect.example.com:$tls",
     'a ServerAlias in upper case with a port'],
    ['a.wild.redirect.example.com',
     "https://a.wild.redirect.example.com:$tls",
     'a name matching a wildcard ServerAlias'],
    ['x.y.wild.redirect.example.com',
     "https://x.y.wild.redirect.example.com:$tls",
     'a deeper name matching a wildcard ServerAlias'],
    ['wild.redirect.example.com', $base,
     'the wildcard\'s parent, which it does not match: the ServerName'],
    ['unknown.example', $base, 'a name the host does not name'],
    ['example.com', $base, 'a name only another port\'s hosts name'],
    ['127.0.0.1', $base, 'an IP address the host does not name'],
    ['[::1]', 'https://[::1]', 'an IPv6 literal the host names'],
    ['[::1]:8080', 'https://[::1]', 'an IPv6 literal with a port'],
    ['[::2]', $base, 'an IPv6 literal the host does not name'],
) {
    my ($host, $want, $name) = @$case;
    redirect_page_is($http->(host => $host, target => '/h?1'), 301, "$want/h?1",
                     "host: $name");
}
redirect_page_is($http->(host => undef, version => '1.0', target => '/h?1'),
                 301, "$base/h?1",
                 'host: HTTP/1.0 without Host: the ServerName');
redirect_page_is($http->(host => '', version => '1.0', target => '/h?1'),
                 301, "$base/h?1",
                 'host: HTTP/1.0 with an empty Host: the ServerName');

# ---------------------------------------------------------------------
# The port: HSTSRedirectPort, else the TLS host's for the name, else 443.

redirect_page_is($http->(host => 'port.example.com', target => '/p'), 301,
                 'https://port.example.com:8443/p',
                 'port: HSTSRedirectPort wins over the TLS host\'s port');
redirect_page_is($http->(host => 'redirect.example.com', target => '/p'), 301,
                 "https://redirect.example.com:$tls/p",
                 'port: the TLS host serving the ServerName');
redirect_page_is($http->(host => 'alt.example.net', target => '/p'), 301,
                 "https://alt.example.net:$alt/p",
                 'port: a ServerAlias served by a TLS host on another port');
redirect_page_is($http->(host => 'notls.redirect.example.com',
                         target => '/p'), 301,
                 'https://notls.redirect.example.com/p',
                 'port: a ServerAlias no TLS host serves: 443, left out');
redirect_page_is($http->(host => 'notls.example.com', target => '/p'), 301,
                 'https://notls.example.com/p',
                 'port: a ServerName no TLS host serves: 443, left out');

# ---------------------------------------------------------------------
# Exclusions.

{
    my $acme = '/.well-known/acme-challenge';
    my $res = $http->(target => "$acme/hsts-token");
    served_is($res, 200, 'the ACME challenge path is served by default');
    is($res->{body}, "acme token\n", 'with the challenge file');
    served_is($http->(target => "$acme/missing"), 404,
              'a missing ACME token: 404, not a redirect');
    served_is($http->(target => "$acme/hsts-token?x=1"), 200,
              'an ACME path with a query is served');
    redirect_page_is($http->(target => "$acme/%2e%2e/static.txt"), 301,
                     "$base$acme/%2e%2e/static.txt",
                     'an encoded dot segment leaves the ACME exclusion');
    redirect_page_is($http->(target => "$acme/../../static.txt"), 301,
                     "$base$acme/../../static.txt",
                     'a dot segment leaves the ACME exclusion');
    redirect_page_is($http->(target => '/.well-known/acme-challengex'), 301,
                     "$base/.well-known/acme-challengex",
                     'the ACME prefix matches whole segments only');
    redirect_page_is($http->(target => '/healthz'), 301, "$base/healthz",
                     'a host without HSTSRedirectExclude redirects /healthz');

    my %h = (host => 'exclude.example.com');
    my $ex = "https://exclude.example.com";
    served_is($http->(%h, target => '/healthz'), 200,
              'HSTSRedirectExclude /healthz serves /healthz');
    served_is($http->(%h, target => '/healthz?x=1'), 200,
              'and /healthz with a query');
    served_is($http->(%h, target => '/healthz/x'), 404,
              'and /healthz/x (404 from httpd)');
    redirect_page_is($http->(%h, target => '/healthzx'), 301, "$ex/healthzx",
                     'but not /healthzx');
    redirect_page_is($http->(%h, target => '/healthz/../static.txt'), 301,
                     "$ex/healthz/../static.txt", 'nor /healthz/../static.txt');
    redirect_page_is($http->(%h, target => '/healthz/%2e%2e/static.txt'), 301,
                     "$ex/healthz/%2e%2e/static.txt",
                     'nor /healthz/%2e%2e/static.txt');
    served_is($http->(%h, target => '/status/ok.txt'), 200,
              'a prefix with a trailing slash serves what is under it');
    served_is($http->(%h, target => '/status'), 301,
              'and the directory itself (mod_dir\'s own redirect)');
    redirect_page_is($http->(%h, target => '/statusx'), 301, "$ex/statusx",
                     'but not /statusx');
    served_is($http->(%h, target => "$acme/hsts-token"), 200,
              'listed prefixes are added to the ACME default');

    %h = (host => 'exclude-none.example.com');
    $ex = "https://exclude-none.example.com";
    redirect_page_is($http->(%h, target => "$acme/hsts-token"), 301,
                     "$ex$acme/hsts-token",
                     '"none /healthz": the ACME path is redirected');
    served_is($http->(%h, target => '/healthz'), 200,
              '"none /healthz": /healthz is served');
    served_is($http->(%h, target => '/healthz/x'), 404,
              '"none /healthz": /healthz/x is served');
    redirect_page_is($http->(%h, target => '/healthzx'), 301, "$ex/healthzx",
                     '"none /healthz": /healthzx is redirected');

    %h = (host => 'exclude-nothing.example.com');
    $ex = "https://exclude-nothing.example.com";
    redirect_page_is($http->(%h, target => "$acme/hsts-token"), 301,
                     "$ex$acme/hsts-token",
                     '"none": the ACME path is redirected');
    redirect_page_is($http->(%h, target => '/healthz'), 301, "$ex/healthz",
                     '"none": everything is redirected');
}

# ---------------------------------------------------------------------
# Requests that are not redirected.

served_is($http->(method => 'OPTIONS', target => '*'), 200,
          'OPTIONS * is answered, not redirected');
served_is($http->(method => 'OPTIONS', target => 'http://redirect.example.com'),
          200, 'OPTIONS with an absolute target without a path (= OPTIONS *)');
served_is($http->(method => 'CONNECT', target => 'redirect.example.com:443'),
          405, 'CONNECT is not redirected');

# ---------------------------------------------------------------------
# Before URL translation, authentication, rewriting and handlers.

for my $case (['/private/secret.txt', 'a path under "Require all denied"'],
              ['/auth/', 'a path under AuthType Basic'],
              ['/located-denied', 'a <Location> with "Require all denied"'],
              ['/alias-redirect', 'a mod_alias Redirect'],
              ['/rewrite-redirect', 'a mod_rewrite [R] rule'],
              ['/rewrite-internal', 'a mod_rewrite internal rewrite'],
              ['/rewrite-forbidden', 'a mod_rewrite [F] rule'],
              ['/cgi/sts.cgi', 'a CGI script'],
              ['/htaccess/', 'a directory with an invalid .htaccess'],
              ['/no/such/file', 'a missing file (ErrorDocument 404)']) {
    my ($target, $name) = @$case;
    redirect_page_is($http->(target => $target), 301, "$base$target",
                     "redirected first: $name");
}

# ---------------------------------------------------------------------
# No loop: HSTSRedirect in a TLS host never acts there.

{
    my %t = (port => $tls, tls => 1, host => 'loop.example.com');
    my $want = 'max-age=31536000; includeSubDomains';
    for my $case ([{}, 'GET'],
                  [{ method => 'POST', body => 'a=1' }, 'POST'],
                  [{ version => '1.0' }, 'HTTP/1.0'],
                  [{ target => 'http://loop.example.com/static.txt' },
                   'an absolute-form target']) {
        my ($a, $name) = @$case;
        my $res = request(%t, target => '/static.txt', %$a);
        my @sts = header_values($res, 'Strict-Transport-Security');
        ok($res->{status} == 200 && !header_values($res, 'Location')
           && "@sts" eq $want,
           "TLS host with HSTSRedirect On: $name served, with the header")
            or diag($res->{head});
    }
    # HTTP/2 is inactive under prefork (mod_http2 says so, AH10034)
    SKIP: {
        skip 'mod_http2 does not serve HTTP/2 under the prefork MPM', 2
            if Apache::Test::config()->{server}{mpm} eq 'prefork';
        my $res = h2_request(port => $tls, host => 'loop.example.com',
                             target => '/static.txt');
        my @sts = header_values($res, 'Strict-Transport-Security');
        ok($res->{proto} eq 'HTTP/2' && $res->{status} == 200
           && !header_values($res, 'Location') && "@sts" eq $want,
           'HTTP/2 over TLS is never redirected, and gets the header')
            or diag("$res->{proto} $res->{status} @sts");
        $res = h2_request(port => $tls, host => 'loop.example.com',
                          target => '/missing', method => 'POST');
        ok($res->{status} == 404 && !header_values($res, 'Location'),
           'HTTP/2 over TLS: a POST to a missing file is not redirected '
           . 'either');
    }
}

# Plain HTTP/2 (h2c) is redirected like HTTP/1.1.
{
    my $res = h2_request(port => $port, h2c => 1,
                         host => 'redirect.example.com', target => '/x?y');
    my @loc = header_values($res, 'Location');
    ok($res->{proto} eq 'HTTP/2' && $res->{status} == 301
       && "@loc" eq "$base/x?y"
       && !header_values($res, 'Strict-Transport-Security'),
       'h2c GET: 301 to HTTPS') or diag("$res->{proto} $res->{status} @loc");
    $res = h2_request(port => $port, h2c => 1, method => 'POST',
                      host => 'redirect.example.com', target => '/x?y');
    @loc = header_values($res, 'Location');
    ok($res->{status} == 308 && "@loc" eq "$base/x?y", 'h2c POST: 308')
        or diag("$res->{status} @loc");
}

# ---------------------------------------------------------------------
# Keep-alive: the redirect keeps the connection for the next request.

sub conn_tokens {
    my ($res) = @_;
    return join ',', map { lc } map { split /\s*,\s*/ }
        header_values($res, 'Connection');
}

{
    my $conn = connect_to(port => $port);
    my %c = (conn => $conn, host => 'redirect.example.com');
    my @steps = (
        [{ target => '/1' }, 301, "$base/1", 'GET'],
        [{ method => 'POST', target => '/2', body => 'x' x 1000 }, 308,
         "$base/2", 'POST with a body'],
        [{ method => 'HEAD', target => '/3' }, 301, "$base/3", 'HEAD'],
        [{ method => 'PUT',
           raw => "PUT /4 HTTP/1.1\r\nHost: redirect.example.com\r\n"
                  . "Transfer-Encoding: chunked\r\n\r\n"
                  . "5\r\nhello\r\n0\r\n\r\n" }, 308, "$base/4",
         'PUT with a chunked body'],
        [{ method => 'POST', target => '/5', body => 'y' x 262144 }, 308,
         "$base/5", 'POST with a 256 KiB body'],
        [{ target => '/.well-known/acme-challenge/hsts-token' }, 200, undef,
         'an excluded path'],
        [{ target => '/6', host => 'www.redirect.example.com' }, 301,
         "https://www.redirect.example.com:$tls/6", 'another name'],
    );
    for my $step (@steps) {
        my ($a, $status, $want, $name) = @$step;
        my %a = (%c, %$a);
        my $res = request(%a);
        if (defined $want) {
            redirect_page_is($res, $status, $want,
                             "keep-alive: $name is redirected",
                             head => ($a{method} // '') eq 'HEAD');
        }
        else {
            served_is($res, $status, "keep-alive: $name is served");
        }
        unlike(conn_tokens($res), qr/close/,
               "keep-alive: $name keeps the connection");
    }
    my $res = request(%c, target => '/last',
                      headers => [Connection => 'close']);
    redirect_page_is($res, 301, "$base/last", 'keep-alive: the last request');
    ok(conn_tokens($res) eq 'close' && $conn->at_eof,
       'keep-alive: the server closes only when the client asks')
        or diag($res->{head});
}

# Pipelined: a POST with its body and a GET in one write.
{
    my $conn = connect_to(port => $port);
    $conn->send_raw("POST /p1 HTTP/1.1\r\nHost: redirect.example.com\r\n"
                    . "Content-Length: 11\r\n\r\nhello=world"
                    . "GET /p2?x HTTP/1.1\r\nHost: redirect.example.com\r\n"
                    . "Connection: close\r\n\r\n");
    my $first = $conn->read_response;
    my $second = $conn->read_response;
    redirect_page_is($first, 308, "$base/p1", 'pipelined: the POST gets a 308');
    redirect_page_is($second, 301, "$base/p2?x",
                     'pipelined: the GET after its body gets a 301');
    $conn->close;
}

# HTTP/1.0 keep-alive, as the client asks for it.
{
    my $conn = connect_to(port => $port);
    my $res = request(conn => $conn, version => '1.0', target => '/k1',
                      host => 'redirect.example.com',
                      headers => [Connection => 'keep-alive']);
    redirect_page_is($res, 301, "$base/k1", 'HTTP/1.0 keep-alive: 301');
    my ($ka) = header_values($res, 'Keep-Alive');
    ok(conn_tokens($res) =~ /keep-alive/ && conn_tokens($res) !~ /close/
       && defined $ka,
       'HTTP/1.0 keep-alive: Connection: Keep-Alive and Keep-Alive sent')
        or diag($res->{head});
    $res = request(conn => $conn, version => '1.0', target => '/k2',
                   host => 'redirect.example.com');
    redirect_page_is($res, 301, "$base/k2",
                     'HTTP/1.0 keep-alive: the next request on the connection');
    ok(conn_tokens($res) eq 'close' && $conn->at_eof,
       'HTTP/1.0 without keep-alive: closed, and said so');
}

# Expect: 100-continue: the redirect comes at once, without "100
# Continue", so the client need not send the body; httpd then closes the
# connection, and says so, as the body may or may not follow.
{
    my $conn = connect_to(port => $port);
    $conn->send_raw("POST /e HTTP/1.1\r\nHost: redirect.example.com\r\n"
                    . "Content-Length: 100000\r\n"
                    . "Expect: 100-continue\r\n\r\n");
    my $line = $conn->read_line;
    like($line, qr{^HTTP/1\.1 308 }, 'Expect: 100-continue: 308 at once');
    $conn->unread($line);
    my $res = $conn->read_response;
    redirect_page_is($res, 308, "$base/e",
                     'Expect: 100-continue: the redirect');
    ok(conn_tokens($res) eq 'close' && $conn->at_eof,
       'Expect: 100-continue: the connection closes, announced');
}

# ---------------------------------------------------------------------
# The main server's settings, inherited and replaced (a server of the
# test's own: these would change every host of the suite's server).

{
    my $dir = HSTS::Httpd::new_dir();
    my ($p, $t) = HSTS::Httpd::free_ports(2);
    my $pki = HSTS::Httpd::pki_dir();
    my $tls_host = sub {
        return qq{<VirtualHost 127.0.0.1:$t>\n    ServerName $_[0]\n}
             . qq{    SSLEngine on\n}
             . qq{    SSLCertificateFile "$pki/example.com.crt"\n}
             . qq{    SSLCertificateKeyFile "$pki/example.com.key"\n}
             . qq{</VirtualHost>\n};
    };
    my $httpd = HSTS::Httpd->start(dir => $dir, listen => [$p, $t],
                                   conf => <<"CONF"
HSTS On
HSTSRedirect On
HSTSRedirectExclude /healthz
<VirtualHost 127.0.0.1:$p>
    ServerName inherit.test
</VirtualHost>
<VirtualHost 127.0.0.1:$p>
    ServerName own.test
    HSTSRedirectExclude /status
</VirtualHost>
<VirtualHost 127.0.0.1:$p>
    ServerName ownnone.test
    HSTSRedirectExclude none /status
</VirtualHost>
<VirtualHost 127.0.0.1:$p>
    ServerName off.test
    HSTSRedirect Off
</VirtualHost>
@{[ $tls_host->('inherit.test') ]}
CONF
    );
    my $get = sub {
        my ($host, $target) = @_;
        return request(port => $p, host => $host, target => $target);
    };
    my $acme = '/.well-known/acme-challenge/hsts-token';
    served_is($get->('inherit.test', '/healthz'), 200,
              'main server: its exclusion is inherited');
    served_is($get->('inherit.test', $acme), 200,
              'main server: with the ACME default');
    redirect_page_is($get->('inherit.test', '/status/ok.txt'), 301,
                     "https://inherit.test:$t/status/ok.txt",
                     'main server: HSTSRedirect inherited, to its TLS port');
    redirect_page_is($get->('own.test', '/healthz'), 301,
                     'https://own.test/healthz',
                     'a host\'s own list replaces the main server\'s');
    served_is($get->('own.test', '/status/ok.txt'), 200,
              'a host\'s own list: its prefix is served');
    served_is($get->('own.test', $acme), 200,
              'a host\'s own list: the ACME default still applies');
    redirect_page_is($get->('ownnone.test', $acme), 301,
                     "https://ownnone.test$acme",
                     'a host\'s own list starting with none: ACME redirected');
    served_is($get->('ownnone.test', '/status/ok.txt'), 200,
              'a host\'s own list starting with none: its prefix served');
    served_is($get->('off.test', '/static.txt'), 200,
              'HSTSRedirect Off in a host: served over plain HTTP');
    my $res = request(port => $t, tls => 1, host => 'inherit.test',
                      target => '/static.txt');
    ok($res->{status} == 200 && !header_values($res, 'Location')
       && header_values($res, 'Strict-Transport-Security'),
       'main server: the TLS host inheriting HSTSRedirect On serves')
        or diag($res->{head});
    $httpd->stop;
}
