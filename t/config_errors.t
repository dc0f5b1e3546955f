# SPDX-License-Identifier: Apache-2.0
# Configuration errors (README: Directives): `httpd -t` fails and says
# which directive, which value, what is allowed, in which file and line.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Test::More import => ['!plan'];
use Apache::Test qw(-withtestmore);
use HSTS::Httpd ();

# [directive line, what the message must also say]
my @bad_values = (
    ['HSTS maybe',                       qr/HSTS must be On or Off/],
    ['HSTSIncludeSubDomains yes',        qr/HSTSIncludeSubDomains must be On or Off/],
    ['HSTSPreload 1',                    qr/HSTSPreload must be On or Off/],
    ['HSTSMaxAge -1',                    qr/HSTSMaxAge: "-1" is not a valid duration.*1y/],
    ['HSTSMaxAge +5',                    qr/HSTSMaxAge: "\+5" is not a valid duration/],
    ['HSTSMaxAge 1.5y',                  qr/HSTSMaxAge: "1\.5y" is not a valid duration.*s, m, h, d, w or y/],
    ['HSTSMaxAge 1x',                    qr/HSTSMaxAge: "1x" is not a valid duration.*unit/],
    ['HSTSMaxAge 1Y',                    qr/HSTSMaxAge: "1Y" is not a valid duration/],
    ['HSTSMaxAge ""',                    qr/HSTSMaxAge takes one argument/],
    ['HSTSMaxAge "1 y"',                 qr/HSTSMaxAge: "1 y" is not a valid duration/],
    ['HSTSMaxAge 18446744073709551616',  qr/HSTSMaxAge: "18446744073709551616" is not a valid duration.*64 bits/],
    ['HSTSMaxAge 584942417356y',         qr/HSTSMaxAge: "584942417356y" is not a valid duration.*64 bits/],
    ['HSTSPolicy "max-age=abc"',         qr/HSTSPolicy: "max-age=abc" is not a valid Strict-Transport-Security value \[header\.parse\.max_age\.non_digit_characters\]/],
    ['HSTSPolicy "max-age=\\"300\\""',   qr/\[header\.parse\.max_age\.non_digit_characters\]/],
    ['HSTSPolicy "max-age="',            qr/\[header\.parse\.max_age\.parse_int_error\]/],
    ['HSTSPolicy "max-age=18446744073709551616; preload"', qr/\[header\.parse\.max_age\.parse_int_error\]/],
    ['HSTSPolicy "max-age; includeSubDomains"', qr/\[header\.parse\.invalid\.max_age\.no_value\]/],
    ['HSTSPolicy "includeSubDomains; preload"', qr/HSTSPolicy: "includeSubDomains; preload" has no max-age directive.*RFC 6797/],
    ['HSTSPolicy ""',                    qr/HSTSPolicy takes one argument/],
    ['HSTSPolicy " "',                   qr/HSTSPolicy: " " has no max-age directive/],
    ['HSTSRedirect Sometimes',           qr/HSTSRedirect: "Sometimes" is not allowed\. Use Off, On .*Permanent or Temporary/],
    ['HSTSRedirectPort 0',               qr/HSTSRedirectPort: "0" is not a port\. Give a number from 1 to 65535/],
    ['HSTSRedirectPort 65536',           qr/HSTSRedirectPort: "65536" is not a port/],
    ['HSTSRedirectPort 443x',            qr/HSTSRedirectPort: "443x" is not a port/],
    ['HSTSRedirectPort -443',            qr/HSTSRedirectPort: "-443" is not a port/],
    ['HSTSRedirectExclude /ok healthz',  qr/HSTSRedirectExclude: "healthz" is not allowed: a path prefix starts with "\/"/],
    ['HSTSRedirectExclude "/a?b"',       qr/HSTSRedirectExclude: "\/a\?b" is not allowed/],
    ['HSTSTrustedProxy lb.example.com',  qr/HSTSTrustedProxy: "lb\.example\.com" is not allowed: .*host names are not accepted/],
    ['HSTSTrustedProxy 10.0.0.0/33',     qr/HSTSTrustedProxy: "10\.0\.0\.0\/33" is not allowed: an IPv4 prefix length is at most 32/],
    ['HSTSTrustedProxy 2001:db8::/129',  qr/HSTSTrustedProxy: "2001:db8::\/129" is not allowed: an IPv6 prefix length is at most 128/],
    ['HSTSLint Maybe',                   qr/HSTSLint: "Maybe" is not allowed\. Use Off, On .* or Strict/],
    ['HSTSLintIgnore no.such.code',      qr/HSTSLintIgnore: "no\.such\.code" is not a mod_hsts lint code/],
    ['HSTSMaxAge',                       qr/HSTSMaxAge takes one argument/],
);

my @directives = ('HSTS On', 'HSTSMaxAge 1y', 'HSTSIncludeSubDomains On',
                  'HSTSPreload On', 'HSTSPolicy "max-age=31536000"',
                  'HSTSRedirect On', 'HSTSRedirectPort 8443',
                  'HSTSRedirectExclude /healthz', 'HSTSTrustedProxy 10.0.0.1',
                  'HSTSLint On', 'HSTSLintIgnore policy.max_age.zero');
my @sections = (['<Directory "/">', '</Directory>'],
                ['<Location "/x">', '</Location>'],
                ['<LocationMatch "^/x">', '</LocationMatch>'],
                ['<Files "x">', '</Files>'],
                ['<If "true">', '</If>']);

plan tests => @bad_values + @directives * @sections + 4;

# Every failure: non-zero exit, httpd's "Syntax error on line N of FILE",
# and the message.
sub fails_with {
    my ($conf, $line_text, $re, $name) = @_;
    my ($status, $out, $file) = HSTS::Httpd::config_test($conf);
    my $line = HSTS::Httpd::line_of($file, $line_text);
    my $ok = $status != 0
          && $out =~ /Syntax error on line $line of \Q$file\E/
          && $out =~ $re;
    ok($ok, $name) or diag("exit $status:\n$out");
}

for my $case (@bad_values) {
    my ($directive, $re) = @$case;
    fails_with("$directive\n", $directive, $re, "rejects: $directive");
}

# Nothing of mod_hsts can be set for a part of a host.
for my $section (@sections) {
    for my $directive (@directives) {
        my ($name) = $directive =~ /^(\S+)/;
        my ($open) = $section->[0] =~ /^(<\w+)/;
        fails_with("$section->[0]\n    $directive\n$section->[1]\n",
                   $directive,
                   qr/\Q$name\E: it cannot be used inside \Q$open>\E: the HSTS policy belongs to the whole host\. Move it into the <VirtualHost> or the server config/,
                   "rejects $name in $section->[0]");
    }
}

fails_with("<VirtualHost 127.0.0.1:9>\n    HSTSLint Strict\n</VirtualHost>\n",
           'HSTSLint Strict',
           qr/HSTSLint: it applies to the whole server\. Set it in the server config/,
           'rejects HSTSLint in a virtual host');

# What is allowed.
{
    my ($status, $out) = HSTS::Httpd::config_test(<<'EOF');
HSTS On
HSTSMaxAge 0
HSTSMaxAge 18446744073709551615
HSTSMaxAge 1y
HSTSIncludeSubDomains Off
HSTSPreload off
HSTSPolicy "max-age=31536000; includeSubDomains; preload"
HSTSPolicy "max-age=18446744073709551615"
HSTSPolicy "max-age=0"
HSTSRedirect temporary
HSTSRedirect Permanent
HSTSRedirect On
HSTSRedirectPort 1
HSTSRedirectPort 65535
HSTSRedirectExclude none /healthz /status/ none /
HSTSTrustedProxy 10.0.0.0/8 192.0.2.1 2001:db8::/32 ::1
HSTSLint Strict
HSTSLint off
HSTSLintIgnore tls.cert.expires_soon header.parse.unknown_directive
<VirtualHost 127.0.0.1:9>
    ServerName example.com
    HSTS Off
    HSTSRedirect Off
    HSTSLintIgnore domain.is_subdomain
</VirtualHost>
HSTS On
HSTSMaxAge 0
HSTSMaxAge 18446744073709551615
HSTSMaxAge 1y
HSTSIncludeSubDomains Off
HSTSPreload off
HSTSPolicy "max-age=31536000; includeSubDomains; preload"
HSTSPolicy "max-age=18446744073709551615"
HSTSPolicy "max-age=0"
HSTSRedirect temporary
HSTSRedirect Permanent
HSTSRedirect On
HSTSRedirectPort 1
HSTSRedirectPort 65535
HSTSRedirectExclude none /healthz /status/ none /
HSTSTrustedProxy 10.0.0.0/8 192.0.2.1 2001:db8::/32 ::1
HSTSLint Strict
HSTSLint off
HSTSLintIgnore tls.cert.expires_soon header.parse.unknown_directive
<VirtualHost 127.0.0.1:9>
    ServerName example.com
    HSTS Off
    HSTSRedirect Off
    HSTSLintIgnore domain.is_subdomain
</VirtualHost>
EOF
    ok($status == 0 && $out =~ /Syntax OK/, 'accepts every valid form')
        or diag("exit $status:\n$out");
}
{
    my ($status, $out) = HSTS::Httpd::config_test(
        qq{HSTSPolicy "max-age=0300; preload=1; foo"\n});
    ok($status == 0, 'parse warnings are not configuration errors')
        or diag("exit $status:\n$out");
}
{
    my ($status, $out) = HSTS::Httpd::config_test("HSTSLint Strict\n");
    ok($status == 0 && $out =~ /Syntax OK/, 'HSTSLint in the server config')
        or diag("exit $status:\n$out");
}
