# SPDX-License-Identifier: Apache-2.0
# What `httpd -L` (and mod_info) says of mod_hsts's directives: each one
# belongs to the server config or a <VirtualHost> (RSRC_CONF), never to a
# <Directory>, <Location> or .htaccess (README: Directives).
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use File::Spec::Functions qw(catfile);
use Test::More import => ['!plan'];
use Apache::Test qw(-withtestmore);
use HSTS::Httpd ();
use HSTS::Util qw(write_file);

my @directives = qw(HSTS HSTSMaxAge HSTSIncludeSubDomains HSTSPreload
                    HSTSPolicy HSTSRedirect HSTSRedirectPort
                    HSTSRedirectExclude HSTSTrustedProxy HSTSLint
                    HSTSLintIgnore);

plan tests => 2 * @directives + 1;

my $dir = HSTS::Httpd::new_dir();
my $file = catfile($dir, 'httpd.conf');
write_file($file, HSTS::Httpd::base_config($dir));
my $out = qx{@{[ join ' ', map { quotemeta } HSTS::Httpd::httpd(), '-L',
                 '-d', $dir, '-f', $file ]} 2>&1};
is($? >> 8, 0, 'httpd -L runs with mod_hsts loaded') or diag($out);

# httpd -L: "NAME (mod_hsts.c)", a tab-indented description, a tab-
# indented context line.
my %context;
while ($out =~ /^(\S+) \(mod_hsts\.c\)\n((?:\t[^\n]*\n)+)/mg) {
    my ($name, $body) = ($1, $2);
    my @lines = map { s/^\t//r } split /\n/, $body;
    $context{$name} = $lines[-1];
}
for my $d (@directives) {
    is($context{$d},
       'Allowed in *.conf only outside <Directory>, <Files>, <Location>, or <If>',
       "httpd -L: $d belongs to the server config and virtual hosts");
    unlike($context{$d} // '', qr/htaccess/i,
           "httpd -L: $d is not offered for .htaccess");
}
