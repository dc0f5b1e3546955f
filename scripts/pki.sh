# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# Shared by the scripts that start servers of their own (sourced, not run).
#
# make_pki <dir> <ca name> <leaf> <subjectAltName>: a CA valid ten years
# (<dir>/ca.crt, ca.key) and a leaf certificate it signs, valid one year,
# for the names given as an openssl subjectAltName value, e.g.
# "DNS:example.com,DNS:*.example.com" (<dir>/<leaf>.crt, <leaf>.key).
# free_port: a free TCP port on loopback.

make_pki() {
    local dir=$1 ca=$2 leaf=$3 san=$4 cn=${4%%,*}
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
        -keyout "$dir/ca.key" -out "$dir/ca.crt" -days 3650 -subj "/CN=$ca" \
        -addext "basicConstraints=critical,CA:TRUE" \
        -addext "keyUsage=critical,keyCertSign" 2>/dev/null
    openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
        -keyout "$dir/$leaf.key" -out "$dir/$leaf.csr" \
        -subj "/CN=${cn#*:}" 2>/dev/null
    printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\n' "$san" >"$dir/$leaf.ext"
    openssl x509 -req -in "$dir/$leaf.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" \
        -CAcreateserial -days 365 -extfile "$dir/$leaf.ext" \
        -out "$dir/$leaf.crt" 2>/dev/null
}

free_port() {
    perl -MIO::Socket::IP -e 'my $s = IO::Socket::IP->new(LocalHost => "127.0.0.1",
        LocalPort => 0, Listen => 1) or die "no free port: $@"; print $s->sockport'
}
