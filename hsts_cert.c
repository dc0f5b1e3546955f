/*
 * mod_hsts: the startup lint's certificate checks, with OpenSSL.
 *
 * On an HSTS host a certificate error is a lockout: browsers offer no way
 * past it. So the lint reads the certificate each host is configured with
 * and reports what a browser would refuse. No httpd structures here.
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

#include "mod_hsts.h"

/* One certificate file, parsed once. */
typedef struct {
    X509 *leaf;                     /* NULL when unreadable */
    STACK_OF(X509) *rest;           /* the certificates after it */
    const char *error;              /* why it is unreadable */
    const char *rest_error;         /* why a block after the leaf is */
} cert_file_t;

struct hsts_cert_checker_t {
    apr_pool_t *pool;
    time_t now;
    apr_hash_t *files;              /* path -> cert_file_t */
    apr_hash_t *verified;           /* "cert\nchain" -> const char * result */
    X509_STORE *store;              /* loaded when first needed */
};

static apr_status_t checker_cleanup(void *data)
{
    hsts_cert_checker_t *c = data;
    apr_hash_index_t *hi;

    for (hi = apr_hash_first(NULL, c->files); hi; hi = apr_hash_next(hi)) {
        cert_file_t *f = apr_hash_this_val(hi);
        X509_free(f->leaf);
        sk_X509_pop_free(f->rest, X509_free);
    }
    X509_STORE_free(c->store);
    return APR_SUCCESS;
}

hsts_cert_checker_t *hsts_cert_checker_make(apr_pool_t *p, apr_time_t now)
{
    hsts_cert_checker_t *c = apr_pcalloc(p, sizeof(*c));

    c->pool = p;
    c->now = (time_t)apr_time_sec(now);
    c->files = apr_hash_make(p);
    c->verified = apr_hash_make(p);
    apr_pool_cleanup_register(p, c, checker_cleanup, apr_pool_cleanup_null);
    return c;
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

static const cert_file_t *load_file(hsts_cert_checker_t *c, const char *path)
{
    cert_file_t *f = apr_hash_get(c->files, path, APR_HASH_KEY_STRING);
    BIO *bio;

    if (f) {
        return f;
    }
    f = apr_pcalloc(c->pool, sizeof(*f));
    apr_hash_set(c->files, apr_pstrdup(c->pool, path), APR_HASH_KEY_STRING, f);

    ERR_clear_error();
    bio = BIO_new_file(path, "r");
    if (!bio) {
        f->error = apr_psprintf(c->pool, "cannot be read (%s)",
                                errno ? strerror(errno) : openssl_error(c->pool));
        ERR_clear_error();
        return f;
    }
    f->leaf = PEM_read_bio_X509(bio, NULL, NULL, NULL);
    if (!f->leaf) {
        f->error = apr_psprintf(c->pool, "holds no PEM certificate (%s)",
                                openssl_error(c->pool));
    }
    else {
        X509 *x;
        unsigned long e;

        f->rest = sk_X509_new_null();
        while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
            sk_X509_push(f->rest, x);
        }
        /* The end of the file is "no start line"; anything else is a
         * block that does not parse, and mod_ssl then refuses the whole
         * file (as OpenSSL's SSL_CTX_use_certificate_chain_file and
         * mod_ssl's reading of SSLCertificateChainFile both do). */
        e = ERR_peek_last_error();
        if (e && !(ERR_GET_LIB(e) == ERR_LIB_PEM
                   && ERR_GET_REASON(e) == PEM_R_NO_START_LINE)) {
            f->rest_error = apr_psprintf(c->pool, "holds a block after "
                                         "certificate %d that does not "
                                         "parse (%s)",
                                         1 + sk_X509_num(f->rest),
                                         openssl_error(c->pool));
        }
        ERR_clear_error();
    }
    BIO_free(bio);
    return f;
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

static int covers(X509 *x, const char *name)
{
    apr_size_t len = strlen(name);
    char ip[64];

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

/* The chain check of a preload host, once per certificate and chain. */
static const char *verify_chain(hsts_cert_checker_t *c, apr_pool_t *p,
                                const char *cert_file, const cert_file_t *cf,
                                const char *chain_file, const cert_file_t *chf)
{
    const char *key = apr_pstrcat(p, cert_file, "\n", chain_file ? chain_file
                                                                 : "", NULL);
    const char *result = apr_hash_get(c->verified, key, APR_HASH_KEY_STRING);
    STACK_OF(X509) *untrusted;
    X509_STORE_CTX *ctx;
    int i;

    if (result) {
        return *result ? result : NULL;
    }
    if (!c->store) {
        c->store = X509_STORE_new();
        if (!c->store || !X509_STORE_set_default_paths(c->store)) {
            ERR_clear_error();
        }
    }
    untrusted = sk_X509_new_null();
    for (i = 0; cf->rest && i < sk_X509_num(cf->rest); i++) {
        sk_X509_push(untrusted, sk_X509_value(cf->rest, i));
    }
    if (chf && chf->leaf) {
        sk_X509_push(untrusted, chf->leaf);
        for (i = 0; chf->rest && i < sk_X509_num(chf->rest); i++) {
            sk_X509_push(untrusted, sk_X509_value(chf->rest, i));
        }
    }
    ctx = X509_STORE_CTX_new();
    result = "";
    if (!ctx || !X509_STORE_CTX_init(ctx, c->store, cf->leaf, untrusted)) {
        result = "the check could not run";
    }
    else {
        /* validity dates have their own findings */
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
    result = apr_pstrdup(c->pool, result);
    apr_hash_set(c->verified, apr_pstrdup(c->pool, key), APR_HASH_KEY_STRING,
                 result);
    return *result ? result : NULL;
}

void hsts_cert_check(hsts_cert_checker_t *c, apr_pool_t *p,
                     const char *cert_file, const char *chain_file,
                     const apr_array_header_t *names, int preload,
                     apr_array_header_t *issues)
{
    const cert_file_t *cf, *chf = NULL;
    const char *subject, *missing = NULL, *error;
    X509 *leaf;
    time_t soon = c->now + (time_t)HSTS_THIRTY_DAYS;
    int i, self_signed;

    cf = load_file(c, cert_file);
    if (!cf->leaf) {
        hsts_issue_add(issues, "tls.cert.unreadable", HSTS_ERROR,
                       apr_psprintf(p, "The certificate file %s %s: the lint "
                                    "cannot check the certificate browsers "
                                    "will get. Fix SSLCertificateFile.",
                                    cert_file, cf->error));
        return;
    }
    if (cf->rest_error) {
        hsts_issue_add(issues, "tls.cert.unreadable", HSTS_ERROR,
                       apr_psprintf(p, "The certificate file %s %s: mod_ssl "
                                    "refuses to start with it. Fix "
                                    "SSLCertificateFile.", cert_file,
                                    cf->rest_error));
    }
    if (chain_file) {
        chf = load_file(c, chain_file);
        if (chf->leaf && chf->rest_error) {
            hsts_issue_add(issues, "tls.cert.unreadable", HSTS_ERROR,
                           apr_psprintf(p, "The chain file %s %s: mod_ssl "
                                        "refuses to start with it. Fix "
                                        "SSLCertificateChainFile.",
                                        chain_file, chf->rest_error));
        }
        if (!chf->leaf) {
            hsts_issue_add(issues, "tls.cert.unreadable", HSTS_ERROR,
                           apr_psprintf(p, "The chain file %s %s. Fix "
                                        "SSLCertificateChainFile, or put the "
                                        "chain after the certificate in "
                                        "SSLCertificateFile.", chain_file,
                                        chf->error));
            chf = NULL;
        }
    }
    leaf = cf->leaf;
    subject = subject_of(p, leaf);

    self_signed = X509_self_signed(leaf, 0) == 1;
    if (self_signed) {
        hsts_issue_add(issues, "tls.cert.self_signed", HSTS_ERROR,
                       apr_psprintf(p, "The certificate %s (%s) is self-"
                                    "signed: browsers refuse it, and on an "
                                    "HSTS host they give no way past the "
                                    "error. Use a certificate from a public "
                                    "CA (mod_md can get one).", cert_file,
                                    subject));
    }
    if (X509_cmp_time(X509_get0_notAfter(leaf), &c->now) < 0) {
        hsts_issue_add(issues, "tls.cert.expired", HSTS_ERROR,
                       apr_psprintf(p, "The certificate %s (%s) expired on "
                                    "%s: on an HSTS host browsers give no way "
                                    "past that. Renew it.", cert_file, subject,
                                    asn1_time_text(p,
                                                   X509_get0_notAfter(leaf))));
    }
    else if (X509_cmp_time(X509_get0_notAfter(leaf), &soon) < 0) {
        hsts_issue_add(issues, "tls.cert.expires_soon", HSTS_WARNING,
                       apr_psprintf(p, "The certificate %s (%s) expires on "
                                    "%s, within 30 days; after that browsers "
                                    "lock users out of this HSTS host. Renew "
                                    "it now.", cert_file, subject,
                                    asn1_time_text(p,
                                                   X509_get0_notAfter(leaf))));
    }
    if (X509_cmp_time(X509_get0_notBefore(leaf), &c->now) > 0) {
        hsts_issue_add(issues, "tls.cert.not_yet_valid", HSTS_ERROR,
                       apr_psprintf(p, "The certificate %s (%s) is not valid "
                                    "before %s; browsers refuse it until then. "
                                    "Check the server's clock, or use a "
                                    "certificate valid now.", cert_file,
                                    subject,
                                    asn1_time_text(p,
                                                   X509_get0_notBefore(leaf))));
    }

    for (i = 0; i < names->nelts; i++) {
        const char *name = APR_ARRAY_IDX(names, i, const char *);
        if (!covers(leaf, sample_name(p, name))) {
            missing = missing ? apr_pstrcat(p, missing, ", ", name, NULL)
                              : name;
        }
    }
    if (missing) {
        hsts_issue_add(issues, "tls.cert.name_mismatch", HSTS_ERROR,
                       apr_psprintf(p, "The certificate %s (%s) does not cover "
                                    "%s, a name this host serves: browsers "
                                    "refuse it for that name. Get a "
                                    "certificate that lists every ServerName "
                                    "and ServerAlias.", cert_file, subject,
                                    missing));
    }

    if (signed_with_sha1(leaf)) {
        missing = subject;
    }
    else {
        missing = NULL;
        for (i = 0; cf->rest && i < sk_X509_num(cf->rest) && !missing; i++) {
            X509 *x = sk_X509_value(cf->rest, i);
            if (X509_self_signed(x, 0) != 1 && signed_with_sha1(x)) {
                missing = subject_of(p, x);
            }
        }
        for (i = -1; chf && chf->rest && i < sk_X509_num(chf->rest)
                     && !missing; i++) {
            X509 *x = i < 0 ? chf->leaf : sk_X509_value(chf->rest, i);
            if (X509_self_signed(x, 0) != 1 && signed_with_sha1(x)) {
                missing = subject_of(p, x);
            }
        }
    }
    if (missing) {
        hsts_issue_add(issues, "domain.tls.sha1", HSTS_ERROR,
                       apr_psprintf(p, "The certificate %s (in %s) is signed "
                                    "with SHA-1, which browsers no longer "
                                    "trust. Get certificates signed with "
                                    "SHA-256.", missing, cert_file));
    }

    if (preload && (error = verify_chain(c, p, cert_file, cf, chain_file, chf))) {
        hsts_issue_add(issues, "domain.tls.invalid_cert_chain", HSTS_ERROR,
                       apr_psprintf(p, "The certificate %s (%s) does not "
                                    "verify against the system's trusted CAs "
                                    "with its configured chain (%s); the "
                                    "preload list requires a publicly trusted "
                                    "chain. Configure the intermediate "
                                    "certificates after the certificate in "
                                    "SSLCertificateFile.", cert_file, subject,
                                    error));
    }
}
