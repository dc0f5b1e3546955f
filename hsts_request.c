/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mod_hsts: the pure parts of the plain-HTTP redirect: host names,
 * request targets, the Location and the paths excluded from it.
 */
#include <apr_strings.h>
#include <apr_lib.h>

#include <arpa/inet.h>

#include "hsts_request.h"

int hsts_host_is_valid(const char *host)
{
    const char *c;

    if (!*host) {
        return 0;
    }
    if (strchr(host, ':')) {
        unsigned char addr[16] = { 0 };
#if APR_HAVE_IPV6
        return inet_pton(AF_INET6, host, addr) == 1;
#else
        (void)addr;
        return 0;
#endif
    }
    for (c = host; *c; c++) {
        if (!apr_isalnum(*c) && *c != '-' && *c != '_' && *c != '.') {
            return 0;
        }
    }
    return 1;
}

const char *hsts_target_path_query(const char *target, apr_size_t *len)
{
    const char *start = target;

    if (target[0] != '/') {
        /* absolute-form: scheme ":" ["//" authority] path-and-query. Only
         * http and https name a resource of this server (httpd before
         * 2.4.52 accepts any scheme). The authority is optional: httpd
         * serves "http:/x" and "http:?q" (the path of the second is "/"),
         * so both must redirect too. */
        if (!strncasecmp(start, "https:", 6)) {
            start += 6;
        }
        else if (!strncasecmp(start, "http:", 5)) {
            start += 5;
        }
        else {
            return NULL;
        }
        if (start[0] == '/' && start[1] == '/') {
            start += 2;
            start += strcspn(start, "/?#");
        }
        else if (*start && !strchr("/?#", *start)) {
            /* a rootless path ("host:443", "http:x"): httpd answers
             * 400 and there is nothing to redirect */
            return NULL;
        }
    }
    *len = strlen(start);
    return start;
}

const char *hsts_location_build(apr_pool_t *p, const char *host,
                                apr_port_t port, const char *path_query,
                                apr_size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    int bracket = strchr(host, ':') != NULL && host[0] != '[';
    char portbuf[8] = "";
    apr_size_t hlen = strlen(host), plen, i, extra = 0, pos;
    int need_slash = (len == 0 || path_query[0] != '/');
    char *out;

    if (port != 443) {
        apr_snprintf(portbuf, sizeof(portbuf), ":%u", (unsigned int)port);
    }
    plen = strlen(portbuf);

    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)path_query[i];
        if (c <= 0x20 || c == 0x7f) {
            extra += 2;
        }
    }

    out = apr_palloc(p, sizeof("https://[]") + hlen + plen + need_slash
                        + len + extra);
    memcpy(out, "https://", 8);
    pos = 8;
    if (bracket) {
        out[pos++] = '[';
    }
    memcpy(out + pos, host, hlen);
    pos += hlen;
    if (bracket) {
        out[pos++] = ']';
    }
    memcpy(out + pos, portbuf, plen);
    pos += plen;
    if (need_slash) {
        out[pos++] = '/';
    }
    if (extra == 0) {
        memcpy(out + pos, path_query, len);
        pos += len;
    }
    else {
        for (i = 0; i < len; i++) {
            unsigned char c = (unsigned char)path_query[i];
            if (c <= 0x20 || c == 0x7f) {
                out[pos++] = '%';
                out[pos++] = hex[c >> 4];
                out[pos++] = hex[c & 0x0f];
            }
            else {
                out[pos++] = (char)c;
            }
        }
    }
    out[pos] = '\0';
    return out;
}

const char *hsts_exclude_prefix_normalize(apr_pool_t *p, const char *prefix,
                                          const char **error)
{
    apr_size_t len = strlen(prefix);

    if (prefix[0] != '/') {
        *error = "a path prefix starts with \"/\"";
        return NULL;
    }
    if (strpbrk(prefix, "?#")) {
        *error = "a path prefix has no \"?\" or \"#\"";
        return NULL;
    }
    while (len > 0 && prefix[len - 1] == '/') {
        len--;
    }
    return apr_pstrmemdup(p, prefix, len);
}

/* The length of a segment separator at path[i]: 1 for '/', 3 for "%2F"
 * (httpd decodes it with AllowEncodedSlashes On and then normalises the
 * path again), 0 for anything else. */
static apr_size_t separator_len(const char *path, apr_size_t len,
                                apr_size_t i)
{
    if (path[i] == '/') {
        return 1;
    }
    if (path[i] == '%' && i + 2 < len && path[i + 1] == '2'
        && (path[i + 2] == 'f' || path[i + 2] == 'F')) {
        return 3;
    }
    return 0;
}

/* A "." or ".." segment, plain or with its dots (or the slashes around
 * it) percent-encoded. */
static int has_dot_segment(const char *path, apr_size_t len)
{
    apr_size_t i = 0;

    while (i < len) {
        apr_size_t seg = i, dots = 0, j, sep = separator_len(path, len, i);
        if (sep) {
            i += sep;
            continue;
        }
        for (j = seg; j < len && !separator_len(path, len, j);) {
            if (path[j] == '.') {
                dots++;
                j++;
            }
            else if (path[j] == '%' && j + 2 < len && path[j + 1] == '2'
                     && (path[j + 2] == 'e' || path[j + 2] == 'E')) {
                dots++;
                j += 3;
            }
            else {
                dots = 3; /* any other character: not a dot segment */
                j++;
            }
        }
        if (dots == 1 || dots == 2) {
            return 1;
        }
        i = j;
    }
    return 0;
}

int hsts_path_excluded(const char *path_query, apr_size_t len,
                       const apr_array_header_t *prefixes)
{
    const char *const *all = (const char *const *)prefixes->elts;
    const char *query = memchr(path_query, '?', len);
    apr_size_t plen = query ? (apr_size_t)(query - path_query) : len;
    int i;

    for (i = 0; i < prefixes->nelts; i++) {
        apr_size_t n = strlen(all[i]);
        if (plen >= n && !memcmp(path_query, all[i], n)
            && (plen == n || path_query[n] == '/')) {
            return !has_dot_segment(path_query, plen);
        }
    }
    return 0;
}
