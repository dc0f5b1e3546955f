# SPDX-License-Identifier: Apache-2.0
# The example configurations in conf/ are lint-clean: `httpd -t` accepts
# each one and the lint finds nothing to warn about, once their
# certificate paths point at real certificates from a trusted CA.
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use File::Spec::Functions qw(catfile);
use Test::More import => ['!plan'];
use Apache::Test qw(-withtestmore);
use HSTS::Certs qw(make_ca make_cert);
use HSTS::Httpd ();
use HSTS::Util qw(read_file);

my $top = HSTS::Httpd::top_dir();
my @examples = sort glob catfile($top, 'conf', 'examples', '*.conf');

plan tests => 2 * @examples + 2;

my $dir = HSTS::Httpd::new_dir();
my $ca = make_ca(catfile($dir, 'ca'));
my %cert;

# /etc/letsencrypt/live/NAME/{fullchain,privkey}.pem -> a certificate for
# NAME, www.NAME and *.NAME signed by the test CA.
sub cert_for {
    my ($name, $which) = @_;
    $cert{$name} //= make_cert(catfile($dir, 'certs'), $name, ca => $ca,
                               sans => [$name, "www.$name", "*.$name"]);
    return $which eq 'fullchain.pem' ? $cert{$name}{crt} : $cert{$name}{key};
}

# httpd -t binds nothing: the examples keep their ports 80 and 443, which
# the lint holds a site to.
for my $file (@examples) {
    my $conf = read_file($file);
    $conf =~ s{/etc/letsencrypt/live/([^/\s]+)/(fullchain\.pem|privkey\.pem)}
              {cert_for($1, $2)}ge;
    my ($status, $out) = HSTS::Httpd::config_test(
        $conf, listen => [80, 443], env => { SSL_CERT_FILE => $ca->{crt} });
    my ($name) = $file =~ m{([^/]+)$};
    ok($status == 0 && $out =~ /Syntax OK/, "$name: httpd -t accepts it")
        or diag($out);
    my @findings = grep { /\[hsts:(warn|error)\]/ } split /\n/, $out;
    is_deeply(\@findings, [], "$name: no lint warning or error");
}

# The Debian files: hsts.load loads the module (with its path swapped for
# the built one), hsts.conf is valid with it.
{
    my $load = read_file(catfile($top, 'conf', 'hsts.load'));
    like($load, qr{^LoadModule hsts_module /usr/lib/apache2/modules/mod_hsts\.so$}m,
         'hsts.load loads hsts_module from Debian\'s modules directory');
    my $conf = read_file(catfile($top, 'conf', 'hsts.conf'));
    my ($status, $out) = HSTS::Httpd::config_test($conf);
    ok($status == 0 && $out =~ /Syntax OK/, 'hsts.conf is valid') or diag($out);
}
