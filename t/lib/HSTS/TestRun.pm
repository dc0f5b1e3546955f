# SPDX-License-Identifier: Apache-2.0
package HSTS::TestRun;
# Apache::Test's runner, with what mod_hsts's suite needs on top: test
# certificates made before the configuration is generated, the MPM chosen
# by HSTS_TEST_MPM (event, worker or prefork; default event), and every
# listener bound to loopback only.
use strict;
use warnings FATAL => 'all';

use parent 'Apache::TestRun';

use File::Path qw(make_path);
use File::Spec::Functions qw(catfile rel2abs);
use HSTS::Certs ();

sub pre_configure {
    my $self = shift;
    $self->SUPER::pre_configure();
    # run() has made the top directory the current one
    HSTS::Certs::make_test_pki(catfile('t', 'pki'));
}

# Apache::Test "inherits" a system httpd configuration; Debian's cannot be
# read without envvars, so the suite inherits a generated one that loads
# only the MPM. t/conf/httpd.conf.in loads every other module itself.
sub new_test_config {
    my $self = shift;
    my $mpm = $ENV{HSTS_TEST_MPM} || 'event';
    die "HSTS_TEST_MPM must be event, worker or prefork\n"
        unless $mpm =~ /^(event|worker|prefork)$/;
    my $apxs = $self->{conf_opts}{apxs} || 'apxs';
    chomp(my $libexecdir = qx{$apxs -q LIBEXECDIR});
    die "cannot ask $apxs for LIBEXECDIR\n" if $? || !$libexecdir;

    my $dir = rel2abs(catfile('t', 'logs'));
    make_path($dir);
    my $inherit = catfile($dir, 'inherit.conf');
    open my $fh, '>', $inherit or die "$inherit: $!";
    print $fh qq{LoadModule mpm_${mpm}_module "$libexecdir/mod_mpm_$mpm.so"\n};
    close $fh or die "$inherit: $!";

    $self->{conf_opts}{httpd_conf} = $inherit;
    return HSTS::TestConfig->new($self->{conf_opts});
}

# ------------------------------------------------------------------
# Valgrind (opt-in, robustness/valgrind.sh): with HSTS_TEST_VALGRIND=<log
# directory> in the environment, every httpd of the suite runs under
# valgrind memcheck, each process logging to a file of its own there:
# the main server in single-process mode (httpd -X), and the servers the
# tests start themselves through HSTS::Httpd likewise (those that restart
# as a real multi-process server, every process under valgrind).
# HSTS_TEST_VALGRIND_SUPP: a suppressions file; HSTS_TEST_VALGRIND_OPTS:
# more valgrind options (split on white space). Off when unset.

sub valgrind_dir {
    my $dir = $ENV{HSTS_TEST_VALGRIND};
    return defined $dir && length $dir ? $dir : undef;
}

# The valgrind command line (a list) that goes before httpd's, with the
# log files named after $tag (and the test file that runs it); empty when
# valgrind is off.
sub valgrind_command {
    my ($tag) = @_;
    my $dir = valgrind_dir() or return ();
    make_path($dir);
    (my $test = $0) =~ s{.*/}{};
    $test =~ s/[^A-Za-z0-9_.-]/_/g;
    $tag =~ s/[^A-Za-z0-9_.-]/_/g;
    my @cmd = ('valgrind', '--tool=memcheck', '--leak-check=full',
               '--show-leak-kinds=definite,possible',
               '--errors-for-leak-kinds=definite',
               # modules are unloaded before the leak check: keep their
               # symbols, so that a leak's stack still names mod_hsts
               '--keep-debuginfo=yes', '--num-callers=40', '--error-limit=no',
               '--log-file=' . catfile(rel2abs($dir), "$test.$tag.%p.log"));
    my $supp = $ENV{HSTS_TEST_VALGRIND_SUPP};
    push @cmd, '--suppressions=' . rel2abs($supp) if $supp;
    push @cmd, split ' ', ($ENV{HSTS_TEST_VALGRIND_OPTS} // '');
    return @cmd;
}

package HSTS::TestConfig;

use parent 'Apache::TestConfig';

# @libexecdir@ in the templates: where httpd's own modules are.
sub generate_httpd_conf {
    my $self = shift;
    $self->{vars}{libexecdir} ||= $self->apxs('LIBEXECDIR');
    my @ret = $self->SUPER::generate_httpd_conf(@_);
    $self->seed_from_urandom if HSTS::TestRun::valgrind_dir();
    return wantarray ? @ret : $ret[0];
}

# Under valgrind: mod_ssl's "SSLRandomSeed ... builtin" feeds OpenSSL
# some bytes of an uninitialised stack buffer on purpose, which makes
# every key, and so every byte decrypted from a client, "uninitialised"
# to memcheck: thousands of false errors wherever httpd or a module looks
# at a request over TLS. Seeding from /dev/urandom instead keeps them out.
sub seed_from_urandom {
    my $self = shift;
    my $file = $self->{vars}{t_conf_file};
    open my $in, '<', $file or die "$file: $!";
    my $text = do { local $/; <$in> };
    close $in;
    $text =~ s{^(\s*SSLRandomSeed\s+\w+\s+)builtin\s*$}
              {$1file:/dev/urandom 512}mg;
    open my $out, '>', $file or die "$file: $!";
    print $out $text;
    close $out or die "$file: $!";
}

# The main server, under valgrind when HSTS_TEST_VALGRIND asks for it.
sub new_test_server {
    my ($self, $args) = @_;
    return HSTS::TestServer->new($args || $self);
}

# Apache::Test binds each <VirtualHost name> it allocates to 0.0.0.0; the
# suite talks only to loopback, so bind there.
sub parse_vhost {
    my $self = shift;
    my $vhost = $self->SUPER::parse_vhost(@_) or return;
    $vhost->{out_string} =~ s/\b0\.0\.0\.0:/127.0.0.1:/g;
    return $vhost;
}

package HSTS::TestServer;

use parent 'Apache::TestServer';

# Under valgrind: httpd -X (one process, in the foreground; Apache::Test
# runs the command in a process of its own and waits for the pid file).
sub start_cmd {
    my $self = shift;
    my @vg = HSTS::TestRun::valgrind_command('main')
        or return $self->SUPER::start_cmd(@_);
    my $httpd = $self->{config}{vars}{httpd};
    return join(' ', map { "'$_'" } @vg, $httpd) . ' -X ' . $self->args;
}

1;
