/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of the trusted-proxy parts (hsts_proxy.c): HSTSTrustedProxy
 * blocks as APR subnets, which peers they contain (IPv4, IPv6, IPv4-
 * mapped), and X-Forwarded-Proto.
 */
#include "hsts_proxy.h"
#include "tap.h"

#include <apr_general.h>
#include <apr_strings.h>

#include <stdarg.h>
#include <stdlib.h>

static apr_pool_t *pool;

/* ------------------------------------------------------------------ */
/* hsts_proxy_block_parse / hsts_proxy_is_trusted                      */

static apr_sockaddr_t *peer(const char *addr)
{
    apr_sockaddr_t *sa = NULL;

    if (apr_sockaddr_info_get(&sa, addr, APR_UNSPEC, 80, APR_IPV4_ADDR_OK,
                              pool) != APR_SUCCESS) {
        return NULL;
    }
    return sa;
}

static apr_array_header_t *blocks(const char *first, ...)
{
    apr_array_header_t *arr = apr_array_make(pool, 2,
                                             sizeof(apr_ipsubnet_t *));
    const char *t;
    va_list ap;

    va_start(ap, first);
    for (t = first; t; t = va_arg(ap, const char *)) {
        apr_ipsubnet_t *block;
        const char *err = hsts_proxy_block_parse(pool, t, &block);
        if (err) {
            ok(0, apr_psprintf(pool, "block '%s' is accepted", t));
            printf("#   error: %s\n", err);
            continue;
        }
        APR_ARRAY_PUSH(arr, apr_ipsubnet_t *) = block;
    }
    va_end(ap);
    return arr;
}

static void addr_in(const apr_array_header_t *arr, const char *desc,
                    const char *addr, int want)
{
    apr_sockaddr_t *sa = peer(addr);

    if (!sa) {
        ok(0, apr_psprintf(pool, "test address '%s' is valid", addr));
        return;
    }
    ok(hsts_proxy_is_trusted(arr, sa) == want,
       apr_psprintf(pool, "%s %s %s", desc,
                    want ? "contains" : "does not contain", addr));
}

/* A block that is accepted, contains first and last, and neither of
 * the addresses just outside (NULL: none there). */
static void block_is(const char *text, const char *before, const char *first,
                     const char *last, const char *after)
{
    apr_array_header_t *arr = blocks(text, NULL);

    addr_in(arr, text, first, 1);
    addr_in(arr, text, last, 1);
    if (before) {
        addr_in(arr, text, before, 0);
    }
    if (after) {
        addr_in(arr, text, after, 0);
    }
}

static void block_err(const char *text, const char *why)
{
    apr_ipsubnet_t *block;
    const char *err = hsts_proxy_block_parse(pool, text, &block);

    if (!ok(err != NULL && strstr(err, why),
            apr_psprintf(pool, "block '%s' is refused: %s", text, why))) {
        printf("#   error: %s\n", err ? err : "(none)");
    }
}

static void test_blocks(void)
{
    apr_array_header_t *arr;

    /* IPv4 */
    block_is("192.0.2.1", "192.0.2.0", "192.0.2.1", "192.0.2.1", "192.0.2.2");
    block_is("192.0.2.1/32", "192.0.2.0", "192.0.2.1", "192.0.2.1",
             "192.0.2.2");
    block_is("10.0.0.0/8", "9.255.255.255", "10.0.0.0", "10.255.255.255",
             "11.0.0.0");
    block_is("10.1.2.3/8", "9.255.255.255", "10.0.0.0", "10.255.255.255",
             "11.0.0.0");
    block_is("192.168.1.200/25", "192.168.1.127", "192.168.1.128",
             "192.168.1.255", "192.168.2.0");
    block_is("172.31.255.255/12", "172.15.255.255", "172.16.0.0",
             "172.31.255.255", "172.32.0.0");
    block_is("255.2.3.4/1", "127.255.255.255", "128.0.0.0",
             "255.255.255.255", NULL);

    /* IPv6 */
    block_is("::1", "::", "::1", "::1", "::2");
    block_is("::1/128", "::", "::1", "::1", "::2");
    block_is("2001:db8::1/32", "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff",
             "2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff",
             "2001:db9::");
    block_is("2001:db8::ffff/120", "2001:db8::feff", "2001:db8::ff00",
             "2001:db8::ffff", "2001:db8::1:0");
    block_is("fe80::1/64", "fe7f:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
             "fe80::", "fe80::ffff:ffff:ffff:ffff", "fe80:0:0:1::");

    /* IPv4-mapped IPv6 blocks are the IPv4 block they stand for */
    block_is("::ffff:192.0.2.1", "192.0.2.0", "192.0.2.1", "::ffff:192.0.2.1",
             "192.0.2.2");
    block_is("::ffff:192.0.2.1/128", "192.0.2.0", "192.0.2.1", "192.0.2.1",
             "::ffff:192.0.2.2");
    block_is("::FFFF:10.0.0.1", NULL, "10.0.0.1", "10.0.0.1", "10.0.0.2");
    block_is("::ffff:10.0.0.0/104", "9.255.255.255", "10.0.0.0",
             "::ffff:10.255.255.255", "11.0.0.0");
    block_is("::ffff:10.1.2.3/104", NULL, "10.0.0.0", "10.255.255.255",
             "11.0.0.0");
    block_is("::ffff:192.168.1.200/121", "192.168.1.127", "192.168.1.128",
             "192.168.1.255", "192.168.2.0");
    block_is("::ffff:a00:1/120", "9.255.255.255", "10.0.0.0", "10.0.0.255",
             "10.0.1.0");
    /* addresses that are not mapped stay IPv6 */
    block_is("::1.2.3.4", NULL, "::1.2.3.4", "::1.2.3.4", "1.2.3.4");
    block_is("::fffe:1.2.3.4", NULL, "::fffe:1.2.3.4", "::fffe:1.2.3.4",
             "::ffff:1.2.3.4");
    block_is("1::ffff:1.2.3.4", NULL, "1::ffff:1.2.3.4", "1::ffff:1.2.3.4",
             "1.2.3.4");

    /* errors */
    block_err("", "IPv4 or IPv6 address");
    block_err("/24", "IPv4 or IPv6 address");
    block_err("1.2.3.4/", "number of bits");
    block_err("1.2.3.4/33", "at most 32");
    block_err("1.2.3.4/-1", "number of bits");
    block_err("1.2.3.4/abc", "number of bits");
    block_err("1.2.3.4/ 8", "number of bits");
    block_err("1.2.3.4/8 ", "number of bits");
    block_err("1.2.3.4/8/8", "number of bits");
    block_err("1.2.3.4/1000", "number of bits");
    block_err("1.2.3.4/99999999999", "number of bits");
    block_err("1.2.3.4/4294967304", "number of bits");
    block_err("1.2.3.4/0", "would trust every address");
    block_err("::/0", "would trust every address");
    block_err("::ffff:1.2.3.4/96", "over 96");
    block_err("::ffff:1.2.3.4/95", "over 96");
    block_err("::1/129", "at most 128");
    block_err("::1/", "number of bits");
    block_err("::1/-1", "number of bits");
    block_err("::1/abc", "number of bits");
    block_err("1.2.3", "IPv4 or IPv6 address");
    block_err("10", "IPv4 or IPv6 address");
    block_err("1.2.3.256", "IPv4 or IPv6 address");
    block_err("1.2.3.4.5", "IPv4 or IPv6 address");
    block_err(" 1.2.3.4", "IPv4 or IPv6 address");
    block_err("1.2.3.4 ", "IPv4 or IPv6 address");
    block_err("localhost", "host names are not accepted");
    block_err("example.com", "host names are not accepted");
    block_err("example.com/24", "host names are not accepted");
    block_err("::g", "IPv4 or IPv6 address");
    block_err("1:2:3:4:5:6:7:8:9", "IPv4 or IPv6 address");
    block_err("[::1]", "IPv4 or IPv6 address");
    block_err("0123456789012345678901234567890123456789012345678901234567"
              "89012345678901234567890123456789", "IPv4 or IPv6 address");

    /* matching IPv4 */
    arr = blocks("10.0.0.0/8", "192.168.1.128/25", "203.0.113.7", NULL);
    addr_in(arr, "v4 blocks", "10.0.0.0", 1);
    addr_in(arr, "v4 blocks", "10.255.255.255", 1);
    addr_in(arr, "v4 blocks", "11.0.0.0", 0);
    addr_in(arr, "v4 blocks", "9.255.255.255", 0);
    addr_in(arr, "v4 blocks", "192.168.1.128", 1);
    addr_in(arr, "v4 blocks", "192.168.1.255", 1);
    addr_in(arr, "v4 blocks", "192.168.1.127", 0);
    addr_in(arr, "v4 blocks", "203.0.113.7", 1);
    addr_in(arr, "v4 blocks", "203.0.113.8", 0);
    /* IPv4-mapped IPv6 addresses count as IPv4 */
    addr_in(arr, "v4 blocks", "::ffff:10.1.2.3", 1);
    addr_in(arr, "v4 blocks", "::ffff:203.0.113.7", 1);
    addr_in(arr, "v4 blocks", "::ffff:203.0.113.8", 0);
    addr_in(arr, "v4 blocks", "::ffff:11.0.0.1", 0);
    /* but not other IPv6 addresses with the same low bytes */
    addr_in(arr, "v4 blocks", "::10.1.2.3", 0);
    addr_in(arr, "v4 blocks", "2001:db8::a01:203", 0);
    addr_in(arr, "v4 blocks", "::1", 0);

    /* matching IPv6 */
    arr = blocks("2001:db8::/32", "::1", "fe80::/10", NULL);
    addr_in(arr, "v6 blocks", "2001:db8::1", 1);
    addr_in(arr, "v6 blocks", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", 1);
    addr_in(arr, "v6 blocks", "2001:db9::", 0);
    addr_in(arr, "v6 blocks", "::1", 1);
    addr_in(arr, "v6 blocks", "::2", 0);
    addr_in(arr, "v6 blocks", "febf::1", 1);
    addr_in(arr, "v6 blocks", "fec0::1", 0);
    /* an IPv6 block does not match an IPv4 address */
    addr_in(arr, "v6 blocks", "32.1.13.184", 0);
    addr_in(arr, "v6 blocks", "0.0.0.1", 0);

    arr = blocks(NULL, NULL);
    addr_in(arr, "no blocks", "1.2.3.4", 0);
    addr_in(arr, "no blocks", "::1", 0);

    /* IPv4-mapped blocks match IPv4 peers and IPv4-mapped peers alike */
    arr = blocks("::ffff:10.0.0.1", NULL);
    addr_in(arr, "::ffff:10.0.0.1", "10.0.0.1", 1);
    addr_in(arr, "::ffff:10.0.0.1", "::ffff:10.0.0.1", 1);
    addr_in(arr, "::ffff:10.0.0.1", "10.0.0.2", 0);
    addr_in(arr, "::ffff:10.0.0.1", "::ffff:10.0.0.2", 0);
    addr_in(arr, "::ffff:10.0.0.1", "::10.0.0.1", 0);
    addr_in(arr, "::ffff:10.0.0.1", "2001:db8::a00:1", 0);

    arr = blocks("::ffff:10.0.0.0/104", NULL);
    addr_in(arr, "::ffff:10.0.0.0/104", "10.0.0.0", 1);
    addr_in(arr, "::ffff:10.0.0.0/104", "10.255.255.255", 1);
    addr_in(arr, "::ffff:10.0.0.0/104", "::ffff:10.9.8.7", 1);
    addr_in(arr, "::ffff:10.0.0.0/104", "11.0.0.0", 0);
    addr_in(arr, "::ffff:10.0.0.0/104", "::ffff:9.255.255.255", 0);
    addr_in(arr, "::ffff:10.0.0.0/104", "::a00:1", 0);

    arr = blocks("::ffff:127.0.0.1", NULL);
    addr_in(arr, "::ffff:127.0.0.1", "127.0.0.1", 1);
    addr_in(arr, "::ffff:127.0.0.1", "::1", 0);
}

/* ------------------------------------------------------------------ */
/* hsts_forwarded_proto_is_https                                        */

static void xfp(const char *value, int want)
{
    ok(hsts_forwarded_proto_is_https(value) == want,
       apr_psprintf(pool, "X-Forwarded-Proto '%s' is %shttps", value,
                    want ? "" : "not "));
}

static void test_xfp(void)
{
    xfp("https", 1);
    xfp("HTTPS", 1);
    xfp("Https", 1);
    xfp(" https ", 1);
    xfp("\thttps\t", 1);
    xfp("http", 0);
    xfp("", 0);
    xfp(" ", 0);
    xfp("https, http", 0);
    xfp("https,http", 0);
    xfp("http, https", 1);
    xfp("http,https", 1);
    xfp("http , https ", 1);
    xfp("https, https", 1);
    xfp("http, http, https", 1);
    xfp("https, https, http", 0);
    xfp("http, https, http", 0);
    xfp("https,http,https", 1);
    xfp("https,", 0);
    xfp(",https", 1);
    xfp("httpsx", 0);
    xfp("xhttps", 0);
    xfp("http s", 0);
    xfp("https;", 0);
    xfp("\"https\"", 0);
    xfp("wss", 0);
}

int main(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);

    test_blocks();
    test_xfp();

    apr_pool_destroy(pool);
    apr_terminate();
    return tap_done();
}
