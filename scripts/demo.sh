#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Builds mod_hsts and starts a demo httpd on loopback:
#   https://localhost:8443/  serves the Strict-Transport-Security header,
#   http://localhost:8080/   redirects to it and never sends the header,
#   https://localhost:8443/hsts-report  the report page (loopback only;
#                            ?problems, ?json and ?metrics too).
# The certificate comes from a CA made for the demo (demo/run/ca.crt).
#
#   scripts/demo.sh          install what is missing (as root), build, start
#   scripts/demo.sh stop     stop the demo server
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
run="$top/demo/run"
https_port=${HSTS_DEMO_HTTPS_PORT:-8443}
http_port=${HSTS_DEMO_HTTP_PORT:-8080}
cd "$top"
. scripts/lib.sh

if [ "${1:-}" = stop ]; then
    if [ -f "$run/httpd.pid" ]; then
        hsts_httpd_paths
        hsts_httpd_stop "$run"
        echo "demo server stopped"
    else
        echo "no demo server is running"
    fi
    exit 0
fi

if [ "$(id -u)" = 0 ]; then
    scripts/deps.sh
fi

echo "== building mod_hsts"
hsts_build
hsts_httpd_paths
hsts_httpd_stop "$run"

echo "== certificates (demo CA, localhost)"
mkdir -p "$run/htdocs"
if [ ! -f "$run/localhost.crt" ]; then
    hsts_make_pki "$run" "mod_hsts demo CA" localhost "DNS:localhost,IP:127.0.0.1"
fi
echo "<!DOCTYPE html><title>mod_hsts demo</title><p>Hello over HTTPS.</p>" \
    >"$run/htdocs/index.html"

{
    echo "# The mod_hsts demo server, written by scripts/demo.sh."
    hsts_httpd_conf_head "$run" "$run/htdocs" event authz_core authz_host dir \
        mime socache_shmcb ssl hsts
    hsts_httpd_user www-data
    cat <<EOF
LogLevel warn hsts:info
ServerName localhost

Listen 127.0.0.1:$http_port
Listen 127.0.0.1:$https_port

# The policy for every host; plain-HTTP hosts redirect to HTTPS.
HSTS On
HSTSMaxAge 1y
HSTSIncludeSubDomains On
HSTSRedirect On

<VirtualHost 127.0.0.1:$https_port>
    ServerName localhost
    SSLEngine on
    SSLCertificateFile "$run/localhost.crt"
    SSLCertificateKeyFile "$run/localhost.key"
</VirtualHost>

<VirtualHost 127.0.0.1:$http_port>
    ServerName localhost
</VirtualHost>

# The report page: every host, its certificate expiry, the lint's findings.
# It shows the configuration: loopback only, like any status page.
<Location "/hsts-report">
    SetHandler hsts-report
    Require ip 127.0.0.1 ::1
</Location>
EOF
} >"$run/httpd.conf"

echo "== configtest (the lint's findings show here)"
"$httpd" -d "$run" -f "$run/httpd.conf" -t

echo "== starting the demo server"
hsts_httpd_start "$run"

echo
echo "\$ curl -sI --cacert demo/run/ca.crt https://localhost:$https_port/"
curl -sI --cacert "$run/ca.crt" "https://localhost:$https_port/"
echo "\$ curl -sI http://localhost:$http_port/"
curl -sI "http://localhost:$http_port/"
echo "\$ curl -s --cacert demo/run/ca.crt 'https://localhost:$https_port/hsts-report?metrics' | grep -v '^#'"
curl -s --cacert "$run/ca.crt" "https://localhost:$https_port/hsts-report?metrics" | grep -v '^#'
echo
echo "The report page (from this machine only): https://localhost:$https_port/hsts-report"
echo "  only what needs attention: ?problems; for programs: ?json; for Prometheus: ?metrics"
echo "The demo server is running (log: demo/run/error_log)."
echo "Stop it with: scripts/demo.sh stop"
