# SPDX-License-Identifier: Apache-2.0
# Graceful restarts: the redirect and the header keep working, and follow
# a changed configuration (the redirect's hook is only registered when the
# configuration has a redirect, so it must come and go with it).
use strict;
use warnings FATAL => 'all';

use FindBin;
use lib "$FindBin::Bin/lib";

use Test::More import => ['!plan'];
use Apache::Test qw(-withtestmore);
use HSTS::Client qw(request header_values);
use HSTS::Httpd ();
use HSTS::Assert qw(no_crash);

plan tests => 12;

my $pki = HSTS::Httpd::pki_dir();
my ($tls, $plain) = HSTS::Httpd::free_ports(2);

sub conf {
    my ($redirect, $policy) = @_;
    return <<"EOF";
LogLevel notice hsts:error
# One child, and no other started for spare threads or servers: then
# every child of the old generation exists when graceful(old_gone => 1)
# looks, and once they are gone no answer can come from the old
# configuration. (With httpd's defaults the parent may still start one
# for the old generation while the restart signal is on its way, and a
# request may get its answer: seen once in 9 runs under worker.)
<IfModule mpm_prefork_module>
    StartServers 1
    MinSpareServers 1
    MaxSpareServers 64
</IfModule>
<IfModule !mpm_prefork_module>
    StartServers 1
    MinSpareThreads 1
    MaxSpareThreads 400
</IfModule>
<VirtualHost 127.0.0.1:$tls>
    ServerName example.com
    SSLEngine on
    SSLCertificateFile "$pki/example.com.crt"
    SSLCertificateKeyFile "$pki/example.com.key"
    HSTSPolicy "$policy"
</VirtualHost>
<VirtualHost 127.0.0.1:$plain>
    ServerName example.com
    HSTSRedirect $redirect
</VirtualHost>
EOF
}

sub check {
    my ($what, $redirect, $policy) = @_;
    my $res = request(port => $plain, host => 'example.com',
                      target => '/static.txt');
    if ($redirect) {
        is_deeply([$res->{status}, header_values($res, 'Location')],
                  [301, "https://example.com:$tls/static.txt"],
                  "$what: plain HTTP redirects");
    }
    else {
        is($res->{status}, 200, "$what: plain HTTP is served");
    }
    $res = request(port => $tls, tls => 1, host => 'example.com',
                   target => '/static.txt');
    is_deeply([header_values($res, 'Strict-Transport-Security')], [$policy],
              "$what: HTTPS sends the policy");
}

my $server = HSTS::Httpd->start(listen => [$tls, $plain], restarts => 1,
                                conf => conf('On', 'max-age=300'));
check('first start', 1, 'max-age=300');
$server->graceful(old_gone => 1);
check('after a graceful restart', 1, 'max-age=300');

$server->reconfigure(conf('Off', 'max-age=600'));
$server->graceful(old_gone => 1);
check('redirect switched off', 0, 'max-age=600');

$server->reconfigure(conf('On', 'max-age=900; includeSubDomains'));
$server->graceful(old_gone => 1);
check('redirect switched on again', 1, 'max-age=900; includeSubDomains');

$server->graceful(old_gone => 1);
check('one more graceful restart', 1, 'max-age=900; includeSubDomains');

my $log = $server->stop;
no_crash($server, 'no child crashed');
my $redirects = () = $log =~ /resuming normal operations/g;
is($redirects, 5, 'httpd started once and restarted four times');
