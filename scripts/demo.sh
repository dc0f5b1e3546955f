#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Builds mod_hsts and starts a demo httpd on loopback:
#   https://localhost:8443/  serves the Strict-Transport-Security header,
#   http://localhost:8080/   redirects to it and never sends the header.
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

httpd_bin() {
    echo "$(apxs -q SBINDIR)/$(apxs -q TARGET)"
}

if [ "${1:-}" = stop ]; then
    if [ -f "$run/httpd.pid" ]; then
        "$(httpd_bin)" -d "$run" -f "$run/httpd.conf" -k stop
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
[ -x configure ] || autoreconf -fi >/dev/null
[ -f Makefile ] || ./configure >/dev/null
make >/dev/null

httpd=$(httpd_bin)
libexec=$(apxs -q LIBEXECDIR)
if [ -f "$run/httpd.pid" ] && kill -0 "$(cat "$run/httpd.pid")" 2>/dev/null; then
    "$httpd" -d "$run" -f "$run/httpd.conf" -k stop || true
    while kill -0 "$(cat "$run/httpd.pid" 2>/dev/null || echo 0)" 2>/dev/null; do
        sleep 0.1
    done
fi

echo "== certificates (demo CA, localhost)"
mkdir -p "$run/htdocs"
if [ ! -f "$run/localhost.crt" ]; then
    . scripts/pki.sh
    make_pki "$run" "mod_hsts demo CA" localhost "DNS:localhost,IP:127.0.0.1"
fi
echo "<!DOCTYPE html><title>mod_hsts demo</title><p>Hello over HTTPS.</p>" \
    >"$run/htdocs/index.html"

user_group=""
if [ "$(id -u)" = 0 ]; then
    user_group="User www-data
Group www-data"
fi

cat >"$run/httpd.conf" <<EOF
# The mod_hsts demo server, written by scripts/demo.sh.
LoadModule mpm_event_module "$libexec/mod_mpm_event.so"
LoadModule authz_core_module "$libexec/mod_authz_core.so"
LoadModule dir_module "$libexec/mod_dir.so"
LoadModule mime_module "$libexec/mod_mime.so"
LoadModule socache_shmcb_module "$libexec/mod_socache_shmcb.so"
LoadModule ssl_module "$libexec/mod_ssl.so"
LoadModule hsts_module "$top/.libs/mod_hsts.so"

ServerRoot "$run"
DefaultRunTimeDir "$run"
PidFile "$run/httpd.pid"
ErrorLog "$run/error_log"
LogLevel warn hsts:info
$user_group
ServerName localhost
DocumentRoot "$run/htdocs"
TypesConfig /etc/mime.types
<Directory "$run/htdocs">
    Require all granted
</Directory>

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
EOF

echo "== configtest (the lint's findings show here)"
"$httpd" -d "$run" -f "$run/httpd.conf" -t

echo "== starting the demo server"
"$httpd" -d "$run" -f "$run/httpd.conf" -k start
# -k start returns before the server has bound its ports: wait until it answers
for _ in $(seq 1 100); do
    curl -s -o /dev/null "http://127.0.0.1:$http_port/" && break
    sleep 0.1
done

echo
echo "\$ curl -sI --cacert demo/run/ca.crt https://localhost:$https_port/"
curl -sI --cacert "$run/ca.crt" "https://localhost:$https_port/"
echo "\$ curl -sI http://localhost:$http_port/"
curl -sI "http://localhost:$http_port/"
echo "The demo server is running (log: demo/run/error_log)."
echo "Stop it with: scripts/demo.sh stop"
