/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mod_hsts: TLS-terminating proxies (pure). Address blocks are APR's
 * subnets, the matching httpd's "Require ip" uses.
 */
#include <apr_strings.h>
#include <apr_lib.h>

#include <arpa/inet.h>

#include "hsts_proxy.h"

/* The first 12 bytes of an IPv4-mapped IPv6 address (::ffff:a.b.c.d). */
static const unsigned char v4mapped[12] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

/* The prefix length after '/': 1 to 3 digits, at most maxbits. */
static const char *parse_bits(const char *text, unsigned int maxbits,
                              unsigned int *bits)
{
    const char *c;

    if (!*text || strlen(text) > 3) {
        return "the prefix length after \"/\" must be a number of bits";
    }
    *bits = 0;
    for (c = text; *c; c++) {
        if (!apr_isdigit(*c)) {
            return "the prefix length after \"/\" must be a number of bits";
        }
        *bits = *bits * 10 + (unsigned int)(*c - '0');
    }
    if (*bits > maxbits) {
        return maxbits == 32 ? "an IPv4 prefix length is at most 32"
                             : "an IPv6 prefix length is at most 128";
    }
    if (*bits == 0) {
        return "a prefix length of 0 would trust every address; list the "
               "proxies' own addresses";
    }
    return NULL;
}

const char *hsts_proxy_block_parse(apr_pool_t *p, const char *text,
                                   apr_ipsubnet_t **block)
{
    const char *slash = strchr(text, '/'), *err;
    char *addr = slash ? apr_pstrmemdup(p, text, (apr_size_t)(slash - text))
                       : apr_pstrdup(p, text);
    unsigned char raw[16];
    unsigned int maxbits, bits;

    /* Only whole addresses: APR would also take "10" for 10.0.0.0/8. */
    if (inet_pton(AF_INET, addr, raw) == 1) {
        maxbits = 32;
    }
    else if (inet_pton(AF_INET6, addr, raw) == 1) {
        maxbits = 128;
    }
    else {
        return "expected an IPv4 or IPv6 address (host names are not "
               "accepted), optionally with /bits";
    }
    bits = maxbits;
    if (slash && (err = parse_bits(slash + 1, maxbits, &bits)) != NULL) {
        return err;
    }
    if (maxbits == 128 && !memcmp(raw, v4mapped, sizeof(v4mapped))) {
        if (bits < 96 + 1) {
            return "an IPv4-mapped block needs a prefix length over 96; "
                   "give the IPv4 block instead";
        }
        addr = apr_psprintf(p, "%u.%u.%u.%u", raw[12], raw[13], raw[14],
                            raw[15]);
        bits -= 96;
    }
    if (apr_ipsubnet_create(block, addr, apr_psprintf(p, "%u", bits), p)
        != APR_SUCCESS) {
        return "expected an IPv4 or IPv6 address, optionally with /bits";
    }
    return NULL;
}

int hsts_proxy_is_trusted(const apr_array_header_t *blocks,
                          apr_sockaddr_t *peer)
{
    apr_ipsubnet_t *const *all = (apr_ipsubnet_t *const *)blocks->elts;
    int i;

    for (i = 0; i < blocks->nelts; i++) {
        if (apr_ipsubnet_test(all[i], peer)) {
            return 1;
        }
    }
    return 0;
}

int hsts_forwarded_proto_is_https(const char *value)
{
    const char *last = strrchr(value, ',');
    apr_size_t len;

    last = last ? last + 1 : value;
    while (*last == ' ' || *last == '\t') {
        last++;
    }
    len = strlen(last);
    while (len > 0 && (last[len - 1] == ' ' || last[len - 1] == '\t')) {
        len--;
    }
    return len == 5 && !strncasecmp(last, "https", 5);
}
