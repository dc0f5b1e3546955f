#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Checks a libapache2-mod-hsts package built by scripts/build-deb.sh.
#
#   scripts/check-deb.sh [--sandbox | --install [--keep]] PACKAGE.deb|OUTDIR
#
# Always (any user, changes nothing on the machine):
#   - dpkg-deb -I: name, version (configure.ac's), Depends (apache2-api-*,
#     apache2-bin >= 2.4.48, the shared libraries), conffiles, maintainer
#     scripts (a2dismod on removal, no a2enmod on installation);
#   - dpkg-deb -c: the module, hsts.load and hsts.conf in mods-available,
#     README, changelogs, copyright, the HTML manual, the examples, the man
#     page, and nothing else (no .la, nothing in /usr/local);
#   - a scratch root (dpkg-deb -x): hsts.load names the packaged module, the
#     man page renders without warnings, the manual has every directive,
#     and the machine's apache2 loads the packaged module with the packaged
#     hsts.conf (apache2 -t and -M on a private configuration; a bad
#     directive value must fail). Skipped when apache2 is not installed.
#
# --sandbox (root; needs unshare and overlayfs): the real thing in a
#   throw-away copy-on-write view of this machine: apt-get install ./the.deb,
#   a2enmod hsts, apache2ctl configtest and -M, man mod_hsts, then
#   dpkg --purge and a configtest without it. Services are not started
#   (policy-rc.d), and nothing of it reaches the machine.
#
# --install (root, opt-in, for disposable machines): the same on the
#   machine itself; afterwards it purges the package and disables what
#   a2enmod enabled, unless --keep.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$top/scripts/lib.sh"
mode=scratch
keep=""
deb=""
for arg in "$@"; do
    case "$arg" in
        --sandbox) mode=sandbox ;;
        --install) mode=install ;;
        --keep) keep=1 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        -*) echo "check-deb: unknown option $arg" >&2; exit 2 ;;
        *) deb=$arg ;;
    esac
done
if [ -d "$deb" ]; then
    deb=$(ls -t "$deb"/libapache2-mod-hsts_*.deb 2>/dev/null | head -n 1 || true)
fi
[ -n "$deb" ] && [ -f "$deb" ] || { echo "usage: check-deb.sh [--sandbox|--install [--keep]] PACKAGE.deb|OUTDIR" >&2; exit 2; }
deb=$(cd "$(dirname "$deb")" && pwd)/$(basename "$deb")

pass=0
fail=0
skip=0
ok() { pass=$((pass + 1)); echo "ok - $*"; }
bad() { fail=$((fail + 1)); echo "not ok - $*"; }
skipped() { skip=$((skip + 1)); echo "ok - # SKIP $*"; }
check() { # check DESCRIPTION COMMAND...
    local what=$1; shift
    if "$@" >/dev/null 2>&1; then ok "$what"; else bad "$what"; fi
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mod_hsts-check-deb.XXXXXX")
cleanup() { rm -rf "$tmp"; }
trap cleanup EXIT

pkg=libapache2-mod-hsts
doc=usr/share/doc/$pkg
echo "# $deb ($mode)"

# --- control information ------------------------------------------------------
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = "$pkg" ] && ok "Package: $pkg" || bad "Package is '$(field Package)', not $pkg"
version=$(field Version)
upstream=$(sed -n 's/^AC_INIT(\[mod_hsts\], *\[\([^]]*\)\].*/\1/p' "$top/configure.ac" 2>/dev/null || true)
if [ -n "$upstream" ]; then
    case "$version" in
        "$upstream"|"$upstream"-*|"$upstream"+*) ok "Version $version is configure.ac's $upstream" ;;
        *) bad "Version $version, but configure.ac says $upstream" ;;
    esac
fi
arch=$(field Architecture)
[ "$arch" = "$(dpkg --print-architecture)" ] && ok "Architecture: $arch" || bad "Architecture $arch"
depends=$(field Depends)
echo "# Depends: $depends"
for re in 'apache2-api-[0-9]{8}' 'apache2-bin \(>= 2\.4\.(4[89]|[5-9][0-9])' 'libssl3' 'libpsl5' 'libc6'; do
    if echo "$depends" | grep -Eq "(^|, )$re"; then ok "Depends has $re"; else bad "Depends lacks $re"; fi
done

dpkg-deb -e "$deb" "$tmp/control"
if [ -f "$tmp/control/conffiles" ] &&
   grep -qx /etc/apache2/mods-available/hsts.load "$tmp/control/conffiles" &&
   grep -qx /etc/apache2/mods-available/hsts.conf "$tmp/control/conffiles"; then
    ok "hsts.load and hsts.conf are conffiles"
else
    bad "hsts.load and hsts.conf are not both conffiles"
fi
if grep -q 'dismod' "$tmp/control/prerm" 2>/dev/null && grep -q 'hsts' "$tmp/control/prerm"; then
    ok "prerm disables the module on removal"
else
    bad "prerm does not disable the module (a2dismod hsts) on removal"
fi
if [ -f "$tmp/control/postinst" ] && grep -q 'enmod' "$tmp/control/postinst"; then
    bad "postinst enables the module: the administrator should (a2enmod hsts)"
else
    ok "postinst does not enable the module"
fi

# --- contents -----------------------------------------------------------------
dpkg-deb -c "$deb" | awk '{ print $6 }' | sed 's|^\./||; /\/$/d; /^$/d' | sort >"$tmp/files"
has() { grep -qx "$1" "$tmp/files"; }
for f in usr/lib/apache2/modules/mod_hsts.so \
         etc/apache2/mods-available/hsts.load \
         etc/apache2/mods-available/hsts.conf \
         "$doc/copyright" "$doc/changelog.gz" "$doc/README.Debian" \
         "$doc/mod_hsts.html" usr/share/man/man8/mod_hsts.8.gz; do
    has "$f" && ok "contains /$f" || bad "lacks /$f"
done
for f in README.md CHANGELOG.md; do
    if has "$doc/$f" || has "$doc/$f.gz"; then ok "contains /$doc/$f"; else bad "lacks /$doc/$f"; fi
done
if [ -d "$top/conf/examples" ]; then
    for e in "$top"/conf/examples/*.conf; do
        f="$doc/examples/$(basename "$e")"
        if has "$f" || has "$f.gz"; then ok "contains /$f"; else bad "lacks /$f"; fi
    done
else
    grep -q "^$doc/examples/.*\.conf" "$tmp/files" && ok "contains examples" || bad "no examples"
fi
stray=$(grep -Ev "^(etc/apache2/mods-available/|usr/lib/apache2/modules/mod_hsts\.so$|$doc/|usr/share/man/man8/|usr/share/doc-base/)" "$tmp/files" || true)
[ -z "$stray" ] && ok "nothing outside the expected places" || bad "unexpected files: $(tr "\n" " " <<<"$stray")"
junk=$(grep -E '\.(la|a)$|^usr/local/' "$tmp/files" || true)
[ -z "$junk" ] && ok "no .la, .a or /usr/local files" || bad "junk: $(tr "\n" " " <<<"$junk")"

# --- scratch root ---------------------------------------------------------------
root="$tmp/root"
mkdir -p "$root"
dpkg-deb -x "$deb" "$root"
load_line=$(grep -E '^[[:space:]]*LoadModule[[:space:]]+hsts_module' "$root/etc/apache2/mods-available/hsts.load" || true)
so=$(echo "$load_line" | awk '{ print $3 }')
if [ -n "$so" ] && [ -f "$root$so" ]; then
    ok "hsts.load loads $so, which the package has"
else
    bad "hsts.load's LoadModule ('$load_line') does not name the packaged module"
fi
if [ "$(head -c 4 "$root/usr/lib/apache2/modules/mod_hsts.so" | od -An -c | tr -d ' ')" = '177ELF' ]; then
    ok "mod_hsts.so is an ELF shared object"
else
    bad "mod_hsts.so is not an ELF shared object"
fi

man_page="$root/usr/share/man/man8/mod_hsts.8.gz"
zcat "$man_page" >"$tmp/mod_hsts.8"
missing=""
for d in HSTS HSTSMaxAge HSTSIncludeSubDomains HSTSPreload HSTSPolicy HSTSRedirect \
         HSTSRedirectPort HSTSRedirectExclude HSTSTrustedProxy HSTSLint HSTSLintIgnore; do
    grep -qx "\.SS $d" "$tmp/mod_hsts.8" || missing="$missing $d"
done
[ -z "$missing" ] && ok "the man page documents every directive" || bad "the man page lacks$missing"
if command -v groff >/dev/null; then
    warnings=$(groff -man -ww -z -Tutf8 "$tmp/mod_hsts.8" 2>&1 || echo "groff failed")
    [ -z "$warnings" ] && ok "the man page renders without warnings" || bad "man page: $warnings"
else
    skipped "groff is not installed: man page not rendered"
fi
html="$root/$doc/mod_hsts.html"
missing=""
for d in HSTS HSTSMaxAge HSTSIncludeSubDomains HSTSPreload HSTSPolicy HSTSRedirect \
         HSTSRedirectPort HSTSRedirectExclude HSTSTrustedProxy HSTSLint HSTSLintIgnore; do
    id=$(echo "$d" | tr 'A-Z' 'a-z')
    grep -q "id=\"$id\"" "$html" || missing="$missing $d"
done
[ -z "$missing" ] && ok "the HTML manual documents every directive" || bad "the HTML manual lacks$missing"
if grep -q '<script\|<link \|src="http' "$html"; then
    bad "the HTML manual loads external assets"
else
    ok "the HTML manual is self-contained"
fi

# The machine's apache2 loads the packaged module with the packaged
# hsts.conf, on a private configuration: nothing of the machine's is used.
apache2_bin=$(command -v apache2 || ls /usr/sbin/apache2 2>/dev/null || true)
mods=/usr/lib/apache2/modules
if [ -n "$apache2_bin" ] && [ -f "$mods/mod_ssl.so" ]; then
    conf="$tmp/httpd"
    mkdir -p "$conf"
    mpm=event; [ -f "$mods/mod_mpm_event.so" ] || mpm=prefork
    socache=(); [ -f "$mods/mod_socache_shmcb.so" ] && socache=(socache_shmcb)
    # the packaged files with mod_ssl, as `a2enmod ssl hsts` would enable
    {
        libexec=$mods hsts_httpd_conf_head "$conf" "$conf" "$mpm" authz_core \
            "${socache[@]}" ssl
        sed "s|$so|$root$so|" "$root/etc/apache2/mods-available/hsts.load"
        echo "Include \"$root/etc/apache2/mods-available/hsts.conf\""
        echo "ServerName localhost"
        echo "Listen 127.0.0.1:8080"
        echo "HSTS On"
        echo "HSTSMaxAge 1y"
        echo "HSTSRedirect On"
        echo "<VirtualHost *:8080>"
        echo "    ServerName www.example.test"
        echo "</VirtualHost>"
    } >"$conf/httpd.conf"
    if out=$("$apache2_bin" -t -f "$conf/httpd.conf" 2>&1) && grep -q 'Syntax OK' <<<"$out"; then
        ok "apache2 -t with the packaged module and hsts.conf: Syntax OK"
    else
        bad "apache2 -t with the packaged module: $out"
    fi
    modules=$("$apache2_bin" -t -D DUMP_MODULES -f "$conf/httpd.conf" 2>/dev/null || true)
    if grep -q 'hsts_module (shared)' <<<"$modules"; then
        ok "apache2 -M lists hsts_module"
    else
        bad "apache2 -M does not list hsts_module"
    fi
    sed 's/^HSTSMaxAge 1y$/HSTSMaxAge 1x/' "$conf/httpd.conf" >"$conf/bad.conf"
    if out=$("$apache2_bin" -t -f "$conf/bad.conf" 2>&1); then
        bad "apache2 -t accepted HSTSMaxAge 1x"
    elif grep -q "HSTSMaxAge: \"1x\" is not a valid duration" <<<"$out"; then
        ok "apache2 -t rejects HSTSMaxAge 1x with the module's message"
    else
        bad "apache2 -t failed on HSTSMaxAge 1x without the module's message: $out"
    fi
else
    skipped "apache2 (apache2-bin with mod_ssl) is not installed: the module was not loaded"
fi

# --- a real installation: in a sandbox, or on the machine ---------------------
# The steps, as a script for /bin/sh on the target system ($1: the .deb).
install_steps() {
    cat <<'EOF'
set -u
deb=$1
n=0
ok() { echo "ok - $*"; }
bad() { echo "not ok - $*"; }
step() { # step DESCRIPTION COMMAND...
    what=$1; shift
    if out=$("$@" 2>&1); then ok "$what"; else bad "$what"; echo "$out" | sed 's/^/#   /'; fi
}
export DEBIAN_FRONTEND=noninteractive
baseline=yes
apache2ctl configtest >/dev/null 2>&1 || baseline=no
[ "$baseline" = yes ] || echo "# the machine's apache2 configuration fails configtest before the install; configtest steps are skipped"
ssl_before=no
a2query -q -m ssl 2>/dev/null && ssl_before=yes
step "apt-get install ./$(basename "$deb")" apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends "$deb"
step "dpkg reports $PKG installed" sh -c "dpkg-query -W -f='\${Status}' $PKG | grep -q 'ok installed'"
step "a2enmod hsts" a2enmod hsts
step "hsts is enabled (mods-enabled/hsts.load)" test -e /etc/apache2/mods-enabled/hsts.load
if [ "$baseline" = yes ]; then
    step "apache2ctl configtest: Syntax OK" sh -c 'apache2ctl configtest 2>&1 | grep -q "Syntax OK"'
    step "apache2ctl -M lists hsts_module" sh -c 'apache2ctl -M 2>/dev/null | grep -q hsts_module'
else
    echo "ok - # SKIP configtest"
fi
if command -v man >/dev/null; then
    step "man mod_hsts finds the page" man -w mod_hsts
fi
if [ "${KEEP:-}" = 1 ]; then
    echo "# --keep: the package stays installed and enabled"
    echo "# install steps finished"
    exit 0
fi
step "a2dismod hsts" a2dismod -q hsts
if [ "$ssl_before" = no ]; then a2dismod -q ssl >/dev/null 2>&1 || true; fi
step "dpkg --purge $PKG" dpkg --purge $PKG
step "the module is gone" test ! -e /usr/lib/apache2/modules/mod_hsts.so
step "hsts.load and hsts.conf are gone" sh -c '! ls /etc/apache2/mods-available/hsts.* /etc/apache2/mods-enabled/hsts.* 2>/dev/null | grep -q .'
if [ "$baseline" = yes ]; then
    step "apache2ctl configtest after the purge: Syntax OK" sh -c 'apache2ctl configtest 2>&1 | grep -q "Syntax OK"'
fi
echo "# install steps finished"
EOF
}

launched=""
finished=""
tally() { # count the ok / not ok lines of a step script's output
    local line
    while IFS= read -r line; do
        echo "$line"
        case "$line" in
            "# install steps finished") finished=1 ;;
            "ok - # SKIP"*) skip=$((skip + 1)) ;;
            "ok - "*) pass=$((pass + 1)) ;;
            "not ok - "*) fail=$((fail + 1)) ;;
        esac
    done
}

if [ "$mode" != scratch ]; then
    [ "$(id -u)" = 0 ] || { echo "check-deb: --$mode needs root" >&2; exit 2; }
    install_steps >"$tmp/steps.sh"
fi

if [ "$mode" = sandbox ]; then
    if ! command -v unshare >/dev/null || ! grep -qw overlay /proc/filesystems; then
        skipped "--sandbox needs unshare and overlayfs, which this machine lacks"
    else
        # A copy-on-write view of / (whose changes go to $tmp/upper), with
        # /dev, /proc and the package bound in; services never start.
        mkdir -p "$tmp/upper" "$tmp/work" "$tmp/merged"
        cat >"$tmp/sandbox.sh" <<EOF
set -e
mount -t overlay overlay -o lowerdir=/,upperdir=$tmp/upper,workdir=$tmp/work $tmp/merged
mount --rbind /dev $tmp/merged/dev
mount -t proc proc $tmp/merged/proc
mkdir -p $tmp/merged/run/hsts-check
mount -t tmpfs tmpfs $tmp/merged/run/hsts-check
cp $deb $tmp/steps.sh $tmp/merged/run/hsts-check/
printf '#!/bin/sh\nexit 101\n' >$tmp/merged/usr/sbin/policy-rc.d
chmod 755 $tmp/merged/usr/sbin/policy-rc.d
exec chroot $tmp/merged env PKG=$pkg KEEP= sh /run/hsts-check/steps.sh /run/hsts-check/$(basename "$deb")
EOF
        echo "# sandbox: a copy-on-write view of this machine; nothing reaches it"
        launched=1
        tally < <(unshare --mount --propagation private sh "$tmp/sandbox.sh" 2>&1)
        # the overlay is gone with the mount namespace; its upper layer too:
        cleanup() { rm -rf "$tmp" 2>/dev/null || true; }
    fi
elif [ "$mode" = install ]; then
    echo "# --install: installing on this machine"
    launched=1
    tally < <(env PKG=$pkg KEEP="$keep" sh "$tmp/steps.sh" "$deb" 2>&1)
fi

if [ -n "$launched" ] && [ -z "$finished" ]; then
    bad "the installation steps did not run to their end (see above)"
fi
echo "check-deb: $pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
