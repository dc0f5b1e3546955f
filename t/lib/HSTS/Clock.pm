# SPDX-License-Identifier: Apache-2.0
package HSTS::Clock;
# A clock of its own for the httpd a test starts: libfaketime preloaded,
# reading a timestamp file on every call (FAKETIME_NO_CACHE=1), so the
# test moves the server's clock forward by rewriting the file while the
# server runs. Only the server's clock moves; the test's is real.
use strict;
use warnings FATAL => 'all';

use File::Spec::Functions qw(catfile);
use Test::More ();
use HSTS::Util qw(write_file);

# libfaketime for threaded programs (the event and worker MPMs), or undef.
sub lib {
    my ($lib) = grep { -f } glob('/usr/lib/*/faketime/libfaketimeMT.so.1'),
                            '/usr/lib/faketime/libfaketimeMT.so.1';
    return $lib;
}

# lib(), or a test file's only test, failed, and its end: for a test to
# call before its plan.
sub lib_or_fail {
    my $lib = lib();
    return $lib if $lib;
    Test::More::plan(tests => 1);
    Test::More::fail('libfaketime is installed (Debian package libfaketime: '
                     . 'scripts/deps.sh)');
    exit;
}

# A clock in $dir, at the real time.
sub new {
    my ($class, $dir) = @_;
    my $self = bless { file => catfile($dir, 'faketime'),
                       lib => lib() // die "libfaketime is not installed\n" },
                     $class;
    $self->set(0);
    return $self;
}

# The clock: the real one moved by $days days.
sub set {
    my ($self, $days) = @_;
    # whole or not at all: the server may read it at any moment
    write_file("$self->{file}.new", "+${days}d\n");
    rename "$self->{file}.new", $self->{file} or die "$self->{file}: $!";
}

# The environment that puts httpd on this clock.
sub env {
    my ($self) = @_;
    return { LD_PRELOAD => $self->{lib},
             FAKETIME_TIMESTAMP_FILE => $self->{file},
             FAKETIME_NO_CACHE => 1,
             # timers and timeouts keep real time
             FAKETIME_DONT_FAKE_MONOTONIC => 1 };
}

1;
