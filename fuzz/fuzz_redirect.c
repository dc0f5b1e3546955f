/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: the redirect's builder, fed arbitrary request-target
 * and Host bytes, as httpd under HttpProtocolOptions Unsafe would pass
 * them on: hsts_target_path_query, the host choice of mod_hsts.c's
 * redirect_host (hsts_host_is_valid, then httpd's own ServerAlias
 * matching, for which a reference glob matcher stands in here),
 * hsts_location_build and the exclusions (hsts_exclude_prefix_normalize,
 * hsts_path_excluded).
 *
 * Input: one option byte, then NUL-separated fields: the request target,
 * the Host name, a ServerAlias name (a pattern when it has '*' or '?'),
 * then HSTSRedirectExclude prefixes.
 *
 * Invariants:
 * - the path and query are a suffix of the target: the target itself in
 *   origin form, else what follows "http:" or "https:" ["//" authority],
 *   exactly when the target has that form (other schemes: none);
 * - the host is the configured name unless the client's is a valid host
 *   name that the alias names; whatever a client sends, the Location
 *   names exactly that host;
 * - the Location starts with "https://", has no control byte, space, DEL
 *   or NUL, parses (as browsers parse URLs: userinfo, '\', '%' in the
 *   host) to exactly that host and the port, and its path is the request's,
 *   byte for byte, with only the bytes a header cannot carry encoded;
 * - a path is excluded exactly when it lies under a prefix by whole
 *   segments and has no "." or ".." segment (dots and slashes also
 *   percent-encoded); and no excluded path, fully percent-decoded, leaves
 *   its prefix or has a dot segment.
 */
#include "fuzz_common.h"
#include "hsts_request.h"

#include <apr_strings.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <strings.h>

static const apr_port_t ports[8] = { 443, 80, 8443, 1, 65535, 444, 4430, 44 };

static int is_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

/* The length of the scheme ":" ["//" authority] part of an absolute-form
 * http or https target that has a path to keep, or -1. */
static long absolute_prefix(const char *t)
{
    size_t i = 0;

    if (!is_alpha((unsigned char)t[0])) {
        return -1;
    }
    while (is_alpha((unsigned char)t[i]) || is_digit((unsigned char)t[i])
           || t[i] == '+' || t[i] == '-' || t[i] == '.') {
        i++;
    }
    if (t[i] != ':') {
        return -1;
    }
    /* only http and https name a resource of this server */
    if (!((i == 4 && !strncasecmp(t, "http", 4))
          || (i == 5 && !strncasecmp(t, "https", 5)))) {
        return -1;
    }
    i++;
    if (t[i] == '/' && t[i + 1] == '/') {
        i += 2;
        while (t[i] && t[i] != '/' && t[i] != '?' && t[i] != '#') {
            i++;
        }
        return (long)i;
    }
    if (t[i] == '\0' || t[i] == '/' || t[i] == '?' || t[i] == '#') {
        return (long)i;
    }
    return -1;
}

/* '*' any run, '?' any one character, else ASCII case-insensitive; the
 * textbook dynamic programme, two rows. */
static int glob_reference(const char *pat, const char *s)
{
    size_t m = strlen(pat), n = strlen(s), i, j;
    unsigned char *prev = calloc(n + 1, 1), *cur = calloc(n + 1, 1);
    int result;

    if (!prev || !cur) {
        abort();
    }
    prev[0] = 1;
    for (i = 1; i <= m; i++) {
        cur[0] = prev[0] && pat[i - 1] == '*';
        for (j = 1; j <= n; j++) {
            char pc = pat[i - 1];
            if (pc == '*') {
                cur[j] = prev[j] || cur[j - 1];
            }
            else {
                cur[j] = prev[j - 1]
                         && (pc == '?' || tolower((unsigned char)pc)
                                          == tolower((unsigned char)s[j - 1]));
            }
        }
        memcpy(prev, cur, n + 1);
    }
    result = prev[n];
    free(prev);
    free(cur);
    return result;
}

static int hexval(int c)
{
    if (is_digit(c)) {
        return c - '0';
    }
    c = tolower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/*
 * Decodes %2e/%2E to '.' and %2f/%2F to '/' (all = 0), or every %XX
 * (all = 1), into a malloc'ed buffer; *outlen is its length.
 */
static char *decode(const char *s, size_t len, int all, size_t *outlen)
{
    char *out = malloc(len + 1);
    size_t i, o = 0;

    if (!out) {
        abort();
    }
    for (i = 0; i < len; i++) {
        if (s[i] == '%' && i + 2 < len
            && hexval((unsigned char)s[i + 1]) >= 0
            && hexval((unsigned char)s[i + 2]) >= 0) {
            int c = hexval((unsigned char)s[i + 1]) * 16
                    + hexval((unsigned char)s[i + 2]);
            if (all || c == '.' || c == '/') {
                out[o++] = (char)c;
                i += 2;
                continue;
            }
        }
        out[o++] = s[i];
    }
    out[o] = '\0';
    *outlen = o;
    return out;
}

static int has_dot_segment(const char *s, size_t len)
{
    size_t i = 0;

    while (i <= len) {
        size_t j = i;
        while (j < len && s[j] != '/') {
            j++;
        }
        if ((j - i == 1 && s[i] == '.')
            || (j - i == 2 && s[i] == '.' && s[i + 1] == '.')) {
            return 1;
        }
        i = j + 1;
    }
    return 0;
}

static int under(const char *path, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    return len >= n && !memcmp(path, prefix, n)
           && (len == n || path[n] == '/');
}

/* The authority of an https URL as a browser reads it: up to the first
 * '/', '?', '#' or '\'. */
static void check_location(apr_pool_t *p, const char *loc,
                           const char *host, apr_port_t port,
                           const char *pq, size_t len, const char *shown)
{
    const char *auth, *end;
    char *want_auth, *want_path, *w;
    size_t i, alen;
    int bracket = strchr(host, ':') && host[0] != '[';

    FUZZ_CHECK(!strncmp(loc, "https://", 8), "%s: Location '%s'", shown,
               fuzz_shown(p, loc, strlen(loc)));
    for (i = 0; loc[i]; i++) {
        unsigned char c = (unsigned char)loc[i];
        FUZZ_CHECK(c > 0x20 && c != 0x7f, "%s: Location '%s' has byte 0x%02x",
                   shown, fuzz_shown(p, loc, strlen(loc)), c);
    }

    auth = loc + 8;
    end = auth + strcspn(auth, "/?#\\");
    alen = (size_t)(end - auth);
    want_auth = apr_psprintf(p, "%s%s%s", bracket ? "[" : "", host,
                             bracket ? "]" : "");
    if (port != 443) {
        want_auth = apr_psprintf(p, "%s:%u", want_auth, (unsigned)port);
    }
    FUZZ_CHECK(alen == strlen(want_auth) && !memcmp(auth, want_auth, alen)
               && !memchr(auth, '@', alen) && !memchr(auth, '%', alen)
               && *end == '/',
               "%s: Location '%s' is not on %s", shown,
               fuzz_shown(p, loc, strlen(loc)), want_auth);

    /* the path and query: as sent, bytes a header cannot carry encoded */
    want_path = w = malloc(3 * len + 2);
    if (!w) {
        abort();
    }
    if (len == 0 || pq[0] != '/') {
        *w++ = '/';
    }
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)pq[i];
        if (c <= 0x20 || c == 0x7f) {
            w += sprintf(w, "%%%02X", c);
        }
        else {
            *w++ = (char)c;
        }
    }
    *w = '\0';
    FUZZ_CHECK(!strcmp(end, want_path), "%s: Location path '%s', want '%s'",
               shown, fuzz_shown(p, end, strlen(end)),
               fuzz_shown(p, want_path, strlen(want_path)));
    free(want_path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    size_t pos = 1, len = 0, tlen;
    char *target, *host, *alias, *field;
    const char *pq, *canonical, *chosen, *loc, *shown;
    apr_array_header_t *prefixes;
    apr_port_t port;
    int wild, valid, named, excluded, any_percent = 0;
    long abs_len;

    if (size < 1) {
        return 0;
    }
    p = fuzz_pool();
    port = ports[data[0] & 7];
    canonical = (data[0] & 8) ? "[2001:db8::1]" : "canon.example";
    target = fuzz_field(data, size, &pos);
    if (!target) {
        target = fuzz_strndup((const uint8_t *)"", 0);
    }
    host = fuzz_field(data, size, &pos);
    alias = fuzz_field(data, size, &pos);
    tlen = strlen(target);
    shown = apr_psprintf(p, "target '%s' host '%s' alias '%s'",
                         fuzz_shown(p, target, tlen),
                         host ? fuzz_shown(p, host, strlen(host)) : "(none)",
                         alias ? fuzz_shown(p, alias, strlen(alias))
                               : "(none)");

    /* exclusion prefixes: the ACME default unless "none", then the rest */
    prefixes = apr_array_make(p, 4, sizeof(const char *));
    if (!(data[0] & 16)) {
        const char *err = NULL;
        APR_ARRAY_PUSH(prefixes, const char *) =
            hsts_exclude_prefix_normalize(p, HSTS_ACME_PREFIX, &err);
    }
    while ((field = fuzz_field(data, size, &pos)) != NULL) {
        const char *err = NULL, *norm;
        size_t flen = strlen(field), keep = flen;
        int good = field[0] == '/' && !strpbrk(field, "?#");

        norm = hsts_exclude_prefix_normalize(p, field, &err);
        while (keep > 0 && field[keep - 1] == '/') {
            keep--;
        }
        FUZZ_CHECK(good ? norm && strlen(norm) == keep
                          && !memcmp(norm, field, keep)
                        : !norm && err && *err,
                   "prefix '%s' normalised to '%s'",
                   fuzz_shown(p, field, flen),
                   norm ? fuzz_shown(p, norm, strlen(norm)) : "(null)");
        if (norm) {
            APR_ARRAY_PUSH(prefixes, const char *) = norm;
            any_percent |= strchr(norm, '%') != NULL;
        }
        free(field);
    }

    /* the path and query */
    pq = hsts_target_path_query(target, &len);
    abs_len = target[0] == '/' ? 0 : absolute_prefix(target);
    if (abs_len < 0) {
        FUZZ_CHECK(pq == NULL, "%s: path '%s' from a target without one",
                   shown, fuzz_shown(p, pq, strlen(pq)));
    }
    else {
        FUZZ_CHECK(pq == target + abs_len && len == tlen - (size_t)abs_len,
                   "%s: path at offset %ld (length %zu), want %ld", shown,
                   pq ? (long)(pq - target) : -1L, pq ? len : 0, abs_len);
    }

    /* the host, as mod_hsts.c's redirect_host chooses it */
    valid = host && *host && hsts_host_is_valid(host);
    if (host && *host) {
        int chars_ok = 1;
        size_t i;
        unsigned char a6[16];
        for (i = 0; host[i]; i++) {
            unsigned char c = (unsigned char)host[i];
            if (!isalnum(c) && c != '-' && c != '_' && c != '.') {
                chars_ok = 0;
            }
        }
        FUZZ_CHECK(valid == (strchr(host, ':')
                             ? inet_pton(AF_INET6, host, a6) == 1 : chars_ok),
                   "%s: hsts_host_is_valid says %d", shown, valid);
    }
    wild = alias && strpbrk(alias, "*?");
    named = 0;
    if (alias && host && strlen(alias) * strlen(host) <= 1000000) {
        named = wild ? glob_reference(alias, host) : !strcasecmp(alias, host);
    }
    chosen = (valid && named) ? host : canonical;

    if (pq) {
        loc = hsts_location_build(p, chosen, port, pq, len);
        check_location(p, loc, chosen, port, pq, len, shown);

        /* the exclusions */
        excluded = hsts_path_excluded(pq, len, prefixes);
        {
            const char *q = memchr(pq, '?', len);
            size_t plen = q ? (size_t)(q - pq) : len, dlen, flen;
            char *dots = decode(pq, plen, 0, &dlen);
            int want = 0, i;

            for (i = 0; i < prefixes->nelts; i++) {
                want |= under(pq, plen, APR_ARRAY_IDX(prefixes, i,
                                                      const char *));
            }
            want = want && !has_dot_segment(dots, dlen);
            FUZZ_CHECK(excluded == want, "%s: excluded %d, want %d", shown,
                       excluded, want);
            if (excluded && !any_percent) {
                char *full = decode(pq, plen, 1, &flen);
                int inside = 0;
                for (i = 0; i < prefixes->nelts; i++) {
                    inside |= under(full, flen, APR_ARRAY_IDX(prefixes, i,
                                                              const char *));
                }
                FUZZ_CHECK(inside && !has_dot_segment(full, flen),
                           "%s: excluded, but decoded it is '%s'", shown,
                           fuzz_shown(p, full, flen));
                free(full);
            }
            free(dots);
        }
    }

    free(target);
    free(host);
    free(alias);
    apr_pool_destroy(p);
    return 0;
}
