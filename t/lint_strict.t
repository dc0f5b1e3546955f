# SPDX-License-Identifier: Apache-2.0
# HSTSLint Strict (README: The startup lint): error-class findings make
# configtest and a first start fail with a clear last line, but never take
# a running server down: a restart logs them at error level and goes on
# with the new configuration, and -k stop / graceful-stop still stop it.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Test::More import => ['!plan'];
use Apache::Test qw(-withtestmore);
use HSTS::Client qw(request);
use HSTS::Httpd ();
use HSTS::Lint qw(pki vhost tls_vhost findings finding_lines hsts_lines);
use HSTS::Util qw(write_file wait_until);
use HSTS::Assert qw(sts_of);

plan tests => 51;

my $pki = pki();
my $MISSING = 'header.preloadable.include_sub_domains.missing';
my $OVER = 'header.preloadable.max_age.over_10_years';

# A preload setup whose only error is the missing includeSubDomains;
# max-age as given. Ports: plain, TLS, published as 80 and 443 (the
# plain host says so with HSTSRedirectPort 443).
sub config {
    my ($mode, $max_age, $plain, $tls, @extra) = @_;
    return "HSTSLint $mode\n"
         . vhost($plain, 'ServerName example.com',
                 'ServerAlias www.example.com', 'HSTSRedirect On',
                 'HSTSRedirectPort 443')
         . tls_vhost($tls, $pki->{good}, 'ServerName example.com',
                     'ServerAlias www.example.com', 'HSTS On',
                     "HSTSMaxAge $max_age", 'HSTSPreload On', @extra);
}

# The STS header the TLS host sends.
sub sts_sent {
    my ($port) = @_;
    return sts_of(request(port => $port, tls => 1, host => 'example.com',
                          target => '/static.txt', ca => $pki->{ca}{crt}));
}

# The last non-empty lines of some output.
sub last_lines {
    my ($out, $n) = @_;
    my @l = grep { /\S/ } split /\n/, $out;
    return @l[-$n .. -1];
}

# ------------------------------------------------------------------
# configtest
{
    my ($status, $out) = HSTS::Httpd::config_test(
        config('Strict', '11y', 8080, 8443), listen => [8080, 8443],
        env => $pki->{trusted});
    ok($status != 0, 'Strict with an error finding: configtest fails')
        or diag($out);
    my @e = finding_lines($MISSING, 'example.com:8443', $out);
    ok(@e == 1 && $e[0]{level} eq 'error',
       'the error finding is logged at error level') or diag($out);
    my @w = finding_lines($OVER, 'example.com:8443', $out);
    ok(@w == 1 && $w[0]{level} eq 'warn',
       'a warning finding stays at warn level') or diag($out);
    my ($strict, $failed) = last_lines($out, 2);
    like($strict, qr/mod_hsts: HSTSLint Strict: 1 error finding above\. .*HSTSLintIgnore.*HSTSLint On/,
         'the last lines: how many errors, and what to do about them');
    like($failed, qr/Configuration check failed/,
         '... then httpd says the configuration check failed');
    unlike($out, qr/Syntax OK/, '... and not Syntax OK');

    ($status, $out) = HSTS::Httpd::config_test(
        config('Strict', '1y', 8080, 8443, 'HSTSIncludeSubDomains On',
               'HSTSMaxAge 11y'),
        listen => [8080, 8443], env => $pki->{trusted});
    ok($status == 0 && $out =~ /Syntax OK/,
       'Strict with only warning findings: configtest succeeds')
        or diag($out);
    is(scalar(finding_lines($OVER, 'example.com:8443', $out)), 1,
       '... and prints the warning') or diag($out);

    ($status, $out) = HSTS::Httpd::config_test(
        config('Strict', '1y', 8080, 8443, "HSTSLintIgnore $MISSING"),
        listen => [8080, 8443], env => $pki->{trusted});
    ok($status == 0 && $out =~ /Syntax OK/ && !findings($out),
       'Strict with the error code ignored in its host: configtest '
       . 'succeeds, silent') or diag($out);

    ($status, $out) = HSTS::Httpd::config_test(
        "HSTSLintIgnore $MISSING\n" . config('Strict', '1y', 8080, 8443),
        listen => [8080, 8443], env => $pki->{trusted});
    ok($status == 0 && $out =~ /Syntax OK/,
       'Strict with the error code ignored in the server config: '
       . 'configtest succeeds') or diag($out);

    ($status, $out) = HSTS::Httpd::config_test(
        config('On', '1y', 8080, 8443), listen => [8080, 8443],
        env => $pki->{trusted});
    ok($status == 0 && $out =~ /Syntax OK/,
       'HSTSLint On with the same error: configtest succeeds') or diag($out);
    my @on = finding_lines($MISSING, 'example.com:8443', $out);
    ok(@on == 1 && $on[0]{level} eq 'warn',
       '... the finding at warn level') or diag($out);

    ($status, $out) = HSTS::Httpd::config_test(
        config('Strict', '1y', 8080, 8443) . "HSTSLint Off\n",
        listen => [8080, 8443], env => $pki->{trusted});
    ok($status == 0 && !hsts_lines($out),
       'HSTSLint Off (the last setting wins): no lint at all') or diag($out);
}

# ------------------------------------------------------------------
# A first start in the foreground
{
    my ($plain, $tls) = HSTS::Httpd::free_ports(2);
    my $server = eval {
        HSTS::Httpd->start(conf => config('Strict', '1y', $plain, $tls),
                           listen => [$plain, $tls], env => $pki->{trusted})
    };
    my $err = $@;
    ok(!$server && $err =~ /httpd did not start/,
       'Strict with an error finding: a first start fails');
    like($err, qr/\[hsts:error\] .*mod_hsts: example\.com:$tls \[\Q$MISSING\E\]/,
         '... logging the error finding at error level');
    like($err, qr/mod_hsts: HSTSLint Strict: 1 error finding above/,
         '... and why it does not start');
    unlike($err, qr/resuming normal operations/, '... before serving');

    # Strict with warnings only starts, and logs each finding once
    $server = HSTS::Httpd->start(
        conf => config('Strict', '11y', $plain, $tls,
                       'HSTSIncludeSubDomains On'),
        listen => [$plain, $tls], env => $pki->{trusted});
    ok($server, 'Strict with only warning findings: the server starts');
    my @w = finding_lines($OVER, "example.com:$tls", $server->lines);
    ok(@w == 1 && $w[0]{level} eq 'warn',
       '... and logs the warning once, at warn level')
        or diag(join '', $server->lines);
    $server->stop;
}

# ------------------------------------------------------------------
# A graceful restart of a running server into a configuration with
# errors under Strict: logged at error level, and the server goes on with
# the new configuration.
{
    my ($plain, $tls) = HSTS::Httpd::free_ports(2);
    my $server = HSTS::Httpd->start(
        conf => config('On', '1y', $plain, $tls), listen => [$plain, $tls],
        env => $pki->{trusted}, restarts => 1);
    my @before = finding_lines($MISSING, "example.com:$tls", $server->lines);
    ok(@before == 1 && $before[0]{level} eq 'warn',
       'HSTSLint On: the running server logged the finding at warn level');
    is(sts_sent($tls), 'max-age=31536000; preload', 'it sends its policy');

    my $seen = () = $server->lines;
    $server->reconfigure(config('Strict', '2y', $plain, $tls));
    $server->graceful(old_gone => 1);
    my @all = $server->lines;
    my @after = @all[$seen .. $#all];
    my @e = finding_lines($MISSING, "example.com:$tls", @after);
    ok(@e == 1 && $e[0]{level} eq 'error',
       'graceful restart into Strict with an error: logged once, at error '
       . 'level') or diag(join '', @after);
    ok(!grep({ /HSTSLint Strict: \d+ error/ } @after),
       '... without the fatal Strict line');
    # a child the old generation started while the signal was on its way
    # may still answer for a moment: wait until the new ones do
    my $sts;
    wait_until(sub { ($sts = sts_sent($tls)) eq 'max-age=63072000; preload' });
    is($sts, 'max-age=63072000; preload',
       '... and the server goes on, with the new configuration');
    my $res = request(port => $plain, host => 'example.com',
                      target => '/static.txt');
    is($res->{status}, 301, '... on its plain-HTTP side too');
    $server->stop;
}

# ------------------------------------------------------------------
# A daemon, as apachectl drives it: -k start, graceful, stop.
{
    my ($plain, $tls) = HSTS::Httpd::free_ports(2);
    my $d = HSTS::Lint::Daemon->new(conf => config('Strict', '1y', $plain,
                                                   $tls),
                                    listen => [$plain, $tls],
                                    env => $pki->{trusted});
    my ($status, $out) = $d->ctl('start');
    ok($status != 0, '-k start with Strict and an error finding fails')
        or diag($out);
    like($out, qr/\[hsts:error\] .*\[\Q$MISSING\E\]/,
         '... printing the error finding') or diag($out);
    like((last_lines($out, 2))[0], qr/HSTSLint Strict: 1 error finding/,
         '... and the Strict line last but one') or diag($out);
    ok(!-e $d->pid_file, '... and no server runs');

    $d->reconfigure(config('On', '1y', $plain, $tls));
    ($status, $out) = $d->ctl('start');
    ok($status == 0 && $d->wait_ready(1),
       '-k start with HSTSLint On: the server runs') or diag($out);
    my $pid = $d->pid;

    $d->reconfigure(config('Strict', '2y', $plain, $tls));
    ($status, $out) = $d->ctl('graceful');
    ok($status == 0, '-k graceful into Strict with an error: the signal is '
       . 'sent') or diag($out);
    ok(!findings($out), '... the signalling process lints nothing')
        or diag($out);
    ok($d->wait_ready(2), '... the server restarts') or diag($d->log_lines);
    my @e = finding_lines($MISSING, "example.com:$tls", $d->log_lines);
    ok(@e == 2 && $e[0]{level} eq 'warn' && $e[1]{level} eq 'error',
       '... and logs the finding again, now at error level')
        or diag($d->log_lines);
    is($d->pid, $pid, '... the same server');
    # a child of the old generation may still answer for a moment (for
    # seconds under valgrind): wait until the new ones do
    my $sts;
    wait_until(sub { ($sts = sts_sent($tls)) eq 'max-age=63072000; preload' });
    is($sts, 'max-age=63072000; preload',
       '... serving the new configuration');

    ($status, $out) = $d->ctl('restart');
    ok($status == 0 && $d->wait_ready(3),
       '-k restart with the same configuration: the server restarts')
        or diag($out);
    is(sts_sent($tls), 'max-age=63072000; preload', '... and serves');

    ($status, $out) = $d->ctl('stop');
    ok($status == 0, '-k stop with Strict and an error finding: the signal '
       . 'is sent') or diag($out);
    ok($d->wait_gone($pid), '... and the server stops')
        or diag($d->log_lines);
    ok($d->log_count(qr/caught SIGTERM, shutting down/) == 1,
       '... as told');

    # graceful-stop, likewise
    $d->reconfigure(config('On', '1y', $plain, $tls));
    ($status, $out) = $d->ctl('start');
    ok($status == 0 && $d->wait_ready(4), 'started again') or diag($out);
    $pid = $d->pid;
    $d->reconfigure(config('Strict', '1y', $plain, $tls));
    ($status, $out) = $d->ctl('graceful-stop');
    ok($status == 0, '-k graceful-stop with Strict and an error finding: '
       . 'the signal is sent') or diag($out);
    ok($d->wait_gone($pid), '... and the server stops')
        or diag($d->log_lines);
}

# ------------------------------------------------------------------
# Strict never refuses what the preload checker accepts (README: What the
# lint can and cannot see): the README's apex-then-www pattern, where the
# www host repeats the server-wide preload token, starts; the one
# exception is a real lockout the checker cannot probe, a subdomain that a
# plain host names and serves only over plain HTTP under
# includeSubDomains.
{
    my ($plain, $tls) = (HSTS::Httpd::free_port(), HSTS::Httpd::free_port());
    my $readme = "HSTSLint Strict\nHSTS On\nHSTSMaxAge 1y\n"
        . "HSTSIncludeSubDomains On\nHSTSPreload On\nHSTSRedirect On\n"
        . "HSTSRedirectPort 443\n"
        . vhost($plain, 'ServerName example.com', 'ServerAlias www.example.com')
        . tls_vhost($tls, $pki->{good}, 'ServerName example.com',
                    'Redirect permanent / https://www.example.com/')
        . tls_vhost($tls, $pki->{good}, 'ServerName www.example.com');
    my $server = eval {
        HSTS::Httpd->start(conf => $readme, listen => [$plain, $tls],
                           modules => ['alias'], loglevel => 'info',
                           env => $pki->{trusted})
    };
    ok($server, 'Strict, the README pattern (apex redirects to www, both '
       . 'with preload): the server starts') or diag($@);
    my @lines = $server ? $server->lines : ();
    ok(!findings(@lines), '... with no finding at all')
        or diag(join '', @lines);
    is_deeply([sort map { /mod_hsts: (\S+) sends .* meets every preload/
                          ? $1 : () } @lines],
              ["example.com:$tls", "www.example.com:$tls"],
              '... both hosts meet every preload requirement')
        or diag(join '', @lines);
    is(sts_sent($tls), 'max-age=31536000; includeSubDomains; preload',
       '... and it serves');
    $server->stop if $server;

    my $lockout = $readme
        . vhost($plain, 'ServerName blog.example.com', 'HSTSRedirect Off');
    my ($status, $out) = HSTS::Httpd::config_test(
        $lockout, listen => [$plain, $tls], modules => ['alias'],
        env => $pki->{trusted});
    my @e = finding_lines('subdomains.http_only', "example.com:$tls", $out);
    ok($status != 0 && @e == 1 && $e[0]{level} eq 'error',
       'Strict, a plain host names blog.example.com and serves it without '
       . 'HTTPS under includeSubDomains: refused (subdomains.http_only)')
        or diag($out);
    like($e[0] ? $e[0]{text} : '', qr/blog\.example\.com:$plain\b/,
         '... naming the plain host');
}

# A stale pid file (no such process) does not make a first start a
# restart: Strict still stops it.
{
    my ($plain, $tls) = HSTS::Httpd::free_ports(2);
    my $d = HSTS::Lint::Daemon->new(conf => config('Strict', '1y', $plain,
                                                   $tls),
                                    listen => [$plain, $tls],
                                    env => $pki->{trusted});
    # a pid that cannot be a running process
    write_file($d->pid_file, "4194305\n");
    my ($status, $out) = $d->ctl('start');
    ok($status != 0 && $out =~ /HSTSLint Strict: 1 error finding/,
       'a stale pid file: -k start with Strict and an error still fails')
        or diag($out);
}
