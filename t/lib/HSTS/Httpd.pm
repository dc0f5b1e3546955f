# SPDX-License-Identifier: Apache-2.0
package HSTS::Httpd;
# httpd instances of a test's own: `httpd -t` on a configuration, and
# servers started in the foreground with their error log on a pipe, so a
# test knows the server is ready when httpd says so (no sleeping), and
# reads every line it logs.
use strict;
use warnings FATAL => 'all';

use File::Spec::Functions qw(catfile rel2abs);
use File::Temp qw(tempdir);
use FindBin ();
use IO::Handle ();
use IO::Select ();
use IO::Socket::IP ();
use POSIX qw(WNOHANG);
use Time::HiRes ();
use Apache::Test ();
use HSTS::Util qw(read_file write_file process_alive wait_until);

my $vars = Apache::Test::basic_config()->{vars};

sub top_dir   { return $vars->{top_dir} }
sub httpd     { return $vars->{httpd} }
sub libexec   { return $vars->{libexecdir} }
sub module_so { return catfile(top_dir(), '.libs', 'mod_hsts.so') }
sub mpm       { return $ENV{HSTS_TEST_MPM} || 'event' }
# The suite's certificates (HSTS::Certs::make_test_pki): ca.crt, and
# example.com.crt / .key for every test host name.
sub pki_dir   { return catfile(top_dir(), 't', 'pki') }

# Valgrind (HSTS_TEST_VALGRIND=<log directory>, see HSTS::TestRun): the
# command that goes before httpd's, or nothing (also when a test's
# options say valgrind => 0).
sub valgrind {
    my ($tag, %opt) = @_;
    return () unless $ENV{HSTS_TEST_VALGRIND};
    return () if defined $opt{valgrind} && !$opt{valgrind};
    require HSTS::TestRun;
    return HSTS::TestRun::valgrind_command($tag);
}

# A free port on $addr (bound and released: good enough on a test
# machine; for "::", free on IPv4 too), or undef when $addr cannot be
# bound (no IPv6 here).
sub free_port_on {
    my ($addr) = @_;
    my $s = IO::Socket::IP->new(LocalHost => $addr, LocalPort => 0,
                                Proto => 'tcp', Listen => 1, V6Only => 0)
        or return undef;
    my $port = $s->sockport;
    close $s;
    return $port;
}

# A free loopback port.
sub free_port {
    return free_port_on('127.0.0.1') // die "no free port: $@";
}

# $n different free loopback ports.
sub free_ports {
    my ($n) = @_;
    my @ports;
    while (@ports < $n) {
        my $port = free_port();
        push @ports, $port unless grep { $_ == $port } @ports;
    }
    return @ports;
}

# The modules every test configuration loads; extra ones by name.
sub load_modules {
    my (@extra) = @_;
    my $dir = libexec();
    my $mpm = mpm();
    my $out = qq{LoadModule mpm_${mpm}_module "$dir/mod_mpm_$mpm.so"\n};
    # built into Debian's apache2, shared modules in a source build of httpd
    for my $m ('unixd', 'version') {
        next unless -f "$dir/mod_$m.so";
        $out .= qq{<IfModule !mod_$m.c>\n}
              . qq{    LoadModule ${m}_module "$dir/mod_$m.so"\n}
              . qq{</IfModule>\n};
    }
    for my $m ('authz_core', 'socache_shmcb', 'ssl', 'headers', @extra) {
        $out .= qq{LoadModule ${m}_module "$dir/mod_$m.so"\n};
    }
    $out .= sprintf qq{LoadModule hsts_module "%s"\n}, module_so();
    return $out;
}

# A directory of its own for one test configuration.
sub new_dir {
    return tempdir('hsts-XXXXXX', TMPDIR => 1, CLEANUP => 1);
}

# The common head of a test configuration in $dir.
sub base_config {
    my ($dir, %opt) = @_;
    my $listen = $opt{listen} // [free_port()];
    return load_modules(@{ $opt{modules} // [] })
        . qq{ServerRoot "$dir"\n}
        . qq{DefaultRunTimeDir "$dir"\n}
        . qq{PidFile "$dir/httpd.pid"\n}
        . qq{ErrorLog "$dir/error_log"\n}
        . qq{LogLevel } . ($opt{loglevel} // 'warn') . qq{\n}
        . qq{ServerName localhost\n}
        . qq{DocumentRoot "} . catfile(top_dir(), 't', 'htdocs') . qq{"\n}
        . join('', map { "Listen 127.0.0.1:$_\n" } @$listen)
        . ($opt{mutex} // qq{Mutex file:$dir default\n});
}

# A wait status ($?) as { exit, signal, core }.
sub wait_status {
    my ($status) = @_;
    return { exit => $status >> 8, signal => $status & 127,
             core => $status & 128 ? 1 : 0 };
}

# Runs `httpd -t` on base config + $conf (or, with raw => 1, on $conf
# alone). Returns { exit, signal, core, out, file, secs }: the whole exit
# status, the output, the configuration file and how long it took.
# env => { NAME => value }: environment variables for httpd;
# valgrind => 0: never under valgrind.
sub config_check {
    my ($conf, %opt) = @_;
    my $dir = $opt{dir} // new_dir();
    my $file = catfile($dir, 'httpd.conf');
    write_file($file, ($opt{raw} ? '' : base_config($dir, %opt)) . $conf);
    my @cmd = (valgrind('configtest', %opt), httpd(), '-t', '-d', $dir,
               '-f', $file, map { ('-D', $_) } @{ $opt{defines} // [] });
    my %env = %{ $opt{env} // {} };
    local @ENV{keys %env} = values %env;
    my $t0 = Time::HiRes::time();
    my $out = qx{@{[ join ' ', map { quotemeta } @cmd ]} 2>&1};
    return { %{ wait_status($?) }, out => $out, file => $file,
             secs => Time::HiRes::time() - $t0 };
}

# config_check's exit status, output and configuration file.
sub config_test {
    my $r = config_check(@_);
    return ($r->{exit}, $r->{out}, $r->{file});
}

# Runs `httpd -k $action` (start, graceful, stop, ...) on the
# configuration $file in $dir, as apachectl does. Returns (exit status,
# output). env => { NAME => value } as for config_test.
sub ctl {
    my ($dir, $file, $action, %opt) = @_;
    my @cmd = (valgrind("k-$action"), httpd(), '-k', $action, '-d', $dir,
               '-f', $file);
    my %env = %{ $opt{env} // {} };
    local @ENV{keys %env} = values %env;
    my $out = qx{@{[ join ' ', map { quotemeta } @cmd ]} 2>&1};
    return ($? >> 8, $out);
}

# The line number of the first line of $file that contains $text.
sub line_of {
    my ($file, $text) = @_;
    open my $fh, '<', $file or die "$file: $!";
    while (my $l = <$fh>) {
        return $. if index($l, $text) >= 0;
    }
    die "'$text' is not in $file";
}

# ------------------------------------------------------------------
# Foreground servers.

# start(conf => text, ...base_config options) starts httpd -D FOREGROUND
# with its error log on a pipe and returns once httpd has logged that it
# is ready ("resuming normal operations"), or dies with what it logged.
# env => { NAME => value }: environment variables for httpd.
# timeout => seconds httpd may stay silent while starting (default 60).
# may_fail => 1: a start that fails returns the server anyway, stopped
# (ready false; its exit status and every line it logged kept).
# Under valgrind (HSTS_TEST_VALGRIND) it starts httpd -X (one process,
# which logs no "resuming normal operations": ready once it has written
# its pid file), unless restarts => 1 says the test restarts the server:
# then it is the usual multi-process server, every process under valgrind.
# valgrind => 0: never under valgrind.
sub start {
    my ($class, %opt) = @_;
    my $dir = $opt{dir} // new_dir();
    my $file = catfile($dir, 'httpd.conf');
    my $listen = $opt{listen} // [free_port()];
    my @valgrind = valgrind('start', %opt);
    my $one_process = @valgrind && !$opt{restarts};
    my $base = base_config($dir, %opt, listen => $listen,
                           loglevel => $opt{loglevel} // 'notice');
    # the error log goes to httpd's stderr, which is our pipe
    $base =~ s{^ErrorLog .*$}{ErrorLog /dev/stderr}m;
    write_file($file, $base . $opt{conf});

    # httpd gets a process group of its own (below), so a Ctrl-C or a
    # SIGTERM meant for the test no longer reaches it: make those end the
    # test with exit(), which stops every server it started (DESTROY).
    for my $sig (qw(INT TERM HUP)) {
        $SIG{$sig} = sub { exit 1 } if !$SIG{$sig} || $SIG{$sig} eq 'DEFAULT';
    }
    pipe(my $r, my $w) or die "pipe: $!";
    my $pid = fork // die "fork: $!";
    if (!$pid) {
        close $r;
        # A process group of its own: prefork's parent signals its whole
        # group (killpg SIGTERM at shutdown, SIGHUP at a restart), and
        # without -k start nothing detaches it from the test's group.
        POSIX::setpgid(0, 0) or die "setpgid: $!";
        @ENV{keys %{ $opt{env} // {} }} = values %{ $opt{env} // {} };
        open STDERR, '>&', $w or die;
        open STDOUT, '>&', $w or die;
        open STDIN, '<', '/dev/null' or die;
        exec @valgrind, httpd(),
             ($one_process ? '-X' : ('-D', 'FOREGROUND')),
             '-d', $dir, '-f', $file,
             map { ('-D', $_) } @{ $opt{defines} // [] };
        die "exec: $!";
    }
    close $w;
    my $self = bless { pid => $pid, dir => $dir, file => $file, log => $r,
                       env => $opt{env} // {},
                       lines => [], ports => $listen, generation => 0,
                       base => $base, one_process => $one_process,
                       valgrind => scalar @valgrind }, $class;
    $self->{ready} = $one_process
        ? $self->wait_pid_file
        : $self->wait_for(qr/resuming normal operations/, $opt{timeout});
    return $self if $self->{ready};
    die "httpd did not start:\n" . join('', @{ $self->{lines} })
        unless $opt{may_fail};
    # it may only have gone quiet: stop it and its children (its group)
    kill 'TERM', -$pid if $self->{pid};
    $self->reap;
    return $self;
}

# httpd -X: reads the error log until httpd has written its pid file
# (after its configuration passes, the lint's included: what it logged
# until then is all in the pipe), at most $timeout seconds (default 300);
# false if httpd exits first.
sub wait_pid_file {
    my ($self, $timeout) = @_;
    my $pid_file = catfile($self->{dir}, 'httpd.pid');
    my $deadline = time + ($timeout // 300);
    my $sel = IO::Select->new($self->{log});
    $self->{buf} //= '';
    my $seen = 0;
    for (;;) {
        # what has arrived, without waiting once the pid file is there
        while ($sel->can_read($seen ? 0 : 0.1)) {
            my $n = sysread $self->{log}, my $chunk, 65536;
            last unless $n;
            $self->{buf} .= $chunk;
        }
        push @{ $self->{lines} }, $1 while $self->{buf} =~ s/\A([^\n]*\n)//;
        return 1 if $seen;
        if (waitpid($self->{pid}, WNOHANG) == $self->{pid}) {
            $self->{status} = wait_status($?);
            delete $self->{pid};
            return 0;
        }
        if (open my $fh, '<', $pid_file) {
            my $line = <$fh> // '';
            $seen = $line =~ /^\Q$self->{pid}\E\n/;
        }
        return 0 if !$seen && time > $deadline;
    }
}

sub port   { return $_[0]{ports}[ $_[1] // 0 ] }
sub lines  { return @{ $_[0]{lines} } }
sub ready  { return $_[0]{ready} }
# How the server exited ({ exit, signal, core }), once it has.
sub status { return $_[0]{status} }
# Whether it ran under valgrind (whose exit status it then is).
sub ran_under_valgrind { return $_[0]{valgrind} }

# Replaces the configuration after the common head (same ports, same
# error log) with $conf, for the next graceful restart to read.
sub reconfigure {
    my ($self, $conf) = @_;
    write_file($self->{file}, $self->{base} . $conf);
}

# Reads the error log until a line matches; false if httpd exits first.
# Waits at most $timeout seconds (default 60) for httpd to say anything.
# The pipe is read with sysread into a buffer of our own: select() knows
# nothing of what readline() would have buffered, so lines that arrived
# in one chunk with the one waited for would otherwise wait for the
# timeout.
sub wait_for {
    my ($self, $re, $timeout) = @_;
    my $sel = IO::Select->new($self->{log});
    $self->{buf} //= '';
    for (;;) {
        while ($self->{buf} =~ s/\A([^\n]*\n)//) {
            my $line = $1;
            push @{ $self->{lines} }, $line;
            return 1 if $line =~ $re;
        }
        $sel->can_read($timeout // 60) or return 0;
        my $n = sysread $self->{log}, my $chunk, 65536;
        return 0 unless $n;
        $self->{buf} .= $chunk;
    }
}

# Sends a signal and waits for httpd's own word that it acted on it.
# With old_gone => 1 it then also waits until every child process of the
# old generation has exited: until then one of them may still accept a
# connection and answer it with the old configuration (a matter of
# milliseconds on an idle machine, of seconds under valgrind).
# Returns the lines httpd logged from the signal until it said it was
# back: the new generation's start, the lint's findings included.
sub graceful {
    my ($self, %opt) = @_;
    die "a graceful restart needs a multi-process server: start it with "
        . "restarts => 1\n" if $self->{one_process};
    my @old = $opt{old_gone} ? $self->children : ();
    my $from = @{ $self->{lines} };
    kill 'USR1', $self->{pid};
    $self->wait_for(qr/resuming normal operations/)
        or die "httpd did not come back from a graceful restart:\n"
               . join('', @{ $self->{lines} });
    my @new = @{ $self->{lines} }[$from .. $#{ $self->{lines} }];
    return @new unless @old;
    wait_until(sub { !grep { process_alive($_) } @old }, $opt{timeout} // 120)
        or die "the old generation of httpd's children did not exit\n";
    return @new;
}

# Runs `httpd -t` on the server's own configuration, with its
# environment, as `apachectl graceful` does before it signals: the same
# runtime directory, so the same files there. Returns what config_check
# returns.
sub configtest {
    my ($self) = @_;
    return config_check(read_file($self->{file}), raw => 1,
                        dir => $self->{dir}, env => $self->{env});
}

# The pids of the server's child processes.
sub children {
    my ($self) = @_;
    my @pids;
    opendir my $dh, '/proc' or return ();
    for my $p (grep { /^\d+$/ } readdir $dh) {
        open my $fh, '<', "/proc/$p/stat" or next;
        my $stat = <$fh> // next;
        push @pids, $p if $stat =~ /^\d+ \(.*\) \S+ (\d+) /
                          && $1 == $self->{pid};
    }
    return @pids;
}

# Stops the server; returns every line it logged, as one text.
sub stop {
    my ($self) = @_;
    if ($self->{pid}) {
        kill 'TERM', $self->{pid};
        $self->reap;
    }
    return join '', @{ $self->{lines} };
}

# Reads what httpd logs until it exits, then reaps it (its exit status
# to status()).
sub reap {
    my ($self) = @_;
    $self->wait_for(qr/(?!)/);
    push @{ $self->{lines} }, $self->{buf} if length($self->{buf} // '');
    $self->{buf} = '';
    return unless $self->{pid};
    waitpid $self->{pid}, 0;
    $self->{status} = wait_status($?);
    delete $self->{pid};
}

sub DESTROY {
    my ($self) = @_;
    local ($?, $!, $@);
    $self->stop if $self->{pid};
}

1;
