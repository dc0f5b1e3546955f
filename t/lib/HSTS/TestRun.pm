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

package HSTS::TestConfig;

use parent 'Apache::TestConfig';

# @libexecdir@ in the templates: where httpd's own modules are.
sub generate_httpd_conf {
    my $self = shift;
    $self->{vars}{libexecdir} ||= $self->apxs('LIBEXECDIR');
    return $self->SUPER::generate_httpd_conf(@_);
}

# Apache::Test binds each <VirtualHost name> it allocates to 0.0.0.0; the
# suite talks only to loopback, so bind there.
sub parse_vhost {
    my $self = shift;
    my $vhost = $self->SUPER::parse_vhost(@_) or return;
    $vhost->{out_string} =~ s/\b0\.0\.0\.0:/127.0.0.1:/g;
    return $vhost;
}

1;
