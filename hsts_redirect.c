/*
 * mod_hsts: the pure parts of the plain-HTTP redirect: host matching,
 * Location building, path exclusions and trusted-proxy matching.
 */
#include <apr_strings.h>
#include <apr_lib.h>

#include <arpa/inet.h>

#include "mod_hsts.h"

int hsts_host_match(const char *pattern, const char *host)
{
    /* Iterative glob match with one backtrack point: linear for the
     * patterns ServerAlias takes, and no recursion a host can exploit. */
    const char *star = NULL, *resume = NULL;

    while (*host) {
        if (*pattern == '*') {
            star = pattern++;
            resume = host;
        }
        else if (*pattern == '?'
                 || (*pattern && apr_tolower(*pattern) == apr_tolower(*host))) {
            pattern++;
            host++;
        }
        else if (star) {
            pattern = star + 1;
            host = ++resume;
        }
        else {
            return 0;
        }
    }
    while (*pattern == '*') {
        pattern++;
    }
    return *pattern == '\0';
}

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
        /* absolute-form: scheme ":" ["//" authority] path-and-query. The
         * authority is optional: httpd serves "http:/x" and "http:?q"
         * (the path of the second is "/"), so both must redirect too. */
        if (!apr_isalpha(*start)) {
            return NULL;
        }
        while (apr_isalnum(*start) || *start == '+' || *start == '-'
               || *start == '.') {
            start++;
        }
        if (*start != ':') {
            return NULL;
        }
        start++;
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
        *error = "a path prefix must start with '/'";
        return NULL;
    }
    if (strpbrk(prefix, "?#")) {
        *error = "a path prefix cannot contain '?' or '#'";
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

/* The first 12 bytes of an IPv4-mapped IPv6 address (::ffff:a.b.c.d). */
static const unsigned char v4mapped[12] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

const char *hsts_cidr_parse(const char *text, hsts_cidr_t *cidr)
{
    char addr[64];
    const char *slash = strchr(text, '/');
    apr_size_t alen = slash ? (apr_size_t)(slash - text) : strlen(text);
    unsigned int maxbits, bits, i;

    if (alen == 0 || alen >= sizeof(addr)) {
        return "expected an IPv4 or IPv6 address, optionally with /bits";
    }
    memcpy(addr, text, alen);
    addr[alen] = '\0';
    memset(cidr, 0, sizeof(*cidr));
    if (inet_pton(AF_INET, addr, cidr->addr) == 1) {
        cidr->family = APR_INET;
        maxbits = 32;
    }
#if APR_HAVE_IPV6
    else if (inet_pton(AF_INET6, addr, cidr->addr) == 1) {
        cidr->family = APR_INET6;
        maxbits = 128;
    }
#endif
    else {
        return "expected an IPv4 or IPv6 address (host names are not "
               "accepted), optionally with /bits";
    }
    bits = maxbits;
    if (slash) {
        const char *b = slash + 1;
        if (!*b || strlen(b) > 3) {
            return "the prefix length after '/' must be a number of bits";
        }
        bits = 0;
        for (; *b; b++) {
            if (!apr_isdigit(*b)) {
                return "the prefix length after '/' must be a number of bits";
            }
            bits = bits * 10 + (unsigned int)(*b - '0');
        }
        if (bits > maxbits) {
            return maxbits == 32 ? "an IPv4 prefix length is at most 32"
                                 : "an IPv6 prefix length is at most 128";
        }
    }
    if (cidr->family == APR_INET6 && bits >= 96
        && !memcmp(cidr->addr, v4mapped, sizeof(v4mapped))) {
        /* hsts_cidr_match turns IPv4-mapped peers into IPv4 addresses, so
         * a mapped block must be the IPv4 block it stands for to match */
        memmove(cidr->addr, cidr->addr + sizeof(v4mapped), 4);
        memset(cidr->addr + 4, 0, sizeof(cidr->addr) - 4);
        cidr->family = APR_INET;
        bits -= 96;
    }
    cidr->bits = bits;
    for (i = 0; i < 16; i++) {
        unsigned int keep = bits > 8 * i ? bits - 8 * i : 0;
        if (keep < 8) {
            cidr->addr[i] &= (unsigned char)(0xff00u >> keep);
        }
    }
    return NULL;
}

static int cidr_contains(const hsts_cidr_t *cidr, const unsigned char *addr)
{
    unsigned int full = cidr->bits / 8, rest = cidr->bits % 8;

    if (memcmp(cidr->addr, addr, full) != 0) {
        return 0;
    }
    if (rest) {
        unsigned char mask = (unsigned char)(0xff00u >> rest);
        return (addr[full] & mask) == cidr->addr[full];
    }
    return 1;
}

int hsts_cidr_match(const apr_array_header_t *blocks, int family,
                    const unsigned char *addr)
{
    const hsts_cidr_t *all = (const hsts_cidr_t *)blocks->elts;
    int i;

    if (family == APR_INET6 && !memcmp(addr, v4mapped, sizeof(v4mapped))) {
        family = APR_INET;
        addr += sizeof(v4mapped);
    }
    for (i = 0; i < blocks->nelts; i++) {
        if (all[i].family == family && cidr_contains(&all[i], addr)) {
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
