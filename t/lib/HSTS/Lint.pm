# SPDX-License-Identifier: Apache-2.0
package HSTS::Lint;
# What the startup lint's tests share (t/lint*.t): certificates made for
# the test, configuration pieces (t/hostile_config.t builds with them
# too), and the lint's lines read back out of httpd's output.
use strict;
use warnings FATAL => 'all';

use File::Path qw(make_path);
use File::Spec::Functions qw(catfile);
use HSTS::Certs qw(make_ca make_cert make_intermediate);
use HSTS::Httpd ();
use HSTS::Util qw(read_file write_file);

use parent 'Exporter';
our @EXPORT_OK = qw(pki vhost tls_vhost findings finding_lines summaries
                    hsts_lines said);

# ------------------------------------------------------------------
# Certificates

my $pki;

# The test's certificates, made once per test file: a CA and what it
# signs, and the environment that makes httpd trust it (or not).
sub pki {
    return $pki if $pki;
    my $dir = HSTS::Httpd::new_dir();
    my $now = time;
    my $ca = make_ca(catfile($dir, 'ca'));
    my $other = make_ca(catfile($dir, 'other'), cn => 'some other CA');
    my $inter = make_intermediate(catfile($dir, 'inter'), ca => $ca);
    my $inter_sha1 = make_intermediate(catfile($dir, 'inter-sha1'), ca => $ca,
                                       digest => 'sha1',
                                       cn => 'SHA-1 intermediate');
    my $certs = catfile($dir, 'certs');
    my @names = ('example.com', 'www.example.com');
    my %c = (
        ca    => $ca,
        good  => make_cert($certs, 'good', ca => $ca, sans => \@names),
        self  => make_cert($certs, 'self', sans => \@names),
        expired => make_cert($certs, 'expired', ca => $ca, sans => \@names,
                             not_before => $now - 400 * 86400,
                             not_after => $now - 86400),
        not_yet => make_cert($certs, 'not_yet', ca => $ca, sans => \@names,
                             not_before => $now + 86400,
                             not_after => $now + 365 * 86400),
        soon  => make_cert($certs, 'soon', ca => $ca, sans => \@names,
                           not_after => $now + 10 * 86400),
        later => make_cert($certs, 'later', ca => $ca, sans => \@names,
                           not_after => $now + 60 * 86400),
        sha1  => make_cert($certs, 'sha1', ca => $ca, sans => \@names,
                           digest => 'sha1'),
        ip    => make_cert($certs, 'ip', ca => $ca, sans => ['127.0.0.1']),
        apex  => make_cert($certs, 'apex', ca => $ca, sans => ['example.com']),
        other_names => make_cert($certs, 'other_names', ca => $ca,
                                 sans => ['co.uk', 'example.co.uk',
                                          'sub.example.com',
                                          'app.example.com']),
        via_inter => make_cert($certs, 'via_inter', ca => $inter,
                               sans => \@names),
        via_sha1 => make_cert($certs, 'via_sha1', ca => $inter_sha1,
                              sans => \@names),
    );
    $c{inter} = $inter;
    $c{inter_sha1} = $inter_sha1;

    # the leaf followed by its intermediate, in one file
    my $chained = catfile($certs, 'via_inter_chained.crt');
    write_file($chained, read_file($c{via_inter}{crt})
                         . read_file($inter->{crt}));
    $c{chained} = { crt => $chained, key => $c{via_inter}{key} };

    # DER, which mod_ssl's directive accepts but nothing can read as PEM
    my $der = catfile($certs, 'good.der');
    system('openssl', 'x509', '-in', $c{good}{crt}, '-outform', 'DER',
           '-out', $der) == 0 or die "openssl x509 -outform DER failed";
    $c{der} = { crt => $der, key => $c{good}{key} };

    my $empty = catfile($dir, 'empty.d');
    make_path($empty);
    $c{trusted} = { SSL_CERT_FILE => $ca->{crt}, SSL_CERT_DIR => $empty };
    $c{untrusted} = { SSL_CERT_FILE => $other->{crt}, SSL_CERT_DIR => $empty };
    $c{dir} = $dir;
    return $pki = \%c;
}

# ------------------------------------------------------------------
# Configuration pieces

# <VirtualHost 127.0.0.1:$port> with @lines inside.
sub vhost {
    my ($port, @lines) = @_;
    return "<VirtualHost 127.0.0.1:$port>\n"
         . join('', map { "    $_\n" } @lines)
         . "</VirtualHost>\n";
}

# A TLS virtual host with the certificate $cert (a make_cert() result:
# { crt, key }; no key line when key is undef, and a chain file when
# chain is given).
sub tls_vhost {
    my ($port, $cert, @lines) = @_;
    return vhost($port, 'SSLEngine on',
                 qq{SSLCertificateFile "$cert->{crt}"},
                 (defined $cert->{key}
                  ? qq{SSLCertificateKeyFile "$cert->{key}"} : ()),
                 ($cert->{chain}
                  ? qq{SSLCertificateChainFile "$cert->{chain}"} : ()),
                 @lines);
}

# ------------------------------------------------------------------
# Reading the lint's lines

my $prefix = qr/^\[[^\]]+\] \[hsts:(\w+)\] \[pid \d+(?::tid \d+)?\] mod_hsts: /;

# Every line mod_hsts logged, from httpd's output or a list of lines.
sub hsts_lines {
    my @lines = map { split /\n/ } @_;
    return grep { /\[hsts:\w+\]/ } @lines;
}

# What each mod_hsts line says, without its date and pid: "level
# message".
sub said {
    return map { /\[hsts:(\w+)\] \[pid [^\]]*\] (.*)$/ ? "$1 $2" : () }
           hsts_lines(@_);
}

# The findings with a code: { level, host, code, text, line } each.
sub findings {
    my @out;
    for my $line (hsts_lines(@_)) {
        next unless $line =~ /$prefix(\S+:\d+) \[([a-z0-9_.]+)\] (.*)$/;
        push @out, { level => $1, host => $2, code => $3, text => $4,
                     line => $line };
    }
    return @out;
}

# The findings with this code (and host, when given).
sub finding_lines {
    my ($code, $host, @output) = @_;
    return grep { $_->{code} eq $code && (!defined $host || $_->{host} eq $host) }
           findings(@output);
}

# The summary lines: { level, host, text, line } each.
sub summaries {
    my @out;
    for my $line (hsts_lines(@_)) {
        next unless $line =~ /$prefix(\S+:\d+) (sends .*)$/;
        push @out, { level => $1, host => $2, text => $3, line => $line };
    }
    return @out;
}

# ------------------------------------------------------------------
# A daemon: `httpd -k start` on a configuration of the test's own, as
# apachectl runs it, then -k graceful, -k stop, ... on it.

package HSTS::Lint::Daemon;

use File::Spec::Functions qw(catfile);
use HSTS::Util qw(process_alive wait_until);

# new(conf => text, ...base_config options, env => {...}): writes the
# configuration; ctl('start') starts it.
sub new {
    my ($class, %opt) = @_;
    my $dir = HSTS::Httpd::new_dir();
    my $listen = $opt{listen} // [HSTS::Httpd::free_port()];
    my $base = HSTS::Httpd::base_config($dir, %opt, listen => $listen);
    my $self = bless { dir => $dir, file => catfile($dir, 'httpd.conf'),
                       base => $base, env => $opt{env} // {},
                       ports => $listen }, $class;
    $self->reconfigure($opt{conf});
    return $self;
}

# port($i) and reconfigure($conf) are HSTS::Httpd's: a daemon has the
# fields they use (ports, file, base).
sub port        { return HSTS::Httpd::port(@_) }
sub reconfigure { return HSTS::Httpd::reconfigure(@_) }

sub pid_file { return catfile($_[0]{dir}, 'httpd.pid') }
sub log_file { return catfile($_[0]{dir}, 'error_log') }

# httpd -k $action; returns (exit status, output).
sub ctl {
    my ($self, $action) = @_;
    return HSTS::Httpd::ctl($self->{dir}, $self->{file}, $action,
                            env => $self->{env});
}

# The error log's lines (none before it exists).
sub log_lines {
    my ($self) = @_;
    open my $fh, '<', $self->log_file or return ();
    return <$fh>;
}

# How many lines of the error log match $re.
sub log_count {
    my ($self, $re) = @_;
    return scalar grep { $_ =~ $re } $self->log_lines;
}

# Waits until the error log has $n lines matching $re.
sub wait_log {
    my ($self, $re, $n) = @_;
    return wait_until(sub { $self->log_count($re) >= $n });
}

# The pid in the pid file, if any.
sub pid {
    my ($self) = @_;
    open my $fh, '<', $self->pid_file or return undef;
    my $pid = <$fh>;
    return $pid && $pid =~ /^(\d+)/ ? $1 : undef;
}

# Waits until the server runs: its pid file names a live process and it
# has logged that it is ready ($n times in all: 1 after the start, 2 after
# the first restart, ...).
sub wait_ready {
    my ($self, $n) = @_;
    return wait_until(sub {
        process_alive($self->pid)
            && $self->log_count(qr/resuming normal operations/) >= $n });
}

# Waits until the server is gone: no pid file, the process ended.
sub wait_gone {
    my ($self, $pid) = @_;
    return wait_until(sub {
        !-e $self->pid_file && !process_alive($pid) });
}

sub DESTROY {
    my ($self) = @_;
    local ($?, $!, $@);
    my $pid = $self->pid;
    if (process_alive($pid)) {
        kill 'TERM', $pid;
        $self->wait_gone($pid);
    }
}

1;
