/*
 * libFuzzer target: the trusted-proxy check, which decides whether a
 * plain-HTTP request counts as HTTPS: hsts_cidr_parse (HSTSTrustedProxy),
 * hsts_cidr_match (the TCP peer against the blocks) and
 * hsts_forwarded_proto_is_https (X-Forwarded-Proto, a client-controlled
 * header when the peer is not a proxy).
 *
 * Input: one option byte (bit 0: the peer is IPv6; bit 1: make it
 * IPv4-mapped), 16 address bytes, then NUL-separated fields: an
 * X-Forwarded-Proto value, then HSTSTrustedProxy blocks.
 *
 * Invariants:
 * - a block parses exactly when its address part is an IPv4 or IPv6
 *   address (inet_pton) and its /bits, if any, is 1 to 3 digits up to 32
 *   or 128; the parsed block has that family and length (an IPv4-mapped
 *   IPv6 block of 96 bits or more becomes the IPv4 block), and no bit set
 *   past the length;
 * - the peer matches the blocks exactly when a slow bit-by-bit comparison
 *   with the addresses as written says so (mapped peers compare as IPv4);
 *   an address made from each block's prefix matches it, as IPv4 and as
 *   IPv4-mapped IPv6; one that differs in the last prefix bit does not;
 * - X-Forwarded-Proto says https exactly when its last comma-separated
 *   element, without spaces and tabs around it, is "https" in any case.
 */
#include "fuzz_common.h"
#include "mod_hsts.h"

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

static int ref_parse(const char *text, ref_block_t *b)
{
    const char *slash = strchr(text, '/');
    size_t alen = slash ? (size_t)(slash - text) : strlen(text);
    char *addr = malloc(alen + 1);
    unsigned int max;
    int ok = 1;

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
    else {
        ok = 0;
        max = 0;
    }
    free(addr);
    b->bits = max;
    if (ok && slash) {
        const char *d = slash + 1;
        size_t n = strlen(d), i;
        if (n < 1 || n > 3) {
            return 0;
        }
        b->bits = 0;
        for (i = 0; i < n; i++) {
            if (d[i] < '0' || d[i] > '9') {
                return 0;
            }
            b->bits = b->bits * 10 + (unsigned)(d[i] - '0');
        }
        ok = b->bits <= max;
    }
    if (ok && b->family == APR_INET6 && b->bits >= 96
        && !memcmp(b->addr, v4mapped, 12)) {
        memmove(b->addr, b->addr + 12, 4);
        memset(b->addr + 4, 0, 12);
        b->family = APR_INET;
        b->bits -= 96;
    }
    return ok;
}

static int bit(const unsigned char *a, unsigned int i)
{
    return (a[i / 8] >> (7 - i % 8)) & 1;
}

static int ref_match(const ref_block_t *blocks, int n, int family,
                     const unsigned char *addr)
{
    int i;
    unsigned int k;

    if (family == APR_INET6 && !memcmp(addr, v4mapped, 12)) {
        family = APR_INET;
        addr += 12;
    }
    for (i = 0; i < n; i++) {
        int same = blocks[i].family == family;
        for (k = 0; same && k < blocks[i].bits; k++) {
            same = bit(addr, k) == bit(blocks[i].addr, k);
        }
        if (same) {
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

/* Matches addr against one block only. */
static int match_one(apr_pool_t *p, const hsts_cidr_t *c, int family,
                     const unsigned char *addr)
{
    apr_array_header_t *one = apr_array_make(p, 1, sizeof(hsts_cidr_t));

    APR_ARRAY_PUSH(one, hsts_cidr_t) = *c;
    return hsts_cidr_match(one, family, addr);
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

    blocks = apr_array_make(p, 4, sizeof(hsts_cidr_t));
    while (n < MAX_BLOCKS && (text = fuzz_field(data, size, &pos)) != NULL) {
        hsts_cidr_t c;
        const char *err;
        const char *shown = fuzz_shown(p, text, strlen(text));
        int ok = ref_parse(text, &ref[n]);
        unsigned int i, max;

        memset(&c, 0xa5, sizeof(c));
        err = hsts_cidr_parse(text, &c);
        FUZZ_CHECK((err == NULL) == ok, "'%s': %s, the reference says %s",
                   shown, err ? err : "accepted", ok ? "valid" : "invalid");
        free(text);
        if (err) {
            FUZZ_CHECK(*err, "'%s': an empty error", shown);
            continue;
        }
        max = c.family == APR_INET ? 32 : 128;
        FUZZ_CHECK(c.family == ref[n].family && c.bits == ref[n].bits
                   && c.bits <= max,
                   "'%s': family %d/%u bits, the reference says %d/%u",
                   shown, c.family, c.bits, ref[n].family, ref[n].bits);
        for (i = 0; i < 128; i++) {
            int want_bit = i < c.bits && i < max ? bit(ref[n].addr, i) : 0;
            FUZZ_CHECK(bit(c.addr, i) == want_bit,
                       "'%s': bit %u of the block is %d", shown, i,
                       bit(c.addr, i));
        }

        /* addresses inside and just outside this block */
        {
            unsigned char in[16], mapped[16];
            memcpy(in, peer, 16);
            for (i = 0; i < c.bits; i++) {
                if (bit(in, i) != bit(ref[n].addr, i)) {
                    in[i / 8] ^= (unsigned char)(0x80 >> (i % 8));
                }
            }
            if (c.family == APR_INET6 && !memcmp(in, v4mapped, 12)) {
                /* an IPv4-mapped peer compares as IPv4 only */
                FUZZ_CHECK(!match_one(p, &c, c.family, in),
                           "'%s': an IPv4-mapped address matches an IPv6 "
                           "block", shown);
            }
            else {
                FUZZ_CHECK(match_one(p, &c, c.family, in),
                           "'%s': an address in the block does not match",
                           shown);
            }
            if (c.family == APR_INET) {
                memcpy(mapped, v4mapped, 12);
                memcpy(mapped + 12, in, 4);
                FUZZ_CHECK(match_one(p, &c, APR_INET6, mapped),
                           "'%s': an IPv4-mapped address in the block does "
                           "not match", shown);
                FUZZ_CHECK(!match_one(p, &c, APR_INET6, in)
                           || !memcmp(in, v4mapped, 12),
                           "'%s': an IPv6 address matches an IPv4 block",
                           shown);
            }
            if (c.bits > 0) {
                i = c.bits - 1;
                in[i / 8] ^= (unsigned char)(0x80 >> (i % 8));
                FUZZ_CHECK(!match_one(p, &c, c.family, in),
                           "'%s': an address outside the block matches",
                           shown);
            }
        }
        APR_ARRAY_PUSH(blocks, hsts_cidr_t) = c;
        n++;
    }

    {
        /* the peer's bytes alone, as httpd's apr_sockaddr_t holds them */
        size_t alen = family == APR_INET ? 4 : 16;
        unsigned char *exact = malloc(alen);
        if (!exact) {
            abort();
        }
        memcpy(exact, peer, alen);
        got = hsts_cidr_match(blocks, family, exact);
        free(exact);
    }
    want = ref_match(ref, n, family, peer);
    FUZZ_CHECK(got == want, "peer %s (family %d) over %d blocks: %d, the "
               "reference says %d", fuzz_shown(p, (const char *)peer,
               family == APR_INET ? 4 : 16), family, n, got, want);

    apr_pool_destroy(p);
    return 0;
}
