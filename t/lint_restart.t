# SPDX-License-Identifier: Apache-2.0
# The startup lint logs every finding once per start and once per
# graceful restart (README: The startup lint), not twice because of httpd's
# two configuration passes: in the foreground, as a daemon, under
# HSTSLint On and Strict; and nothing under HSTSLint Off.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Test::More import => ['!plan'];
use Apache::Test qw(-withtestmore);
use HSTS::Httpd ();
use HSTS::Lint qw(pki vhost tls_vhost findings summaries hsts_lines said);

plan tests => 22;

my $pki = pki();

# How often each distinct mod_hsts line occurs: { "level message" => n }.
sub counts {
    my %n;
    $n{$_}++ for said(@_);
    return \%n;
}

# Whether every mod_hsts line occurs exactly $n times, and there are
# $distinct of them.
sub each_n_times {
    my ($n, $distinct, @lines) = @_;
    my $c = counts(@lines);
    my @wrong = grep { $c->{$_} != $n } sort keys %$c;
    diag("$c->{$_} times: $_") for @wrong;
    diag(scalar(keys %$c) . " distinct lines, not $distinct:\n"
         . join("\n", sort keys %$c)) if keys %$c != $distinct;
    return !@wrong && keys %$c == $distinct;
}

# Findings of several kinds and levels: two warnings of the error class,
# two of the warning class, an info finding and two summaries.
sub config {
    my ($plain, $tls, @extra) = @_;
    return join '', @extra,
        vhost($plain, 'ServerName example.com', 'HSTS On'),
        tls_vhost($tls, $pki->{self}, 'ServerName example.com', 'HSTS On',
                  'HSTSMaxAge 11y'),
        tls_vhost($tls, $pki->{good}, 'ServerName www.example.com',
                  'HSTS On', 'HSTSMaxAge 0');
}
my @expected = ('config.hsts.plain_vhost', 'tls.cert.self_signed',
                'header.preloadable.max_age.over_10_years',
                'policy.max_age.zero');
my $DISTINCT = 6;     # those 4 findings and the 2 TLS hosts' summaries

# ------------------------------------------------------------------
# Foreground, HSTSLint On (the default)
{
    my ($plain, $tls) = HSTS::Httpd::free_ports(2);
    my $server = HSTS::Httpd->start(conf => config($plain, $tls),
                                    listen => [$plain, $tls], restarts => 1,
                                    loglevel => 'info',
                                    env => $pki->{trusted});
    my @lines = $server->lines;
    is_deeply([sort map { $_->{code} } findings(@lines)], [sort @expected],
              'a start logs the expected findings')
        or diag(join '', @lines);
    is(scalar(summaries(@lines)), 2, '... and the two summaries');
    ok(each_n_times(1, $DISTINCT, @lines), '... each exactly once');

    $server->graceful;
    @lines = $server->lines;
    ok(each_n_times(2, $DISTINCT, @lines),
       'after a graceful restart: each exactly twice');
    $server->graceful;
    @lines = $server->lines;
    ok(each_n_times(3, $DISTINCT, @lines),
       'after another one: each exactly three times');
    my $log = $server->stop;
    ok(each_n_times(3, $DISTINCT, $log), 'stopping logs none of them');
}

# ------------------------------------------------------------------
# Foreground, HSTSLint Strict (with no error-class finding, so it starts)
{
    my ($plain, $tls) = HSTS::Httpd::free_ports(2);
    my $conf = "HSTSLint Strict\n"
             . vhost($plain, 'ServerName example.com', 'HSTS On')
             . tls_vhost($tls, $pki->{good}, 'ServerName example.com',
                         'ServerAlias www.example.com', 'HSTS On',
                         'HSTSMaxAge 11y');
    my $server = HSTS::Httpd->start(conf => $conf, listen => [$plain, $tls],
                                    restarts => 1, loglevel => 'info',
                                    env => $pki->{trusted});
    my @lines = $server->lines;
    is_deeply([sort map { $_->{code} } findings(@lines)],
              ['config.hsts.plain_vhost',
               'header.preloadable.max_age.over_10_years'],
              'Strict: a start logs the findings') or diag(join '', @lines);
    ok(each_n_times(1, 3, @lines), '... each exactly once');
    $server->graceful;
    ok(each_n_times(2, 3, $server->lines),
       '... and once more after a graceful restart');
}

# ------------------------------------------------------------------
# Foreground, HSTSLint Off
{
    my ($plain, $tls) = HSTS::Httpd::free_ports(2);
    my $server = HSTS::Httpd->start(conf => config($plain, $tls,
                                                   "HSTSLint Off\n"),
                                    listen => [$plain, $tls], restarts => 1,
                                    loglevel => 'info',
                                    env => $pki->{trusted});
    $server->graceful;
    is_deeply([hsts_lines($server->stop)], [],
              'HSTSLint Off: nothing logged in a start and a graceful '
              . 'restart');
}

# ------------------------------------------------------------------
# A daemon: httpd -k start, -k graceful, -k stop, -k start
{
    my ($plain, $tls) = HSTS::Httpd::free_ports(2);
    my $d = HSTS::Lint::Daemon->new(conf => config($plain, $tls),
                                    listen => [$plain, $tls],
                                    loglevel => 'info',
                                    env => $pki->{trusted});
    my ($status, $out) = $d->ctl('start');
    ok($status == 0 && $d->wait_ready(1), '-k start: the server runs')
        or diag($out);
    is_deeply([hsts_lines($out)], [],
              '... nothing of the lint on the terminal') or diag($out);
    is_deeply([sort map { $_->{code} } findings($d->log_lines)],
              [sort @expected], '... the findings in the error log')
        or diag($d->log_lines);
    ok(each_n_times(1, $DISTINCT, $d->log_lines), '... each exactly once');

    ($status, $out) = $d->ctl('graceful');
    ok($status == 0 && $d->wait_ready(2), '-k graceful: the server restarts')
        or diag($out);
    is_deeply([hsts_lines($out)], [],
              '... nothing of the lint on the terminal') or diag($out);
    ok(each_n_times(2, $DISTINCT, $d->log_lines),
       '... and each finding exactly once more in the error log');

    my $pid = $d->pid;
    ($status, $out) = $d->ctl('stop');
    ok($status == 0 && $d->wait_gone($pid), '-k stop: the server stops')
        or diag($out);
    is_deeply([hsts_lines($out)], [], '... nothing of the lint on the '
              . 'terminal') or diag($out);
    ok(each_n_times(2, $DISTINCT, $d->log_lines),
       '... nor in the error log');

    ($status, $out) = $d->ctl('start');
    ok($status == 0 && $d->wait_ready(3), '-k start again: the server runs')
        or diag($out);
    ok(each_n_times(3, $DISTINCT, $d->log_lines),
       '... each finding exactly once more');
}
