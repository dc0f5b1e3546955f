# SPDX-License-Identifier: Apache-2.0
# Hostile requests against a real httpd, on a plain-HTTP host that
# redirects and on the TLS host it redirects to, with httpd's default
# request checks (HttpProtocolOptions Strict) and without them (Unsafe).
#
# For every request and both hosts:
# - a response arrives and is well-formed HTTP/1.x (status line, header
#   fields of a token, a colon and a value without control bytes, a body
#   of the length announced), or, for a request without an HTTP version,
#   an HTTP/0.9 body that does not pose as a response head;
# - no header field the request tried to inject (X-Injected, Set-Cookie);
# - a Location, when there is one, is https:// on a name the
#   configuration gives, on the TLS port, with no control byte or space;
# - no Strict-Transport-Security over plain HTTP, exactly one with the
#   policy over TLS;
# - the status httpd and mod_hsts give that request (the redirect's
#   exact Location included);
# and afterwards both hosts still answer and no child died (the error
# log has no "exit signal" / AH00052).
#
# t/redirect_hostile.t checks the redirect host by host; this file sends
# the same kind of hostile input, and more, to both transports at once.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Test::More import => ['!plan'];
use Apache::Test qw(-withtestmore);
use HSTS::Client qw(connect_to header_values);
use HSTS::Httpd ();
use HSTS::Assert qw(shown no_crash);
use Socket qw(SOL_SOCKET SO_RCVTIMEO);

my $policy = 'max-age=63072000; includeSubDomains; preload';
my $redirect_body = qr{\A<!DOCTYPE html>\n<title>Moved to HTTPS</title>\n};

# ---------------------------------------------------------------------
# The requests. Each is sent as raw bytes, to the plain host and to the
# TLS host. "plain" and "tls" give what must come back:
#   a status number;
#   [status, '/path?query'] a redirect to https://example.com:TLS/path?query
#   [status, '/path', 'host'] the same on another host the server names;
#   '0.9'   an HTTP/0.9 answer (a body without status line or header).
# "unsafe" overrides both for the server without request checks.

my $big_alias = join('.', ('a' x 60) x 120) . '.wild.example.com';  # ~7.4 KB
my $big_other = join('.', ('b' x 60) x 120) . '.evil.example';
my $huge_host = ('a' x 10240) . '.wild.example.com';                 # > 8 KB
my $many_headers = join '', map { "X-H$_: $_\r\n" } 1 .. 150;
my $some_headers = join '', map { "X-H$_: $_\r\n" } 1 .. 90;

# The bytes of a request (GET unless method says otherwise) for $target,
# with a Host field when $host is defined, the header lines in headers,
# and "Connection: close".
sub raw {
    my ($target, $host, %o) = @_;
    my $req = ($o{method} // 'GET') . " $target HTTP/" . ($o{version} // '1.1')
            . "\r\n";
    $req .= "Host: $host\r\n" if defined $host;
    $req .= $o{headers} // '';
    return $req . "Connection: close\r\n\r\n";
}

my @cases = (
    # --- header injection in the path, the query and the Host
    ['CR in the path', raw("/a\rX-Injected: 1", 'example.com'),
     plain => 400, tls => 400],
    ['CRLF ending the request line early',
     "GET /a\r\nX-Injected: 1 HTTP/1.1\r\nHost: example.com\r\n\r\n",
     plain => '0.9', tls => '0.9'],
    ['NUL in the path', raw("/a\x00b", 'example.com'),
     plain => 400, tls => 400],
    ['%0d%0a in the path', raw('/a%0d%0aX-Injected:%201', 'example.com'),
     plain => [301, '/a%0d%0aX-Injected:%201'], tls => 404],
    ['%0D%0A in the query',
     raw('/a?b=%0D%0AX-Injected:%201%0D%0A%0D%0A', 'example.com'),
     plain => [301, '/a?b=%0D%0AX-Injected:%201%0D%0A%0D%0A'], tls => 404],
    ['%250d%250a (double-encoded)', raw('/%250d%250aX-Injected:1', 'example.com'),
     plain => [301, '/%250d%250aX-Injected:1'], tls => 404],
    ['%0d alone and %0a alone', raw('/%0d/%0a?%0d&%0a', 'example.com'),
     plain => [301, '/%0d/%0a?%0d&%0a'], tls => 404],
    ['%0d%0a in the query of an excluded path',
     raw('/static.txt?a=%0d%0aX-Injected:%201', 'example.com'),
     plain => 200, tls => 200],
    ['an excluded path left with ..', raw('/static.txt/../x', 'example.com'),
     plain => [301, '/static.txt/../x'], tls => 404],
    ['an excluded path left with %2e%2e',
     raw('/static.txt/%2e%2e/x', 'example.com'),
     plain => [301, '/static.txt/%2e%2e/x'], tls => 404],
    ['UTF-8 that folds to CRLF (U+560A U+560D), encoded',
     raw('/%E5%98%8A%E5%98%8DX-Injected:1', 'example.com'),
     plain => [301, '/%E5%98%8A%E5%98%8DX-Injected:1'], tls => 404],
    ['UTF-8 that folds to CRLF, raw',
     raw("/\xe5\x98\x8a\xe5\x98\x8dX-Injected:1", 'example.com'),
     plain => [301, "/\xe5\x98\x8a\xe5\x98\x8dX-Injected:1"], tls => 404],
    ['overlong UTF-8 CR LF', raw('/%c0%8d%c0%8aX-Injected:1', 'example.com'),
     plain => [301, '/%c0%8d%c0%8aX-Injected:1'], tls => 404],
    ['CR in the Host', raw('/x', "example.com\rX-Injected: 1"),
     plain => 400, tls => 400],
    ['NUL in the Host', raw('/x', "example.com\x00evil.example"),
     plain => 400, tls => 400],
    ['%0d%0a in the Host', raw('/x', 'example.com%0d%0aX-Injected:%201'),
     plain => 400, tls => 400,
     unsafe => { plain => [301, '/x'], tls => 404 }],
    ['Set-Cookie smuggled in the Host', raw('/x', "a.wild.example.com\rSet-Cookie: a=b"),
     plain => 400, tls => 400],

    # --- Host names
    ['userinfo in the Host', raw('/x', 'user@example.com'),
     plain => 400, tls => 400,
     unsafe => { plain => [301, '/x'], tls => 404 }],
    ['userinfo naming an alias', raw('/x', 'evil.example@a.wild.example.com'),
     plain => 400, tls => 400,
     unsafe => { plain => [301, '/x'], tls => 404 }],
    ['port 99999', raw('/x', 'example.com:99999'), plain => 400, tls => 400],
    ['port -1', raw('/x', 'example.com:-1'), plain => 400, tls => 400,
     unsafe => { plain => [301, '/x'], tls => 404 }],
    ['port 65536', raw('/x', 'www.example.com:65536'), plain => 400, tls => 400],
    ['port 0', raw('/x', 'www.example.com:0'), plain => 400, tls => 400],
    ['port with a sign', raw('/x', 'example.com:+80'), plain => 400, tls => 400,
     unsafe => { plain => [301, '/x'], tls => 404 }],
    ['IPv6 with a zone id, encoded', raw('/x', '[fe80::1%25eth0]'),
     plain => 400, tls => 400],
    ['IPv6 with a zone id', raw('/x', '[fe80::1%eth0]'),
     plain => 400, tls => 400],
    ['IPv6 literal', raw('/x', '[::1]'), plain => [301, '/x'], tls => 404],
    ['IPv6 without brackets', raw('/x', '::1'), plain => 400, tls => 400,
     unsafe => { plain => [301, '/x'], tls => 404 }],
    ['a trailing dot', raw('/x', 'example.com.'), plain => [301, '/x'],
     tls => 404],
    ['a trailing dot on an alias', raw('/x', 'A.Wild.Example.Com.'),
     plain => [301, '/x', 'a.wild.example.com'], tls => 404],
    ['two trailing dots', raw('/x', 'example.com..'), plain => 400, tls => 400],
    ['a leading dot', raw('/x', '.example.com'), plain => [301, '/x'],
     tls => 404],
    ['a 10 KB Host', raw('/x', $huge_host), plain => 400, tls => 400],
    ['a 7 KB Host the wildcard names', raw('/x', $big_alias),
     plain => [301, '/x', $big_alias], tls => 404],
    ['a 7 KB Host nothing names', raw('/x', $big_other),
     plain => [301, '/x'], tls => 404],
    ['another domain', raw('/x', 'evil.example'), plain => [301, '/x'],
     tls => 404],
    ['the other plain host', raw('/x', 'Other.Example.NET:80'),
     plain => [301, '/x', 'other.example.net'], tls => 404],
    ['an empty Host', raw('/x', ''), plain => 400, tls => 400],
    ['no Host in HTTP/1.1', raw('/x', undef), plain => 400, tls => 400],
    ['no Host in HTTP/1.0', raw('/x', undef, version => '1.0'),
     plain => [301, '/x'], tls => 400],
    ['two Host headers', raw('/x', 'evil.example',
                             headers => "Host: example.com\r\n"),
     plain => 400, tls => 400,
     unsafe => { plain => [301, '/x'], tls => 404 }],

    # --- absolute-form targets naming other hosts
    ['absolute-form, another host', raw('http://evil.example/x', 'example.com'),
     plain => [301, '/x'], tls => 404],
    ['absolute-form https, another host',
     raw('https://evil.example/x?y', 'example.com'),
     plain => [301, '/x?y'], tls => 404],
    ['absolute-form naming an alias, Host another',
     raw('http://a.wild.example.com/x', 'evil.example'),
     plain => [301, '/x', 'a.wild.example.com'], tls => 404],
    ['absolute-form to an excluded path, another host',
     raw('http://evil.example/static.txt', 'example.com'),
     plain => 200, tls => 200],
    ['absolute-form, upper case', raw('HTTP://EVIL.EXAMPLE/x', 'example.com'),
     plain => [301, '/x'], tls => 404],
    ['absolute-form, port out of range',
     raw('http://evil.example:99999/x', 'example.com'),
     plain => [301, '/x'], tls => 404],
    ['absolute-form, userinfo',
     raw('http://a.wild.example.com@evil.example/x', 'example.com'),
     plain => 400, tls => 400,
     unsafe => { plain => [301, '/x'], tls => 404 }],
    ['absolute-form, IPv6 zone id',
     raw('http://[fe80::1%25eth0]/x', 'example.com'),
     plain => 400, tls => 404],
    ['absolute-form without a path', raw('http://evil.example', 'example.com'),
     plain => [301, '/'], tls => 404],
    ['absolute-form without an authority', raw('http:/x?y', 'example.com'),
     plain => [301, '/x?y'], tls => 404],
    ['a network-path target', raw('//evil.example/x', 'example.com'),
     plain => [301, '//evil.example/x'], tls => 404],

    # --- methods and targets without a path
    ['OPTIONS *', raw('*', 'example.com', method => 'OPTIONS'),
     plain => 200, tls => 200],
    ['OPTIONS * in absolute form',
     raw('http://example.com', 'example.com', method => 'OPTIONS'),
     plain => 200, tls => 200],
    ['CONNECT', raw('evil.example:443', 'evil.example:443', method => 'CONNECT'),
     plain => 405, tls => 405],
    ['CONNECT with a path', raw('/x', 'example.com', method => 'CONNECT'),
     plain => 400, tls => 400],
    ['TRACE', raw('/x', 'example.com', method => 'TRACE'),
     plain => [308, '/x'], tls => 200],
    ['an unknown method', raw('/pot', 'example.com', method => 'BREW'),
     plain => [308, '/pot'], tls => 501],
    ['a 5000-byte method', raw('/x', 'example.com', method => 'A' x 5000),
     plain => [308, '/x'], tls => 501],
    ['a lower-case method', raw('/x', 'example.com', method => 'get'),
     plain => [308, '/x'], tls => 501],

    # --- sizes
    ['a 9000-byte header line',
     raw('/x', 'example.com', headers => 'X-Long: ' . ('a' x 9000) . "\r\n"),
     plain => 400, tls => 400],
    ['a 8000-byte header line',
     raw('/x', 'example.com', headers => 'X-Long: ' . ('a' x 8000) . "\r\n"),
     plain => [301, '/x'], tls => 404],
    ['150 header fields', raw('/x', 'example.com', headers => $many_headers),
     plain => 400, tls => 400],
    ['90 header fields', raw('/x', 'example.com', headers => $some_headers),
     plain => [301, '/x'], tls => 404],
    ['a 9000-byte target', raw('/' . ('a' x 9000), 'example.com'),
     plain => 414, tls => 414],
    ['a 8000-byte target', raw('/' . ('b' x 8000), 'example.com'),
     plain => [301, '/' . ('b' x 8000)], tls => 403],

    # --- HTTP/0.9 and garbage
    ['HTTP/0.9', "GET /x\r\n", plain => '0.9', tls => '0.9'],
    ['HTTP/0.9 with %0d%0a', "GET /a%0d%0aX-Injected:%201\r\n",
     plain => '0.9', tls => '0.9'],
    ['binary garbage', "\x00\x01\x02\xff garbage\r\n\r\n",
     plain => 400, tls => 400],
    ['a method alone', "GET\r\n\r\n", plain => 400, tls => 400],
    ['a fourth word in the request line',
     "GET /x HTTP/1.1 extra\r\nHost: example.com\r\n\r\n",
     plain => 400, tls => 400],
    ['HTTP/9.9', raw('/x', 'example.com', version => '9.9'),
     plain => [301, '/x'], tls => 404],
    ['HTTP/1.10', raw('/x', 'example.com', version => '1.10'),
     plain => 400, tls => 400],
    ['tabs between the words', "GET\t/x\tHTTP/1.1\r\nHost: example.com\r\n\r\n",
     plain => 400, tls => 400],
    ['a leading space', " GET /x HTTP/1.1\r\nHost: example.com\r\n\r\n",
     plain => 400, tls => 400],
    ['empty lines before the request',
     "\r\n\r\n" . raw('/x', 'example.com'),
     plain => [301, '/x'], tls => 404],
    ['a folded header line',
     raw('/x', 'example.com', headers => "X-A: 1\r\n X-Injected: 1\r\n"),
     plain => [301, '/x'], tls => 404],
    ['bare LF line ends', "GET /x HTTP/1.1\nHost: example.com\nConnection: close\n\n",
     plain => 400, tls => 400,
     unsafe => { plain => [301, '/x'], tls => 404 }],
    ['a header line without a colon',
     raw('/x', 'example.com', headers => "X-Injected 1\r\n"),
     plain => 400, tls => 400],
    ['a space before the colon',
     raw('/x', 'example.com', headers => "X-A : 1\r\n"),
     plain => 400, tls => 400],
    ['a negative Content-Length',
     raw('/x', 'example.com', method => 'POST',
         headers => "Content-Length: -1\r\n"),
     plain => 400, tls => 400],
    ['two different Content-Lengths',
     raw('/x', 'example.com', method => 'POST',
         headers => "Content-Length: 1\r\nContent-Length: 2\r\n"),
     plain => 400, tls => 400],
    ['an unknown Transfer-Encoding',
     raw('/x', 'example.com', method => 'POST',
         headers => "Transfer-Encoding: gzip, chunked, x\r\n"),
     plain => 400, tls => 400],
);

# ---------------------------------------------------------------------

# Every case for each transport, both servers; then per server: two
# "still answers" checks and the error log.
plan tests => 2 * (2 * @cases + 3);

# The response to raw bytes: everything the server sends until it closes
# (every request asks for that, or is one httpd closes after).
sub exchange {
    my ($port, $tls, $bytes) = @_;
    local $SIG{PIPE} = 'IGNORE';
    my $conn = connect_to(port => $port, tls => $tls, sni => 'example.com');
    setsockopt($conn->{sock}, SOL_SOCKET, SO_RCVTIMEO, pack('l!l!', 30, 0));
    # httpd may answer and close before it has read everything (a 400
    # for an early line): what it sent is what counts
    eval { $conn->send_raw($bytes) };
    my $all = eval { $conn->read_all };
    return $all // die "reading the response: $@";
}

# Parses what came back; dies with the reason when it is not well-formed.
sub parse {
    my ($bytes, $request) = @_;
    die "no response at all\n" unless length $bytes;
    if ($bytes !~ m{\AHTTP/}) {
        # HTTP/0.9: only for a request line without a version
        my ($line) = $request =~ /\A(?:\r\n)*([^\r\n]*)/;
        die "an answer without status line to a request with a version\n"
            if $line =~ m{ HTTP/\d};
        return { http09 => 1, body => $bytes, headers => [] };
    }
    my ($head, $body) = $bytes =~ /\A(.*?\r\n)\r\n(.*)\z/s
        or die "no end of the header block\n";
    my ($status_line, @lines) = split /\r\n/, $head, -1;
    pop @lines if @lines && $lines[-1] eq '';
    my ($status) = $status_line =~ m{\AHTTP/1\.[01] ([1-5][0-9][0-9])(?: [\x20-\x7e\t]*)?\z}
        or die "malformed status line '" . shown($status_line, 100) . "'\n";
    my @headers;
    for my $l (@lines) {
        my ($n, $v) = $l =~ /\A([!#\$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*([^\x00-\x08\x0a-\x1f\x7f]*?)[ \t]*\z/
            or die "malformed header line '" . shown($l, 100) . "'\n";
        push @headers, [$n, $v];
    }
    my $res = { status => $status, headers => \@headers, body => $body };
    my ($te) = header_values($res, 'Transfer-Encoding');
    my @cl = header_values($res, 'Content-Length');
    if ($te) {
        die "Transfer-Encoding '$te'\n" unless $te eq 'chunked';
        my ($rest, $decoded) = ($body, '');
        for (;;) {
            $rest =~ s/\A([0-9a-fA-F]+)[^\r\n]*\r\n//
                or die "malformed chunk size\n";
            my $size = hex $1;
            last if $size == 0;
            die "short chunk\n" if length $rest < $size + 2;
            $decoded .= substr($rest, 0, $size, '');
            $rest =~ s/\A\r\n// or die "no CRLF after a chunk\n";
        }
        die "bytes after the last chunk\n" unless $rest eq "\r\n";
        $res->{body} = $decoded;
    }
    elsif (@cl) {
        die "several Content-Lengths\n" if @cl > 1;
        die "a body of " . length($body) . " bytes, Content-Length $cl[0]\n"
            unless length $body == $cl[0];
    }
    return $res;
}

# The host names the test configuration gives (a Location may name no
# other), with the port a redirect to each must carry.
sub location_problem {
    my ($loc, $tls_port) = @_;
    return 'control byte or space' if $loc =~ /[\x00-\x20\x7f]/;
    my ($host, $port) = $loc =~ m{\Ahttps://([^/?#\\\@:\[\]]+)(?::(\d+))?/}
        or return 'not https:// with a plain host and a path';
    if ($host eq 'example.com' || $host eq 'www.example.com'
        || $host =~ /\A[a-z0-9_-]+(?:\.[a-z0-9_-]+)*\.wild\.example\.com\z/) {
        return "port " . ($port // 'none') . ", not $tls_port"
            unless ($port // '') eq $tls_port;
    }
    elsif ($host eq 'other.example.net') {
        return 'a port for a host without TLS host' if defined $port;
    }
    else {
        return "host '$host' is not in the configuration";
    }
    return undef;
}

# Every check of one response; returns the list of problems.
sub problems {
    my ($bytes, $request, $tls, $want, $tls_port) = @_;
    my $res = eval { parse($bytes, $request) };
    return ("not a well-formed response: $@") unless $res;
    my @p;
    if ($res->{http09}) {
        push @p, "an HTTP/0.9 answer, expected $want" unless $want eq '0.9';
        push @p, 'the HTTP/0.9 body is not the redirect\'s'
            if !$tls && $res->{body} !~ $redirect_body;
        push @p, 'the HTTP/0.9 body has a header line'
            if $res->{body} =~ /^(?:X-Injected|Set-Cookie|Location):/mi;
        return @p;
    }
    push @p, "an HTTP/1.x answer, expected HTTP/0.9" if $want eq '0.9';
    for my $bad ('X-Injected', 'Set-Cookie') {
        push @p, "an injected $bad" if header_values($res, $bad);
    }
    my @loc = header_values($res, 'Location');
    push @p, 'several Location fields' if @loc > 1;
    for my $loc (@loc) {
        my $why = location_problem($loc, $tls_port);
        push @p, "Location '" . shown($loc, 100) . "': $why" if $why;
    }
    my @sts = header_values($res, 'Strict-Transport-Security');
    if ($tls) {
        push @p, 'Strict-Transport-Security: ' . (@sts ? join(' | ', @sts)
                                                       : 'none')
            unless @sts == 1 && $sts[0] eq $policy;
    }
    else {
        push @p, "Strict-Transport-Security over plain HTTP" if @sts;
    }
    if (ref $want) {
        my ($status, $path, $host) = @$want;
        my $expect = 'https://' . ($host // 'example.com')
                   . (($host // '') eq 'other.example.net' ? '' : ":$tls_port")
                   . $path;
        push @p, "status $res->{status}, expected $status"
            unless $res->{status} == $status;
        push @p, "Location '" . shown($loc[0] // '', 100) . "', expected '"
                 . shown($expect, 100) . "'"
            unless @loc == 1 && $loc[0] eq $expect;
        push @p, 'not the redirect\'s body'
            unless $res->{body} =~ $redirect_body;
    }
    elsif ($want ne '0.9') {
        push @p, "status $res->{status}, expected $want"
            unless $res->{status} == $want;
        push @p, 'a Location on a response that is no redirect' if @loc;
    }
    return @p;
}

for my $mode ('Strict', 'Unsafe') {
    my ($p, $t) = HSTS::Httpd::free_ports(2);
    my $pki = HSTS::Httpd::pki_dir();
    my $httpd = HSTS::Httpd->start(listen => [$p, $t], conf => <<"CONF");
HttpProtocolOptions $mode
TraceEnable On
HSTSLint Off
<Directory "@{[ HSTS::Httpd::top_dir() ]}/t/htdocs">
    Require all granted
</Directory>
<VirtualHost 127.0.0.1:$p>
    ServerName example.com
    ServerAlias www.example.com *.wild.example.com
    HSTSRedirect On
    # served over plain HTTP: what mod_headers adds there must go
    HSTSRedirectExclude /static.txt
    Header always set Strict-Transport-Security "max-age=5"
    Header set Strict-Transport-Security "max-age=6"
</VirtualHost>
<VirtualHost 127.0.0.1:$p>
    ServerName other.example.net
    HSTSRedirect On
</VirtualHost>
<VirtualHost 127.0.0.1:$t>
    ServerName example.com
    ServerAlias www.example.com *.wild.example.com
    SSLEngine on
    SSLCertificateFile "$pki/example.com.crt"
    SSLCertificateKeyFile "$pki/example.com.key"
    HSTSPolicy "$policy"
    Header always set Strict-Transport-Security "max-age=5"
    Header always add Strict-Transport-Security "max-age=6"
</VirtualHost>
CONF

    for my $case (@cases) {
        my ($name, $request, %want) = @$case;
        for my $tls (0, 1) {
            my $key = $tls ? 'tls' : 'plain';
            my $want = ($mode eq 'Unsafe' && $want{unsafe}
                        && exists $want{unsafe}{$key})
                       ? $want{unsafe}{$key} : $want{$key};
            my $bytes = exchange($tls ? $t : $p, $tls, $request);
            my @p = problems($bytes, $request, $tls, $want, $t);
            ok(!@p, "$mode, " . ($tls ? 'TLS' : 'plain') . ": $name")
                or diag(join("\n", @p) . "\nrequest:  " . shown($request, 100)
                        . "\nresponse: " . shown($bytes, 100));
        }
    }

    # Both hosts still answer as they should.
    {
        my @p = problems(exchange($p, 0, raw('/after', 'www.example.com')),
                         '', 0, [301, '/after', 'www.example.com'], $t);
        ok(!@p, "$mode: the plain host still redirects") or diag("@p");
        @p = problems(exchange($t, 1, raw('/static.txt', 'example.com')),
                      '', 1, 200, $t);
        ok(!@p, "$mode: the TLS host still answers with the policy")
            or diag("@p");
    }
    $httpd->stop;
    no_crash($httpd, "$mode: no child crashed (error log)");
}
