# SPDX-License-Identifier: Apache-2.0
# The startup lint under `httpd -t` (README: The startup lint): for every
# code of the lint table a configuration that produces it and a closely
# similar one that must not, each finding one line at warn level (info
# for the informational ones) naming the host as ServerName:port, the
# code in brackets and a sentence; summaries, HSTSLintIgnore, HSTSLint
# Off, mod_md.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Test::More import => ['!plan'];
use Apache::Test qw(-withtestmore);
use HSTS::Httpd ();
use HSTS::Util qw(write_file);
use HSTS::Lint qw(pki vhost tls_vhost findings finding_lines summaries
                  hsts_lines);

# httpd -t binds nothing: any ports do.
my ($P, $T) = (8080, 8443);
my $pki = pki();

my @preload = ('HSTS On', 'HSTSMaxAge 1y', 'HSTSIncludeSubDomains On',
               'HSTSPreload On');
my $STS = 'Header always set Strict-Transport-Security';

# The plain side of a compliant preload setup.
sub plain_host {
    return vhost($P, 'ServerName example.com', 'ServerAlias www.example.com',
                 'HSTSRedirect On', @_);
}

# A TLS host for example.com and www.example.com with certificate $cert.
sub tls_host_with {
    my ($cert, @lines) = @_;
    return tls_vhost($T, $cert, 'ServerName example.com',
                     'ServerAlias www.example.com', @lines);
}

sub tls_host { return tls_host_with($pki->{good}, @_) }

my $compliant = plain_host() . tls_host(@preload);

# Runs httpd -t; returns (exit status, output).
sub lint {
    my ($conf, %opt) = @_;
    my ($status, $out) = HSTS::Httpd::config_test(
        $conf, listen => [$P, $T], env => $pki->{trusted}, %opt);
    return ($status, $out);
}

# ------------------------------------------------------------------
# Every code: [name, config, code, host, level, options], and the
# configuration that must not produce it.

my @codes = (
    ['header.parse.unknown_directive', 'warn', "example.com:$T",
     'HSTSPolicy with an unknown directive',
     plain_host() . tls_host('HSTSPolicy "max-age=31536000; includeSubDomains; preload; foo"'),
     'the same HSTSPolicy without it',
     plain_host() . tls_host('HSTSPolicy "max-age=31536000; includeSubDomains; preload"')],
    ['header.parse.repeated.max_age', 'warn', "example.com:$T",
     'HSTSPolicy with max-age twice',
     plain_host() . tls_host('HSTSPolicy "max-age=31536000; max-age=5; includeSubDomains; preload"'),
     'HSTSPolicy with max-age once',
     $compliant],
    ['header.parse.max_age.non_digit_characters', 'warn', "example.com:$T",
     'mod_headers value max-age=abc',
     tls_host(qq{$STS "max-age=abc"}),
     'mod_headers value max-age=300',
     tls_host(qq{$STS "max-age=300"})],
    ['header.preloadable.include_sub_domains.missing', 'warn', "example.com:$T",
     'preload without includeSubDomains',
     plain_host() . tls_host('HSTS On', 'HSTSPreload On'),
     'preload with includeSubDomains',
     $compliant],
    ['header.preloadable.max_age.missing', 'warn', "example.com:$T",
     'mod_headers value with preload and no max-age',
     plain_host() . tls_host(qq{$STS "includeSubDomains; preload"}),
     'mod_headers value with preload and max-age',
     plain_host() . tls_host(qq{$STS "max-age=31536000; includeSubDomains; preload"})],
    ['header.preloadable.max_age.zero', 'warn', "example.com:$T",
     'preload with HSTSMaxAge 0',
     plain_host() . tls_host(@preload, 'HSTSMaxAge 0'),
     'preload with HSTSMaxAge 1y',
     $compliant],
    ['header.preloadable.max_age.below_1_year', 'warn', "example.com:$T",
     'preload with HSTSMaxAge 31535999',
     plain_host() . tls_host(@preload, 'HSTSMaxAge 31535999'),
     'preload with HSTSMaxAge 31536000',
     plain_host() . tls_host(@preload, 'HSTSMaxAge 31536000')],
    ['header.preloadable.max_age.over_10_years', 'warn', "example.com:$T",
     'HSTSMaxAge 315360001 without preload',
     tls_host('HSTS On', 'HSTSMaxAge 315360001'),
     'HSTSMaxAge 10y',
     tls_host('HSTS On', 'HSTSMaxAge 10y')],
    ['redirects.http.no_redirect', 'warn', "example.com:$T",
     'a plain vhost names the preload host without HSTSRedirect',
     vhost($P, 'ServerName example.com', 'ServerAlias www.example.com')
         . tls_host(@preload),
     'that vhost with HSTSRedirect On',
     $compliant, "example.com:$P"],
    ['redirects.http.no_redirect', 'warn', "example.com:$T",
     'no vhost names the preload host on a plain address: its default does',
     vhost($P, 'ServerName other.example.org') . tls_host(@preload),
     'a second vhost on that address names it and redirects',
     vhost($P, 'ServerName other.example.org') . $compliant,
     "other.example.org:$P"],
    ['response.no_header', 'warn', "example.com:$P",
     'HSTSRedirect to a TLS vhost that sends no STS',
     plain_host() . tls_host(),
     'the TLS vhost with HSTS On',
     plain_host() . tls_host('HSTS On'), "example.com:$T"],
    ['response.no_header', 'warn', "app.example.com:$P",
     'HSTSRedirect to a TLS vhost that names the host by alias, no STS',
     vhost($P, 'ServerName app.example.com', 'HSTSRedirect On')
         . tls_vhost($T, $pki->{other_names}, 'ServerName catchall.example.com',
                     'ServerAlias app.example.com'),
     'only a TLS catch-all for another name: it does not serve the host',
     vhost($P, 'ServerName app.example.com', 'HSTSRedirect On')
         . tls_vhost($T, $pki->{other_names}, 'ServerName catchall.example.com'),
     "catchall.example.com:$T"],
    ['response.multiple_headers', 'warn', "example.com:$T",
     'Header set and Header always set for STS',
     tls_host(qq{Header set Strict-Transport-Security "max-age=31536000"},
              qq{$STS "max-age=31536000"}),
     'Header always set only',
     tls_host(qq{$STS "max-age=31536000"})],
    ['response.multiple_headers', 'warn', "example.com:$T",
     'Header always add for STS',
     tls_host(qq{Header always add Strict-Transport-Security "max-age=31536000"}),
     'Header always set in a host and Header set in another <Location> '
         . 'than the one it covers',
     tls_host(qq{<Location "/a">}, qq{    $STS "max-age=31536000"},
              '</Location>', qq{<Location "/b">},
              qq{    Header set Strict-Transport-Security "max-age=300"},
              '</Location>')],
    ['response.multiple_headers', 'warn', "example.com:$T",
     'Header always set in the host, Header set in a <Location> inside it',
     tls_host(qq{$STS "max-age=31536000"}, qq{<Location "/a">},
              qq{    Header set Strict-Transport-Security "max-age=300"},
              '</Location>'),
     'HSTS On replaces them all',
     tls_host('HSTS On', qq{$STS "max-age=31536000"}, qq{<Location "/a">},
              qq{    Header set Strict-Transport-Security "max-age=300"},
              '</Location>')],
    ['domain.format.is_ip_address', 'warn', "127.0.0.1:$T",
     'HSTS on a vhost named by an IP address',
     tls_vhost($T, $pki->{ip}, 'ServerName 127.0.0.1', 'HSTS On'),
     'HSTS on a vhost with a DNS name',
     tls_host('HSTS On')],
    ['domain.format.public_suffix', 'warn', "co.uk:$T",
     'preload on co.uk',
     tls_vhost($T, $pki->{other_names}, 'ServerName co.uk', @preload),
     'preload on example.co.uk',
     tls_vhost($T, $pki->{other_names}, 'ServerName example.co.uk', @preload)],
    ['domain.is_subdomain', 'warn', "sub.example.com:$T",
     'preload on sub.example.com',
     tls_vhost($T, $pki->{other_names}, 'ServerName sub.example.com', @preload),
     'preload on example.com',
     tls_host(@preload)],
    ['domain.www.no_tls', 'warn', "example.com:$T",
     'www served over plain HTTP, no TLS vhost names it',
     plain_host() . tls_vhost($T, $pki->{good}, 'ServerName example.com',
                              @preload),
     'the TLS vhost has ServerAlias www',
     $compliant, "example.com:$P"],
    ['domain.tls.invalid_cert_chain', 'warn', "example.com:$T",
     'preload, the CA is not trusted',
     [$compliant, env => $pki->{untrusted}],
     'preload, the CA is trusted (SSL_CERT_FILE)',
     $compliant],
    ['domain.tls.invalid_cert_chain', 'warn', "example.com:$T",
     'preload, the intermediate is not configured',
     plain_host() . tls_host_with($pki->{via_inter}, @preload),
     'preload, the intermediate in SSLCertificateChainFile',
     plain_host() . tls_host_with($pki->{via_inter}, @preload,
         qq{SSLCertificateChainFile "$pki->{inter}{crt}"})],
    ['domain.tls.invalid_cert_chain', 'warn', "example.com:$T",
     'preload, the intermediate in no file',
     plain_host() . tls_host_with($pki->{via_inter}, @preload),
     'preload, the intermediate after the leaf in SSLCertificateFile',
     plain_host() . tls_host_with($pki->{chained}, @preload)],
    ['domain.tls.sha1', 'warn', "example.com:$T",
     'a certificate signed with SHA-1',
     plain_host() . tls_host_with($pki->{sha1}, @preload),
     'a certificate signed with SHA-256',
     $compliant],
    ['domain.tls.sha1', 'warn', "example.com:$T",
     'an intermediate signed with SHA-1 in SSLCertificateChainFile',
     plain_host() . tls_host_with($pki->{via_sha1}, 'HSTS On',
         qq{SSLCertificateChainFile "$pki->{inter_sha1}{crt}"}),
     'an intermediate signed with SHA-256 in SSLCertificateChainFile',
     plain_host() . tls_host_with($pki->{via_inter}, 'HSTS On',
         qq{SSLCertificateChainFile "$pki->{inter}{crt}"})],
    ['tls.cert.unreadable', 'warn', "example.com:$T",
     'a DER certificate file',
     tls_host_with($pki->{der}, 'HSTS On'),
     'a PEM certificate file',
     tls_host('HSTS On')],
    ['tls.cert.self_signed', 'warn', "example.com:$T",
     'a self-signed certificate',
     tls_host_with($pki->{self}, 'HSTS On'),
     'a CA-signed certificate',
     tls_host('HSTS On')],
    ['tls.cert.expired', 'warn', "example.com:$T",
     'an expired certificate',
     tls_host_with($pki->{expired}, 'HSTS On'),
     'a valid certificate',
     tls_host('HSTS On')],
    ['tls.cert.not_yet_valid', 'warn', "example.com:$T",
     'a certificate valid from tomorrow',
     tls_host_with($pki->{not_yet}, 'HSTS On'),
     'a certificate valid since yesterday',
     tls_host('HSTS On')],
    ['tls.cert.expires_soon', 'warn', "example.com:$T",
     'a certificate expiring in 10 days',
     tls_host_with($pki->{soon}, 'HSTS On'),
     'a certificate expiring in 60 days',
     tls_host_with($pki->{later}, 'HSTS On')],
    ['tls.cert.name_mismatch', 'warn', "example.com:$T",
     'a ServerAlias the certificate does not cover',
     tls_vhost($T, $pki->{good}, 'ServerName example.com',
               'ServerAlias other.example.net', 'HSTS On'),
     'every name covered',
     tls_host('HSTS On')],
    ['tls.cert.self_signed', 'warn', "example.com:$T",
     'the certificate of the server config applies to the vhost',
     qq{SSLCertificateFile "$pki->{self}{crt}"\n}
         . qq{SSLCertificateKeyFile "$pki->{self}{key}"\n}
         . vhost($T, 'SSLEngine on', 'ServerName example.com', 'HSTS On'),
     'unless the vhost has its own',
     qq{SSLCertificateFile "$pki->{self}{crt}"\n}
         . qq{SSLCertificateKeyFile "$pki->{self}{key}"\n}
         . tls_host('HSTS On')],
    ['subdomains.http_only', 'warn', "example.com:$T",
     'includeSubDomains, app.example.com only over plain HTTP',
     plain_host() . vhost($P, 'ServerName app.example.com') . tls_host(@preload),
     'app.example.com with HSTSRedirect',
     plain_host() . vhost($P, 'ServerName app.example.com', 'HSTSRedirect On')
         . tls_host(@preload),
     "app.example.com:$P"],
    ['config.hsts.plain_vhost', 'warn', "example.com:$P",
     'HSTS On in a plain vhost',
     vhost($P, 'ServerName example.com', 'HSTS On') . tls_host('HSTS On'),
     'HSTS On in the server config, inherited',
     "HSTS On\n" . vhost($P, 'ServerName example.com') . tls_host()],
    ['config.redirect.tls_vhost', 'warn', "example.com:$T",
     'HSTSRedirect On in a TLS vhost',
     plain_host() . tls_host('HSTS On', 'HSTSRedirect On'),
     'HSTSRedirect On in the server config, inherited',
     "HSTSRedirect On\n" . vhost($P, 'ServerName example.com')
         . tls_host('HSTS On')],
    ['config.header.not_always', 'warn', "example.com:$T",
     'Header set STS without always',
     tls_host(qq{Header set Strict-Transport-Security "max-age=31536000"}),
     'Header always set STS',
     tls_host(qq{$STS "max-age=31536000"})],
    ['config.header.not_always', 'warn', "example.com:$T",
     'Header set STS without always in the server config',
     qq{Header set Strict-Transport-Security "max-age=31536000"\n} . tls_host(),
     'Header always set STS in the server config',
     qq{$STS "max-age=31536000"\n} . tls_host()],
    ['config.header.overridden', 'warn', "example.com:$T",
     'HSTS On and Header always set STS',
     tls_host('HSTS On', qq{$STS "max-age=300"}),
     'Header always set STS without HSTS',
     tls_host(qq{$STS "max-age=300"})],
    ['policy.max_age.zero', 'info', "example.com:$T",
     'HSTSMaxAge 0',
     [tls_host('HSTS On', 'HSTSMaxAge 0'), loglevel => 'info'],
     'HSTSMaxAge 1',
     [tls_host('HSTS On', 'HSTSMaxAge 1'), loglevel => 'info']],
);

plan tests => 4 * @codes + grep({ defined $_->[7] } @codes) + 32;

for my $case (@codes) {
    my ($code, $level, $host, $name, $bad, $good_name, $good, $other) = @$case;
    my ($conf, %opt) = ref $bad ? @$bad : ($bad);
    my ($status, $out) = lint($conf, %opt);
    my @found = finding_lines($code, undef, $out);
    my $ok = $status == 0 && $out =~ /Syntax OK\s*\z/ && @found == 1
          && $found[0]{host} eq $host && $found[0]{level} eq $level;
    ok($ok, "$name: one [$code] line for $host at $level level")
        or diag("exit $status:\n$out");
    # the whole line: date, [hsts:level], pid, the host, [code], a sentence
    like($found[0] ? $found[0]{line} : '',
         qr/^\[\w{3} \w{3} [ \d]\d [\d:.]+ \d{4}\] \[hsts:\Q$level\E\] \[pid \d+(?::tid \d+)?\] mod_hsts: \Q$host\E \[\Q$code\E\] \S.{30,}[.)]$/,
         "$name: the line's format");
    # the sentence says how to fix it, or at least names something to do
    ok($found[0] && $found[0]{text} =~ /\b(?:set|add|remove|raise|renew|fix|use|get|give|check|replace|move|serve|configure|drop|change|write)\b/i,
       "$name: the sentence says what to do")
        or diag($found[0] ? $found[0]{text} : 'no line');
    if (defined $other) {
        like($found[0] ? $found[0]{text} : '', qr/\Q$other\E\b/,
             "$name: the sentence names $other");
    }

    ($conf, %opt) = ref $good ? @$good : ($good);
    ($status, $out) = lint($conf, %opt);
    @found = finding_lines($code, undef, $out);
    ok($status == 0 && !@found, "$good_name: no [$code]")
        or diag("exit $status:\n$out");
}

# ------------------------------------------------------------------
# A fully compliant preload setup: not one warning.
{
    my ($status, $out) = lint($compliant);
    is_deeply([hsts_lines($out)], [],
              'compliant preload setup: mod_hsts logs nothing at warn level')
        or diag($out);
    ok($status == 0 && $out =~ /Syntax OK/, '... and the syntax is OK');

    ($status, $out) = lint($compliant, loglevel => 'info');
    my @lines = hsts_lines($out);
    my @sum = summaries($out);
    ok(@lines == 1 && @sum == 1 && $sum[0]{level} eq 'info'
       && $sum[0]{host} eq "example.com:$T"
       && $sum[0]{text} eq 'sends "max-age=31536000; includeSubDomains; '
                           . 'preload" and meets every preload requirement '
                           . 'this server can check.',
       'compliant at LogLevel info: one summary line, meets every '
       . 'preload requirement') or diag($out);

    # the same with the policy in HSTSPolicy and settings inherited
    ($status, $out) = lint(
        qq{HSTSPolicy "max-age=63072000; includeSubDomains; preload"\n}
        . "HSTSRedirect On\n"
        . vhost($P, 'ServerName example.com', 'ServerAlias www.example.com')
        . tls_host());
    is_deeply([hsts_lines($out)], [],
              'compliant with HSTSPolicy and HSTSRedirect in the server '
              . 'config: nothing at warn level') or diag($out);

    # a TLS vhost inside <IfModule>, as in Debian's default-ssl.conf
    ($status, $out) = lint(plain_host() . "<IfModule ssl_module>\n"
                           . tls_host(@preload) . "</IfModule>\n");
    is_deeply([hsts_lines($out)], [],
              'compliant with the TLS vhost inside <IfModule>: nothing')
        or diag($out);
    ($status, $out) = lint(plain_host() . "<IfModule ssl_module>\n"
                           . tls_host_with($pki->{self}, @preload)
                           . "</IfModule>\n");
    is(scalar finding_lines('tls.cert.self_signed', "example.com:$T", $out),
       1, 'a TLS vhost inside <IfModule> is linted as a TLS host')
        or diag($out);

    # a vhost in an included file
    my $dir = HSTS::Httpd::new_dir();
    write_file("$dir/tls.conf", tls_host_with($pki->{self}, @preload));
    ($status, $out) = lint(plain_host() . qq{Include "$dir/tls.conf"\n});
    is(scalar finding_lines('tls.cert.self_signed', "example.com:$T", $out),
       1, 'a TLS vhost from an included file is linted') or diag($out);
}

# ------------------------------------------------------------------
# Summaries: one info line per HSTS host, only at LogLevel info.
{
    my $conf = plain_host() . tls_host('HSTS On', 'HSTSPreload On',
                                       'HSTSMaxAge 300')
             . tls_vhost($T, $pki->{other_names}, 'ServerName app.example.com',
                         'HSTS On', 'HSTSMaxAge 1d')
             . tls_vhost($T, $pki->{other_names}, 'ServerName nohsts.example.com');
    my ($status, $out) = lint($conf, loglevel => 'info');
    my @sum = summaries($out);
    is(scalar @sum, 2, 'two HSTS hosts, two summary lines (none for the '
       . 'plain host and the TLS host without STS)') or diag($out);
    my ($pre) = grep { $_->{host} eq "example.com:$T" } @sum;
    is($pre && $pre->{text},
       'sends "max-age=300; preload"; preloading is blocked by: '
       . 'header.preloadable.include_sub_domains.missing, '
       . 'header.preloadable.max_age.below_1_year.',
       'a preload host: the value and the codes in the way');
    my ($app) = grep { $_->{host} eq "app.example.com:$T" } @sum;
    like($app && $app->{text}, qr/^sends "max-age=86400"; without preload/,
         'a host without preload: the value, and that preload is not asked');
    ok(!grep({ $_->{level} ne 'info' } @sum), 'summaries are info lines');

    ($status, $out) = lint($conf);
    is(scalar summaries($out), 0, 'at LogLevel warn: no summary');
}

# ------------------------------------------------------------------
# HSTSLintIgnore, HSTSLint Off
{
    my $two = plain_host()
            . tls_host_with($pki->{self}, 'HSTS On', 'HSTSMaxAge 11y')
            . tls_vhost($T, $pki->{self}, 'ServerName www.example.com',
                        'HSTS On', 'HSTSMaxAge 11y');
    my ($status, $out) = lint($two);
    is(scalar(finding_lines('tls.cert.self_signed', undef, $out)), 2,
       'two hosts with a self-signed certificate: two findings')
        or diag($out);

    my $ignore_one = plain_host()
        . tls_host_with($pki->{self}, 'HSTS On', 'HSTSMaxAge 11y',
                        'HSTSLintIgnore tls.cert.self_signed')
        . tls_vhost($T, $pki->{self}, 'ServerName www.example.com',
                    'HSTS On', 'HSTSMaxAge 11y');
    ($status, $out) = lint($ignore_one);
    my @self = finding_lines('tls.cert.self_signed', undef, $out);
    ok(@self == 1 && $self[0]{host} eq "www.example.com:$T",
       'HSTSLintIgnore in one vhost silences the code there only')
        or diag($out);
    is(scalar(finding_lines('header.preloadable.max_age.over_10_years',
                            "example.com:$T", $out)), 1,
       '... and only that code') or diag($out);

    ($status, $out) = lint("HSTSLintIgnore tls.cert.self_signed "
                           . "header.preloadable.max_age.over_10_years\n"
                           . $two);
    ok(!finding_lines('tls.cert.self_signed', undef, $out)
       && !finding_lines('header.preloadable.max_age.over_10_years', undef,
                         $out),
       'HSTSLintIgnore in the server config silences the codes everywhere')
        or diag($out);
    is(scalar(finding_lines('tls.cert.expires_soon', undef, $out))
       + scalar(findings($out)), 0, '... leaving nothing else here')
        or diag($out);

    ($status, $out) = lint("HSTSLintIgnore policy.max_age.zero\n"
                           . tls_host('HSTS On', 'HSTSMaxAge 0'),
                           loglevel => 'info');
    ok(!finding_lines('policy.max_age.zero', undef, $out)
       && summaries($out) == 1,
       'HSTSLintIgnore silences an info code; the summary stays')
        or diag($out);

    ($status, $out) = lint("HSTSLint Off\n" . $two, loglevel => 'info');
    is_deeply([hsts_lines($out)], [], 'HSTSLint Off: mod_hsts logs nothing')
        or diag($out);
    ok($status == 0 && $out =~ /Syntax OK/, '... and the syntax is OK');

    ($status, $out) = lint("HSTSLint On\n" . $two);
    is(scalar(finding_lines('tls.cert.self_signed', undef, $out)), 2,
       'HSTSLint On: the findings, as by default');
    ok($status == 0, '... and configtest succeeds');
}

# ------------------------------------------------------------------
# The main server is linted as a host only when there is no vhost.
{
    my $main = "SSLEngine on\n"
             . qq{SSLCertificateFile "$pki->{self}{crt}"\n}
             . qq{SSLCertificateKeyFile "$pki->{self}{key}"\n}
             . "HSTS On\n";
    my ($status, $out) = lint($main, listen => [$T]);
    is(scalar(finding_lines('tls.cert.self_signed', "localhost:$T", $out)),
       1, 'no vhost: the main server is linted as a host') or diag($out);

    # the main server (named example.com) listens nowhere: every address
    # has its vhosts, so it answers for nothing
    ($status, $out) = lint("ServerName example.com\n" . $compliant);
    is_deeply([hsts_lines($out)], [],
              'a main server named like the preload host but listening '
              . 'nowhere answers for nothing') or diag($out);
    ($status, $out) = lint("ServerName example.com\n" . tls_host(@preload),
                           listen => [$T]);
    is_deeply([hsts_lines($out)], [],
              'TLS only, the plain main server named like the preload host '
              . 'listens nowhere: nothing') or diag($out);
    ($status, $out) = lint("ServerName example.com\n" . tls_host(@preload));
    is(scalar(finding_lines('redirects.http.no_redirect', "example.com:$T",
                            $out)), 1,
       '... but where it answers on a listener no vhost claims, it serves '
       . 'the preload host over plain HTTP') or diag($out);
    like((finding_lines('redirects.http.no_redirect', "example.com:$T",
                        $out))[0]{text} // '', qr/example\.com:$P\b/,
         '... and is named as ServerName:port (port of that listener)');
}

# ------------------------------------------------------------------
# mod_md: a host whose certificate it manages gets an info line instead
# of the certificate checks.
SKIP: {
    my $md = HSTS::Httpd::libexec() . '/mod_md.so';
    skip 'no mod_md', 5 unless -f $md;
    my $conf = "MDomain example.com www.example.com\n"
             . "MDCertificateAgreement accepted\n"
             . plain_host()
             . vhost($T, 'SSLEngine on', 'ServerName example.com',
                     'ServerAlias www.example.com', @preload);
    my ($status, $out) = lint($conf, modules => ['md'],
                              loglevel => 'info');
    my ($info) = grep { /mod_md/ } hsts_lines($out);
    ok($status == 0 && $info && $info =~ /\[hsts:info\]/
       && $info =~ /mod_hsts: example\.com:$T .*mod_md/,
       'MDomain: an info line for the host naming mod_md') or diag($out);
    ok(!grep({ $_->{code} =~ /^tls\.cert\.|^domain\.tls\./ } findings($out)),
       '... and no certificate finding') or diag($out);
    is_deeply([grep { !/\[hsts:info\]/ } hsts_lines($out)], [],
              '... nor any warning');

    # a certificate file of its own does not matter when mod_md manages
    # the name
    $conf = "MDomain example.com www.example.com\n"
          . "MDCertificateAgreement accepted\n"
          . plain_host() . tls_host_with($pki->{expired}, @preload)
          . tls_vhost($T, $pki->{expired}, 'ServerName app.example.com',
                      'HSTS On');
    ($status, $out) = lint($conf, modules => ['md']);
    is(scalar(finding_lines('tls.cert.expired', "example.com:$T", $out)), 0,
       'MDomain with an expired SSLCertificateFile: no tls.cert.expired')
        or diag($out);
    is(scalar(finding_lines('tls.cert.expired', "app.example.com:$T", $out)),
       1, '... but a host outside MDomain still has its certificate '
       . 'checked') or diag($out);
}
