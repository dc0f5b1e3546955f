# SPDX-License-Identifier: Apache-2.0
# What the lint learns of certificates is reused (README: The startup
# lint): kept by httpd's parent across graceful restarts, and carried to
# a new process such as `apache2 -t` in mod_hsts-certificates.cache in
# httpd's runtime directory, each result keyed by the content it was
# worked out from. It must never report a stale result: a certificate
# file replaced at the same path, a chain file or trust store that
# changed, the passing of time (31 days left, then 29, then expired), a
# cache file that other users could write, a damaged one, or one from an
# older run are all reported as they are now.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use File::Copy qw(copy);
use File::Spec::Functions qw(catfile);
use Test::More import => ['!plan'];
use Apache::Test qw(-withtestmore);
use HSTS::Assert qw(no_crash);
use HSTS::Certs qw(make_cert make_intermediate);
use HSTS::Clock ();
use HSTS::Httpd ();
use HSTS::Lint qw(pki vhost tls_vhost findings said);
use HSTS::Util qw(read_file write_file);

HSTS::Clock::lib_or_fail();
plan tests => 86;

my $pki = pki();
my $dir = HSTS::Httpd::new_dir();
my @names = ('ServerName example.com', 'ServerAlias www.example.com');
my @preload = ('HSTS On', 'HSTSMaxAge 1y', 'HSTSIncludeSubDomains On',
               'HSTSPreload On');
my $now = time;

# The intermediate of via_inter's chain made again: the same name, another
# key, so the leaf's signature does not verify with it.
my $wrong_inter = make_intermediate(catfile($dir, 'wrong-inter'),
                                    ca => $pki->{ca});
my %cert = (
    %$pki,
    # 31 and a half days left: 29 and a half two days later. Half days keep
    # the whole days steady while the test runs.
    month => make_cert(catfile($dir, 'certs'), 'month', ca => $pki->{ca},
                       sans => ['example.com', 'www.example.com'],
                       not_after => $now + 31 * 86400 + 43200),
    # valid a day and a half from now
    soon_valid => make_cert(catfile($dir, 'certs'), 'soon_valid',
                            ca => $pki->{ca},
                            sans => ['example.com', 'www.example.com'],
                            not_before => $now + 86400 + 43200),
);
# Leaves whose intermediate (after them in the file) ends a day and a
# half from now, or begins then: their chains verify, dates aside.
for my $when (['inter_ends', not_after => $now + 86400 + 43200],
              ['inter_starts', not_before => $now + 86400 + 43200]) {
    my ($name, %dates) = @$when;
    my $inter = make_intermediate(catfile($dir, $name), ca => $pki->{ca},
                                  cn => "intermediate $name", %dates);
    my $leaf = make_cert(catfile($dir, 'certs'), $name, ca => $inter,
                         sans => ['example.com', 'www.example.com']);
    $cert{$name} = { text => read_file($leaf->{crt}) . read_file($inter->{crt}),
                     key => $leaf->{key} };
}
# via_inter's leaf, alone and with the wrong intermediate after it
$cert{leaf_only} = { crt => $pki->{via_inter}{crt},
                     key => $pki->{via_inter}{key} };
$cert{wrong_chain} = { text => read_file($pki->{via_inter}{crt})
                                . read_file($wrong_inter->{crt}),
                       key => $pki->{via_inter}{key} };

# The trust store, a file whose content the test changes.
my $trust = catfile($dir, 'trust.pem');
write_file($trust, read_file($pki->{ca}{crt}));
my %trusted = (SSL_CERT_FILE => $trust,
               SSL_CERT_DIR => $pki->{trusted}{SSL_CERT_DIR});

# The codes of the certificate checks.
my $CERT_CODE = qr/^(?:tls\.cert\.\w+|domain\.tls\.(?:invalid_cert_chain|sha1))$/;

# A certificate (and key) file of the test's own, at a path that stays.
sub site {
    my ($name) = @_;
    return { crt => catfile($dir, "$name.crt"), key => catfile($dir, "$name.key") };
}

# Puts $c's content (a make_cert() result, or { text, key }) at the
# site's paths: the certificate file changes, its path does not.
sub install {
    my ($site, $c) = @_;
    write_file($site->{crt}, $c->{text} // read_file($c->{crt}));
    write_file($site->{key}, read_file($c->{key}));
}

# The certificate findings of each host in httpd's output:
# { "name:port" => [codes, sorted] }, a key for each of @hosts.
sub cert_codes {
    my ($hosts, @output) = @_;
    my %by = map { ($_ => []) } @$hosts;
    for my $f (findings(@output)) {
        push @{ $by{ $f->{host} } }, $f->{code}
            if exists $by{ $f->{host} } && $f->{code} =~ $CERT_CODE;
    }
    return { map { ($_ => [sort @{ $by{$_} }]) } keys %by };
}

# The mod_hsts lines of the output, for a diagnostic.
sub shown_lint { return join("\n", said(@_)) . "\n" }

# What mod_hsts logged above the debug level (the debug lines say how
# much was taken from the cache, which differs from run to run).
sub logged { return grep { !/^debug / } said(@_) }

# ------------------------------------------------------------------
# Graceful restarts of a running server: each generation's findings
# follow the files and the clock, not what the last generation learnt.

# A server with a TLS host with preload intent on a port of its own for
# each site (and a plain host that redirects). Returns the server and the
# hosts' "name:port".
sub serve {
    my ($env, @sites) = @_;
    my ($plain, @tls) = HSTS::Httpd::free_ports(1 + @sites);
    my $conf = vhost($plain, @names, 'HSTSRedirect On');
    $conf .= tls_vhost($tls[$_], $sites[$_], @names, @preload) for 0 .. $#sites;
    my $server = HSTS::Httpd->start(listen => [$plain, @tls], restarts => 1,
                                    env => $env, conf => $conf);
    return ($server, [map { "example.com:$_" } @tls]);
}

# One test: the certificate findings of the hosts in @output are
# @want (an array of codes per host); and one that each of them names
# its host's certificate file.
sub findings_are {
    my ($hosts, $sites, $want, $name, @output) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my %want = map { ($hosts->[$_] => [sort @{ $want->[$_] }]) } 0 .. $#$hosts;
    is_deeply(cert_codes($hosts, @output), \%want, $name)
        or diag(shown_lint(@output));
    my @unnamed;
    for my $i (0 .. $#$hosts) {
        push @unnamed, map { $_->{line} }
            grep { $_->{host} eq $hosts->[$i] && $_->{code} =~ $CERT_CODE
                   && index($_->{text}, $sites->[$i]{crt}) < 0 }
            findings(@output);
    }
    is_deeply(\@unnamed, [], "$name: each finding names the certificate file");
}

# 1. The certificate file replaced at the same path.
{
    my $site = site('changing');
    install($site, $cert{good});
    my ($server, $hosts) = serve({ %trusted }, $site);
    my @sites = ($site);
    findings_are($hosts, \@sites, [[]], 'a valid certificate: no finding',
                 $server->lines);
    for my $step (['self', ['tls.cert.self_signed', 'domain.tls.invalid_cert_chain'],
                   'replaced by a self-signed one'],
                  [undef, ['tls.cert.self_signed', 'domain.tls.invalid_cert_chain'],
                   'another graceful restart, nothing changed'],
                  ['apex', ['tls.cert.name_mismatch'],
                   'replaced by one that does not cover www.example.com'],
                  ['expired', ['tls.cert.expired'], 'replaced by an expired one'],
                  ['good', [], 'the valid certificate back']) {
        my ($c, $want, $name) = @$step;
        install($site, $cert{$c}) if $c;
        # what apachectl graceful does: a configtest, then the signal
        my $t = $server->configtest;
        findings_are($hosts, \@sites, [$want], "$name: configtest", $t->{out});
        findings_are($hosts, \@sites, [$want], "$name: graceful restart",
                     $server->graceful);
    }
    $server->stop;
    no_crash($server, 'changed certificate file: no child crashed');
}

# 2. The chain: in the certificate file, in SSLCertificateChainFile, and
# the trust store it is verified against.
{
    my $in_file = site('chained');
    install($in_file, $cert{chained});
    my $leaf = site('leaf');
    install($leaf, $cert{leaf_only});
    $leaf->{chain} = catfile($dir, 'chain.pem');
    write_file($leaf->{chain}, read_file($pki->{inter}{crt}));
    my @sites = ($in_file, $leaf);
    my ($server, $hosts) = serve({ %trusted }, @sites);
    my $bad = ['domain.tls.invalid_cert_chain'];
    findings_are($hosts, \@sites, [[], []],
                 'leaf and intermediate in the file, or in a chain file: '
                 . 'no finding', $server->lines);

    install($in_file, $cert{wrong_chain});
    findings_are($hosts, \@sites, [$bad, []],
                 'the file with the wrong intermediate: invalid chain',
                 $server->graceful);
    install($in_file, $cert{leaf_only});
    findings_are($hosts, \@sites, [$bad, []],
                 'the file with no intermediate: invalid chain',
                 $server->graceful);
    install($in_file, $cert{chained});
    findings_are($hosts, \@sites, [[], []], 'the file as it was: no finding',
                 $server->graceful);

    write_file($leaf->{chain}, read_file($wrong_inter->{crt}));
    my @restart = $server->graceful;
    findings_are($hosts, \@sites, [[], $bad],
                 'the chain file with the wrong intermediate (the '
                 . 'certificate file unchanged): invalid chain', @restart);
    like(join('', @restart), qr/with its configured chain in \Q$leaf->{chain}\E .*Configure the intermediate certificates in SSLCertificateChainFile \Q$leaf->{chain}\E\./,
         'the finding names the chain file, where the fix goes');
    write_file($leaf->{chain}, read_file($pki->{inter}{crt}));
    findings_are($hosts, \@sites, [[], []],
                 'the chain file as it was: no finding', $server->graceful);

    write_file($trust, read_file($pki->{untrusted}{SSL_CERT_FILE}));
    findings_are($hosts, \@sites, [$bad, $bad],
                 'SSL_CERT_FILE with another CA: invalid chains',
                 $server->graceful);
    write_file($trust, read_file($pki->{ca}{crt}));
    findings_are($hosts, \@sites, [[], []],
                 'SSL_CERT_FILE as it was: no finding', $server->graceful);
    $server->stop;
    no_crash($server, 'changed chains: no child crashed');
}

# 3. Time: the same files, the server's clock moved between generations.
{
    my $clock = HSTS::Clock->new(HSTS::Httpd::new_dir());
    my @sites = ($cert{month}, $cert{soon_valid}, site('inter_ends'),
                 site('inter_starts'));
    install($sites[2], $cert{inter_ends});
    install($sites[3], $cert{inter_starts});
    my $bad_chain = ['domain.tls.invalid_cert_chain'];
    my ($server, $hosts) = serve({ %{ $clock->env }, %trusted }, @sites);
    findings_are($hosts, \@sites,
                 [[], ['tls.cert.not_yet_valid'], [], $bad_chain],
                 '31 days left: no finding; not valid yet: reported; an '
                 . 'intermediate not valid yet: invalid chain',
                 $server->lines);
    findings_are($hosts, \@sites,
                 [[], ['tls.cert.not_yet_valid'], [], $bad_chain],
                 'a graceful restart the same day: the same',
                 $server->graceful);
    $clock->set(2);
    my @two_days = $server->graceful;
    findings_are($hosts, \@sites,
                 [['tls.cert.expires_soon'], [], $bad_chain, []],
                 'two days later, 29 days left: expires soon; valid now; '
                 . 'the intermediate ended: invalid chain; the other began',
                 @two_days);
    like(join('', @two_days),
         qr/\Q$sites[2]{crt}\E .*only through \S*CN=intermediate inter_ends, which expired on /,
         'the expired intermediate is named, with its date');
    $clock->set(33);
    findings_are($hosts, \@sites,
                 [['tls.cert.expired'], [], $bad_chain, []],
                 '33 days later: expired', $server->graceful);
    $server->stop;
    no_crash($server, 'moved clock: no child crashed');
}

# ------------------------------------------------------------------
# `apache2 -t` and the cache file it finds in the runtime directory.

my $ct_dir = HSTS::Httpd::new_dir();
my $cache = catfile($ct_dir, 'mod_hsts-certificates.cache');
my $stale = site('stale');
install($stale, $cert{good});
# port => [certificate, its findings]
my %ct_hosts = (
    443  => [$cert{good}, []],
    8441 => [$cert{self}, ['tls.cert.self_signed', 'domain.tls.invalid_cert_chain']],
    8442 => [$cert{expired}, ['tls.cert.expired']],
    8443 => [$cert{apex}, ['tls.cert.name_mismatch']],
    8444 => [$cert{leaf_only}, ['domain.tls.invalid_cert_chain']],
    8445 => [$cert{chained}, []],
    8446 => [$cert{month}, []],
    8447 => [$stale, []],
);
my @ct_ports = sort { $a <=> $b } keys %ct_hosts;
my @ct_ids = map { "example.com:$_" } @ct_ports;
# LogLevel hsts:debug: the lint says how much it took from the cache
my $ct_conf = "LogLevel hsts:debug\n" . vhost(80, @names, 'HSTSRedirect On')
            . join '', map { tls_vhost($_, $ct_hosts{$_}[0], @names, @preload) }
                           @ct_ports;

# httpd -t in $ct_dir (its runtime directory) with the test's trust
# store and the environment variables in %env; returns its output.
sub configtest {
    my (%env) = @_;
    my $r = HSTS::Httpd::config_check($ct_conf, dir => $ct_dir,
                                      listen => [80, @ct_ports],
                                      env => { %trusted, %env });
    return $r->{out};
}

# The findings expected, with the changes in %diff (port => codes).
sub expected {
    my (%diff) = @_;
    my %want = map { ("example.com:$_" => [sort @{ $ct_hosts{$_}[1] }]) } @ct_ports;
    $want{"example.com:$_"} = [sort @{ $diff{$_} }] for keys %diff;
    return \%want;
}

# One test: the output's certificate findings are the expected ones.
sub right {
    my ($out, $name, %diff) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    return is_deeply(cert_codes(\@ct_ids, $out), expected(%diff), $name)
        || diag(shown_lint($out));
}

# The refusal of a cache file that others could write.
my $REFUSED = qr/^\S.*\[hsts:warn\] .*mod_hsts: The certificate cache file \Q$cache\E is writable by other users than its owner, so the lint did not use it: it checked every certificate again and replaces the file with one only its owner can write\. Check who else can write to httpd's runtime directory \(DefaultRuntimeDir\)\.$/m;

# What the lint parsed and verified itself rather than take from the
# cache (LogLevel hsts:debug): undef when it does not say.
sub work_done {
    my ($out) = @_;
    return $out =~ /mod_hsts: certificates: \d+ files read, (\d+) parsed, (\d+) certificates parsed, (\d+) chains verified/
        ? $1 + $2 + $3 : undef;
}

# 4a. Two runs, the same lines; the clock moved, the dates checked again.
{
    ok(!-e $cache, 'no cache file before the first configtest');
    my $first = configtest();
    right($first, 'first configtest: the findings');
    my @st = stat $cache;
    ok(@st && -f _ && $st[4] == $> && !($st[2] & 022),
       'it leaves the cache file in the runtime directory, owned by its '
       . 'user and writable by no one else')
        or diag(@st ? sprintf('uid %d, mode %o', $st[4], $st[2] & 07777)
                    : "$cache: $!");
    my $second = configtest();
    is_deeply([logged($second)], [logged($first)],
              'second configtest: the same lines');
    my $clock = HSTS::Clock->new($ct_dir);
    $clock->set(2);
    right(configtest(%{ $clock->env }),
          'two days later: the certificate with 29 days left expires soon',
          8446 => ['tls.cert.expires_soon']);
    $clock->set(33);
    right(configtest(%{ $clock->env }), '33 days later: it has expired',
          8446 => ['tls.cert.expired']);
    is_deeply([logged(configtest())], [logged($first)],
              'with the real clock again: the first lines');
}

# 4b. Cache files not to be trusted: refused, or ignored.
{
    my $good = read_file($cache);
    my $out = configtest();
    is(work_done($out), 0, 'control: the cache file only its owner can '
       . 'write is used: nothing parsed or verified again')
        or diag(shown_lint($out));

    for my $mode (0660, 0606) {
        write_file($cache, $good);
        chmod $mode, $cache;
        my $out = configtest();
        like($out, $REFUSED, sprintf('mode %04o: refused with a warning that '
                                     . 'says why, where and what to do', $mode));
        ok(work_done($out), sprintf('mode %04o: not used: every certificate '
                                    . 'checked again', $mode))
            or diag(shown_lint($out));
        right($out, sprintf('mode %04o: the findings are right', $mode));
        ok(!((stat $cache)[2] & 022),
           sprintf('mode %04o: replaced by a file only its owner can write',
                   $mode));
    }

    my $damaged = $good;
    substr($damaged, int(length($good) / 2), 1) ^= "\x01";
    for my $bad (['truncated', substr($good, 0, int(length($good) / 2))],
                 ['damaged (one byte changed)', $damaged],
                 ['garbage', join('', map { chr int rand 256 } 1 .. 4096)],
                 ['empty', '']) {
        my ($what, $text) = @$bad;
        write_file($cache, $text);
        chmod 0600, $cache;
        my $out = configtest();
        right($out, "$what cache file: ignored: the findings are right");
        ok(work_done($out), "$what: not used: every certificate checked again")
            or diag(shown_lint($out));
        unlike($out, qr/\[hsts:(?:warn|error|crit|alert|emerg)\] .*cache file/,
               "$what: no warning about it")
            or diag(shown_lint($out));
    }
    like(read_file($cache), qr/\Amod_hsts certificate cache\n/,
         'a cache file written anew after them');
}

# 4c. A cache file from an older run, the certificate changed since; the
# trust store changed since.
{
    my $out = configtest();
    right($out, 'the valid certificate');
    my $old_good = read_file($cache);

    install($stale, $cert{self});
    right(configtest(), 'replaced by a self-signed one: reported',
          8447 => ['tls.cert.self_signed', 'domain.tls.invalid_cert_chain']);
    my $old_self = read_file($cache);

    write_file($cache, $old_good);
    chmod 0600, $cache;
    right(configtest(), 'with the cache file of the valid one: still reported',
          8447 => ['tls.cert.self_signed', 'domain.tls.invalid_cert_chain']);

    install($stale, $cert{good});
    write_file($cache, $old_self);
    chmod 0600, $cache;
    right(configtest(), 'the valid one back, with the cache file of the '
          . 'self-signed one: no finding');

    write_file($trust, read_file($pki->{untrusted}{SSL_CERT_FILE}));
    right(configtest(), 'SSL_CERT_FILE with another CA: no chain verifies',
          map { ($_ => [@{ $ct_hosts{$_}[1] },
                        ($_ == 8441 || $_ == 8444 ? ()
                                                  : 'domain.tls.invalid_cert_chain')]) }
              @ct_ports);
    write_file($trust, read_file($pki->{ca}{crt}));
    right(configtest(), 'SSL_CERT_FILE as it was: the findings as they were');
}
