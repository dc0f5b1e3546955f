/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests of what the plain-HTTP redirect takes from a request
 * (hsts_request.c): request-target path/query extraction, host name
 * validity, Location building and redirect exclusions.
 */
#include "hsts_request.h"
#include "tap.h"

#include <apr_general.h>
#include <apr_strings.h>

#include <stdarg.h>
#include <stdlib.h>

static apr_pool_t *pool;

/* ------------------------------------------------------------------ */
/* hsts_target_path_query                                               */

static void target_is(const char *target, const char *want, apr_size_t off)
{
    apr_size_t len = 12345;
    const char *got = hsts_target_path_query(target, &len);

    is_str(got, want, apr_psprintf(pool, "target '%s' keeps '%s'", target,
                                   want));
    is_num(len, strlen(want),
           apr_psprintf(pool, "target '%s': len %u", target,
                        (unsigned int)strlen(want)));
    ok(got == target + off,
       apr_psprintf(pool, "target '%s': result points into the target",
                    target));
}

static void target_null(const char *target)
{
    apr_size_t len = 0;

    ok(hsts_target_path_query(target, &len) == NULL,
       apr_psprintf(pool, "target '%s' has no path to redirect", target));
}

static void test_target(void)
{
    /* origin-form */
    target_is("/a?b", "/a?b", 0);
    target_is("/", "/", 0);
    target_is("/a/b/c", "/a/b/c", 0);
    target_is("/?", "/?", 0);
    target_is("//x//y", "//x//y", 0);
    target_is("/%2e%2e/x?y=%0d%0a", "/%2e%2e/x?y=%0d%0a", 0);
    target_is("/a://b", "/a://b", 0);

    /* absolute-form: the part after the authority */
    target_is("http://h/p?q", "/p?q", 8);
    target_is("http://h", "", 8);
    target_is("http://h?q", "?q", 8);
    target_is("http://h/", "/", 8);
    target_is("https://h:8080/x", "/x", 14);
    target_is("http://www.example.com:80/a/b?c=d", "/a/b?c=d", 25);
    target_is("HTTP://H/p", "/p", 8);
    target_is("http://h:80", "", 11);
    target_is("http://h/p://q", "/p://q", 8);
    target_is("http://h#f", "#f", 8);
    target_is("http://user@h:1/p", "/p", 15);

    /* absolute-form without an authority: httpd serves these as "/p" and
     * "/", so they must not slip past the redirect */
    target_is("http:/p?q", "/p?q", 5);
    target_is("http:?q", "?q", 5);
    target_is("http:", "", 5);
    target_is("HTTP:/p", "/p", 5);
    target_is("https:/p", "/p", 6);
    target_is("http:///p", "/p", 7);

    /* other schemes name nothing of this server: left to httpd */
    target_null("x-y+z.1:/p");
    target_null("ftp://h/x");
    target_null("FTP://h/x");
    target_null("x:/y");
    target_null("ws://h/");
    target_null("httpx://h/p");
    target_null("http+s://h/p");
    target_null("file:///etc/passwd");

    /* no path: asterisk-form, empty, authority-form */
    target_null("*");
    target_null("");
    target_null("host:443");
    target_null("example.com:443");
    target_null("[::1]:443");
    target_null("://h/p");

    /* not a scheme, or a rootless path: httpd answers 400 */
    target_null("http:p");
    target_null("http:x/y");
    target_null("1http://h/p");
    target_null("-http://h/p");
    target_null("ht@tp://h/p");
    target_null("static.txt");
    target_null("a/b:c");
    target_null(":/p");
}

/* ------------------------------------------------------------------ */
/* hsts_host_is_valid                                                   */

/* A test name cannot carry control bytes: TAP is line-based. */
static const char *printable(const char *text)
{
    char *out = apr_palloc(pool, 4 * strlen(text) + 1), *o = out;

    for (; *text; text++) {
        unsigned char c = (unsigned char)*text;
        if (c < 0x20 || c >= 0x7f) {
            o += sprintf(o, "\\x%02x", c);
        }
        else {
            *o++ = (char)c;
        }
    }
    *o = '\0';
    return out;
}

static void host_valid(const char *host, int want)
{
    ok(hsts_host_is_valid(host) == want,
       apr_psprintf(pool, "host '%s' is %svalid in a Location",
                    printable(host), want ? "" : "not "));
}

static void test_host_valid(void)
{
    host_valid("example.com", 1);
    host_valid("www.example.com", 1);
    host_valid("a-b_c.example.com", 1);
    host_valid("EXAMPLE.com", 1);
    host_valid("x", 1);
    host_valid("127.0.0.1", 1);
    host_valid("::1", 1);
    host_valid("2001:db8::1", 1);
    host_valid("::ffff:192.0.2.1", 1);

    host_valid("", 0);
    host_valid("evil.example?.wild.example.com", 0);
    host_valid("evil.example#.wild.example.com", 0);
    host_valid("evil.example/.wild.example.com", 0);
    host_valid("evil.example\\.wild.example.com", 0);
    host_valid("user@x.wild.example.com", 0);
    host_valid("evil.example%2f.wild.example.com", 0);
    host_valid("a b.example.com", 0);
    host_valid("a\tb.example.com", 0);
    host_valid("a\rSet-Cookie: x=1", 0);
    host_valid("a\nb", 0);
    host_valid("ex\xc3\xa4mple.com", 0);
    host_valid("example.com:8080", 0);
    host_valid("[::1]", 0);
    host_valid("::g", 0);
    host_valid("1:2:3:4:5:6:7:8:9", 0);
    host_valid("fe80::1%eth0", 0);
    host_valid("a,b", 0);
}

/* ------------------------------------------------------------------ */
/* hsts_location_build                                                  */

static void loc_is(const char *host, apr_port_t port, const char *path,
                   apr_size_t len, const char *want, const char *name)
{
    is_str(hsts_location_build(pool, host, port, path, len), want, name);
}

#define LOC(host, port, path, want, name) \
    loc_is((host), (port), (path), sizeof(path) - 1, (want), (name))

static void test_location(void)
{
    apr_size_t big = 64 * 1024, i;
    char *path, *want;

    /* ports */
    LOC("example.com", 443, "/a?b", "https://example.com/a?b",
        "port 443 is left out");
    LOC("example.com", 8443, "/a?b", "https://example.com:8443/a?b",
        "port 8443 is shown");
    LOC("example.com", 80, "/", "https://example.com:80/",
        "port 80 is shown");
    LOC("example.com", 1, "/", "https://example.com:1/", "port 1 is shown");
    LOC("example.com", 65535, "/", "https://example.com:65535/",
        "port 65535 is shown");
    LOC("example.com", 4430, "/", "https://example.com:4430/",
        "port 4430 is shown");

    /* hosts */
    LOC("::1", 443, "/x", "https://[::1]/x", "IPv6 host is bracketed");
    LOC("::1", 8443, "/x", "https://[::1]:8443/x",
        "IPv6 host is bracketed before the port");
    LOC("2001:db8::1", 443, "/", "https://[2001:db8::1]/",
        "IPv6 host 2001:db8::1 is bracketed");
    LOC("[::1]", 443, "/x", "https://[::1]/x",
        "bracketed IPv6 host is not bracketed twice");
    LOC("192.0.2.1", 443, "/x", "https://192.0.2.1/x",
        "IPv4 host is not bracketed");

    /* the path exactly as given */
    LOC("h", 443, "/%2e%2e/x", "https://h/%2e%2e/x", "%2e%2e kept as text");
    LOC("h", 443, "//double//slash", "https://h//double//slash",
        "double slashes kept");
    LOC("h", 443, "/a%0d%0aSet-Cookie:x", "https://h/a%0d%0aSet-Cookie:x",
        "%0d%0a kept as text");
    LOC("h", 443, "/a%20b?c=%25", "https://h/a%20b?c=%25",
        "percent-escapes are not re-encoded");
    LOC("h", 443, "/a?b=c&d=e#f", "https://h/a?b=c&d=e#f",
        "query kept as given");
    LOC("h", 443, "/<>\"'{}|\\^`", "https://h/<>\"'{}|\\^`",
        "printable characters are not encoded");

    /* a "/" is supplied before an empty path or a bare query */
    LOC("h", 443, "", "https://h/", "empty path gets a /");
    LOC("h", 443, "?q", "https://h/?q", "bare query gets a leading /");
    LOC("h", 8080, "?q", "https://h:8080/?q",
        "bare query gets a / after the port");
    loc_is("h", 443, "/ignored", 0, "https://h/", "len 0 gives /");
    loc_is("h", 443, "/abc?def", 4, "https://h/abc",
           "only len bytes of the path are used");

    /* bytes that cannot appear in a header value are percent-encoded */
    LOC("h", 443, "/a\r\nSet-Cookie: x=1", "https://h/a%0D%0ASet-Cookie:%20x=1",
        "CR LF and space are encoded");
    LOC("h", 443, "/a b", "https://h/a%20b", "space is encoded as %20");
    LOC("h", 443, "/\r", "https://h/%0D", "CR is encoded as %0D");
    LOC("h", 443, "/\n", "https://h/%0A", "LF is encoded as %0A");
    LOC("h", 443, "/\t", "https://h/%09", "TAB is encoded as %09");
    LOC("h", 443, "/\x01\x1f", "https://h/%01%1F",
        "control bytes are encoded, upper-case hex");
    LOC("h", 443, "/\x7f", "https://h/%7F", "DEL is encoded as %7F");
    LOC("h", 443, "/a\0b", "https://h/a%00b", "NUL within len is encoded");
    LOC("h", 443, "?\r\n", "https://h/?%0D%0A",
        "controls in a bare query are encoded");
    LOC("h", 443, "/\x80\xff\xc3\xa9", "https://h/\x80\xff\xc3\xa9",
        "bytes >= 0x80 are kept");
    LOC("h", 443, "/~!", "https://h/~!", "0x7e and 0x21 are kept");

    /* very long paths */
    path = malloc(big + 1);
    want = malloc(big + 64);
    path[0] = '/';
    for (i = 1; i < big; i++) {
        path[i] = (char)('a' + i % 26);
    }
    path[big] = '\0';
    strcpy(want, "https://example.com:8443");
    strcat(want, path);
    loc_is("example.com", 8443, path, big, want, "64 KiB path kept whole");

    for (i = 1; i < big; i++) {
        path[i] = (i % 2) ? '\r' : '\n';
    }
    {
        const char *got = hsts_location_build(pool, "h", 443, path, big);
        int good = strlen(got) == 10 + 3 * (big - 1);
        for (i = 1; good && i < big; i++) {
            good = !memcmp(got + 10 + 3 * (i - 1),
                           (i % 2) ? "%0D" : "%0A", 3);
        }
        ok(!strncmp(got, "https://h/", 10) && good,
           "64 KiB of CR LF are all encoded");
    }
    free(path);
    free(want);
}

/* ------------------------------------------------------------------ */
/* hsts_exclude_prefix_normalize / hsts_path_excluded                   */

static void norm_is(const char *prefix, const char *want)
{
    const char *error = NULL;
    const char *got = hsts_exclude_prefix_normalize(pool, prefix, &error);

    is_str(got, want, apr_psprintf(pool, "prefix '%s' normalises to '%s'",
                                   prefix, want));
}

static void norm_err(const char *prefix)
{
    const char *error = NULL;
    const char *got = hsts_exclude_prefix_normalize(pool, prefix, &error);

    ok(got == NULL && error != NULL && *error,
       apr_psprintf(pool, "prefix '%s' is an error", prefix));
}

/* An array of normalised prefixes, from a NULL-terminated list. */
static apr_array_header_t *prefixes(const char *first, ...)
{
    apr_array_header_t *arr = apr_array_make(pool, 2, sizeof(const char *));
    const char *error = NULL, *p;
    va_list ap;

    va_start(ap, first);
    for (p = first; p; p = va_arg(ap, const char *)) {
        const char *n = hsts_exclude_prefix_normalize(pool, p, &error);
        if (!n) {
            printf("# bad prefix '%s': %s\n", p, error);
            continue;
        }
        *(const char **)apr_array_push(arr) = n;
    }
    va_end(ap);
    return arr;
}

static void excl(const apr_array_header_t *arr, const char *desc,
                 const char *path, int want)
{
    ok(hsts_path_excluded(path, strlen(path), arr) == want,
       apr_psprintf(pool, "%s %s '%s'", desc,
                    want ? "excludes" : "does not exclude", path));
}

static void test_exclude(void)
{
    apr_array_header_t *hz, *acme, *root, *none, *multi;
    char *buf;

    /* normalisation */
    norm_is("/healthz", "/healthz");
    norm_is("/healthz/", "/healthz");
    norm_is("/healthz//", "/healthz");
    norm_is(HSTS_ACME_PREFIX, "/.well-known/acme-challenge");
    norm_is("/", "");
    norm_is("//", "");
    norm_is("/a/b", "/a/b");
    norm_err("healthz");
    norm_err("");
    norm_err("*");
    norm_err("http://h/x");
    norm_err("/a?b");
    norm_err("/a#b");
    norm_err("/?");
    norm_err("/#");

    /* whole segments */
    hz = prefixes("/healthz", NULL);
    excl(hz, "/healthz", "/healthz", 1);
    excl(hz, "/healthz", "/healthz/", 1);
    excl(hz, "/healthz", "/healthz/x", 1);
    excl(hz, "/healthz", "/healthz/x/y", 1);
    excl(hz, "/healthz", "/healthz?x", 1);
    excl(hz, "/healthz", "/healthz?x=/../y", 1);
    excl(hz, "/healthz", "/healthz/x?y", 1);
    excl(hz, "/healthz", "/healthzx", 0);
    excl(hz, "/healthz", "/health", 0);
    excl(hz, "/healthz", "/", 0);
    excl(hz, "/healthz", "", 0);
    excl(hz, "/healthz", "?q", 0);
    excl(hz, "/healthz", "/x/healthz", 0);
    excl(hz, "/healthz", "/x?/healthz", 0);
    excl(hz, "/healthz", "/HEALTHZ", 0);
    excl(hz, "/healthz", "//healthz", 0);
    excl(hz, "/healthz", "/healthz%2fx", 0);

    /* dot segments never match, plain or percent-encoded */
    excl(hz, "/healthz", "/healthz/../admin", 0);
    excl(hz, "/healthz", "/healthz/..", 0);
    excl(hz, "/healthz", "/healthz/.", 0);
    excl(hz, "/healthz", "/healthz/./x", 0);
    excl(hz, "/healthz", "/healthz/x/../../admin", 0);
    excl(hz, "/healthz", "/healthz//../admin", 0);
    excl(hz, "/healthz", "/healthz/%2e%2e/admin", 0);
    excl(hz, "/healthz", "/healthz/%2E%2E/admin", 0);
    excl(hz, "/healthz", "/healthz/.%2e/admin", 0);
    excl(hz, "/healthz", "/healthz/%2e./admin", 0);
    excl(hz, "/healthz", "/healthz/%2E/x", 0);
    excl(hz, "/healthz", "/healthz/%2e", 0);
    excl(hz, "/healthz", "/healthz/..?x", 0);
    excl(hz, "/healthz", "/healthz/.?x", 0);
    /* httpd re-normalises after decoding %2F (AllowEncodedSlashes On) */
    excl(hz, "/healthz", "/healthz/..%2fadmin", 0);
    excl(hz, "/healthz", "/healthz/..%2Fadmin", 0);
    excl(hz, "/healthz", "/healthz/%2e%2e%2fadmin", 0);
    excl(hz, "/healthz", "/healthz/x%2f..%2f..%2fadmin", 0);
    excl(hz, "/healthz", "/healthz/.%2fx", 0);
    excl(hz, "/healthz", "/healthz/x%2f..", 0);

    /* segments that merely contain dots are not dot segments */
    excl(hz, "/healthz", "/healthz/.x", 1);
    excl(hz, "/healthz", "/healthz/..x", 1);
    excl(hz, "/healthz", "/healthz/x.", 1);
    excl(hz, "/healthz", "/healthz/x..", 1);
    excl(hz, "/healthz", "/healthz/...", 1);
    excl(hz, "/healthz", "/healthz/.../x", 1);
    excl(hz, "/healthz", "/healthz/a.b", 1);
    excl(hz, "/healthz", "/healthz/%2ex", 1);
    excl(hz, "/healthz", "/healthz/%2e%2e%2e", 1);
    excl(hz, "/healthz", "/healthz/%2", 1);
    excl(hz, "/healthz", "/healthz/%2f", 1);
    excl(hz, "/healthz", "/healthz/a%2fb", 1);
    excl(hz, "/healthz", "/healthz/a%2f...%2fb", 1);
    excl(hz, "/healthz", "/healthz/%252e%252e", 1);

    /* only len bytes are looked at */
    ok(hsts_path_excluded("/healthzx", 8, hz),
       "/healthz excludes the first 8 bytes of '/healthzx'");
    ok(!hsts_path_excluded("/healthz/x", 7, hz),
       "/healthz does not exclude the first 7 bytes of '/healthz/x'");
    ok(hsts_path_excluded("/healthz/../admin", 9, hz),
       "dot segment beyond len is not looked at");
    buf = malloc(8);
    memcpy(buf, "/healthz", 8);     /* not NUL-terminated */
    ok(hsts_path_excluded(buf, 8, hz),
       "a path that is not NUL-terminated is matched within len");
    free(buf);

    /* a trailing-slash prefix: the ACME default */
    acme = prefixes(HSTS_ACME_PREFIX, NULL);
    excl(acme, "acme", "/.well-known/acme-challenge/TOKEN", 1);
    excl(acme, "acme", "/.well-known/acme-challenge/TOKEN?x=1", 1);
    excl(acme, "acme", "/.well-known/acme-challenge/", 1);
    excl(acme, "acme", "/.well-known/acme-challenge", 1);
    excl(acme, "acme", "/.well-known/acme-challengeX", 0);
    excl(acme, "acme", "/.well-known/acme-challenge/../../admin", 0);
    excl(acme, "acme", "/.well-known/acme-challenge/%2e%2e/admin", 0);
    excl(acme, "acme", "/.well-known/", 0);
    excl(acme, "acme", "/", 0);

    /* "/" excludes everything without dot segments */
    root = prefixes("/", NULL);
    excl(root, "/", "/", 1);
    excl(root, "/", "/anything/at/all?x", 1);
    excl(root, "/", "/healthzx", 1);
    excl(root, "/", "", 1);
    excl(root, "/", "?q", 1);
    excl(root, "/", "/../etc/passwd", 0);
    excl(root, "/", "/a/%2e%2e/b", 0);

    /* no prefixes: nothing is excluded */
    none = prefixes(NULL, NULL);
    excl(none, "no prefix", "/", 0);
    excl(none, "no prefix", "/healthz", 0);

    /* several prefixes: any of them */
    multi = prefixes("/healthz", "/status/", HSTS_ACME_PREFIX, NULL);
    is_num(multi->nelts, 3, "three prefixes normalised");
    excl(multi, "multi", "/healthz", 1);
    excl(multi, "multi", "/status", 1);
    excl(multi, "multi", "/status/x", 1);
    excl(multi, "multi", "/.well-known/acme-challenge/T", 1);
    excl(multi, "multi", "/statusx", 0);
    excl(multi, "multi", "/admin", 0);
    excl(multi, "multi", "/status/../admin", 0);
}

int main(void)
{
    apr_initialize();
    apr_pool_create(&pool, NULL);

    test_target();
    test_host_valid();
    test_location();
    test_exclude();

    apr_pool_destroy(pool);
    apr_terminate();
    return tap_done();
}
