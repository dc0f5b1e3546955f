#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The whole test suite under each of httpd's MPMs (event, worker, prefork;
# HSTS_TEST_MPM), with per-MPM counts from the TAP of every test file:
# tests run, passed, failed, skipped (and why), TODO (expected failures).
#
#   robustness/mpm.sh            full: 3 rounds of the 3 MPMs, interleaved;
#                                writes its section of robustness/RESULTS.md
#   robustness/mpm.sh --quick    CI: 1 round of the 3 MPMs
#
# A test that fails under one MPM only, or in some rounds only (flaky), is
# named. As root it runs as the user hststest on a copy of the tree, like
# scripts/test.sh. ROBUST_PORT: t/TEST's first port (default 12660).
set -euo pipefail

# shellcheck source=robustness/lib.sh
. "$(dirname "$0")/lib.sh"
robust_setup mpm "$@"

rounds=3
[ "$quick" = 1 ] && rounds=1
mpms="event worker prefork"
port=${ROBUST_PORT:-12660}

robust_build
out=$(pwd)/robustness/mpm-out
rm -rf "$out"
mkdir -p "$out"

status=0
for round in $(seq 1 "$rounds"); do
    for mpm in $mpms; do
        run="$out/$mpm.$round"
        mkdir -p "$run/tap"
        echo "== round $round/$rounds: $mpm"
        HSTS_TEST_MPM=$mpm PERL_TEST_HARNESS_DUMP_TAP="$run/tap" \
            robust_suite "$run/log"
        echo "$suite_secs" >"$run/seconds"
        echo "$suite_status" >"$run/status"
        tail -n 1 "$run/log"
        [ "$suite_status" = 0 ] || status=1
    done
done

# Per MPM: the counts of every round, and which tests failed where.
perl - "$out" "$rounds" "$mpms" "$(robust_machine)" >"$out/summary.md" <<'PERL'
use strict;
use warnings;
use File::Find;
my ($out, $rounds, $mpms, $machine) = @ARGV;
my @mpms = split ' ', $mpms;
my (%count, %failed, %skips, %secs, %status);
for my $mpm (@mpms) {
    for my $round (1 .. $rounds) {
        my $run = "$out/$mpm.$round";
        my %c = (files => 0, tests => 0, pass => 0, fail => 0, skip => 0, todo => 0);
        find({ no_chdir => 1, wanted => sub {
            return unless -f $_ && /\.t$/;
            (my $test = $_) =~ s{^\Q$run/tap/\E}{};
            open my $fh, '<', $_ or die "$_: $!";
            $c{files}++;
            my ($planned, $seen) = (undef, 0);
            while (my $l = <$fh>) {
                $planned = $1 if $l =~ /^1\.\.(\d+)/;
                if ($l =~ /^1\.\.0 # SKIP\s*(.*)/i) { $skips{$mpm}{"$test: $1"}++ }
                next unless $l =~ /^(not )?ok\b\s*(\d*)([^#]*)(?:#\s*(\w+)\s*(.*))?/;
                $seen++;
                $c{tests}++;
                my ($not, $num, $name, $dir, $why) = ($1, $2, $3, $4 // '', $5 // '');
                $name =~ s/^\s*-?\s*|\s+$//g;
                if (lc $dir eq 'skip') { $c{skip}++; $skips{$mpm}{"$test: $why"}++ }
                elsif (lc $dir eq 'todo') { $c{todo}++ }
                elsif ($not) { $c{fail}++; $failed{"$test $num $name"}{$mpm}{$round} = 1 }
                else { $c{pass}++ }
            }
            if (defined $planned && $planned > $seen) {
                # died before the end of its plan
                $c{fail} += $planned - $seen;
                $failed{"$test: died after $seen of $planned tests"}{$mpm}{$round} = 1;
            }
        } }, "$run/tap") if -d "$run/tap";
        $count{$mpm}[$round] = \%c;
        $secs{$mpm}[$round] = do { local @ARGV = ("$run/seconds"); <> } // 0;
        $status{$mpm}[$round] = do { local @ARGV = ("$run/status"); <> } // 1;
        chomp($secs{$mpm}[$round], $status{$mpm}[$round]);
    }
}
print "## MPMs (robustness/mpm.sh)\n\n";
print "$machine. The whole suite, $rounds round(s) of event, worker, prefork, interleaved.\n\n";
print "| MPM | Round | Files | Tests | Passed | Failed | Skipped | TODO | Suite | Seconds |\n";
print "|---|---:|---:|---:|---:|---:|---:|---:|---|---:|\n";
for my $mpm (@mpms) {
    for my $round (1 .. $rounds) {
        my $c = $count{$mpm}[$round];
        printf "| %s | %d | %d | %d | %d | %d | %d | %d | %s | %d |\n", $mpm, $round,
            @$c{qw(files tests pass fail skip todo)},
            $status{$mpm}[$round] == 0 ? 'PASS' : 'FAIL', $secs{$mpm}[$round];
    }
}
print "\nSkipped tests (per round):\n\n";
my $any_skip;
for my $mpm (@mpms) {
    for my $s (sort keys %{ $skips{$mpm} || {} }) {
        printf "- %s: %s (%d)\n", $mpm, $s, $skips{$mpm}{$s} / $rounds;
        $any_skip = 1;
    }
}
print "- none\n" unless $any_skip;
print "\nFailures:\n\n";
if (!%failed) {
    print "- none\n";
}
for my $t (sort keys %failed) {
    my @where;
    for my $mpm (@mpms) {
        my @r = sort keys %{ $failed{$t}{$mpm} || {} };
        push @where, "$mpm (round " . join(', ', @r) . ")" if @r;
    }
    my $kind = @where == 1 ? 'only under one MPM' : 'under several MPMs';
    my $n = 0;
    $n += keys %{ $failed{$t}{$_} || {} } for @mpms;
    $kind .= ', flaky' if $n < $rounds * @where;
    print "- `$t`: ", join('; ', @where), " ($kind)\n";
}
PERL
cat "$out/summary.md"
robust_finish mpm "$status" "$out/summary.md" \
    ": the suite passes under event, worker and prefork ($rounds round(s))" \
    " (see $out/*/log)"
