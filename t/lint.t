# SPDX-License-Identifier: Apache-2.0
# The startup lint under `httpd -t` (README: The startup lint): for every
# code of the lint table a configuration that produces it and a closely
# similar one that must not, each finding one line at warn level (info
# for the informational ones; under HSTSLint Strict at error level for
# the error class) naming the host as ServerName:port, the code in
# brackets and a sentence, and the host's summary line listing it when
# it is an error; the preload checker's probes answered as httpd would
# answer them (README: What the lint can and cannot see); summaries,
# HSTSLintIgnore, HSTSLint Off, mod_md.
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

# httpd -t binds nothing: the ports browsers and the preload checker use.
my ($P, $T) = (80, 443);
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
        $conf, listen => [$P, $T], env => $pki->{trusted},
        modules => ['alias', 'rewrite'], %opt);
    return ($status, $out);
}

# ------------------------------------------------------------------
# Every code: [code, class, host, name, config, near-miss name, near-miss
# config, other host named in the sentence]. A config is text, or
# [text, options for lint()].

my $redirect_www = 'Redirect permanent / https://www.example.com/';
# Debian's 000-default.conf: no ServerName, so on * it takes the server
# config's
my $debian_default = "<VirtualHost *:$P>\n    DocumentRoot /tmp\n"
                   . "</VirtualHost>\n";
my $www_tls = tls_vhost($T, $pki->{good}, 'ServerName www.example.com',
                        'HSTS On', 'HSTSIncludeSubDomains On');

my @codes = (
    ['header.parse.unknown_directive', 'warning', "example.com:$T",
     'HSTSPolicy with an unknown directive',
     plain_host() . tls_host('HSTSPolicy "max-age=31536000; includeSubDomains; preload; foo"'),
     'the same HSTSPolicy without it',
     plain_host() . tls_host('HSTSPolicy "max-age=31536000; includeSubDomains; preload"')],
    ['header.parse.repeated.max_age', 'warning', "example.com:$T",
     'HSTSPolicy with max-age twice',
     plain_host() . tls_host('HSTSPolicy "max-age=31536000; max-age=5; includeSubDomains; preload"'),
     'HSTSPolicy with max-age once',
     $compliant],
    ['header.parse.max_age.non_digit_characters', 'error', "example.com:$T",
     'mod_headers value max-age=abc',
     tls_host(qq{$STS "max-age=abc"}),
     'mod_headers value max-age=300',
     tls_host(qq{$STS "max-age=300"})],
    ['header.preloadable.include_sub_domains.missing', 'error', "example.com:$T",
     'preload without includeSubDomains',
     plain_host() . tls_host('HSTS On', 'HSTSPreload On'),
     'preload with includeSubDomains',
     $compliant],
    ['header.preloadable.max_age.missing', 'error', "example.com:$T",
     'mod_headers value with preload and no max-age',
     plain_host() . tls_host(qq{$STS "includeSubDomains; preload"}),
     'mod_headers value with preload and max-age',
     plain_host() . tls_host(qq{$STS "max-age=31536000; includeSubDomains; preload"})],
    ['header.preloadable.max_age.zero', 'error', "example.com:$T",
     'preload with HSTSMaxAge 0',
     plain_host() . tls_host(@preload, 'HSTSMaxAge 0'),
     'preload with HSTSMaxAge 1y',
     $compliant],
    ['header.preloadable.max_age.below_1_year', 'error', "example.com:$T",
     'preload with HSTSMaxAge 31535999',
     plain_host() . tls_host(@preload, 'HSTSMaxAge 31535999'),
     'preload with HSTSMaxAge 31536000',
     plain_host() . tls_host(@preload, 'HSTSMaxAge 31536000')],
    ['header.preloadable.max_age.over_10_years', 'warning', "example.com:$T",
     'HSTSMaxAge 315360001 without preload',
     tls_host('HSTS On', 'HSTSMaxAge 315360001'),
     'HSTSMaxAge 10y',
     tls_host('HSTS On', 'HSTSMaxAge 10y')],
    ['redirects.http.no_redirect', 'error', "example.com:$T",
     'a plain vhost names the preload host without HSTSRedirect',
     vhost($P, 'ServerName example.com', 'ServerAlias www.example.com')
         . tls_host(@preload),
     'that vhost with HSTSRedirect On',
     $compliant, "example.com:$P"],
    ['redirects.http.no_redirect', 'error', "example.com:$T",
     'no vhost names the preload host on port 80: its default does',
     vhost($P, 'ServerName other.example.org') . tls_host(@preload),
     'a second vhost on that address names it and redirects',
     vhost($P, 'ServerName other.example.org') . $compliant,
     "other.example.org:$P"],
    ['redirects.http.no_redirect', 'error', "example.com:$T",
     'Redirect only for /app in the plain host',
     vhost($P, 'ServerName example.com', 'ServerAlias www.example.com',
           'Redirect permanent /app https://example.com/app')
         . tls_host(@preload),
     'Redirect permanent / https://example.com/ (mod_alias, same host)',
     vhost($P, 'ServerName example.com', 'ServerAlias www.example.com',
           'Redirect permanent / https://example.com/')
         . tls_host(@preload), "example.com:$P"],
    ['redirects.http.no_redirect', 'error', "example.com:$T",
     q{certbot's rewrite whose conditions leave out the host},
     vhost($P, 'ServerName example.com', 'ServerAlias www.example.com',
           'RewriteEngine on',
           'RewriteCond %{SERVER_NAME} =www.example.com',
           'RewriteRule ^ https://%{SERVER_NAME}%{REQUEST_URI} [END,NE,R=permanent]')
         . tls_host(@preload),
     q{certbot's rewrite, as certbot writes it},
     vhost($P, 'ServerName example.com', 'ServerAlias www.example.com',
           'RewriteEngine on',
           'RewriteCond %{SERVER_NAME} =example.com [OR]',
           'RewriteCond %{SERVER_NAME} =www.example.com',
           'RewriteRule ^ https://%{SERVER_NAME}%{REQUEST_URI} [END,NE,R=permanent]')
         . tls_host(@preload), "example.com:$P", modules => ['rewrite']],
    ['redirects.http.no_redirect', 'error', "example.com:$T",
     'a RewriteRule to https://%{HTTP_HOST} with RewriteEngine off',
     vhost($P, 'ServerName example.com', 'ServerAlias www.example.com',
           'RewriteEngine off', 'RewriteCond %{HTTPS} off',
           'RewriteRule ^(.*)$ https://%{HTTP_HOST}%{REQUEST_URI} [L,R=301]')
         . tls_host(@preload),
     'the same with RewriteEngine on',
     vhost($P, 'ServerName example.com', 'ServerAlias www.example.com',
           'RewriteEngine on', 'RewriteCond %{HTTPS} off',
           'RewriteRule ^(.*)$ https://%{HTTP_HOST}%{REQUEST_URI} [L,R=301]')
         . tls_host(@preload), "example.com:$P", modules => ['rewrite']],
    ['redirects.http.www_first', 'error', "example.com:$T",
     'the plain host redirects to https://www first',
     vhost($P, 'ServerName example.com', 'ServerAlias www.example.com',
           $redirect_www) . tls_host(@preload),
     'RedirectMatch to the same host',
     vhost($P, 'ServerName example.com', 'ServerAlias www.example.com',
           'RedirectMatch permanent ^/(.*)$ https://example.com/$1')
         . tls_host(@preload), "example.com:$P"],
    ['redirects.http.first_redirect.insecure', 'error', "example.com:$T",
     'the default plain host redirects to its own ServerName',
     vhost($P, 'ServerName static.example.com', 'HSTSRedirect On')
         . tls_host(@preload),
     'the same host with ServerAlias example.com',
     vhost($P, 'ServerName static.example.com', 'ServerAlias example.com',
           'HSTSRedirect On') . tls_host(@preload), "static.example.com:$P"],
    ['redirects.http.first_redirect.insecure', 'error', "example.com:$T",
     'the plain host redirects to http://example.com/start',
     vhost($P, 'ServerName example.com', 'ServerAlias www.example.com',
           'Redirect permanent / http://example.com/start')
         . tls_host(@preload),
     'to https://example.com/start',
     vhost($P, 'ServerName example.com', 'ServerAlias www.example.com',
           'Redirect permanent / https://example.com/start')
         . tls_host(@preload), "example.com:$P"],
    ['redirects.http.undecidable', 'info', "example.com:$T",
     'a RewriteCond on the client address decides the redirect',
     [vhost($P, 'ServerName example.com', 'ServerAlias www.example.com',
            'RewriteEngine on', 'RewriteCond %{REMOTE_ADDR} !^10\.',
            'RewriteRule ^ https://example.com/ [R=301,L]')
          . tls_host(@preload), modules => ['rewrite']],
     'a RewriteCond on %{HTTPS}',
     vhost($P, 'ServerName example.com', 'ServerAlias www.example.com',
           'RewriteEngine on', 'RewriteCond %{HTTPS} off',
           'RewriteRule ^ https://example.com/ [R=301,L]')
         . tls_host(@preload), "example.com:$P", modules => ['rewrite']],
    ['redirects.http.does_not_exist', 'warning', "example.com:$T",
     'no plain listener at all',
     [tls_host(@preload), listen => [$T]],
     'a plain vhost on port 80',
     $compliant],
    ['response.no_header', 'error', "example.com:$P",
     'HSTSRedirect to a TLS vhost that sends no STS',
     plain_host() . tls_host(),
     'the TLS vhost with HSTS On',
     plain_host() . tls_host('HSTS On'), "example.com:$T"],
    ['response.no_header', 'error', "app.example.com:$P",
     'HSTSRedirect to a TLS vhost that names the host by alias, no STS',
     vhost($P, 'ServerName app.example.com', 'HSTSRedirect On')
         . tls_vhost($T, $pki->{other_names}, 'ServerName catchall.example.com',
                     'ServerAlias app.example.com'),
     'only a TLS catch-all whose certificate does not cover the host',
     vhost($P, 'ServerName app.example.com', 'HSTSRedirect On')
         . tls_vhost($T, $pki->{good}, 'ServerName catchall.example.com'),
     "catchall.example.com:$T"],
    ['response.no_header', 'error', "example.com:$T",
     'Header set without always, and https://example.com/ redirects',
     plain_host() . tls_vhost($T, $pki->{good}, 'ServerName example.com',
         qq{Header set Strict-Transport-Security "max-age=31536000; includeSubDomains; preload"},
         $redirect_www) . $www_tls,
     'Header always set',
     plain_host() . tls_vhost($T, $pki->{good}, 'ServerName example.com',
         qq{$STS "max-age=31536000; includeSubDomains; preload"},
         $redirect_www) . $www_tls],
    ['response.multiple_headers', 'error', "example.com:$T",
     'Header set and Header always set for STS',
     tls_host(qq{Header set Strict-Transport-Security "max-age=31536000"},
              qq{$STS "max-age=31536000"}),
     'Header always set only',
     tls_host(qq{$STS "max-age=31536000"})],
    ['response.multiple_headers', 'error', "example.com:$T",
     'Header always add for STS',
     tls_host(qq{Header always add Strict-Transport-Security "max-age=31536000"}),
     'Header always set in a host and Header set in another <Location> '
         . 'than the one it covers',
     tls_host(qq{<Location "/a">}, qq{    $STS "max-age=31536000"},
              '</Location>', qq{<Location "/b">},
              qq{    Header set Strict-Transport-Security "max-age=300"},
              '</Location>')],
    ['response.multiple_headers', 'error', "example.com:$T",
     'Header always set in the host, Header set in a <Location> inside it',
     tls_host(qq{$STS "max-age=31536000"}, qq{<Location "/a">},
              qq{    Header set Strict-Transport-Security "max-age=300"},
              '</Location>'),
     'HSTS On replaces them all',
     tls_host('HSTS On', qq{$STS "max-age=31536000"}, qq{<Location "/a">},
              qq{    Header set Strict-Transport-Security "max-age=300"},
              '</Location>')],
    ['redirects.insecure.initial', 'error', "example.com:$T",
     'https://example.com/ redirects to http://www.example.com/',
     plain_host() . tls_vhost($T, $pki->{good}, 'ServerName example.com',
                              @preload, 'Redirect permanent / http://www.example.com/')
         . $www_tls,
     'to https://www.example.com/',
     plain_host() . tls_vhost($T, $pki->{good}, 'ServerName example.com',
                              @preload, $redirect_www) . $www_tls],
    ['domain.tls.cannot_connect', 'error', "example.com:8443",
     'HTTPS only on port 8443',
     [plain_host() . tls_vhost(8443, $pki->{good}, 'ServerName example.com',
                               'ServerAlias www.example.com', @preload),
      listen => [$P, 8443]],
     'the same host on 443 and 8443',
     [plain_host() . tls_vhost("$T 127.0.0.1:8443", $pki->{good},
                               'ServerName example.com',
                               'ServerAlias www.example.com', @preload),
      listen => [$P, $T, 8443]]],
    ['domain.tls.cannot_connect', 'error', "example.com:8443",
     'HTTPS on 8443, plain HTTP on 8080, no port mapping declared',
     [vhost(8080, 'ServerName example.com', 'ServerAlias www.example.com',
            'HSTSRedirect On')
          . tls_vhost(8443, $pki->{good}, 'ServerName example.com',
                      'ServerAlias www.example.com', @preload),
      listen => [8080, 8443]],
     'with HSTSRedirectPort 443 (published as 80 and 443)',
     [vhost(8080, 'ServerName example.com', 'ServerAlias www.example.com',
            'HSTSRedirect On', 'HSTSRedirectPort 443')
          . tls_vhost(8443, $pki->{good}, 'ServerName example.com',
                      'ServerAlias www.example.com', @preload),
      listen => [8080, 8443]]],
    ['config.http.nondefault_port', 'warning', "example.com:$T",
     'a plain host on 8080 names the HSTS host and sends clients to 8443',
     [$compliant . vhost(8080, 'ServerName example.com', 'HSTSRedirect On',
                         'HSTSRedirectPort 8443'),
      listen => [$P, $T, 8080]],
     'the same with HSTSRedirectPort 443 (a port mapping)',
     [$compliant . vhost(8080, 'ServerName example.com', 'HSTSRedirect On',
                         'HSTSRedirectPort 443'),
      listen => [$P, $T, 8080]], "example.com:8080"],
    ['domain.format.is_ip_address', 'warning', "127.0.0.1:$T",
     'HSTS on a vhost named by an IP address',
     tls_vhost($T, $pki->{ip}, 'ServerName 127.0.0.1', 'HSTS On'),
     'HSTS on a vhost with a DNS name',
     tls_host('HSTS On')],
    ['domain.format.is_ip_address', 'error', "127.0.0.1:$T",
     'preload on a vhost named by an IP address',
     vhost($P, 'ServerName 127.0.0.1', 'HSTSRedirect On')
         . tls_vhost($T, $pki->{ip}, 'ServerName 127.0.0.1', @preload),
     'preload on a vhost with a DNS name',
     $compliant],
    ['domain.format.public_suffix', 'error', "co.uk:$T",
     'preload on co.uk',
     tls_vhost($T, $pki->{other_names}, 'ServerName co.uk', @preload),
     'preload on example.co.uk',
     tls_vhost($T, $pki->{other_names}, 'ServerName example.co.uk', @preload)],
    ['domain.is_subdomain', 'error', "sub.example.com:$T",
     'preload on sub.example.com',
     tls_vhost($T, $pki->{other_names}, 'ServerName sub.example.com', @preload),
     'preload on example.com',
     tls_host(@preload)],
    ['domain.is_subdomain', 'error', "www.example.com:$T",
     'preload in the server config, only www.example.com takes it',
     "HSTS On\nHSTSIncludeSubDomains On\nHSTSRedirect On\n"
         . vhost($P, 'ServerName example.com', 'ServerAlias www.example.com')
         . tls_vhost($T, $pki->{good}, 'ServerName example.com', $redirect_www)
         . tls_vhost($T, $pki->{good}, 'ServerName www.example.com',
                     'HSTSPreload On'),
     'the README pattern: both take it, example.com is preloaded here',
     "HSTS On\nHSTSIncludeSubDomains On\nHSTSPreload On\nHSTSRedirect On\n"
         . vhost($P, 'ServerName example.com', 'ServerAlias www.example.com')
         . tls_vhost($T, $pki->{good}, 'ServerName example.com', $redirect_www)
         . tls_vhost($T, $pki->{good}, 'ServerName www.example.com')],
    ['domain.www.no_tls', 'error', "example.com:$T",
     'a plain vhost names www, no certificate on port 443 covers it',
     plain_host() . tls_vhost($T, $pki->{apex}, 'ServerName example.com',
                              @preload),
     'the certificate covers www too',
     plain_host() . tls_vhost($T, $pki->{good}, 'ServerName example.com',
                              @preload), "example.com:$P"],
    ['domain.www.unverified', 'warning', "example.com:$T",
     'no vhost names www, the certificate does not cover it',
     vhost($P, 'ServerName example.com', 'HSTSRedirect On')
         . tls_vhost($T, $pki->{apex}, 'ServerName example.com', @preload),
     'the default TLS host\'s certificate covers www',
     vhost($P, 'ServerName example.com', 'HSTSRedirect On')
         . tls_vhost($T, $pki->{good}, 'ServerName example.com', @preload),
     "example.com:$T"],
    ['domain.tls.invalid_cert_chain', 'error', "example.com:$T",
     'preload, the CA is not trusted',
     [$compliant, env => $pki->{untrusted}],
     'preload, the CA is trusted (SSL_CERT_FILE)',
     $compliant],
    ['domain.tls.invalid_cert_chain', 'error', "example.com:$T",
     'preload, the intermediate is not configured',
     plain_host() . tls_host_with($pki->{via_inter}, @preload),
     'preload, the intermediate in SSLCertificateChainFile',
     plain_host() . tls_host_with($pki->{via_inter}, @preload,
         qq{SSLCertificateChainFile "$pki->{inter}{crt}"})],
    ['domain.tls.invalid_cert_chain', 'error', "example.com:$T",
     'preload, the intermediate in no file',
     plain_host() . tls_host_with($pki->{via_inter}, @preload),
     'preload, the intermediate after the leaf in SSLCertificateFile',
     plain_host() . tls_host_with($pki->{chained}, @preload)],
    ['domain.tls.sha1', 'error', "example.com:$T",
     'a certificate signed with SHA-1',
     plain_host() . tls_host_with($pki->{sha1}, @preload),
     'a certificate signed with SHA-256',
     $compliant],
    ['domain.tls.sha1', 'error', "example.com:$T",
     'an intermediate signed with SHA-1 in SSLCertificateChainFile',
     plain_host() . tls_host_with($pki->{via_sha1}, 'HSTS On',
         qq{SSLCertificateChainFile "$pki->{inter_sha1}{crt}"}),
     'an intermediate signed with SHA-256 in SSLCertificateChainFile',
     plain_host() . tls_host_with($pki->{via_inter}, 'HSTS On',
         qq{SSLCertificateChainFile "$pki->{inter}{crt}"})],
    ['tls.cert.unreadable', 'error', "example.com:$T",
     'a DER certificate file',
     tls_host_with($pki->{der}, 'HSTS On'),
     'a PEM certificate file',
     tls_host('HSTS On')],
    ['tls.cert.self_signed', 'error', "example.com:$T",
     'a self-signed certificate',
     tls_host_with($pki->{self}, 'HSTS On'),
     'a CA-signed certificate',
     tls_host('HSTS On')],
    ['tls.cert.expired', 'error', "example.com:$T",
     'an expired certificate',
     tls_host_with($pki->{expired}, 'HSTS On'),
     'a valid certificate',
     tls_host('HSTS On')],
    ['tls.cert.not_yet_valid', 'error', "example.com:$T",
     'a certificate valid from tomorrow',
     tls_host_with($pki->{not_yet}, 'HSTS On'),
     'a certificate valid since yesterday',
     tls_host('HSTS On')],
    ['tls.cert.expires_soon', 'warning', "example.com:$T",
     'a certificate expiring in 10 days',
     tls_host_with($pki->{soon}, 'HSTS On'),
     'a certificate expiring in 60 days',
     tls_host_with($pki->{later}, 'HSTS On')],
    ['tls.cert.name_mismatch', 'error', "example.com:$T",
     'a ServerAlias the certificate does not cover',
     tls_vhost($T, $pki->{good}, 'ServerName example.com',
               'ServerAlias other.example.net', 'HSTS On'),
     'every name covered',
     tls_host('HSTS On')],
    ['tls.cert.self_signed', 'error', "example.com:$T",
     'the certificate of the server config applies to the vhost',
     qq{SSLCertificateFile "$pki->{self}{crt}"\n}
         . qq{SSLCertificateKeyFile "$pki->{self}{key}"\n}
         . vhost($T, 'SSLEngine on', 'ServerName example.com', 'HSTS On'),
     'unless the vhost has its own',
     qq{SSLCertificateFile "$pki->{self}{crt}"\n}
         . qq{SSLCertificateKeyFile "$pki->{self}{key}"\n}
         . tls_host('HSTS On')],
    ['subdomains.http_only', 'error', "example.com:$T",
     'includeSubDomains, a plain vhost names app.example.com and serves it',
     plain_host() . vhost($P, 'ServerName app.example.com') . tls_host(@preload),
     'app.example.com with HSTSRedirect',
     plain_host() . vhost($P, 'ServerName app.example.com', 'HSTSRedirect On')
         . tls_host(@preload),
     "app.example.com:$P"],
    ['subdomains.http_only', 'error', "example.com:$T",
     'a plain default vhost serves content as host1.example.com, its own '
         . 'ServerName',
     $debian_default =~ s/(DocumentRoot)/ServerName host1.example.com\n    $1/r
         . $compliant,
     'the same default vhost with the ServerName of the server config '
         . '(Debian\'s 000-default.conf)',
     "ServerName host1.example.com\n" . $debian_default . $compliant,
     "host1.example.com:$P"],
    ['config.hsts.plain_vhost', 'warning', "example.com:$P",
     'HSTS On in a plain vhost',
     vhost($P, 'ServerName example.com', 'HSTS On') . tls_host('HSTS On'),
     'HSTS On in the server config, inherited',
     "HSTS On\n" . vhost($P, 'ServerName example.com') . tls_host()],
    ['config.redirect.tls_vhost', 'warning', "example.com:$T",
     'HSTSRedirect On in a TLS vhost',
     plain_host() . tls_host('HSTS On', 'HSTSRedirect On'),
     'HSTSRedirect On in the server config, inherited',
     "HSTSRedirect On\n" . vhost($P, 'ServerName example.com')
         . tls_host('HSTS On')],
    ['config.header.not_always', 'warning', "example.com:$T",
     'Header set STS without always',
     tls_host(qq{Header set Strict-Transport-Security "max-age=31536000"}),
     'Header always set STS',
     tls_host(qq{$STS "max-age=31536000"})],
    ['config.header.not_always', 'warning', "example.com:$T",
     'Header set STS without always in the server config',
     qq{Header set Strict-Transport-Security "max-age=31536000"\n} . tls_host(),
     'Header always set STS in the server config',
     qq{$STS "max-age=31536000"\n} . tls_host()],
    ['config.header.overridden', 'warning', "example.com:$T",
     'HSTS On and Header always set STS',
     tls_host('HSTS On', qq{$STS "max-age=300"}),
     'Header always set STS without HSTS',
     tls_host(qq{$STS "max-age=300"})],
    ['policy.max_age.zero', 'info', "example.com:$T",
     'HSTSMaxAge 0',
     tls_host('HSTS On', 'HSTSMaxAge 0'),
     'HSTSMaxAge 1',
     tls_host('HSTS On', 'HSTSMaxAge 1')],
);

# ------------------------------------------------------------------
# The preload checker's verdicts, as measured against it (see
# docs/preload-checker.md): configurations where it accepts the site,
# which HSTSLint Strict must accept too and whose summary must say so,
# and where it refuses it. [name, config, host, summary, codes of the
# host (class: W warning, E error, I info), options].

my $meets = 'sends "max-age=31536000; includeSubDomains; preload" and meets '
          . 'every preload requirement this server can check.';
sub blocked { return 'sends "max-age=31536000; includeSubDomains; preload"; '
                     . 'preloading is blocked by: ' . join(', ', @_) . '.' }

my @verdicts = (
    ['a single host, no www anywhere (the checker finds no www record)',
     vhost($P, 'ServerName example.com', 'HSTSRedirect On')
         . tls_vhost($T, $pki->{apex}, 'ServerName example.com', @preload),
     "example.com:$T", $meets, 'W:domain.www.unverified'],
    ['the TLS host names only example.com, its certificate covers www too',
     vhost($P, 'ServerName example.com', 'HSTSRedirect On')
         . tls_vhost($T, $pki->{good}, 'ServerName example.com', @preload),
     "example.com:$T", $meets, ''],
    ['mod_alias Redirect permanent / https://example.com/',
     vhost($P, 'ServerName example.com', 'ServerAlias www.example.com',
           'Redirect permanent / https://example.com/') . tls_host(@preload),
     "example.com:$T", $meets, ''],
    [q{certbot's RewriteRule},
     vhost($P, 'ServerName example.com', 'ServerAlias www.example.com',
           'RewriteEngine on',
           'RewriteCond %{SERVER_NAME} =example.com [OR]',
           'RewriteCond %{SERVER_NAME} =www.example.com',
           'RewriteRule ^ https://%{SERVER_NAME}%{REQUEST_URI} [END,NE,R=permanent]')
         . tls_host(@preload),
     "example.com:$T", $meets, '', modules => ['rewrite']],
    ['the README pattern: preload in the server config, apex then www',
     "HSTS On\nHSTSMaxAge 1y\nHSTSIncludeSubDomains On\nHSTSPreload On\n"
         . "HSTSRedirect On\n"
         . vhost($P, 'ServerName example.com', 'ServerAlias www.example.com')
         . tls_vhost($T, $pki->{good}, 'ServerName example.com', $redirect_www)
         . tls_vhost($T, $pki->{good}, 'ServerName www.example.com'),
     "www.example.com:$T", $meets, ''],
    [q{a plain subdomain reached only through Debian's default host},
     "ServerName host1.example.com\n" . $debian_default . $compliant,
     "example.com:$T", $meets, ''],
    ['HTTPS only on port 8443',
     [plain_host() . tls_vhost(8443, $pki->{good}, 'ServerName example.com',
                               'ServerAlias www.example.com', @preload),
      listen => [$P, 8443]],
     'example.com:8443', blocked('domain.tls.cannot_connect'),
     'E:domain.tls.cannot_connect'],
    ['Header set without always, https://example.com/ redirects to www',
     plain_host() . tls_vhost($T, $pki->{good}, 'ServerName example.com',
         qq{Header set Strict-Transport-Security "max-age=31536000; includeSubDomains; preload"},
         $redirect_www) . $www_tls,
     "example.com:$T", blocked('response.no_header'),
     'W:config.header.not_always E:response.no_header'],
    ['https://example.com/ redirects to http://www.example.com/',
     plain_host() . tls_vhost($T, $pki->{good}, 'ServerName example.com',
                              @preload, 'Redirect permanent / http://www.example.com/')
         . $www_tls,
     "example.com:$T", blocked('redirects.insecure.initial'),
     'E:redirects.insecure.initial'],
    ['an IP address as ServerName, with preload',
     vhost($P, 'ServerName 127.0.0.1', 'HSTSRedirect On')
         . tls_vhost($T, $pki->{ip}, 'ServerName 127.0.0.1', @preload),
     "127.0.0.1:$T", blocked('domain.format.is_ip_address'),
     'E:domain.format.is_ip_address'],
    ['http://example.com/ redirects to https://www.example.com/ first',
     vhost($P, 'ServerName example.com', 'ServerAlias www.example.com',
           $redirect_www) . tls_host(@preload),
     "example.com:$T", blocked('redirects.http.www_first'),
     'E:redirects.http.www_first'],
    ['the default plain host sends example.com to its own ServerName',
     vhost($P, 'ServerName static.example.com', 'HSTSRedirect On')
         . tls_vhost($T, $pki->{good}, 'ServerName example.com',
                     'ServerAlias www.example.com', @preload),
     "example.com:$T", blocked('redirects.http.first_redirect.insecure'),
     'E:redirects.http.first_redirect.insecure'],
    ['a compliant preload setup',
     $compliant, "example.com:$T", $meets, ''],
);

my %level_on = (error => 'warn', warning => 'warn', info => 'info');
my %level_strict = (error => 'error', warning => 'warn', info => 'info');

plan tests => 7 * @codes + grep({ defined $_->[7] } @codes) + 2 * @verdicts
                + 33;

# The summary line of $host in $out, or ''.
sub summary_of {
    my ($host, $out) = @_;
    my ($s) = grep { $_->{host} eq $host } summaries($out);
    return $s ? $s->{text} : '';
}

for my $case (@codes) {
    my ($code, $class, $host, $name, $bad, $good_name, $good, $other,
        %extra) = @$case;
    my ($conf, %opt) = ref $bad ? @$bad : ($bad);
    %opt = (%extra, %opt);
    my $level = $level_on{$class};
    my ($status, $out) = lint($conf, %opt, loglevel => 'info');
    my @found = finding_lines($code, undef, $out);
    my $ok = $status == 0 && $out =~ /Syntax OK\s*\z/ && @found == 1
          && $found[0]{host} eq $host && $found[0]{level} eq $level;
    ok($ok, "$name: one [$code] line for $host at $level level")
        or diag("exit $status:\n$out");
    # the whole line: date, [hsts:level], pid, the host, [code], a sentence
    like($found[0] ? $found[0]{line} : '',
         qr/^\[\w{3} \w{3} [ \d]\d [\d:.]+ \d{4}\] \[hsts:\Q$level\E\] \[pid \d+(?::tid \d+)?\] mod_hsts: \Q$host\E \[\Q$code\E\] [A-Z].{30,}[.)]$/,
         "$name: the line's format");
    # the sentence says how to fix it, or at least names something to do
    ok($found[0] && $found[0]{text} =~ /\b(?:set|add|remove|raise|renew|fix|use|get|give|check|replace|move|serve|configure|drop|change|write|name|redirect)\b/i
       && $found[0]{text} !~ /`|(?:^|[\s(])'[^']*'(?:[\s.,;:)]|$)/,
       "$name: the sentence says what to do, without single quotes or "
       . 'backticks')
        or diag($found[0] ? $found[0]{text} : 'no line');
    if (defined $other) {
        like($found[0] ? $found[0]{text} : '', qr/\Q$other\E\b/,
             "$name: the sentence names $other");
    }
    # an error stands in the way of preloading; the others do not
    my $summary = summary_of($host, $out);
    ok($class eq 'error' && $summary =~ /sends ".*; preload"/
       ? $summary =~ /preloading is blocked by: (?:.*, )?\Q$code\E(?:,|\.$)/
       : $summary !~ /blocked by: (?:.*, )?\Q$code\E(?:,|\.$)/,
       "$name: the summary line of $host "
       . ($class eq 'error' ? 'lists it when preload is asked'
                            : 'does not list it'))
        or diag($summary);

    # its class: under HSTSLint Strict an error is logged at error level
    ($status, $out) = lint("HSTSLint Strict\n" . $conf, %opt,
                           loglevel => 'info');
    @found = finding_lines($code, $host, $out);
    ok(@found == 1 && $found[0]{level} eq $level_strict{$class},
       "$name: under HSTSLint Strict at $level_strict{$class} level "
       . "($class)") or diag($out);

    ($conf, %opt) = ref $good ? @$good : ($good);
    %opt = (%extra, %opt);
    ($status, $out) = lint($conf, %opt, loglevel => 'info');
    @found = finding_lines($code, undef, $out);
    ok($status == 0 && !@found, "$good_name: no [$code]")
        or diag("exit $status:\n$out");
    unlike(summary_of($host, $out), qr/blocked by: (?:.*, )?\Q$code\E(?:,|\.$)/,
           "$good_name: not in the summary line of $host");
}

for my $v (@verdicts) {
    my ($name, $conf, $host, $summary, $codes, %opt) = @$v;
    ($conf, my %more) = ref $conf ? @$conf : ($conf);
    %opt = (%opt, %more);
    my ($status, $out) = lint("HSTSLint Strict\n" . $conf, %opt,
                              loglevel => 'info');
    my $got = join ' ', map { uc(substr($_->{level}, 0, 1)) eq 'E' ? "E:$_->{code}"
                              : $_->{level} eq 'info' ? "I:$_->{code}"
                              : "W:$_->{code}" }
                        grep { $_->{host} eq $host } findings($out);
    is("$got | " . summary_of($host, $out), "$codes | $summary",
       "$name: the findings of $host and its summary");
    # the checker's verdict: Strict accepts what it accepts
    my $accepts = $summary eq $meets;
    ok($accepts ? $status == 0 && $out =~ /Syntax OK/ : $status != 0,
       "$name: HSTSLint Strict " . ($accepts ? 'accepts it' : 'refuses it'))
        or diag($out);
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

    # Listen with a host name: httpd resolves it, the lint takes it for
    # any address
    ($status, $out) = lint("Listen localhost:$T\n" . $compliant,
                           listen => [$P]);
    is_deeply([hsts_lines($out)], [],
              'compliant, Listen localhost:443: port 443 is listened on')
        or diag($out);

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
    is_deeply([map { $_->{code} } findings($out)],
              ['redirects.http.does_not_exist'],
              'TLS only, the plain main server named like the preload host '
              . 'listens nowhere: nothing answers http://example.com/')
        or diag($out);
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
