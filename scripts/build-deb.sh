#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Builds the Debian package libapache2-mod-hsts from this tree:
#
#   scripts/build-deb.sh [OUTDIR]        (default: ./deb-out)
#
# Installs the build dependencies of debian/control that are missing (as
# root; otherwise it says which), copies the tree as git sees it (tracked
# files and new ones that are not ignored; without git, the tree less what
# builds leave, and the built manual, which the package build makes from
# docs/mod_hsts.xml) to a scratch directory, and runs dpkg-buildpackage there:
# the project's own autoreconf -fi / configure --enable-werror / make, then
# `make check` (the unit tests; DEB_BUILD_OPTIONS=nocheck skips them). The
# work tree is not touched. OUTDIR gets the .deb, the source package
# (.dsc, .tar.xz), .buildinfo, .changes and build.log.
#
# Then: scripts/check-deb.sh OUTDIR/libapache2-mod-hsts_*.deb
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"
out=${1:-$top/deb-out}
mkdir -p "$out"
out=$(cd "$out" && pwd)

say() { echo "build-deb: $*"; }
die() { echo "build-deb: $*" >&2; exit 1; }

[ -f "$top/debian/control" ] || die "no debian/control in $top"

# --- build dependencies ---------------------------------------------------
hsts_install_packages dpkg-dev build-essential || exit 1
if ! unmet=$(cd "$top" && dpkg-checkbuilddeps 2>&1); then
    say "${unmet#dpkg-checkbuilddeps: error: }"
    [ "$(id -u)" = 0 ] || die "install the build dependencies above (as root: apt-get build-dep $top)"
    say "installing the build dependencies of debian/control"
    hsts_apt_update
    hsts_apt_get build-dep -y -qq "$top" >/dev/null
    (cd "$top" && dpkg-checkbuilddeps) || die "build dependencies still unmet"
fi

# --- versions -------------------------------------------------------------
deb_version=$(cd "$top" && dpkg-parsechangelog -S Version)
upstream_version=$(sed -n 's/^AC_INIT(\[mod_hsts\], *\[\([^]]*\)\].*/\1/p' "$top/configure.ac")
[ -n "$upstream_version" ] || die "no version in configure.ac's AC_INIT"
case "$deb_version" in
    "$upstream_version"|"$upstream_version"-*|"$upstream_version"+*) ;;
    *) die "debian/changelog is at $deb_version but configure.ac at $upstream_version: add a debian/changelog entry (dch -v $upstream_version)" ;;
esac

# --- a clean copy of the tree ---------------------------------------------
work=$(mktemp -d "${TMPDIR:-/tmp}/mod_hsts-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT
src="$work/libapache2-mod-hsts-$upstream_version"
mkdir "$src"
if [ "$(git -C "$top" rev-parse --show-toplevel 2>/dev/null)" = "$top" ]; then
    (cd "$top" && git ls-files -z --cached --others --exclude-standard) |
        (cd "$top" && xargs -0 sh -c 'for f; do [ -f "$f" ] && printf "%s\0" "$f"; done' sh) |
        (cd "$top" && tar --null -T - -cf -) | tar -C "$src" -xf -
else
    (cd "$top" && tar -cf - --exclude=./.git --exclude='*.o' --exclude='*.lo' \
        --exclude='*.slo' --exclude='*.la' --exclude=.libs --exclude=.deps \
        --exclude=autom4te.cache --exclude=config.status --exclude=config.log \
        --exclude=./Makefile --exclude=./t/logs --exclude=./t/TEST \
        --exclude=./deb-out --exclude='./mod_hsts-*' \
        --exclude=./docs/mod_hsts.html --exclude=./docs/mod_hsts.8 .) | tar -C "$src" -xf -
fi

# --- build ------------------------------------------------------------------
say "building libapache2-mod-hsts $deb_version (log: $out/build.log)"
# source (native: .dsc and .tar.xz) and binary packages, unsigned
if ! (cd "$src" && dpkg-buildpackage --no-sign) >"$out/build.log" 2>&1; then
    tail -n 40 "$out/build.log" >&2
    die "dpkg-buildpackage failed; the whole log is $out/build.log"
fi

for f in "$work"/*.deb "$work"/*.buildinfo "$work"/*.changes "$work"/*.dsc "$work"/*.tar.*; do
    [ -e "$f" ] && cp -p "$f" "$out/"
done
deb=$(ls "$out"/libapache2-mod-hsts_"$deb_version"_*.deb)
say "built $deb"
ls -l "$out"/libapache2-mod-hsts_"$deb_version"* | sed 's/^/  /'
