#!/usr/bin/perl
# SPDX-License-Identifier: Apache-2.0
# A load client that checks every response (robustness/graceful.sh).
#
#   loadclient.pl --tls-port N --plain-port N --policy VALUE --ca FILE
#                 [--host example.com] [--workers-per-mode 2]
#                 --status FILE
#
# Workers for each of four modes send GET requests in a loop until the
# client gets SIGTERM: over TLS and over plain HTTP, on one keep-alive
# connection or with "Connection: close" (a new connection, and over TLS
# a new handshake, per request). Every response is checked:
#   TLS:   200, exactly one Strict-Transport-Security, equal to --policy,
#          no Location;
#   plain: 301, exactly one Location, https://HOST:TLS-PORT + the path and
#          query sent, and no Strict-Transport-Security;
# and a refused or reset connection, a failed handshake, a timeout (10 s)
# or a response cut short is a failure. One case is not: a keep-alive
# connection that the server closes before it sends any byte of the
# next response (a graceful restart ends idle keep-alive connections);
# as every HTTP client does (RFC 9112, 9.3.1), the request is sent again
# on a new connection, and counted as a retry.
#
# While it runs, FILE holds the counts ("mode ok bad retries" lines),
# rewritten at most every 50 ms; on SIGTERM the workers finish their
# request, and the client prints the totals and up to 20 failures, and
# exits 1 if there was any failure.
use strict;
use warnings;

use Getopt::Long qw(GetOptions);
use IO::Handle ();
use IO::Select ();
use IO::Socket::IP ();
use IO::Socket::SSL ();
use POSIX qw(WNOHANG);
use Time::HiRes qw(time);

my %o = (host => 'example.com', 'workers-per-mode' => 2);
GetOptions(\%o, 'tls-port=i', 'plain-port=i', 'policy=s', 'ca=s', 'host=s',
           'workers-per-mode=i', 'status=s')
    or die "usage: see the top of $0\n";
for (qw(tls-port plain-port policy ca status)) {
    die "$0: --$_ is required\n" unless defined $o{$_};
}

my @modes = qw(tls-ka tls-close plain-ka plain-close);
my $TIMEOUT = 10;

# ------------------------------------------------------------------
# A worker

my $stop = 0;

sub worker {
    my ($mode, $out) = @_;
    $SIG{TERM} = sub { $stop = 1 };
    $SIG{PIPE} = 'IGNORE';
    my $tls = $mode =~ /^tls/;
    my $close = $mode =~ /close$/;
    my $port = $tls ? $o{'tls-port'} : $o{'plain-port'};
    my ($conn, $n) = (undef, 0);
    while (!$stop) {
        $n++;
        my $target = "/file.txt?w=$$&n=$n";
        my $req = "GET $target HTTP/1.1\r\nHost: $o{host}\r\n"
                . ($close ? "Connection: close\r\n" : '') . "\r\n";
        my $reused = 0;
        my ($res, $err);
        for my $attempt (1, 2) {
            if (!$conn) {
                ($conn, $err) = open_conn($port, $tls);
                last unless $conn;
                $reused = 0;
            }
            else {
                $reused = 1;
            }
            ($res, $err) = exchange($conn, $req);
            if (!$res && $reused && $err =~ /^nothing/) {
                # closed before any byte of the response: send it again
                print $out "retry $mode\n";
                close_conn($conn);
                $conn = undef;
                next;
            }
            last;
        }
        # a connect or read that our own SIGTERM interrupted is no failure
        last if $stop && !$res;
        if (!$res) {
            print $out "bad $mode $target: $err\n";
            close_conn($conn) if $conn;
            $conn = undef;
            next;
        }
        my $why = check($res, $tls, $target);
        print $out $why ? "bad $mode $target: $why\n" : "ok $mode\n";
        if ($close || $res->{closed} || $why) {
            close_conn($conn);
            $conn = undef;
        }
    }
    close_conn($conn) if $conn;
    exit 0;
}

sub open_conn {
    my ($port, $tls) = @_;
    my $sock = IO::Socket::IP->new(PeerHost => '127.0.0.1', PeerPort => $port,
                                   Proto => 'tcp', Timeout => $TIMEOUT)
        or return (undef, "connect: $@");
    if ($tls) {
        IO::Socket::SSL->start_SSL($sock, SSL_hostname => $o{host},
                                   SSL_verify_mode => IO::Socket::SSL::SSL_VERIFY_PEER(),
                                   SSL_ca_file => $o{ca}, Timeout => $TIMEOUT)
            or return (undef, "TLS handshake: $IO::Socket::SSL::SSL_ERROR");
    }
    return ({ sock => $sock, buf => '' }, undef);
}

sub close_conn {
    my ($conn) = @_;
    CORE::close($conn->{sock});
}

# Reads more; returns bytes read, 0 at the end, undef (with $err) on error.
sub fill {
    my ($conn) = @_;
    my $sock = $conn->{sock};
    for (;;) {
        # TLS may have decrypted bytes pending that select() cannot see
        unless ($sock->can('pending') && $sock->pending) {
            my $sel = IO::Select->new($sock);
            my @r = $sel->can_read($TIMEOUT);
            if (!@r) {
                next if $!{EINTR};
                $conn->{err} = 'timeout';
                return undef;
            }
        }
        my $n = sysread($sock, my $chunk, 65536);
        if (!defined $n) {
            next if $!{EINTR} || $!{EAGAIN};
            $conn->{err} = "read: $!"
                . ($sock->can('errstr') && $sock->errstr ? ' (' . $sock->errstr . ')' : '');
            return undef;
        }
        $conn->{buf} .= $chunk;
        return $n;
    }
}

# Sends a request and reads its response: ($res) or (undef, $why), where
# $why starts with "nothing" when not a byte of a response came back.
sub exchange {
    my ($conn, $req) = @_;
    my $off = 0;
    while ($off < length $req) {
        my $n = syswrite($conn->{sock}, $req, length($req) - $off, $off);
        if (!defined $n) {
            next if $!{EINTR} || $!{EAGAIN};
            return (undef, "nothing: write: $!");
        }
        $off += $n;
    }
    # the header
    my $got = 0;
    until ($conn->{buf} =~ /\r\n\r\n/) {
        my $n = fill($conn);
        if (!$n) {
            my $what = defined $n ? 'closed' : $conn->{err};
            return (undef, length $conn->{buf} || $got
                    ? "response cut short in the header ($what)"
                    : "nothing: $what");
        }
        $got += $n;
    }
    $conn->{buf} =~ s/\A(.*?)\r\n\r\n//s;
    my @lines = split /\r\n/, $1;
    my $status_line = shift @lines;
    my ($status) = $status_line =~ m{^HTTP/1\.[01] (\d{3})}
        or return (undef, "malformed status line '$status_line'");
    my %h;
    for (@lines) {
        my ($name, $value) = /^([^:]+):\s*(.*?)\s*$/
            or return (undef, "malformed header line '$_'");
        push @{ $h{lc $name} }, $value;
    }
    my $len = $h{'content-length'} ? $h{'content-length'}[0] : undef;
    return (undef, "no Content-Length (status $status)") unless defined $len;
    while (length $conn->{buf} < $len) {
        my $n = fill($conn);
        return (undef, 'response cut short in the body ('
                       . (defined $n ? 'closed' : $conn->{err}) . ')') unless $n;
    }
    substr($conn->{buf}, 0, $len, '');
    my $closed = grep { /\bclose\b/i } @{ $h{connection} || [] };
    return ({ status => $status, h => \%h, closed => $closed }, undef);
}

sub check {
    my ($res, $tls, $target) = @_;
    my @sts = @{ $res->{h}{'strict-transport-security'} || [] };
    my @loc = @{ $res->{h}{location} || [] };
    if ($tls) {
        return "status $res->{status}, not 200" unless $res->{status} == 200;
        return scalar(@sts) . " Strict-Transport-Security headers: @sts" if @sts != 1;
        return "Strict-Transport-Security '$sts[0]', not '$o{policy}'"
            unless $sts[0] eq $o{policy};
        return "Location '@loc' on a 200" if @loc;
        return '';
    }
    my $want = "https://$o{host}:$o{'tls-port'}$target";
    return "status $res->{status}, not 301" unless $res->{status} == 301;
    return scalar(@loc) . " Location headers: @loc" if @loc != 1;
    return "Location '$loc[0]', not '$want'" unless $loc[0] eq $want;
    return "Strict-Transport-Security over plain HTTP: @sts" if @sts;
    return '';
}

# ------------------------------------------------------------------
# The parent: starts the workers, counts, writes the status file.

pipe(my $r, my $w) or die "pipe: $!";
my @kids;
for my $mode (@modes) {
    for (1 .. $o{'workers-per-mode'}) {
        my $pid = fork // die "fork: $!";
        if (!$pid) {
            close $r;
            $w->autoflush(1);
            worker($mode, $w);
        }
        push @kids, $pid;
    }
}
close $w;

my (%ok, %bad, %retry, @failures);
$ok{$_} = $bad{$_} = $retry{$_} = 0 for @modes;
my $term = 0;
$SIG{TERM} = $SIG{INT} = sub { $term = 1 };
my $last_write = 0;
sub write_status {
    my $tmp = "$o{status}.tmp";
    open my $fh, '>', $tmp or die "$tmp: $!";
    print $fh "$_ $ok{$_} $bad{$_} $retry{$_}\n" for @modes;
    close $fh;
    rename $tmp, $o{status} or die "$o{status}: $!";
    $last_write = time;
}
write_status();
my $sel = IO::Select->new($r);
my $buf = '';
my $signalled = 0;
for (;;) {
    if ($term && !$signalled) {
        kill 'TERM', @kids;
        $signalled = 1;
    }
    if ($sel->can_read(0.05)) {
        my $n = sysread $r, my $chunk, 65536;
        if (defined $n && $n == 0) {
            last;    # every worker has exited
        }
        $buf .= $chunk if $n;
    }
    while ($buf =~ s/\A([^\n]*)\n//) {
        my $line = $1;
        if ($line =~ /^ok (\S+)/)       { $ok{$1}++ }
        elsif ($line =~ /^retry (\S+)/) { $retry{$1}++ }
        elsif ($line =~ /^bad (\S+) (.*)/) {
            $bad{$1}++;
            push @failures, "$1 $2" if @failures < 20;
        }
    }
    write_status() if time - $last_write >= 0.05;
}
waitpid($_, 0) for @kids;
write_status();

my ($tok, $tbad, $tretry) = (0, 0, 0);
for my $m (@modes) {
    printf "LOAD %-12s ok=%d bad=%d retries=%d\n", $m, $ok{$m}, $bad{$m}, $retry{$m};
    $tok += $ok{$m}; $tbad += $bad{$m}; $tretry += $retry{$m};
}
printf "LOAD total ok=%d bad=%d retries=%d\n", $tok, $tbad, $tretry;
print "FAILURE $_\n" for @failures;
exit($tbad ? 1 : 0);
