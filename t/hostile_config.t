# SPDX-License-Identifier: Apache-2.0
# Hostile configurations: huge and odd values for mod_hsts's directives,
# thousands of exclusions, trusted proxies, aliases and virtual hosts, and
# certificates that are missing, empty, DER, a directory, unreadable,
# truncated, key-less or followed by garbage. `httpd -t` and a real start
# either work, with the lint's findings where something is wrong, or
# refuse with a clear message; never a crash (exit status, signals and
# the error log are checked).
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Test::More import => ['!plan'];
use Apache::Test qw(-withtestmore);
use Time::HiRes qw(time);
use HSTS::Assert qw(response_is redirect_is no_crash);
use HSTS::Client qw(request requester);
use HSTS::Httpd ();
use HSTS::Lint qw(vhost tls_vhost);
use HSTS::Util qw(read_file write_file);

plan tests => 101;

my $pki = HSTS::Httpd::pki_dir();
my $site = { crt => "$pki/example.com.crt", key => "$pki/example.com.key" };

# ---------------------------------------------------------------------
# httpd runs of the test's own, never under valgrind (the timings below
# would mean nothing there): the whole exit status (a signal too) and
# everything httpd printed are kept; a start waits up to 300 s for a
# word from httpd.

# `httpd -t`: { exit, signal, out, secs }.
sub run_configtest {
    my ($conf, $listen) = @_;
    return HSTS::Httpd::config_check($conf, listen => $listen,
                                     loglevel => 'notice', valgrind => 0);
}

# A foreground start; ready() says whether it started (else it has
# stopped, with its exit status and what it logged).
sub start_server {
    my ($conf, $listen) = @_;
    return HSTS::Httpd->start(conf => $conf, listen => $listen,
                              may_fail => 1, timeout => 300, valgrind => 0);
}

# Not redirected; with exactly $sts, or none when $sts is undef.
sub served_with {
    my ($res, $sts, $name) = @_;
    response_is($res, { not_status => [301, 308], location => undef,
                        sts => $sts }, $name);
}

# ---------------------------------------------------------------------
# 1. Huge and odd values that are allowed: the header carries them.

my $zeros = '0' x 5000;
my $long_policy = 'max-age=31536000; '
                . join('; ', map { "ext$_=\"v\"" } 1 .. 500)
                . '; includeSubDomains; preload';
my $long_zero_policy = 'max-age=' . ('0' x 4990) . '1';
{
    my ($p, $t) = HSTS::Httpd::free_ports(2);
    my $conf = "HSTSLint On\nLogLevel hsts:warn\n"
        . tls_vhost($t, $site, 'ServerName max.example.com', 'HSTS On',
                    'HSTSMaxAge 18446744073709551615')
        . tls_vhost($t, $site, 'ServerName maxy.example.com', 'HSTS On',
                    'HSTSMaxAge 584942417355y')
        . tls_vhost($t, $site, 'ServerName zeros.example.com', 'HSTS On',
                    "HSTSMaxAge ${zeros}1y")
        . tls_vhost($t, $site, 'ServerName long.example.com',
                    'HSTSPolicy "' . ($long_policy =~ s/"/\\"/gr) . '"')
        . tls_vhost($t, $site, 'ServerName longzero.example.com',
                    qq{HSTSPolicy "$long_zero_policy"})
        . vhost($p, 'ServerName max.example.com', 'ServerAlias *.example.com',
                'HSTSRedirect On');
    ok(length($long_policy) > 5000, 'the long HSTSPolicy has over 5000 characters');

    my $ct = run_configtest($conf, [$p, $t]);
    my @over = $ct->{out} =~ /(max(?:y)?\.example\.com:$t \[header\.preloadable\.max_age\.over_10_years\])/g;
    my @unknown = $ct->{out} =~ /long\.example\.com:$t \[header\.parse\.unknown_directive\]/g;
    ok($ct->{exit} == 0 && !$ct->{signal} && $ct->{out} =~ /Syntax OK/,
       'huge values: configtest passes') or diag(substr($ct->{out}, 0, 3000));
    is(scalar @over, 2, 'huge values: over_10_years for both 64-bit maxima');
    is(scalar @unknown, 500, 'the 5000-character policy: one finding per unknown directive');
    like($ct->{out}, qr/longzero\.example\.com:$t \[header\.parse\.max_age\.leading_zero\]/,
         '4990 leading zeros: a leading_zero finding');

    my $s = start_server($conf, [$p, $t]);
    ok($s->ready, 'huge values: the server starts')
        or diag(substr(join('', $s->lines), -3000));
    my $http = requester(port => $p);
    my $https = requester(port => $t, tls => 1);
    my %want = ('max.example.com' => 'max-age=18446744073709551615',
                'maxy.example.com' => 'max-age=18446744073707280000',
                'zeros.example.com' => 'max-age=31536000',
                'long.example.com' => 'max-age=31536000; includeSubDomains; preload',
                'longzero.example.com' => 'max-age=1');
    for my $host (sort keys %want) {
        served_with($https->(host => $host, target => '/static.txt'),
                    $want{$host}, "$host: header '$want{$host}'");
    }
    redirect_is($http->(host => 'max.example.com', target => '/static.txt?q'),
                301, "https://max.example.com:$t/static.txt?q",
                'huge values: the plain host redirects, without the header');
    $s->stop;
    no_crash($s, 'huge values: stopped cleanly, no crash');
}

# ---------------------------------------------------------------------
# 2. Huge values that are not allowed: a clear configuration error.

for my $case (
    ['HSTSMaxAge ' . ('9' x 5000), qr/HSTSMaxAge: "9{100}.*does not fit in 64 bits/s],
    ["HSTSMaxAge ${zeros}18446744073709551616", qr/HSTSMaxAge: .*does not fit in 64 bits/s],
    ['HSTSMaxAge ' . ('1' x 5000) . 'y', qr/HSTSMaxAge: .*does not fit in 64 bits/s],
    ['HSTSPolicy "max-age=' . ('9' x 5000) . '"', qr/\[header\.parse\.max_age\.parse_int_error\]/],
    ['HSTSPolicy "' . join('; ', ('includeSubDomains') x 300) . '"', qr/HSTSPolicy: .* has no max-age directive/s],
    ['HSTSPolicy "max-age=1; ' . ('max-age; ' x 500) . 'preload"', qr/\[header\.parse\.invalid\.max_age\.no_value\]/],
    ['HSTSRedirectPort ' . ('4' x 5000), qr/HSTSRedirectPort: "4{100}.*is not a port/s],
    ['HSTSRedirectExclude ' . ('x' x 5000), qr/HSTSRedirectExclude: "x{100}.*a path prefix starts with "\/"/s],
    ['HSTSTrustedProxy ' . ('1.' x 2500), qr/HSTSTrustedProxy: "(?:1\.){100}.*is not allowed/s],
    ['HSTSTrustedProxy 10.0.0.0/0000000008', qr/HSTSTrustedProxy: "10\.0\.0\.0\/0000000008" is not allowed: the prefix length/],
    ['HSTSTrustedProxy ' . ('f' x 64) . '::1', qr/HSTSTrustedProxy: "f{64}::1" is not allowed/],
    ['HSTSLintIgnore ' . ('a.' x 2500), qr/HSTSLintIgnore: "(?:a\.){100}.*is not a mod_hsts lint code/s],
    ['HSTSRedirect ' . ('On' x 2500), qr/HSTSRedirect: "(?:On){100}.*is not allowed/s],
) {
    my ($line, $re) = @$case;
    my $ct = run_configtest("$line\n");
    my ($name) = $line =~ /^(\S+ .{0,30})/;
    ok($ct->{exit} == 1 && !$ct->{signal} && $ct->{out} =~ /Syntax error on line \d+ of /
       && $ct->{out} =~ $re, "refused with a clear message: $name...")
        or diag("exit $ct->{exit} signal $ct->{signal}: " . substr($ct->{out}, 0, 600));
}

# ---------------------------------------------------------------------
# 3. Thousands: exclusions, trusted proxies, aliases, ignored codes.

{
    my ($p, $t) = HSTS::Httpd::free_ports(2);
    my @aliases = map { ("n$_.alias.example.com", "*.w$_.alias.example.com") }
                  0 .. 2499;
    my @alias_lines;
    for (my $i = 0; $i < @aliases; $i += 100) {
        push @alias_lines, 'ServerAlias ' . join(' ', @aliases[$i .. $i + 99]);
    }
    my @exclude_lines = map { "HSTSRedirectExclude /p$_" } 0 .. 2999;
    my $exclude_one = 'HSTSRedirectExclude '
                    . join(' ', map { "/q$_/" } 0 .. 999);
    my @blocks = ((map { "10.@{[ $_ >> 8 ]}.@{[ $_ & 255 ]}.1/32" } 0 .. 1499),
                  (map { sprintf '2001:db8::%x/128', $_ } 0 .. 1499));
    my @proxy_lines = map { "HSTSTrustedProxy $_" } @blocks;
    my $ignores = 'HSTSLintIgnore '
                . join(' ', ('tls.cert.expires_soon', 'domain.is_subdomain',
                             'config.hsts.plain_vhost') x 1000);

    my $conf = "LogLevel hsts:warn\n"
        . vhost($p, 'ServerName alias.example.com', @alias_lines,
                'HSTSRedirect On', @exclude_lines, $exclude_one)
        . vhost($p, 'ServerName proxy.example.com', 'HSTS On',
                'HSTSRedirect On', @proxy_lines, 'HSTSTrustedProxy 127.0.0.1',
                $ignores)
        . vhost($p, 'ServerName noproxy.example.com', 'HSTS On',
                'HSTSRedirect On', @proxy_lines, $ignores)
        . tls_vhost($t, $site, 'ServerName alias.example.com', @alias_lines,
                    'HSTS On');

    my $ct = run_configtest($conf, [$p, $t]);
    ok($ct->{exit} == 0 && !$ct->{signal} && $ct->{out} =~ /Syntax OK/,
       'thousands: configtest passes') or diag(substr($ct->{out}, 0, 3000));
    note(sprintf 'thousands: configtest in %.1f s', $ct->{secs});
    unlike($ct->{out}, qr/proxy\.example\.com:$p \[config\.hsts\.plain_vhost\]/,
           '3000 HSTSLintIgnore codes are honoured');

    my $s = start_server($conf, [$p, $t]);
    ok($s->ready, 'thousands: the server starts')
        or diag(substr(join('', $s->lines), -3000));
    my $http = requester(port => $p);
    my $https = requester(port => $t, tls => 1);
    my $alias = requester(port => $p, host => 'alias.example.com');
    redirect_is($http->(host => 'n2499.alias.example.com', target => '/x'),
                301, "https://n2499.alias.example.com:$t/x",
                'the 5000th alias: redirected to itself on the TLS port');
    redirect_is($http->(host => 'Deep.Sub.W2499.alias.example.com',
                        target => '/x'),
                301, "https://deep.sub.w2499.alias.example.com:$t/x",
                'the last wildcard of 2500: redirected to the name asked for');
    redirect_is($http->(host => 'w2499.alias.example.com.evil.example',
                        target => '/x'),
                301, "https://alias.example.com:$t/x",
                'a name past the wildcards: to the ServerName');
    served_with($alias->(target => '/p2999/static.txt'), undef,
                'the 3000th HSTSRedirectExclude line is honoured');
    served_with($alias->(target => '/q999'), undef,
                'the 1000th prefix of one line is honoured');
    served_with($alias->(target => '/.well-known/acme-challenge/x'), undef,
                'the ACME default is still there');
    redirect_is($alias->(target => '/p3000'),
                301, "https://alias.example.com:$t/p3000",
                'a path under no prefix of 4000: redirected');
    redirect_is($alias->(target => '/p29990'),
                301, "https://alias.example.com:$t/p29990",
                'prefixes match whole segments among thousands');
    my $proxied = sub {
        my ($host, $xfp) = @_;
        return $http->(host => $host, target => '/static.txt',
                       headers => ['X-Forwarded-Proto' => $xfp]);
    };
    served_with($proxied->('proxy.example.com', 'https'), 'max-age=31536000',
                'the 3001st trusted proxy: https believed, header sent');
    redirect_is($proxied->('proxy.example.com', 'http'),
                301, 'https://proxy.example.com/static.txt',
                'the 3001st trusted proxy: http redirected');
    redirect_is($proxied->('noproxy.example.com', 'https'),
                301, 'https://noproxy.example.com/static.txt',
                '3000 blocks without the client: its header ignored');
    served_with($https->(host => 'x.w1234.alias.example.com',
                         target => '/static.txt'),
                'max-age=31536000',
                'the TLS host with 5000 aliases sends the header');
    $s->stop;
    no_crash($s, 'thousands: stopped cleanly, no crash');
}

# ---------------------------------------------------------------------
# 4. 2000 virtual hosts: 1000 plain ones that redirect and the 1000 TLS
# ones they redirect to, every name on its own TLS host.

{
    my ($p, $t) = HSTS::Httpd::free_ports(2);
    my $conf = "HSTS On\nHSTSRedirect On\nHSTSIncludeSubDomains On\n"
             . "LogLevel hsts:warn\n"
             . join('', map { vhost($p, "ServerName h$_.example.com") }
                        0 .. 999)
             . join('', map { tls_vhost($t, $site, "ServerName h$_.example.com") }
                        0 .. 999);
    # configtest binds nothing: on ports 80 and 443 the set is the
    # well-configured site the lint has nothing to say about
    my $ct = run_configtest($conf =~ s/:$p>/:80>/gr =~ s/:$t>/:443>/gr,
                            [80, 443]);
    ok($ct->{exit} == 0 && !$ct->{signal} && $ct->{out} =~ /Syntax OK/,
       '2000 virtual hosts: configtest passes')
        or diag(substr($ct->{out}, 0, 3000));
    my @findings = $ct->{out} =~ /(\[[a-z_.]+\])/g;
    ok(!@findings, '2000 well-configured virtual hosts: no finding')
        or diag(substr($ct->{out}, 0, 3000));
    note(sprintf '2000 virtual hosts: configtest in %.1f s', $ct->{secs});

    my $t0 = time;
    my $s = start_server($conf, [$p, $t]);
    ok($s->ready, sprintf('2000 virtual hosts: the server starts (%.1f s)',
                          time - $t0))
        or diag(substr(join('', $s->lines), -3000));
    my $http = requester(port => $p);
    my $https = requester(port => $t, tls => 1);
    redirect_is($http->(host => 'h999.example.com', target => '/x'),
                301, "https://h999.example.com:$t/x",
                'the 1000th plain host redirects to its TLS host');
    redirect_is($http->(host => 'h0.example.com', target => '/x'),
                301, "https://h0.example.com:$t/x",
                'the first plain host redirects to its TLS host');
    served_with($https->(host => 'h999.example.com', target => '/static.txt'),
                'max-age=31536000; includeSubDomains',
                'the 1000th TLS host sends the header');
    $s->stop;
    no_crash($s, '2000 virtual hosts: stopped cleanly, no crash');
}

# ---------------------------------------------------------------------
# 5. Certificates that cannot be used. Each case: what `httpd -t` says
# (mod_ssl refuses some files while reading the configuration; for the
# others the lint reports tls.cert.unreadable naming host and file), and
# what a real start does (mod_ssl loads the certificate then: a refusal
# with mod_ssl's message naming the file, or a server that works).

my $certs = HSTS::Httpd::new_dir();
my %file;
{
    my $crt = read_file("$pki/example.com.crt");
    my $key = read_file("$pki/example.com.key");
    my $ca = read_file("$pki/ca.crt");
    my $put = sub {
        my ($name, $bytes) = @_;
        $file{$name} = "$certs/$name";
        write_file($file{$name}, $bytes);
    };
    $put->('empty.crt', '');
    $put->('truncated.crt', substr($crt, 0, int(length($crt) / 2)));
    $put->('garbage-after.crt', $crt . "\x00\xff\xfe garbage \r\n" x 50);
    $put->('text-after-chain.crt', $ca . "\x00\xff trailing text, no PEM block\n" x 20);
    $put->('broken-chain.crt', $ca . "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n");
    $put->('broken-after.crt', $crt . "-----BEGIN CERTIFICATE-----\n" . substr($ca, 28, 200));
    $put->('key-only.pem', $key);
    $put->('text.crt', "This is not a certificate.\n");
    $put->('bad-base64.crt', "-----BEGIN CERTIFICATE-----\n" . ('!@#$' x 16) . "\n-----END CERTIFICATE-----\n");
    $put->('long-chain.crt', $crt . ($ca x 60));
    $put->('unreadable.crt', $crt);
    chmod 0000, $file{'unreadable.crt'} or die "chmod: $!";
    $file{'missing.crt'} = "$certs/missing.crt";
    $file{'directory.crt'} = "$certs/directory.crt";
    mkdir $file{'directory.crt'} or die "mkdir: $!";
    $file{'der.crt'} = "$certs/der.crt";
    system('openssl', 'x509', '-in', "$pki/example.com.crt", '-outform', 'DER',
           '-out', $file{'der.crt'}) == 0 or die "openssl x509 failed";
}

# [name, certificate, options, configtest outcome, start outcome]
#   configtest: 'refused' (mod_ssl while reading the configuration),
#               'unreadable' (Syntax OK, and the lint's finding),
#               'clean' (Syntax OK, no tls.cert.unreadable)
#   start:      'works', or how mod_ssl refuses it: 'missing' (while
#               reading the configuration), 'cert' (AH02562, naming the
#               file), 'key' (AH02564, naming it), 'chain' (AH01903)
my @cert_cases = (
    ['a missing file', 'missing.crt', {}, 'refused', 'missing'],
    ['an empty file', 'empty.crt', {}, 'refused', 'missing'],
    ['a directory', 'directory.crt', {}, 'refused', 'missing'],
    ['a DER certificate', 'der.crt', {}, 'unreadable', 'cert'],
    ['a file of mode 000', 'unreadable.crt', {}, 'unreadable', 'cert'],
    ['a truncated PEM', 'truncated.crt', {}, 'unreadable', 'cert'],
    ['a private key instead of a certificate', 'key-only.pem', {},
     'unreadable', 'cert'],
    ['a text file', 'text.crt', {}, 'unreadable', 'cert'],
    ['PEM armour around garbage', 'bad-base64.crt', {}, 'unreadable',
     'cert'],
    ['no key anywhere', "$pki/example.com.crt", { key => undef }, 'clean',
     'key'],
    ['garbage after the certificate', 'garbage-after.crt', {}, 'clean',
     'works'],
    ['a truncated certificate after the first', 'broken-after.crt', {},
     'unreadable', 'cert'],
    ['a chain file with text after the certificate', "$pki/example.com.crt",
     { chain => 'text-after-chain.crt' }, 'clean', 'works'],
    ['a chain file with a broken block after the certificate',
     "$pki/example.com.crt", { chain => 'broken-chain.crt' }, 'unreadable',
     'chain'],
    ['a chain file that is DER', "$pki/example.com.crt",
     { chain => 'der.crt' }, 'unreadable', 'works'],
    ['60 certificates after the leaf', 'long-chain.crt', {}, 'clean',
     'works'],
);

for my $case (@cert_cases) {
    my ($name, $cert, $o, $ct_want, $start_want) = @$case;
    my %o = %$o;
    $cert = $file{$cert} // $cert;
    $o{chain} = $file{ $o{chain} } if $o{chain};
    my $bad = $o{chain} && $ct_want eq 'unreadable' ? $o{chain} : $cert;
  SKIP: {
        skip "$name: root reads a file of mode 000", 3
            if $cert =~ /unreadable/ && $> == 0;
        my ($p, $t) = HSTS::Httpd::free_ports(2);
        my %files = (crt => $cert, key => $site->{key}, %o);
        my $conf = "LogLevel hsts:warn\n"
                 . tls_vhost($t, \%files, 'ServerName tls.example.com',
                             'HSTS On')
                 . vhost($p, 'ServerName tls.example.com', 'HSTSRedirect On');
        my $ct = run_configtest($conf, [$p, $t]);
        my $ok;
        if ($ct_want eq 'refused') {
            $ok = $ct->{exit} == 1 && $ct->{out} =~ /Syntax error on line \d+/
                  && $ct->{out} =~ /SSLCertificateFile: file '\Q$cert\E' does not exist or is empty/;
        }
        elsif ($ct_want eq 'unreadable') {
            $ok = $ct->{exit} == 0 && $ct->{out} =~ /Syntax OK/
                  && $ct->{out} =~ /tls\.example\.com:$t \[tls\.cert\.unreadable\] The (?:certificate|chain) file \Q$bad\E (?:cannot be read|holds no PEM certificate|holds a block after certificate 1 that does not parse)/;
        }
        else {
            $ok = $ct->{exit} == 0 && $ct->{out} =~ /Syntax OK/
                  && $ct->{out} !~ /tls\.cert\.unreadable/;
        }
        ok($ok && !$ct->{signal},
           "$name: configtest " . ($ct_want eq 'refused' ? 'refuses it'
                                   : $ct_want eq 'unreadable' ? 'reports tls.cert.unreadable'
                                   : 'passes'))
            or diag("exit $ct->{exit} signal $ct->{signal}:\n" . substr($ct->{out}, 0, 2000));

        my $s = start_server($conf, [$p, $t]);
        my $log = join '', $s->lines;
        if ($start_want ne 'works') {
            my %says = (
                missing => qr/SSLCertificateFile: file '\Q$cert\E' does not exist or is empty/,
                cert => qr/AH02562: Failed to configure certificate tls\.example\.com:443:0 \(with chain\), check \Q$cert\E/,
                key => qr/AH02564: Failed to configure encrypted \(\?\) private key tls\.example\.com:443:0, check \Q$cert\E/,
                chain => qr/AH01903: Failed to configure CA certificate chain/,
            );
            $s->stop;
            my $exit = $s->status->{exit};
            ok(!$s->ready && $exit == 1 && $log =~ $says{$start_want},
               "$name: the start is refused, mod_ssl says why")
                or diag($s->ready ? 'it started' : "exit $exit:\n$log");
            no_crash($s, "$name: no crash");
        }
        else {
            ok($s->ready && ($ct_want ne 'unreadable' || $log
                   =~ /tls\.example\.com:$t \[tls\.cert\.unreadable\]/),
               "$name: the server starts"
               . ($ct_want eq 'unreadable' ? ', logging the lint\'s finding' : ''))
                or diag('exit ' . ($s->ready ? '' : $s->status->{exit})
                        . ":\n$log");
            if ($s->ready) {
                my $res = request(port => $t, tls => 1,
                                  host => 'tls.example.com',
                                  target => '/static.txt');
                served_with($res, 'max-age=31536000', "$name: the TLS host answers with the header");
                $s->stop;
                no_crash($s, "$name: no crash");
            }
            else {
                fail("$name: the TLS host answers with the header");
                no_crash($s, "$name: no crash");
            }
        }
    }
}
