# SPDX-License-Identifier: Apache-2.0
package HSTS::Assert;
# The checks the tests make on responses (from HSTS::Client) and on the
# servers they started (HSTS::Httpd): each one test, and when it fails
# a diagnostic that says every part that is wrong.
use strict;
use warnings FATAL => 'all';

use Test::More ();
use HSTS::Client qw(header_values);

use parent 'Exporter';
our @EXPORT_OK = qw(response_is sts_is no_sts redirect_is redirect_page_is
                    served_is sts_of shown no_crash);

# What a crashed httpd process leaves in the error log.
our $CRASH = qr/exit signal|Segmentation|AH00052|AddressSanitizer|double free|corrupted|core dumped/;

# Every value of the Strict-Transport-Security field, as one text.
sub sts_of {
    my ($res) = @_;
    return join ' | ', header_values($res, 'Strict-Transport-Security');
}

# Text with every byte outside printable ASCII as \xNN, for test names
# and diagnostics; with $max, longer text is cut there.
sub shown {
    my ($text, $max) = @_;
    $text = substr($text, 0, $max) . '...(' . length($text) . ' bytes)'
        if defined $max && length $text > $max;
    $text =~ s/([^\x20-\x7e])/sprintf '\\x%02x', ord $1/ge;
    return $text;
}

# The field values, quoted, for a diagnostic.
sub quoted {
    return @_ ? join(' | ', map { "'$_'" } @_) : 'none';
}

# What is wrong with $res, by what %$want asks (each key only when given):
#   status => N          the status
#   not_status => [N..]  none of these statuses
#   sts => 'value'       exactly one Strict-Transport-Security, this one;
#   sts => undef         none
#   location => 'url'    exactly one Location, this one; undef: none
#   https_location => 0  no Location to https://
#   absent => [names]    none of these header fields
#   page => 1            mod_hsts's redirect page: text/html, a short body
#                        of the length Content-Length gives
#   page => 'head'       the same for HEAD: text/html and no body
sub response_problems {
    my ($res, $want) = @_;
    my @p;
    my @sts = header_values($res, 'Strict-Transport-Security');
    my @loc = header_values($res, 'Location');
    push @p, "status $res->{status}, not $want->{status}"
        if exists $want->{status} && $res->{status} != $want->{status};
    push @p, "status $res->{status}"
        if grep { $res->{status} == $_ } @{ $want->{not_status} // [] };
    if (exists $want->{sts}) {
        my $sts = $want->{sts};
        push @p, 'Strict-Transport-Security ' . quoted(@sts) . ', not '
                 . quoted(defined $sts ? $sts : ())
            unless defined $sts ? @sts == 1 && $sts[0] eq $sts : !@sts;
    }
    if (exists $want->{location}) {
        my $loc = $want->{location};
        push @p, 'Location ' . quoted(@loc) . ', not '
                 . quoted(defined $loc ? $loc : ())
            unless defined $loc ? @loc == 1 && $loc[0] eq $loc : !@loc;
    }
    push @p, 'Location ' . quoted(@loc)
        if exists $want->{https_location} && !$want->{https_location}
           && grep { m{^https://} } @loc;
    for my $name (@{ $want->{absent} // [] }) {
        my @v = header_values($res, $name);
        push @p, "$name: " . quoted(@v) if @v;
    }
    push @p, page_problems($res, $want->{page}) if $want->{page};
    return @p;
}

sub page_problems {
    my ($res, $page) = @_;
    my @p;
    my ($type) = header_values($res, 'Content-Type');
    my ($len) = header_values($res, 'Content-Length');
    push @p, 'Content-Type ' . ($type // 'missing')
        unless ($type // '') =~ m{^text/html};
    if ($page eq 'head') {
        push @p, 'HEAD response with a body' if length $res->{body};
    }
    else {
        push @p, 'body of ' . length($res->{body}) . ' bytes'
            unless length $res->{body} > 0 && length $res->{body} < 512;
        push @p, 'Content-Length ' . ($len // 'missing')
            unless defined $len && $len == length $res->{body};
    }
    return @p;
}

# One test: $res is as %$want says (see response_problems). $res may be undef
# (no well-formed response; the reason in $@).
sub response_is {
    my ($res, $want, $name) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my @p = defined $res ? response_problems($res, $want)
                         : ('no well-formed response: ' . ($@ || 'none'));
    # curl's HTTP/2 answers (HSTS::Client::h2_request) have no head
    my $head = !defined $res ? ''
             : $res->{head} // "$res->{proto} $res->{status}\n";
    return Test::More::ok(!@p, $name)
        || Test::More::diag(join("\n", @p) . "\n$head");
}

# The status, and exactly one Strict-Transport-Security: $sts.
sub sts_is {
    my ($res, $status, $sts, $name) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    return response_is($res, { status => $status, sts => $sts }, $name);
}

# The status, and no Strict-Transport-Security.
sub no_sts {
    my ($res, $status, $name) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    return response_is($res, { status => $status, sts => undef }, $name);
}

# A redirect: the status, exactly one Location: $location, and no
# Strict-Transport-Security; %more: other checks of response_is.
sub redirect_is {
    my ($res, $status, $location, $name, %more) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    return response_is($res, { status => $status, location => $location,
                               sts => undef, %more }, $name);
}

# mod_hsts's redirect, its page included (head => 1: the answer to HEAD).
sub redirect_page_is {
    my ($res, $status, $location, $name, %opt) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    return redirect_is($res, $status, $location, $name,
                       page => $opt{head} ? 'head' : 1);
}

# Served with this status, not redirected to HTTPS.
sub served_is {
    my ($res, $status, $name) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    return response_is($res, { status => $status, https_location => 0 },
                       $name);
}

# One test: a server of the test's own (HSTS::Httpd, stopped) logged no
# sign of a crashed process ($CRASH, and also => qr/.../ when given) and,
# unless valgrind ran it (its exit status is then valgrind's), exited
# without a signal or a core dump.
sub no_crash {
    my ($server, $name, %opt) = @_;
    local $Test::Builder::Level = $Test::Builder::Level + 1;
    my $log = join '', $server->lines;
    my $st = $server->status;
    my $signalled = $st && !$server->ran_under_valgrind
                    && ($st->{signal} || $st->{core});
    my @p;
    push @p, "exit $st->{exit}, signal $st->{signal}" if $signalled;
    push @p, "in the log: $1" if $log =~ /($CRASH)/;
    push @p, "in the log: $1" if $opt{also} && $log =~ /($opt{also})/;
    return Test::More::ok(!@p, $name)
        || Test::More::diag(join("\n", @p) . "\n" . substr($log, -3000));
}

1;
