/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mod_hsts: the certificates of HSTS hosts, read and checked with OpenSSL
 * (pure: no httpd structures).
 */
#include <apr_strings.h>
#include <apr_hash.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <errno.h>
#include <string.h>
#include <time.h>

#include "hsts_cert.h"

/* One certificate file, parsed once. */
typedef struct {
    X509 *leaf;                     /* NULL when unreadable */
    STACK_OF(X509) *rest;           /* the certificates after it */
    const char *error;              /* why it is unreadable */
    const char *rest_error;         /* why a block after the leaf is */
} cert_file_t;

struct hsts_cert_store_t {
    apr_pool_t *pool;
    apr_hash_t *files;              /* path -> cert_file_t */
    apr_hash_t *certs;              /* "cert\nchain" -> hsts_cert_t */
    X509_STORE *trust;              /* loaded when first needed */
};

struct hsts_cert_t {
    const char *cert_file;
    const char *chain_file;         /* NULL when none */
    const cert_file_t *cf;
    const cert_file_t *chf;         /* NULL when none */
    const char *chain_result;       /* NULL until verified; "" = valid */
};

static apr_status_t store_cleanup(void *data)
{
    hsts_cert_store_t *store = data;
    apr_hash_index_t *hi;

    for (hi = apr_hash_first(NULL, store->files); hi; hi = apr_hash_next(hi)) {
        cert_file_t *f = apr_hash_this_val(hi);
        X509_free(f->leaf);
        sk_X509_pop_free(f->rest, X509_free);
    }
    X509_STORE_free(store->trust);
    return APR_SUCCESS;
}

hsts_cert_store_t *hsts_cert_store_make(apr_pool_t *p)
{
    hsts_cert_store_t *store = apr_pcalloc(p, sizeof(*store));

    store->pool = p;
    store->files = apr_hash_make(p);
    store->certs = apr_hash_make(p);
    apr_pool_cleanup_register(p, store, store_cleanup, apr_pool_cleanup_null);
    return store;
}

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

/* The certificates after the leaf. The end of the file is "no start
 * line"; anything else is a block that does not parse, and mod_ssl then
 * refuses the whole file (as OpenSSL's SSL_CTX_use_certificate_chain_file
 * and mod_ssl's reading of SSLCertificateChainFile both do). */
static void read_rest(apr_pool_t *p, BIO *bio, cert_file_t *f)
{
    X509 *x;
    unsigned long e;

    f->rest = sk_X509_new_null();
    while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
        sk_X509_push(f->rest, x);
    }
    e = ERR_peek_last_error();
    if (e && !(ERR_GET_LIB(e) == ERR_LIB_PEM
               && ERR_GET_REASON(e) == PEM_R_NO_START_LINE)) {
        f->rest_error = apr_psprintf(p, "holds a block after certificate %d "
                                     "that does not parse (%s)",
                                     1 + sk_X509_num(f->rest),
                                     openssl_error(p));
    }
    ERR_clear_error();
}

static const cert_file_t *load_file(hsts_cert_store_t *store,
                                    const char *path)
{
    cert_file_t *f = apr_hash_get(store->files, path, APR_HASH_KEY_STRING);
    apr_pool_t *p = store->pool;
    BIO *bio;

    if (f) {
        return f;
    }
    f = apr_pcalloc(p, sizeof(*f));
    apr_hash_set(store->files, apr_pstrdup(p, path), APR_HASH_KEY_STRING, f);

    ERR_clear_error();
    errno = 0;
    bio = BIO_new_file(path, "r");
    if (!bio) {
        f->error = apr_psprintf(p, "cannot be read (%s)",
                                errno ? strerror(errno) : openssl_error(p));
        ERR_clear_error();
        return f;
    }
    f->leaf = PEM_read_bio_X509(bio, NULL, NULL, NULL);
    if (!f->leaf) {
        f->error = apr_psprintf(p, "holds no PEM certificate (%s)",
                                openssl_error(p));
    }
    else {
        read_rest(p, bio, f);
    }
    BIO_free(bio);
    return f;
}

hsts_cert_t *hsts_cert_get(hsts_cert_store_t *store, const char *cert_file,
                           const char *chain_file)
{
    const char *key = apr_pstrcat(store->pool, cert_file, "\n",
                                  chain_file ? chain_file : "", NULL);
    hsts_cert_t *cert = apr_hash_get(store->certs, key, APR_HASH_KEY_STRING);

    if (cert) {
        return cert;
    }
    cert = apr_pcalloc(store->pool, sizeof(*cert));
    cert->cert_file = apr_pstrdup(store->pool, cert_file);
    cert->chain_file = chain_file ? apr_pstrdup(store->pool, chain_file)
                                  : NULL;
    cert->cf = load_file(store, cert_file);
    cert->chf = chain_file ? load_file(store, chain_file) : NULL;
    apr_hash_set(store->certs, key, APR_HASH_KEY_STRING, cert);
    return cert;
}

int hsts_cert_covers(const hsts_cert_t *cert, const char *name)
{
    X509 *x = cert->cf->leaf;
    apr_size_t len = strlen(name);
    char ip[64];

    if (!x) {
        return 0;
    }
    if (X509_check_ip_asc(x, name, 0) == 1) {
        return 1;
    }
    if (len > 2 && len < sizeof(ip) && name[0] == '[' && name[len - 1] == ']') {
        memcpy(ip, name + 1, len - 2);
        ip[len - 2] = '\0';
        return X509_check_ip_asc(x, ip, 0) == 1;
    }
    return X509_check_host(x, name, len, 0, NULL) == 1;
}

apr_time_t hsts_cert_expiry(const hsts_cert_t *cert)
{
    struct tm tm;

    if (!cert->cf->leaf
        || !ASN1_TIME_to_tm(X509_get0_notAfter(cert->cf->leaf), &tm)) {
        return 0;
    }
    return apr_time_from_sec((apr_time_t)timegm(&tm));
}

static const char *subject_of(apr_pool_t *p, X509 *x)
{
    char buf[256];

    X509_NAME_oneline(X509_get_subject_name(x), buf, sizeof(buf));
    return apr_pstrdup(p, buf);
}

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

static int signed_with_sha1(X509 *x)
{
    int md = NID_undef, pk = NID_undef;

    return OBJ_find_sigid_algs(X509_get_signature_nid(x), &md, &pk)
           && md == NID_sha1;
}

/* The name to check a ServerAlias pattern with ("*.a.com" -> "x.a.com"). */
static const char *sample_name(apr_pool_t *p, const char *name)
{
    char *s = apr_pstrdup(p, name), *c;

    for (c = s; *c; c++) {
        if (*c == '*' || *c == '?') {
            *c = 'x';
        }
    }
    return s;
}

/* Whether the files can be read; reports what cannot. */
static int check_readable(const hsts_cert_t *cert, apr_pool_t *p,
                          apr_array_header_t *issues)
{
    const cert_file_t *cf = cert->cf, *chf = cert->chf;

    if (!cf->leaf) {
        hsts_issue_add(issues, HSTS_C_TLS_CERT_UNREADABLE,
                       apr_psprintf(p, "The certificate file %s %s, so the "
                                    "lint cannot check the certificate "
                                    "browsers will get. Fix "
                                    "SSLCertificateFile.", cert->cert_file,
                                    cf->error));
        return 0;
    }
    if (cf->rest_error) {
        hsts_issue_add(issues, HSTS_C_TLS_CERT_UNREADABLE,
                       apr_psprintf(p, "The certificate file %s %s, and "
                                    "mod_ssl refuses to start with it. Fix "
                                    "SSLCertificateFile.", cert->cert_file,
                                    cf->rest_error));
    }
    if (chf && chf->leaf && chf->rest_error) {
        hsts_issue_add(issues, HSTS_C_TLS_CERT_UNREADABLE,
                       apr_psprintf(p, "The chain file %s %s, and mod_ssl "
                                    "refuses to start with it. Fix "
                                    "SSLCertificateChainFile.",
                                    cert->chain_file, chf->rest_error));
    }
    if (chf && !chf->leaf) {
        hsts_issue_add(issues, HSTS_C_TLS_CERT_UNREADABLE,
                       apr_psprintf(p, "The chain file %s %s. Fix "
                                    "SSLCertificateChainFile, or put the "
                                    "chain after the certificate in "
                                    "SSLCertificateFile.", cert->chain_file,
                                    chf->error));
    }
    return 1;
}

/* Self-signed, expired, not yet valid, expiring within 30 days. */
static void check_dates(const hsts_cert_t *cert, apr_pool_t *p,
                        apr_time_t now, const char *subject,
                        apr_array_header_t *issues)
{
    X509 *leaf = cert->cf->leaf;
    time_t t = (time_t)apr_time_sec(now);
    time_t soon = t + (time_t)HSTS_THIRTY_DAYS;
    const ASN1_TIME *not_after = X509_get0_notAfter(leaf);
    const ASN1_TIME *not_before = X509_get0_notBefore(leaf);

    if (X509_self_signed(leaf, 0) == 1) {
        hsts_issue_add(issues, HSTS_C_TLS_CERT_SELF_SIGNED,
                       apr_psprintf(p, "The certificate %s (%s) is self-"
                                    "signed: browsers refuse it, and on an "
                                    "HSTS host they give no way past the "
                                    "error. Use a certificate from a public "
                                    "CA (mod_md can get one).",
                                    cert->cert_file, subject));
    }
    if (X509_cmp_time(not_after, &t) < 0) {
        hsts_issue_add(issues, HSTS_C_TLS_CERT_EXPIRED,
                       apr_psprintf(p, "The certificate %s (%s) expired on "
                                    "%s, and on an HSTS host browsers give "
                                    "no way past that. Renew it.",
                                    cert->cert_file, subject,
                                    asn1_time_text(p, not_after)));
    }
    else if (X509_cmp_time(not_after, &soon) < 0) {
        hsts_issue_add(issues, HSTS_C_TLS_CERT_EXPIRES_SOON,
                       apr_psprintf(p, "The certificate %s (%s) expires on "
                                    "%s, within 30 days; after that browsers "
                                    "lock users out of this HSTS host. Renew "
                                    "it now.", cert->cert_file, subject,
                                    asn1_time_text(p, not_after)));
    }
    if (X509_cmp_time(not_before, &t) > 0) {
        hsts_issue_add(issues, HSTS_C_TLS_CERT_NOT_YET_VALID,
                       apr_psprintf(p, "The certificate %s (%s) is not valid "
                                    "before %s, and browsers refuse it until "
                                    "then. Check the server's clock, or use a "
                                    "certificate valid now.", cert->cert_file,
                                    subject, asn1_time_text(p, not_before)));
    }
}

static void check_names(const hsts_cert_t *cert, apr_pool_t *p,
                        const char *subject, const apr_array_header_t *names,
                        apr_array_header_t *issues)
{
    const char *missing = NULL;
    int i;

    for (i = 0; i < names->nelts; i++) {
        const char *name = APR_ARRAY_IDX(names, i, const char *);
        if (!hsts_cert_covers(cert, sample_name(p, name))) {
            missing = missing ? apr_pstrcat(p, missing, ", ", name, NULL)
                              : name;
        }
    }
    if (missing) {
        hsts_issue_add(issues, HSTS_C_TLS_CERT_NAME_MISMATCH,
                       apr_psprintf(p, "The certificate %s (%s) does not cover "
                                    "%s, a name this host serves, and "
                                    "browsers refuse it for that name. Get a "
                                    "certificate that lists every ServerName "
                                    "and ServerAlias.", cert->cert_file,
                                    subject, missing));
    }
}

/* The first certificate signed with SHA-1 among those of a file that a
 * CA signed (a root's own signature does not count). */
static X509 *sha1_signed(const cert_file_t *f, int from_leaf)
{
    int i;

    if (from_leaf && f->leaf && X509_self_signed(f->leaf, 0) != 1
        && signed_with_sha1(f->leaf)) {
        return f->leaf;
    }
    for (i = 0; f->rest && i < sk_X509_num(f->rest); i++) {
        X509 *x = sk_X509_value(f->rest, i);
        if (X509_self_signed(x, 0) != 1 && signed_with_sha1(x)) {
            return x;
        }
    }
    return NULL;
}

static void check_sha1(const hsts_cert_t *cert, apr_pool_t *p,
                       apr_array_header_t *issues)
{
    X509 *x = signed_with_sha1(cert->cf->leaf) ? cert->cf->leaf
                                               : sha1_signed(cert->cf, 0);

    if (!x && cert->chf) {
        x = sha1_signed(cert->chf, 1);
    }
    if (x) {
        hsts_issue_add(issues, HSTS_C_DOMAIN_TLS_SHA1,
                       apr_psprintf(p, "The certificate %s (in %s) is signed "
                                    "with SHA-1, which browsers no longer "
                                    "trust. Get certificates signed with "
                                    "SHA-256.", subject_of(p, x),
                                    cert->cert_file));
    }
}

/* The leaf against the trust store with the configured chain; "" when it
 * verifies, else why not. Dates have their own findings. */
static const char *verify_chain(hsts_cert_store_t *store,
                                const hsts_cert_t *cert)
{
    const cert_file_t *cf = cert->cf, *chf = cert->chf;
    STACK_OF(X509) *untrusted = sk_X509_new_null();
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    const char *result = "";
    int i;

    if (!store->trust) {
        store->trust = X509_STORE_new();
        if (!store->trust || !X509_STORE_set_default_paths(store->trust)) {
            ERR_clear_error();
        }
    }
    for (i = 0; cf->rest && i < sk_X509_num(cf->rest); i++) {
        sk_X509_push(untrusted, sk_X509_value(cf->rest, i));
    }
    if (chf && chf->leaf) {
        sk_X509_push(untrusted, chf->leaf);
        for (i = 0; chf->rest && i < sk_X509_num(chf->rest); i++) {
            sk_X509_push(untrusted, sk_X509_value(chf->rest, i));
        }
    }
    if (!ctx || !X509_STORE_CTX_init(ctx, store->trust, cf->leaf, untrusted)) {
        result = "the check could not run";
    }
    else {
        X509_STORE_CTX_set_flags(ctx, X509_V_FLAG_NO_CHECK_TIME);
        X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_SSL_SERVER);
        if (X509_verify_cert(ctx) != 1) {
            result = X509_verify_cert_error_string(
                X509_STORE_CTX_get_error(ctx));
        }
    }
    X509_STORE_CTX_free(ctx);
    sk_X509_free(untrusted);
    ERR_clear_error();
    return apr_pstrdup(store->pool, result);
}

void hsts_cert_check(hsts_cert_store_t *store, hsts_cert_t *cert,
                     apr_pool_t *p, apr_time_t now,
                     const apr_array_header_t *names, int preload,
                     apr_array_header_t *issues)
{
    const char *subject;

    if (!check_readable(cert, p, issues)) {
        return;
    }
    subject = subject_of(p, cert->cf->leaf);
    check_dates(cert, p, now, subject, issues);
    check_names(cert, p, subject, names, issues);
    check_sha1(cert, p, issues);
    if (!preload) {
        return;
    }
    if (!cert->chain_result) {
        /* once per certificate and chain, however many hosts share them */
        cert->chain_result = verify_chain(store, cert);
    }
    if (*cert->chain_result) {
        hsts_issue_add(issues, HSTS_C_DOMAIN_TLS_INVALID_CERT_CHAIN,
                       apr_psprintf(p, "The certificate %s (%s) does not "
                                    "verify against the system's trusted CAs "
                                    "with its configured chain (%s), and the "
                                    "preload list requires a publicly trusted "
                                    "chain. Configure the intermediate "
                                    "certificates after the certificate in "
                                    "SSLCertificateFile.", cert->cert_file,
                                    subject, cert->chain_result));
    }
}
