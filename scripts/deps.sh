#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Installs the Debian packages mod_hsts needs to build, test and demo
# (only those missing; needs root when any is).
set -eu

PACKAGES="apache2 apache2-dev libapache2-mod-perl2 libssl-dev libpsl-dev
autoconf automake libtool pkg-config make gcc openssl curl
libio-socket-ssl-perl libwww-perl liblwp-protocol-https-perl rsync
chromium"

missing=""
for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
    echo "mod_hsts: these Debian packages are missing:$missing" >&2
    echo "mod_hsts: run this again as root, or install them with apt-get." >&2
    exit 1
fi
echo "mod_hsts: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
