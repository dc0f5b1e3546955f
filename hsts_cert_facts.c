/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mod_hsts: what a certificate file and a certificate say, taken once
 * from their bytes, and names matched against what was taken (pure;
 * hsts_cert_int.h).
 *
 * The checks never look at a parsed certificate again: everything they
 * need is here, so a parsed certificate is freed as soon as its facts
 * are taken, and facts can be kept (and written to the cache file)
 * without OpenSSL objects.
 */
#include <apr_strings.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <string.h>
#include <time.h>

#include "hsts_cert_int.h"

/* ------------------------------------------------------------------ */
/* Digests                                                              */

void hsts_digest(const EVP_MD *md, const void *data, apr_size_t len,
                 hsts_digest_t *out)
{
    unsigned int n = 0;

    if (!EVP_Digest(data, len, out->b, &n, md ? md : EVP_sha256(), NULL)
        || n != HSTS_DIGEST_LEN) {
        /* cannot happen with OpenSSL's SHA-256; a zero digest would
         * still only ever be compared with another */
        memset(out->b, 0, sizeof(out->b));
    }
}

const char *hsts_digest_hex(apr_pool_t *p, const hsts_digest_t *d)
{
    static const char hex[] = "0123456789abcdef";
    char *s = apr_palloc(p, 2 * HSTS_DIGEST_LEN + 1);
    int i;

    for (i = 0; i < HSTS_DIGEST_LEN; i++) {
        s[2 * i] = hex[d->b[i] >> 4];
        s[2 * i + 1] = hex[d->b[i] & 15];
    }
    s[2 * HSTS_DIGEST_LEN] = '\0';
    return s;
}

/* ------------------------------------------------------------------ */
/* Files                                                                */

/* The last OpenSSL error as text, and the queue cleared. */
static const char *openssl_error(apr_pool_t *p)
{
    unsigned long e = ERR_peek_last_error();
    char buf[256];

    ERR_clear_error();
    if (!e) {
        return "no certificate found in it";
    }
    ERR_error_string_n(e, buf, sizeof(buf));
    return apr_pstrdup(p, buf);
}

/*
 * The certificate blocks of a file as OpenSSL's PEM_read_bio_X509() (so
 * mod_ssl) reads them, less the decoding of each DER, which is done once
 * per distinct certificate: other PEM blocks (a key) are skipped; the
 * end of the file is "no start line"; any other error stops the reading.
 */
hsts_file_facts_t *hsts_file_facts_read(apr_pool_t *p, const EVP_MD *md,
                                        const char *data, apr_size_t len,
                                        apr_hash_t *der)
{
    hsts_file_facts_t *f = apr_pcalloc(p, sizeof(*f));
    apr_array_header_t *certs = apr_array_make(p, 2, sizeof(hsts_digest_t));
    BIO *bio = BIO_new_mem_buf(data, (int)len);
    unsigned long e;

    ERR_clear_error();
    for (;;) {
        unsigned char *block = NULL;
        long block_len = 0;
        hsts_digest_t *d;

        if (!bio || !PEM_bytes_read_bio(&block, &block_len, NULL,
                                        PEM_STRING_X509, bio, NULL, NULL)) {
            break;
        }
        d = apr_array_push(certs);
        hsts_digest(md, block, (apr_size_t)block_len, d);
        if (der && !apr_hash_get(der, d->b, HSTS_DIGEST_LEN)) {
            hsts_der_t *b = apr_palloc(p, sizeof(*b));
            b->digest = *d;
            b->der = apr_pmemdup(p, block, (apr_size_t)block_len);
            b->len = block_len;
            apr_hash_set(der, b->digest.b, HSTS_DIGEST_LEN, b);
        }
        OPENSSL_free(block);
    }
    e = ERR_peek_last_error();
    if (!certs->nelts
        || (e && !(ERR_GET_LIB(e) == ERR_LIB_PEM
                   && ERR_GET_REASON(e) == PEM_R_NO_START_LINE))) {
        f->error = openssl_error(p);
    }
    ERR_clear_error();
    BIO_free(bio);
    f->count = certs->nelts;
    f->certs = (hsts_digest_t *)certs->elts;
    return f;
}

X509 *hsts_der_parse(apr_pool_t *p, const hsts_der_t *der, const char **error)
{
    const unsigned char *q = der->der;
    X509 *x;

    ERR_clear_error();
    x = d2i_X509(NULL, &q, der->len);
    if (!x) {
        /* what PEM_read_bio_X509() reports of a block that does not
         * decode */
        ERR_raise(ERR_LIB_PEM, ERR_R_ASN1_LIB);
        *error = openssl_error(p);
    }
    return x;
}

/* ------------------------------------------------------------------ */
/* Certificates                                                         */

static const char *asn1_time_text(apr_pool_t *p, const ASN1_TIME *t)
{
    BIO *bio = BIO_new(BIO_s_mem());
    char buf[64] = "";
    int n;

    if (!bio) {
        return "?";
    }
    ASN1_TIME_print(bio, t);
    n = BIO_read(bio, buf, sizeof(buf) - 1);
    BIO_free(bio);
    return apr_pstrndup(p, buf, n > 0 ? (apr_size_t)n : 0);
}

/*
 * A date as seconds, and whether it compares: X509_cmp_time() accepts
 * only the strict forms (and says 0 of the others, which no check then
 * reports), ASN1_TIME_to_tm() more. Returns HSTS_CF_* bits: cmp_bit
 * when it compares, HSTS_CF_EXPIRY when it converts.
 */
static unsigned int date_of(const ASN1_TIME *t, apr_int64_t *secs,
                            unsigned int cmp_bit)
{
    struct tm tm;
    time_t epoch = 0;
    unsigned int bits = 0;

    *secs = 0;
    if (t && ASN1_TIME_to_tm(t, &tm)) {
        *secs = (apr_int64_t)timegm(&tm);
        bits |= HSTS_CF_EXPIRY;
        if (X509_cmp_time(t, &epoch) != 0) {
            bits |= cmp_bit;
        }
    }
    ERR_clear_error();
    return bits;
}

static int signed_with_sha1(const X509 *x)
{
    int md = NID_undef, pk = NID_undef;

    return OBJ_find_sigid_algs(X509_get_signature_nid(x), &md, &pk)
           && md == NID_sha1;
}

static const char *hex_of(apr_pool_t *p, const unsigned char *b, int len)
{
    static const char hex[] = "0123456789abcdef";
    char *s = apr_palloc(p, 2 * (apr_size_t)len + 1);
    int i;

    for (i = 0; i < len; i++) {
        s[2 * i] = hex[b[i] >> 4];
        s[2 * i + 1] = hex[b[i] & 15];
    }
    s[2 * len] = '\0';
    return s;
}

static const char **list_of(apr_array_header_t *a)
{
    APR_ARRAY_PUSH(a, const char *) = NULL;
    return (const char **)a->elts;
}

/* The subject's CNs, which OpenSSL 3 compares only when the certificate
 * lists no DNS name (OpenSSL 4 never does): as UTF-8, up to one that
 * does not convert (X509_check_host() stops there); empty ones and
 * those with a NUL match nothing. */
static const char **common_names(apr_pool_t *p, X509 *x)
{
    apr_array_header_t *cns = apr_array_make(p, 1, sizeof(const char *));
#if OPENSSL_VERSION_MAJOR < 4
    const X509_NAME *name = X509_get_subject_name(x);
    int i = -1;

    while ((i = X509_NAME_get_index_by_NID(name, NID_commonName, i)) >= 0) {
        const ASN1_STRING *s = X509_NAME_ENTRY_get_data(
            X509_NAME_get_entry(name, i));
        unsigned char *utf8 = NULL;
        int n;

        if (!ASN1_STRING_get0_data(s) || !ASN1_STRING_length(s)) {
            continue;
        }
        if ((n = ASN1_STRING_to_UTF8(&utf8, s)) < 0) {
            break;
        }
        if (!memchr(utf8, 0, (size_t)n)) {
            APR_ARRAY_PUSH(cns, const char *) =
                apr_pstrmemdup(p, (const char *)utf8, (apr_size_t)n);
        }
        OPENSSL_free(utf8);
    }
#else
    (void)x;
#endif
    return list_of(cns);
}

/* The names X509_check_host() and X509_check_ip_asc() compare. */
static void names_of(apr_pool_t *p, X509 *x, hsts_cert_facts_t *f)
{
    GENERAL_NAMES *gens = X509_get_ext_d2i(x, NID_subject_alt_name, NULL,
                                           NULL);
    apr_array_header_t *dns = apr_array_make(p, 2, sizeof(const char *));
    apr_array_header_t *ips = apr_array_make(p, 1, sizeof(const char *));
    int i;

    for (i = 0; gens && i < sk_GENERAL_NAME_num(gens); i++) {
        const GENERAL_NAME *gen = sk_GENERAL_NAME_value(gens, i);
        const ASN1_STRING *s;

        if (gen->type == GEN_DNS) {
            f->flags |= HSTS_CF_DNS_SAN;
            s = gen->d.dNSName;
            if (s->data && s->length > 0
                && !memchr(s->data, 0, (size_t)s->length)) {
                APR_ARRAY_PUSH(dns, const char *) =
                    apr_pstrmemdup(p, (const char *)s->data,
                                   (apr_size_t)s->length);
            }
        }
        else if (gen->type == GEN_IPADD) {
            s = gen->d.iPAddress;
            if (s->data && s->length > 0) {
                APR_ARRAY_PUSH(ips, const char *) = hex_of(p, s->data,
                                                           s->length);
            }
        }
    }
    GENERAL_NAMES_free(gens);
    f->dns = list_of(dns);
    f->ips = list_of(ips);
    f->cns = f->flags & HSTS_CF_DNS_SAN ? list_of(apr_array_make(
                                              p, 1, sizeof(const char *)))
                                        : common_names(p, x);
}

hsts_cert_facts_t *hsts_cert_facts_of(apr_pool_t *p, X509 *x,
                                      const char *error)
{
    hsts_cert_facts_t *f = apr_pcalloc(p, sizeof(*f));
    char buf[256];

    if (!x) {
        f->error = error ? error : "it does not parse";
        return f;
    }
    X509_NAME_oneline(X509_get_subject_name(x), buf, sizeof(buf));
    f->subject = apr_pstrdup(p, buf);
    f->flags |= date_of(X509_get0_notBefore(x), &f->not_before,
                        HSTS_CF_NOT_BEFORE) & HSTS_CF_NOT_BEFORE;
    f->flags |= date_of(X509_get0_notAfter(x), &f->not_after,
                        HSTS_CF_NOT_AFTER);
    f->not_before_text = asn1_time_text(p, X509_get0_notBefore(x));
    f->not_after_text = asn1_time_text(p, X509_get0_notAfter(x));
    if (X509_self_signed(x, 0) == 1) {
        f->flags |= HSTS_CF_SELF_SIGNED;
    }
    if (signed_with_sha1(x)) {
        f->flags |= HSTS_CF_SHA1;
    }
    names_of(p, x, f);
    ERR_clear_error();
    return f;
}

/* ------------------------------------------------------------------ */
/* Names, as OpenSSL 3's X509_check_host() and X509_check_ip_asc()
 * match them (crypto/x509/v3_utl.c), over the facts: the same rules,
 * checked against OpenSSL itself by t/unit/test_cert.c.                */

#define DOT_SUBDOMAINS 1            /* the name starts with '.' */

#define LABEL_START  1
#define LABEL_HYPHEN 2
#define LABEL_IDNA   4

static int ascii_lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int ascii_alnum(int c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')
           || (c >= 'A' && c <= 'Z');
}

static int idna_prefix(const char *s, apr_size_t len)
{
    return len >= 4 && ascii_lower(s[0]) == 'x' && ascii_lower(s[1]) == 'n'
           && s[2] == '-' && s[3] == '-';
}

/* Equal but for ASCII case; a NUL in the pattern matches nothing. A
 * name starting with '.' matches the pattern's end (its subdomains). */
static int equal_nocase(const char *pat, apr_size_t plen, const char *sub,
                        apr_size_t slen, int flags)
{
    apr_size_t i;

    if (flags & DOT_SUBDOMAINS) {
        const char *q = pat;
        apr_size_t qlen = plen;

        while (qlen > slen && *q) {
            q++;
            qlen--;
        }
        if (qlen == slen) {
            pat = q;
            plen = qlen;
        }
    }
    if (plen != slen) {
        return 0;
    }
    for (i = 0; i < plen; i++) {
        if (!pat[i]) {
            return 0;
        }
        if (pat[i] != sub[i]
            && ascii_lower((unsigned char)pat[i])
               != ascii_lower((unsigned char)sub[i])) {
            return 0;
        }
    }
    return 1;
}

/* Where the one wildcard a pattern may have is ('*' at the start or end
 * of its first label, not in an IDNA label, at least two dots after it,
 * only letters, digits and hyphens around), or -1. */
static apr_ssize_t valid_star(const char *p, apr_size_t len)
{
    apr_ssize_t star = -1;
    int state = LABEL_START, dots = 0;
    apr_size_t i;

    for (i = 0; i < len; i++) {
        int c = (unsigned char)p[i];

        if (c == '*') {
            int at_start = state & LABEL_START;
            int at_end = i == len - 1 || p[i + 1] == '.';
            if (star >= 0 || (state & LABEL_IDNA) || dots
                || (!at_start && !at_end)) {
                return -1;
            }
            star = (apr_ssize_t)i;
            state &= ~LABEL_START;
        }
        else if (ascii_alnum(c)) {
            if ((state & LABEL_START) && idna_prefix(p + i, len - i)) {
                state |= LABEL_IDNA;
            }
            state &= ~(LABEL_HYPHEN | LABEL_START);
        }
        else if (c == '.') {
            if (state & (LABEL_HYPHEN | LABEL_START)) {
                return -1;
            }
            state = LABEL_START;
            dots++;
        }
        else if (c == '-' && !(state & LABEL_START)) {
            state |= LABEL_HYPHEN;
        }
        else {
            return -1;
        }
    }
    if ((state & (LABEL_START | LABEL_HYPHEN)) || dots < 2) {
        return -1;
    }
    return star;
}

static int wildcard_match(const char *pat, apr_size_t star, apr_size_t plen,
                          const char *sub, apr_size_t slen)
{
    const char *suffix = pat + star + 1;
    apr_size_t suffix_len = plen - star - 1, i, start, end;

    if (slen < star + suffix_len
        || !equal_nocase(pat, star, sub, star, 0)
        || !equal_nocase(sub + slen - suffix_len, suffix_len, suffix,
                         suffix_len, 0)) {
        return 0;
    }
    start = star;
    end = slen - suffix_len;
    /* a whole first label: at least one character, IDNA allowed */
    if (star == 0 && suffix[0] == '.') {
        if (start == end) {
            return 0;
        }
    }
    else if (idna_prefix(sub, slen)) {
        return 0;
    }
    if (end == start + 1 && sub[start] == '*') {
        return 1;
    }
    for (i = start; i < end; i++) {
        if (!ascii_alnum((unsigned char)sub[i]) && sub[i] != '-') {
            return 0;
        }
    }
    return 1;
}

static int equal_wildcard(const char *pat, const char *sub, apr_size_t slen,
                          int flags)
{
    apr_size_t plen = strlen(pat);
    apr_ssize_t star = -1;

    if (!(slen > 1 && sub[0] == '.')) {
        star = valid_star(pat, plen);
    }
    if (star < 0) {
        return equal_nocase(pat, plen, sub, slen, flags);
    }
    return wildcard_match(pat, (apr_size_t)star, plen, sub, slen);
}

static int host_matches(const hsts_cert_facts_t *f, const char *name)
{
    apr_size_t len = strlen(name);
    int flags = len > 1 && name[0] == '.' ? DOT_SUBDOMAINS : 0;
    const char **n;

    for (n = f->dns; *n; n++) {
        if (equal_wildcard(*n, name, len, flags)) {
            return 1;
        }
    }
    if (f->flags & HSTS_CF_DNS_SAN) {
        return 0;
    }
    for (n = f->cns; *n; n++) {
        if (equal_wildcard(*n, name, len, flags)) {
            return 1;
        }
    }
    return 0;
}

/* Whether the certificate lists the IP address name (in OpenSSL's
 * syntax: a2i_IPADDRESS()). */
static int ip_listed(const hsts_cert_facts_t *f, const char *name)
{
    ASN1_OCTET_STRING *ip;
    char buf[2 * 16 + 1];
    const char **n;
    int i, len;

    if (!f->ips[0] || name[strspn(name, "0123456789abcdefABCDEF:.")]) {
        return 0;
    }
    ip = a2i_IPADDRESS(name);
    ERR_clear_error();
    if (!ip) {
        return 0;
    }
    len = ASN1_STRING_length(ip);
    for (i = 0; i < len && i < 16; i++) {
        static const char hex[] = "0123456789abcdef";
        const unsigned char *b = ASN1_STRING_get0_data(ip);
        buf[2 * i] = hex[b[i] >> 4];
        buf[2 * i + 1] = hex[b[i] & 15];
    }
    buf[2 * i] = '\0';
    ASN1_OCTET_STRING_free(ip);
    for (n = f->ips; *n; n++) {
        if (!strcmp(*n, buf)) {
            return 1;
        }
    }
    return 0;
}

int hsts_cert_facts_covers(const hsts_cert_facts_t *f, const char *name)
{
    apr_size_t len = strlen(name);
    char ip[64];

    if (f->error) {
        return 0;
    }
    if (ip_listed(f, name)) {
        return 1;
    }
    if (len > 2 && len < sizeof(ip) && name[0] == '[' && name[len - 1] == ']') {
        memcpy(ip, name + 1, len - 2);
        ip[len - 2] = '\0';
        return ip_listed(f, ip);
    }
    return host_matches(f, name);
}

/* ------------------------------------------------------------------ */
/* Copies                                                               */

static const char *dup_or_null(apr_pool_t *p, const char *s)
{
    return s ? apr_pstrdup(p, s) : NULL;
}

static const char **list_copy(apr_pool_t *p, const char **list)
{
    const char **out;
    int n = 0, i;

    while (list[n]) {
        n++;
    }
    out = apr_palloc(p, sizeof(const char *) * (apr_size_t)(n + 1));
    for (i = 0; i < n; i++) {
        out[i] = apr_pstrdup(p, list[i]);
    }
    out[n] = NULL;
    return out;
}

hsts_cert_facts_t *hsts_cert_facts_copy(apr_pool_t *p,
                                        const hsts_cert_facts_t *f)
{
    hsts_cert_facts_t *c = apr_pmemdup(p, f, sizeof(*f));

    c->error = dup_or_null(p, f->error);
    if (f->error) {
        return c;
    }
    c->subject = apr_pstrdup(p, f->subject);
    c->not_before_text = apr_pstrdup(p, f->not_before_text);
    c->not_after_text = apr_pstrdup(p, f->not_after_text);
    c->dns = list_copy(p, f->dns);
    c->cns = list_copy(p, f->cns);
    c->ips = list_copy(p, f->ips);
    return c;
}

hsts_file_facts_t *hsts_file_facts_copy(apr_pool_t *p,
                                        const hsts_file_facts_t *f)
{
    hsts_file_facts_t *c = apr_pmemdup(p, f, sizeof(*f));

    c->certs = f->count ? apr_pmemdup(p, f->certs, sizeof(hsts_digest_t)
                                                   * (apr_size_t)f->count)
                        : NULL;
    c->error = dup_or_null(p, f->error);
    return c;
}
