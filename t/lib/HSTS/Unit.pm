# SPDX-License-Identifier: Apache-2.0
package HSTS::Unit;
# Runs one of the C unit-test programs of t/unit/ (built by `make check`,
# or here if needed) and passes its TAP through to the harness.
use strict;
use warnings FATAL => 'all';

use File::Spec::Functions qw(catfile);
use FindBin ();

sub run_c_test {
    my ($name) = @_;
    my $top = catfile($FindBin::Bin, '..', '..');
    my $program = catfile($top, 't', 'unit', $name);
    system('make', '-s', '-C', $top, "t/unit/$name") == 0
        or do { print "1..0 # SKIP cannot build t/unit/$name\n"; exit 1 };
    exec $program or die "exec $program: $!";
}

1;
