/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mod_hsts: what a certificate file and a certificate say, taken once
 * from their bytes (pure; hsts_cert_int.h).
 *
 * The checks never look at a parsed certificate again but to ask
 * OpenSSL whether it covers a name they have not asked before: the rest
 * is here, so a parsed certificate is freed as soon as its facts are
 * taken, and facts can be kept (and written to the cache file) without
 * OpenSSL objects.
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
    char *s = apr_palloc(p, HSTS_HEX_LEN + 1);
    apr_size_t i;

    for (i = 0; i < HSTS_DIGEST_LEN; i++) {
        s[2 * i] = hex[d->b[i] >> 4];
        s[2 * i + 1] = hex[d->b[i] & 15];
    }
    s[HSTS_HEX_LEN] = '\0';
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
    if (X509_self_signed(x, 0) == 1) {
        f->flags |= HSTS_CF_SELF_SIGNED;
    }
    if (signed_with_sha1(x)) {
        f->flags |= HSTS_CF_SHA1;
    }
    ERR_clear_error();
    return f;
}

/* ------------------------------------------------------------------ */
/* Names and dates, by OpenSSL                                          */

int hsts_x509_covers(X509 *x, const char *name)
{
    apr_size_t len = strlen(name);
    char ip[64];
    int covers;

    if (X509_check_ip_asc(x, name, 0) == 1) {
        covers = 1;
    }
    else if (len > 2 && len < sizeof(ip) && name[0] == '['
             && name[len - 1] == ']') {
        memcpy(ip, name + 1, len - 2);
        ip[len - 2] = '\0';
        covers = X509_check_ip_asc(x, ip, 0) == 1;
    }
    else {
        covers = X509_check_host(x, name, len, 0, NULL) == 1;
    }
    ERR_clear_error();
    return covers;
}

const char *hsts_date_text(apr_pool_t *p, apr_int64_t secs)
{
    ASN1_TIME *t = ASN1_TIME_set(NULL, (time_t)secs);
    BIO *bio = BIO_new(BIO_s_mem());
    char buf[64] = "";
    int n = 0;

    if (t && bio && ASN1_TIME_print(bio, t)) {
        n = BIO_read(bio, buf, sizeof(buf) - 1);
    }
    BIO_free(bio);
    ASN1_TIME_free(t);
    ERR_clear_error();
    return n > 0 ? apr_pstrndup(p, buf, (apr_size_t)n) : "?";
}

/* ------------------------------------------------------------------ */
/* Copies                                                               */

static const char *dup_or_null(apr_pool_t *p, const char *s)
{
    return s ? apr_pstrdup(p, s) : NULL;
}

/* One block: the record, then its string. */
hsts_cert_facts_t *hsts_cert_facts_copy(apr_pool_t *p,
                                        const hsts_cert_facts_t *f)
{
    const char *s = f->error ? f->error : f->subject ? f->subject : "";
    apr_size_t len = strlen(s) + 1;
    hsts_cert_facts_t *c = apr_palloc(p, sizeof(*c) + len);
    char *text = (char *)(c + 1);

    *c = *f;
    memcpy(text, s, len);
    c->error = f->error ? text : NULL;
    c->subject = f->error ? NULL : text;
    return c;
}

/* ------------------------------------------------------------------ */
/* Verdicts                                                             */

hsts_verdict_t *hsts_verdict_make(apr_pool_t *p, const char *error)
{
    hsts_verdict_t *v = apr_pcalloc(p, sizeof(*v));

    v->error = apr_pstrdup(p, error);
    v->issuers_from = APR_INT64_MIN;
    v->issuers_until = APR_INT64_MAX;
    return v;
}

void hsts_verdict_issuer(apr_pool_t *p, hsts_verdict_t *v, X509 *x)
{
    apr_int64_t from, until;
    int later = (date_of(X509_get0_notBefore(x), &from, HSTS_CF_NOT_BEFORE)
                 & HSTS_CF_NOT_BEFORE) && from > v->issuers_from;
    int sooner = (date_of(X509_get0_notAfter(x), &until, HSTS_CF_NOT_AFTER)
                  & HSTS_CF_NOT_AFTER) && until < v->issuers_until;
    char buf[256];
    const char *subject;

    if (!later && !sooner) {
        return;
    }
    X509_NAME_oneline(X509_get_subject_name(x), buf, sizeof(buf));
    subject = apr_pstrdup(p, buf);
    if (later) {
        v->issuers_from = from;
        v->from_subject = subject;
    }
    if (sooner) {
        v->issuers_until = until;
        v->until_subject = subject;
    }
}

hsts_verdict_t *hsts_verdict_copy(apr_pool_t *p, const hsts_verdict_t *v)
{
    hsts_verdict_t *c = apr_pmemdup(p, v, sizeof(*v));

    c->error = apr_pstrdup(p, v->error);
    c->from_subject = apr_pstrdup(p, v->from_subject);
    c->until_subject = v->until_subject == v->from_subject
                       ? c->from_subject
                       : apr_pstrdup(p, v->until_subject);
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
