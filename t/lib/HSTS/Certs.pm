# SPDX-License-Identifier: Apache-2.0
package HSTS::Certs;
# Test certificates, made with the openssl command: a test CA, and leaf
# certificates it signs (or that sign themselves) with the names, validity
# period and signature digest a test asks for.
use strict;
use warnings FATAL => 'all';

use File::Path qw(make_path);
use File::Spec::Functions qw(catfile rel2abs);
use POSIX qw(strftime);
use HSTS::Util qw(write_file);

our @EXPORT_OK = qw(make_test_pki make_ca make_cert make_intermediate);
use parent 'Exporter';

sub run_openssl {
    my @cmd = ('openssl', @_);
    my $out = qx{@{[ join ' ', map { "'$_'" } @cmd ]} 2>&1};
    die "openssl failed: @cmd\n$out" if $?;
    return $out;
}

# A certificate authority in $dir: ca.key, ca.crt and what `openssl ca`
# needs to sign with arbitrary validity dates.
sub make_ca {
    my ($dir, %opt) = @_;
    my $cn = $opt{cn} // 'mod_hsts test CA';
    make_path($dir);
    $dir = rel2abs($dir);
    my $key = catfile($dir, 'ca.key');
    my $crt = catfile($dir, 'ca.crt');
    run_openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt',
                'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', $key,
                '-out', $crt, '-days', 3650, '-subj', "/CN=$cn",
                '-addext', 'basicConstraints=critical,CA:TRUE',
                '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
                '-' . ($opt{digest} // 'sha256'));
    write_file(catfile($dir, 'index.txt'), '');
    write_file(catfile($dir, 'serial'), sprintf("%06X\n", 4096 + int(rand(1 << 20))));
    return { dir => $dir, key => $key, crt => $crt };
}

sub asn1_time {
    my ($epoch) = @_;
    return strftime('%Y%m%d%H%M%SZ', gmtime $epoch);
}

# A leaf certificate for $name in $dir ($name.crt, $name.key).
# Options: sans => [names], ca => a make_ca() result (else self-signed),
# not_before / not_after => epoch seconds (default: now-1d .. now+365d),
# digest => sha256 | sha1, is_ca => 1 for a CA certificate (no SAN; see
# make_intermediate).
sub make_cert {
    my ($dir, $name, %opt) = @_;
    make_path($dir);
    $dir = rel2abs($dir);
    my $key = catfile($dir, "$name.key");
    my $crt = catfile($dir, "$name.crt");
    my $csr = catfile($dir, "$name.csr");
    my @sans = @{ $opt{sans} // [$name] };
    my $san = join ',', map { /^[\d.]+$|:/ ? "IP:$_" : "DNS:$_" } @sans;
    my $digest = $opt{digest} // 'sha256';
    my $now = time;
    my $from = $opt{not_before} // $now - 86400;
    my $to = $opt{not_after} // $now + 365 * 86400;

    if (!$opt{ca}) {
        run_openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt',
                    'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', $key,
                    '-out', $crt, '-days', 365, '-subj', "/CN=$sans[0]",
                    '-addext', "subjectAltName=$san", "-$digest");
        return { key => $key, crt => $crt };
    }

    my $ca = $opt{ca};
    my $ext = catfile($dir, "$name.ext");
    my $cnf = catfile($dir, "$name.cnf");
    write_file($ext, $opt{is_ca}
                     ? "basicConstraints=critical,CA:TRUE\n"
                       . "keyUsage=critical,keyCertSign,cRLSign\n"
                     : "basicConstraints=CA:FALSE\n"
                       . "keyUsage=critical,digitalSignature\n"
                       . "extendedKeyUsage=serverAuth\n"
                       . "subjectAltName=$san\n");
    write_file($cnf, <<"CNF");
[ ca ]
default_ca = test_ca
[ test_ca ]
dir = $ca->{dir}
database = \$dir/index.txt
serial = \$dir/serial
new_certs_dir = $dir
certificate = $ca->{crt}
private_key = $ca->{key}
default_md = $digest
policy = anything
unique_subject = no
copy_extensions = none
[ anything ]
commonName = supplied
CNF
    run_openssl('req', '-new', '-newkey', 'ec', '-pkeyopt',
                'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', $key,
                '-out', $csr, '-subj', "/CN=$sans[0]");
    run_openssl('ca', '-batch', '-notext', '-config', $cnf, '-in', $csr,
                '-out', $crt, '-extfile', $ext, '-md', $digest,
                '-startdate', asn1_time($from), '-enddate', asn1_time($to));
    return { key => $key, crt => $crt };
}

# An intermediate CA in $dir, signed by $opt{ca} (a make_ca() result)
# with $opt{digest} (sha256 | sha1), valid from $opt{not_before} (a day
# ago) until $opt{not_after} (3 years on): usable as the ca of make_cert,
# and its crt as the chain of the certificates it signs.
sub make_intermediate {
    my ($dir, %opt) = @_;
    my $cn = $opt{cn} // 'mod_hsts test intermediate';
    make_path($dir);
    $dir = rel2abs($dir);
    my $cert = make_cert($dir, 'intermediate', ca => $opt{ca}, is_ca => 1,
                         sans => [$cn], digest => $opt{digest} // 'sha256',
                         not_before => $opt{not_before},
                         not_after => $opt{not_after}
                                      // time + 3 * 365 * 86400);
    write_file(catfile($dir, 'index.txt'), '');
    write_file(catfile($dir, 'serial'),
               sprintf("%06X\n", 4096 + int(rand(1 << 20))));
    return { dir => $dir, key => $cert->{key}, crt => $cert->{crt} };
}

# What the suite's server uses: t/pki/ca.crt and t/pki/example.com.{crt,key}
# covering every test host name.
sub make_test_pki {
    my ($dir) = @_;
    return if -f catfile($dir, 'example.com.crt');
    my $ca = make_ca($dir);
    make_cert($dir, 'example.com', ca => $ca,
              sans => ['example.com', '*.example.com', 'example.net',
                       '*.example.net', 'localhost', '127.0.0.1']);
}

1;
