#!/usr/bin/perl
# SPDX-License-Identifier: Apache-2.0
# Reads the memcheck logs that a valgrind run of the suite left (one file
# per process, HSTS_TEST_VALGRIND) and reports:
#   - every error (invalid read/write/free, uninitialised value, bad
#     syscall parameter, overlap, ...) and every fatal signal;
#   - every leak record (definitely / possibly lost), and the byte totals
#     of the leak summaries;
# and exits 1 when an error, a fatal signal or a definite leak has a
# mod_hsts frame in any of its stacks (mod_hsts.so, an hsts_* function or
# one of the module's source files), 0 otherwise.
#
#   robustness/valgrind-report.pl <log directory> [markdown output file]
use strict;
use warnings;

my ($dir, $md_file) = @ARGV;
die "usage: $0 <log directory> [markdown file]\n" unless $dir && -d $dir;

my $HSTS = qr/mod_hsts\.so|\bhsts_\w+|\bmod_hsts\.c\b|\bhsts_\w+\.c\b/;

my (%t, @hsts_blocks, %third_party, %leak_stacks);
$t{$_} = 0 for qw(files complete incomplete errors hsts_errors signals
                  hsts_signals definite possible definite_hsts
                  possible_hsts bytes_definite bytes_indirect
                  bytes_possible bytes_reachable suppressed);

for my $file (sort glob "$dir/*.log") {
    $t{files}++;
    open my $fh, '<', $file or die "$file: $!";
    my (@blocks, @cur, $complete, $command);
    while (my $line = <$fh>) {
        # memcheck's own lines; suppression texts and the like are not
        next unless $line =~ /^==\d+== ?(.*)$/;
        my $text = $1;
        $command //= $1 if $text =~ /^Command: (.*)/;
        if ($text =~ /^\s*$/) {
            push @blocks, [@cur] if @cur;
            @cur = ();
            next;
        }
        # "Thread 5:" comes before an error of another thread than the last
        next if !@cur && $text =~ /^Thread \d+(?: [^:]*)?:$/;
        push @cur, $text;
        if ($text =~ /^ERROR SUMMARY: .*\(suppressed: (\d+) from/) {
            $complete = 1;
            $t{suppressed} += $1;
        }
        $t{bytes_definite} += num($1)  if $text =~ /^\s+definitely lost: ([\d,]+) bytes/;
        $t{bytes_indirect} += num($1)  if $text =~ /^\s+indirectly lost: ([\d,]+) bytes/;
        $t{bytes_possible} += num($1)  if $text =~ /^\s+possibly lost: ([\d,]+) bytes/;
        $t{bytes_reachable} += num($1) if $text =~ /^\s+still reachable: ([\d,]+) bytes/;
    }
    push @blocks, [@cur] if @cur;
    # A process that ran exec (mod_cgid's children run the CGI script, not
    # under valgrind) ends its log without a summary.
    $complete ? $t{complete}++ : $t{incomplete}++;
    (my $name = $file) =~ s{.*/}{};

    for my $b (@blocks) {
        my $head = $b->[0];
        my $has_hsts = grep { /^\s+(?:at|by) / && /$HSTS/ } @$b;
        my $stack = join "\n", @$b;
        my $sig = join ' | ', map { /(?:at|by) 0x[0-9A-F]+: (.*)$/ ? $1 : () }
                              @$b[1 .. ($#$b < 6 ? $#$b : 6)];
        if ($head =~ /^([\d,]+)(?: \([\d,]+ direct, [\d,]+ indirect\))? bytes in ([\d,]+) blocks are (definitely|possibly) lost/) {
            my $kind = $3 eq 'definitely' ? 'definite' : 'possible';
            $t{$kind}++;
            $leak_stacks{$kind}{$sig}++;
            if ($has_hsts) {
                $t{"${kind}_hsts"}++;
                push @hsts_blocks, "$name: $stack" if $kind eq 'definite';
            }
            next;
        }
        if ($head =~ /^Process terminating with default action of signal (\d+)/) {
            next if $1 == 15;    # SIGTERM: how the tests stop a server
            $t{signals}++;
            if ($has_hsts) { $t{hsts_signals}++; push @hsts_blocks, "$name: $stack" }
            else { $third_party{"signal $1: $sig"}++ }
            next;
        }
        next unless $head =~ /^(?:Invalid (?:read|write|free)|Conditional jump|Use of uninitialised|Syscall param|Mismatched free|Source and destination overlap|Argument .* of function|Invalid (?:alignment|size)|.*fishy|Jump to the invalid address)/;
        $t{errors}++;
        if ($has_hsts) {
            $t{hsts_errors}++;
            push @hsts_blocks, "$name: $stack";
        }
        else {
            $third_party{"$head: $sig"}++;
        }
    }
}
sub num { (my $n = shift) =~ s/,//g; return $n }

my $fail = grep { /\S/ } @hsts_blocks;
my @out;
push @out, sprintf('| Processes (log files) | %d (%d with a leak check; %d ended in exec, '
                   . 'CGI children) |', $t{files}, $t{complete}, $t{incomplete});
push @out, sprintf('| Errors (invalid access, uninitialised values, ...) | %d, %d with a '
                   . 'mod_hsts frame |', $t{errors}, $t{hsts_errors});
push @out, sprintf('| Fatal signals (other than SIGTERM) | %d, %d with a mod_hsts frame |',
                   $t{signals}, $t{hsts_signals});
push @out, sprintf('| Definitely lost: records | %d, %d with a mod_hsts frame |',
                   $t{definite}, $t{definite_hsts});
push @out, sprintf('| Possibly lost: records | %d, %d with a mod_hsts frame |',
                   $t{possible}, $t{possible_hsts});
push @out, sprintf('| Leak summaries, all processes: definitely / indirectly / possibly '
                   . 'lost, still reachable (bytes) | %d / %d / %d / %d |',
                   $t{bytes_definite}, $t{bytes_indirect}, $t{bytes_possible},
                   $t{bytes_reachable});
push @out, sprintf('| Suppressed errors (valgrind.supp; a child counts its parent\'s '
                   . 'again) | %d |', $t{suppressed});

print "== valgrind: $dir\n";
print "$_\n" for @out;
if (%third_party) {
    print "Errors and signals without a mod_hsts frame (first frames):\n";
    printf "  %4d x %s\n", $third_party{$_}, $_
        for sort { $third_party{$b} <=> $third_party{$a} } keys %third_party;
}
for my $kind (qw(definite possible)) {
    next unless $leak_stacks{$kind};
    print "\u$kind leaks (distinct first frames):\n";
    printf "  %4d x %s\n", $leak_stacks{$kind}{$_}, $_
        for sort keys %{ $leak_stacks{$kind} };
}
if ($fail) {
    print "\nWITH A MOD_HSTS FRAME:\n\n";
    print "$_\n\n" for @hsts_blocks;
}
printf "valgrind: %s: %d errors, %d fatal signals, %d definite leaks with a mod_hsts frame\n",
    $fail ? 'FAIL' : 'PASS', $t{hsts_errors}, $t{hsts_signals}, $t{definite_hsts};

if ($md_file) {
    open my $md, '>', $md_file or die "$md_file: $!";
    print $md "| | |\n|---|---|\n";
    print $md "$_\n" for @out;
    if (%third_party) {
        print $md "\nWithout a mod_hsts frame:\n\n";
        printf $md "- %d x `%s`\n", $third_party{$_}, $_
            for sort { $third_party{$b} <=> $third_party{$a} } keys %third_party;
    }
    for my $kind (qw(definite possible)) {
        next unless $leak_stacks{$kind};
        print $md "\n\u$kind leak records (first frames):\n\n";
        printf $md "- %d x `%s`\n", $leak_stacks{$kind}{$_}, $_
            for sort keys %{ $leak_stacks{$kind} };
    }
    close $md;
}
exit($fail ? 1 : 0);
