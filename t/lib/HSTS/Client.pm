# SPDX-License-Identifier: Apache-2.0
package HSTS::Client;
# A raw HTTP/1.x client for the tests: it sends exactly the bytes a test
# gives (hostile request lines, odd Host headers, absolute-form targets),
# keeps connections alive across requests, and returns every response
# header field as sent, duplicates included. HTTP/2 goes through curl.
use strict;
use warnings FATAL => 'all';

use IO::Socket::IP ();
use IO::Socket::SSL ();
use File::Spec::Functions qw(catfile rel2abs);
use FindBin ();

use parent 'Exporter';
our @EXPORT_OK = qw(connect_to request requester header_values h2_request
                    ca_file port_of);

# The suite's test CA, which signs the certificate of every test host.
sub ca_file {
    return rel2abs(catfile($FindBin::Bin, 'pki', 'ca.crt'))
        if -f catfile($FindBin::Bin, 'pki', 'ca.crt');
    return rel2abs(catfile('t', 'pki', 'ca.crt'));
}

# The loopback port Apache::Test gave a <VirtualHost name:module> group.
sub port_of {
    my ($module) = @_;
    require Apache::Test;
    # the saved configuration: reading it asks httpd nothing
    my $port = Apache::Test::basic_config()->{vars}{"${module}_port"}
        or die "no port for $module";
    return $port;
}

# connect_to(port => N, tls => 1, sni => 'example.com', alpn => [...])
sub connect_to {
    my (%a) = @_;
    my $sock = IO::Socket::IP->new(
        PeerHost => $a{addr} // '127.0.0.1',
        PeerPort => $a{port},
        Proto    => 'tcp',
        Timeout  => 30,
    ) or die "connect to port $a{port}: $@";
    if ($a{tls}) {
        IO::Socket::SSL->start_SSL(
            $sock,
            SSL_hostname        => $a{sni} // 'example.com',
            SSL_verify_mode     => IO::Socket::SSL::SSL_VERIFY_PEER(),
            SSL_ca_file         => $a{ca} // ca_file(),
            SSL_verifycn_scheme => 'none',
            ($a{alpn} ? (SSL_alpn_protocols => $a{alpn}) : ()),
        ) or die "TLS handshake on port $a{port}: $IO::Socket::SSL::SSL_ERROR";
    }
    return bless { sock => $sock, buf => '' }, __PACKAGE__;
}

sub send_raw {
    my ($self, $bytes) = @_;
    my $off = 0;
    while ($off < length $bytes) {
        my $n = syswrite($self->{sock}, $bytes, length($bytes) - $off, $off);
        die "write: $!" unless defined $n;
        $off += $n;
    }
}

# Reads more bytes into the buffer; false at end of stream.
sub fill {
    my ($self) = @_;
    my $n = sysread($self->{sock}, my $chunk, 65536);
    die "read: $!" unless defined $n;
    return 0 if $n == 0;
    $self->{buf} .= $chunk;
    return 1;
}

sub read_line {
    my ($self) = @_;
    while ($self->{buf} !~ /\n/) {
        $self->fill or return undef;
    }
    $self->{buf} =~ s/^([^\n]*\n)//;
    return $1;
}

sub read_bytes {
    my ($self, $len) = @_;
    while (length $self->{buf} < $len) {
        $self->fill or die "connection closed inside a body";
    }
    return substr($self->{buf}, 0, $len, '');
}

# Reads one final response (interim 1xx responses are skipped). Returns
# undef when the server closed the connection before sending anything.
sub read_response {
    my ($self, %opt) = @_;
    for (;;) {
        my $status_line = $self->read_line;
        return undef unless defined $status_line;
        $status_line =~ s/\r?\n$//;
        my ($proto, $status, $reason) =
            $status_line =~ m{^(HTTP/\d\.\d) (\d{3})(?: (.*))?$}
            or die "malformed status line: '$status_line'";
        my (@headers, $head) = ();
        $head = "$status_line\r\n";
        for (;;) {
            my $line = $self->read_line;
            die "connection closed inside the header" unless defined $line;
            $head .= $line;
            $line =~ s/\r?\n$//;
            last if $line eq '';
            my ($name, $value) = $line =~ /^([^:\s]+):[ \t]*(.*?)[ \t]*$/
                or die "malformed header line: '$line'";
            push @headers, [$name, $value];
        }
        next if $status >= 100 && $status < 200;

        my $res = { proto => $proto, status => $status,
                    reason => $reason // '', headers => \@headers,
                    head => $head, body => '' };
        my ($te) = header_values($res, 'Transfer-Encoding');
        my ($cl) = header_values($res, 'Content-Length');
        if ($opt{head} || $status == 204 || $status == 304) {
            # no body
        }
        elsif ($te && $te =~ /chunked/i) {
            for (;;) {
                my $size = $self->read_line;
                die "connection closed inside a chunked body"
                    unless defined $size;
                $size = hex(($size =~ /^([0-9a-fA-F]+)/)[0]);
                if ($size == 0) {
                    while (defined(my $l = $self->read_line)) {
                        last if $l =~ /^\r?\n$/;
                    }
                    last;
                }
                $res->{body} .= $self->read_bytes($size);
                $self->read_line;
            }
        }
        elsif (defined $cl) {
            $res->{body} = $self->read_bytes($cl);
        }
        else {
            1 while $self->fill;
            $res->{body} = $self->{buf};
            $self->{buf} = '';
            $res->{closed} = 1;
        }
        return $res;
    }
}

# Puts bytes back in front of what is still to be read (after a test
# looked at a raw line itself).
sub unread {
    my ($self, $bytes) = @_;
    $self->{buf} = $bytes . $self->{buf};
}

# Every byte the server sends until it closes the connection (for
# responses that are not HTTP/1.x, such as HTTP/0.9 ones).
sub read_all {
    my ($self) = @_;
    1 while $self->fill;
    my $all = $self->{buf};
    $self->{buf} = '';
    return $all;
}

# Whether the server closed the connection (no byte is pending).
sub at_eof {
    my ($self) = @_;
    return 0 if length $self->{buf};
    return !$self->fill;
}

sub close {
    my ($self) = @_;
    CORE::close($self->{sock});
}

# request(port => N, tls => 0|1, host => 'example.com', method => 'GET',
#         target => '/', version => '1.1', headers => [name => value, ...],
#         body => '...', raw => 'whole request bytes', conn => $c)
# Sends one request and returns its response; without 'conn' it opens a
# connection for it (SNI = host; addr and ca as for connect_to) and
# closes it afterwards.
sub request {
    my (%a) = @_;
    my $method = $a{method} // 'GET';
    my $conn = $a{conn} // connect_to(port => $a{port}, tls => $a{tls},
                                      sni => $a{sni} // $a{host},
                                      addr => $a{addr}, ca => $a{ca});
    my $raw = $a{raw};
    if (!defined $raw) {
        my $version = $a{version} // '1.1';
        $raw = "$method " . ($a{target} // '/') . " HTTP/$version\r\n";
        $raw .= "Host: $a{host}\r\n" if defined $a{host};
        my @h = @{ $a{headers} // [] };
        while (my ($n, $v) = splice @h, 0, 2) {
            $raw .= "$n: $v\r\n";
        }
        if (defined $a{body}) {
            $raw .= "Content-Length: " . length($a{body}) . "\r\n";
        }
        $raw .= "Connection: close\r\n" unless $a{conn} || $version eq '1.0';
        $raw .= "\r\n" . ($a{body} // '');
    }
    $conn->send_raw($raw);
    my $res = $conn->read_response(head => $method eq 'HEAD');
    $conn->close unless $a{conn};
    return $res;
}

# A function that sends request(%defaults, @_): what a test asks one
# host again and again, e.g. requester(port => $tls, tls => 1,
# host => 'example.com')->(target => '/static.txt').
sub requester {
    my (%defaults) = @_;
    return sub { return request(%defaults, @_) };
}

# Every value of a header field, in order, by case-insensitive name.
sub header_values {
    my ($res, $name) = @_;
    return map { $_->[1] } grep { lc $_->[0] eq lc $name } @{ $res->{headers} };
}

# An HTTP/2 request with curl (ALPN h2 over TLS, or prior knowledge over
# plain HTTP with h2c => 1). Returns { proto, status, headers } like above.
sub h2_request {
    my (%a) = @_;
    my $host = $a{host} // 'example.com';
    my $scheme = $a{h2c} ? 'http' : 'https';
    my @cmd = ('curl', '-sS', '-o', '/dev/null', '-D', '-',
               '--max-time', '30',
               ($a{h2c} ? '--http2-prior-knowledge' : '--http2'),
               '--cacert', ca_file(),
               '--resolve', "$host:$a{port}:127.0.0.1",
               ($a{method} && $a{method} eq 'HEAD' ? '-I'
                 : $a{method} ? ('-X', $a{method}) : ()),
               (map { ('-H', $_) } @{ $a{headers} // [] }),
               "$scheme://$host:$a{port}" . ($a{target} // '/'));
    open my $fh, '-|', @cmd or die "curl: $!";
    local $/;
    my $out = <$fh>;
    CORE::close $fh;
    die "curl failed ($?): @cmd" if $?;
    my @blocks = grep { /\S/ } split /\r?\n\r?\n/, $out;
    my $last = $blocks[-1];
    my ($status_line, @lines) = split /\r?\n/, $last;
    my ($proto, $status) = $status_line =~ m{^(HTTP/[\d.]+) (\d{3})}
        or die "curl: malformed status line '$status_line'";
    my @headers = map { /^([^:]+):\s*(.*?)\s*$/ ? [$1, $2] : () } @lines;
    return { proto => $proto, status => $status, headers => \@headers };
}

1;
