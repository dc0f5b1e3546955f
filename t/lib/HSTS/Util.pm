# SPDX-License-Identifier: Apache-2.0
package HSTS::Util;
# What every part of the suite needs, with nothing of Apache::Test (the
# certificates are made before its configuration exists): whole files in
# and out, whether a process lives, waiting for a condition.
use strict;
use warnings FATAL => 'all';

use parent 'Exporter';
use Time::HiRes ();

our @EXPORT_OK = qw(read_file write_file process_alive wait_until
                    wall_seconds);

sub write_file {
    my ($path, $text) = @_;
    open my $fh, '>', $path or die "$path: $!";
    print $fh $text;
    close $fh or die "$path: $!";
}

# The whole content of a file.
sub read_file {
    my ($path) = @_;
    open my $fh, '<', $path or die "$path: $!";
    local $/;
    return scalar <$fh>;
}

# Whether process $pid exists and is not a zombie.
sub process_alive {
    my ($pid) = @_;
    return 0 unless $pid && kill 0, $pid;
    open my $fh, '<', "/proc/$pid/stat" or return 0;
    my $stat = <$fh> // return 0;
    return $stat !~ /^\d+ \(.*\) Z/;
}

# The time in whole seconds as httpd reads it (gettimeofday). Perl's own
# time() reads the kernel's coarse clock, which runs up to a tick behind:
# just after a second turns, httpd can time a request at a second the
# test's time() has not reached yet.
sub wall_seconds { return int(Time::HiRes::time()) }

# Polls $cond (every 50 ms) until it is true or $timeout seconds (default
# 60) have passed; returns whether it became true. For what httpd does in
# a process of its own, where no pipe tells us when it is done.
sub wait_until {
    my ($cond, $timeout) = @_;
    my $deadline = time + ($timeout // 60);
    until ($cond->()) {
        return 0 if time > $deadline;
        select(undef, undef, undef, 0.05);
    }
    return 1;
}

1;
