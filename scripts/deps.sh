#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Installs the Debian packages mod_hsts needs to build, test and demo, and
# those named as arguments (only those missing; needs root when any is).
#
#   scripts/deps.sh [PACKAGE...]
set -eu

# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/lib.sh"

PACKAGES="apache2 apache2-dev libapache2-mod-perl2 libssl-dev libpsl-dev
autoconf automake libtool pkg-config make gcc openssl curl
libio-socket-ssl-perl libwww-perl liblwp-protocol-https-perl rsync
chromium python3-prometheus-client faketime libfaketime"

# shellcheck disable=SC2086  # one package a word
hsts_install_packages $PACKAGES "$@"
