/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: the trusted-proxy check, which decides whether a
 * plain-HTTP request counts as HTTPS: hsts_proxy_block_parse
 * (HSTSTrustedProxy), hsts_proxy_is_trusted (the TCP peer against the
 * blocks, with APR's apr_ipsubnet_test) and hsts_forwarded_proto_is_https
 * (X-Forwarded-Proto, a client-controlled header when the peer is not a
 * proxy).
 *
 * Input: one option byte (bit 0: the peer is IPv6; bit 1: make it
 * IPv4-mapped), 16 address bytes, then NUL-separated fields: an
 * X-Forwarded-Proto value, then HSTSTrustedProxy blocks.
 *
 * Peers are apr_sockaddr_t as httpd hands them over, made from the
 * address's text (inet_ntop) by apr_sockaddr_info_get with the family
 * given; the blocks are opaque, so they are checked through membership.
 *
 * Invariants:
 * - a block parses exactly when its address part is a whole IPv4 or IPv6
 *   address (inet_pton; APR alone would take "10" for 10.0.0.0/8) and its
 *   /bits, if any, is 1 to 3 digits, not 0, up to 32 or 128; an
 *   IPv4-mapped IPv6 address (::ffff:a.b.c.d, in any spelling) needs more
 *   than 96 bits (or none) and stands for the IPv4 block of bits - 96;
 *   a refused block comes with a sentence;
 * - the peer is trusted exactly when a slow bit-by-bit comparison with
 *   the addresses as written says so. As apr_ipsubnet_test does (APR
 *   1.7, network_io/unix/sockaddr.c): an IPv4-mapped peer compares as
 *   IPv4 against IPv4 blocks and never matches an IPv6 block, even one
 *   whose bits it has (::/80); an IPv6 peer never matches an IPv4 block;
 * - for each block, an address that has the block's prefix and the
 *   peer's other bits is inside it, and stays inside with its first bit
 *   after the prefix flipped; with the last prefix bit flipped it is
 *   outside (so the mask is neither short nor long by a bit); an IPv4
 *   block holds the same addresses IPv4-mapped, and no plain IPv6 one;
 * - X-Forwarded-Proto says https exactly when its last comma-separated
 *   element, without spaces and tabs around it, is "https" in any case.
 */
#include "fuzz_common.h"
#include "hsts_proxy.h"

#include <apr_strings.h>

#include <arpa/inet.h>
#include <strings.h>

#define MAX_BLOCKS 64

static const unsigned char v4mapped[12] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

typedef struct {
    int family;
    unsigned int bits;
    unsigned char addr[16];     /* as written, not masked */
} ref_block_t;

/* The /bits of a block: 1 to 3 digits, 1 to max; 0 when refused. */
static unsigned int ref_bits(const char *d, unsigned int max)
{
    size_t n = strlen(d), i;
    unsigned int bits = 0;

    if (n < 1 || n > 3) {
        return 0;
    }
    for (i = 0; i < n; i++) {
        if (d[i] < '0' || d[i] > '9') {
            return 0;
        }
        bits = bits * 10 + (unsigned)(d[i] - '0');
    }
    return bits <= max ? bits : 0;
}

static int ref_parse(const char *text, ref_block_t *b)
{
    const char *slash = strchr(text, '/');
    size_t alen = slash ? (size_t)(slash - text) : strlen(text);
    char *addr = malloc(alen + 1);
    unsigned int max = 0;

    if (!addr) {
        abort();
    }
    memcpy(addr, text, alen);
    addr[alen] = '\0';
    memset(b, 0, sizeof(*b));
    if (inet_pton(AF_INET, addr, b->addr) == 1) {
        b->family = APR_INET;
        max = 32;
    }
    else if (inet_pton(AF_INET6, addr, b->addr) == 1) {
        b->family = APR_INET6;
        max = 128;
    }
    free(addr);
    if (!max) {
        return 0;
    }
    b->bits = slash ? ref_bits(slash + 1, max) : max;
    if (b->bits == 0) {
        return 0;
    }
    if (b->family == APR_INET6 && !memcmp(b->addr, v4mapped, 12)) {
        if (b->bits <= 96) {
            return 0;
        }
        memmove(b->addr, b->addr + 12, 4);
        memset(b->addr + 4, 0, 12);
        b->family = APR_INET;
        b->bits -= 96;
    }
    return 1;
}

static int bit(const unsigned char *a, unsigned int i)
{
    return (a[i / 8] >> (7 - i % 8)) & 1;
}

static void flip(unsigned char *a, unsigned int i)
{
    a[i / 8] ^= (unsigned char)(0x80 >> (i % 8));
}

static int is_mapped(int family, const unsigned char *addr)
{
    return family == APR_INET6 && !memcmp(addr, v4mapped, 12);
}

static int ref_in(const ref_block_t *b, int family, const unsigned char *addr)
{
    unsigned int k;

    if (is_mapped(family, addr)) {
        family = APR_INET;
        addr += 12;
    }
    if (b->family != family) {
        return 0;
    }
    for (k = 0; k < b->bits; k++) {
        if (bit(addr, k) != bit(b->addr, k)) {
            return 0;
        }
    }
    return 1;
}

static int ref_match(const ref_block_t *blocks, int n, int family,
                     const unsigned char *addr)
{
    int i;

    for (i = 0; i < n; i++) {
        if (ref_in(&blocks[i], family, addr)) {
            return 1;
        }
    }
    return 0;
}

static int ref_https(const char *v)
{
    const char *last = strrchr(v, ',');
    size_t len;

    last = last ? last + 1 : v;
    len = strlen(last);
    while (len && (*last == ' ' || *last == '\t')) {
        last++;
        len--;
    }
    while (len && (last[len - 1] == ' ' || last[len - 1] == '\t')) {
        len--;
    }
    return len == 5 && !strncasecmp(last, "https", 5);
}

/* The address as an apr_sockaddr_t of that family, from its text. */
static apr_sockaddr_t *sockaddr_of(apr_pool_t *p, int family,
                                   const unsigned char *addr)
{
    char text[INET6_ADDRSTRLEN];
    apr_sockaddr_t *sa = NULL;
    apr_status_t rv;
    int len = family == APR_INET ? 4 : 16;

    if (!inet_ntop(family, addr, text, sizeof(text))) {
        abort();
    }
    rv = apr_sockaddr_info_get(&sa, text, family, 0, 0, p);
    /* the harness itself: the peer is the address meant */
    FUZZ_CHECK(rv == APR_SUCCESS && sa && sa->family == family
               && sa->ipaddr_len == len
               && !memcmp(sa->ipaddr_ptr, addr, (size_t)len),
               "peer %s (family %d) not built: status %d", text, family,
               (int)rv);
    return sa;
}

/* Whether addr lies in this one block. */
static int in_block(apr_pool_t *p, apr_ipsubnet_t *block, int family,
                    const unsigned char *addr)
{
    apr_array_header_t *one = apr_array_make(p, 1, sizeof(apr_ipsubnet_t *));

    APR_ARRAY_PUSH(one, apr_ipsubnet_t *) = block;
    return hsts_proxy_is_trusted(one, sockaddr_of(p, family, addr));
}

/* Addresses just inside and just outside one parsed block. */
static void check_edges(apr_pool_t *p, apr_ipsubnet_t *block,
                        const ref_block_t *b, const unsigned char *peer,
                        const char *shown)
{
    unsigned int max = b->family == APR_INET ? 32 : 128, i;
    unsigned char in[16], other[16], mapped[16];

    /* the block's prefix, the peer's other bits */
    memcpy(in, peer, 16);
    for (i = 0; i < b->bits; i++) {
        if (bit(in, i) != bit(b->addr, i)) {
            flip(in, i);
        }
    }
    /* an IPv4-mapped address compares as IPv4 only */
    FUZZ_CHECK(in_block(p, block, b->family, in)
               == !is_mapped(b->family, in),
               "'%s': an address with its prefix matches as %d", shown,
               !is_mapped(b->family, in));
    if (b->bits < max) {
        memcpy(other, in, 16);
        flip(other, b->bits);
        FUZZ_CHECK(in_block(p, block, b->family, other)
                   == !is_mapped(b->family, other),
                   "'%s': the first bit after the prefix counts", shown);
    }
    memcpy(other, in, 16);
    flip(other, b->bits - 1);
    FUZZ_CHECK(!in_block(p, block, b->family, other),
               "'%s': an address outside the block (last prefix bit "
               "flipped) matches", shown);

    if (b->family == APR_INET) {
        memcpy(mapped, v4mapped, 12);
        memcpy(mapped + 12, in, 4);
        FUZZ_CHECK(in_block(p, block, APR_INET6, mapped),
                   "'%s': an IPv4-mapped address in the block does not "
                   "match", shown);
        memcpy(mapped + 12, other, 4);
        FUZZ_CHECK(!in_block(p, block, APR_INET6, mapped),
                   "'%s': an IPv4-mapped address outside the block "
                   "matches", shown);
        if (!is_mapped(APR_INET6, in)) {
            FUZZ_CHECK(!in_block(p, block, APR_INET6, in),
                       "'%s': an IPv6 address matches an IPv4 block", shown);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    unsigned char peer[16];
    int family, n = 0, got, want;
    size_t pos = 17;
    char *proto, *text;
    apr_array_header_t *blocks;
    ref_block_t ref[MAX_BLOCKS];

    if (size < 17) {
        return 0;
    }
    p = fuzz_pool();
    family = (data[0] & 1) ? APR_INET6 : APR_INET;
    memcpy(peer, data + 1, 16);
    if (family == APR_INET6 && (data[0] & 2)) {
        memcpy(peer, v4mapped, 12);
    }

    proto = fuzz_field(data, size, &pos);
    if (proto) {
        FUZZ_CHECK(hsts_forwarded_proto_is_https(proto) == ref_https(proto),
                   "X-Forwarded-Proto '%s': %d", fuzz_shown(p, proto,
                   strlen(proto)), hsts_forwarded_proto_is_https(proto));
        free(proto);
    }

    blocks = apr_array_make(p, 4, sizeof(apr_ipsubnet_t *));
    while (n < MAX_BLOCKS && (text = fuzz_field(data, size, &pos)) != NULL) {
        apr_ipsubnet_t *block = NULL;
        const char *err;
        const char *shown = fuzz_shown(p, text, strlen(text));
        int ok = ref_parse(text, &ref[n]);

        err = hsts_proxy_block_parse(p, text, &block);
        free(text);
        FUZZ_CHECK((err == NULL) == ok, "'%s': %s, the reference says %s",
                   shown, err ? err : "accepted", ok ? "valid" : "invalid");
        if (err) {
            FUZZ_CHECK(*err, "'%s': an empty error", shown);
            continue;
        }
        FUZZ_CHECK(block != NULL, "'%s': accepted without a block", shown);
        check_edges(p, block, &ref[n], peer, shown);
        APR_ARRAY_PUSH(blocks, apr_ipsubnet_t *) = block;
        n++;
    }

    got = hsts_proxy_is_trusted(blocks, sockaddr_of(p, family, peer));
    want = ref_match(ref, n, family, peer);
    FUZZ_CHECK(got == want, "peer %s (family %d) over %d blocks: %d, the "
               "reference says %d", fuzz_shown(p, (const char *)peer,
               family == APR_INET ? 4 : 16), family, n, got, want);

    apr_pool_destroy(p);
    return 0;
}
