/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mod_hsts: the certificates of HSTS hosts, read and checked with OpenSSL
 * (pure: no httpd structures).
 *
 * A run reads each file once and identifies it by the SHA-256 of its
 * content: what the cache knows of that content is not worked out again.
 * The checks work from facts (hsts_cert_facts.c) and from OpenSSL's
 * answers to whether a certificate covers a name, cached like the facts;
 * they compare dates with the time given at every check.
 */
#include <apr_file_io.h>
#include <apr_strings.h>

#include <openssl/err.h>
#include <openssl/x509.h>

#include <string.h>

#include "hsts_cert_int.h"

/* Frees a store's OpenSSL objects. */
static void store_free(hsts_cert_store_t *store)
{
    hsts_verify_free(store);
    EVP_MD_CTX_free(store->keys);
    store->keys = NULL;
    EVP_MD_free(store->md);
    store->md = NULL;
}

static apr_status_t store_cleanup(void *data)
{
    store_free(data);
    return APR_SUCCESS;
}

hsts_cert_store_t *hsts_cert_store_make(apr_pool_t *p,
                                        hsts_cert_cache_t *cache)
{
    hsts_cert_store_t *store = apr_pcalloc(p, sizeof(*store));

    store->pool = p;
    store->cache = cache ? cache : hsts_cert_cache_make(p);
    store->files = apr_hash_make(p);
    store->certs = apr_hash_make(p);
    store->all = apr_array_make(p, 16, sizeof(hsts_cert_t *));
    store->der = apr_hash_make(p);
    store->x509 = apr_hash_make(p);
    store->seeds = apr_hash_make(p);
    store->md = EVP_MD_fetch(NULL, "SHA256", NULL);
    store->loaded = HSTS_CACHE_FILE_ABSENT;
    hsts_cache_run_begin(store->cache);
    apr_pool_cleanup_register(p, store, store_cleanup, apr_pool_cleanup_null);
    return store;
}

void hsts_cert_store_no_threads(hsts_cert_store_t *store)
{
    store->no_threads = 1;
}

void hsts_cert_store_done(hsts_cert_store_t *store)
{
    if (store->done) {
        return;
    }
    store->done = 1;
    store_free(store);
    hsts_cache_run_end(store->cache);
}

const hsts_cert_stats_t *hsts_cert_store_stats(const hsts_cert_store_t *store)
{
    return &store->stats;
}

/* ------------------------------------------------------------------ */
/* Files                                                                */

static void note_digests(hsts_cert_store_t *store, hsts_run_file_t *f)
{
    int i;

    for (i = 0; i < f->facts->count; i++) {
        if (!apr_hash_get(store->der_file, f->facts->certs[i].b,
                          HSTS_DIGEST_LEN)) {
            apr_hash_set(store->der_file, f->facts->certs[i].b,
                         HSTS_DIGEST_LEN, f);
        }
    }
}

/*
 * A file as this run read it (r: read ahead, else read now), known by
 * its content. The content is kept only when it is new (its
 * certificates are decoded now); a known one is read again in the rare
 * case a chain has to be verified anew.
 */
hsts_run_file_t *hsts_store_file(hsts_cert_store_t *store, const char *path,
                                 const hsts_read_t *r)
{
    hsts_run_file_t *f = apr_pcalloc(store->pool, sizeof(*f));
    const hsts_file_facts_t *facts = NULL;
    const char *data;

    f->path = path;
    apr_hash_set(store->files, path, APR_HASH_KEY_STRING, f);
    data = NULL;
    if (r) {
        f->read_error = r->ok ? NULL : r->error;
        f->len = r->len;
        f->digest = r->digest;
        facts = r->ok ? hsts_cache_get(store->cache, HSTS_CACHE_FILE,
                                       &f->digest) : NULL;
    }
    /* read now: not read ahead, or read ahead (its digest only) and new
     * to the cache */
    if (!f->read_error && !facts && !data) {
        store->stats.files_read_again += r != NULL;
        data = hsts_read_whole(store->pool, path, &store->buf,
                               &store->buf_size, &f->len, &f->read_error);
        if (data) {
            hsts_digest(store->md, data, f->len, &f->digest);
            facts = hsts_cache_get(store->cache, HSTS_CACHE_FILE, &f->digest);
        }
    }
    if (f->read_error) {
        return f;
    }
    store->stats.files_read++;
    if (!facts) {
        facts = hsts_file_facts_read(store->pool, store->md,
                                     data, f->len, store->der);
        facts = hsts_cache_put(store->cache, HSTS_CACHE_FILE, &f->digest,
                               facts);
        f->decoded = 1;
        store->stats.files_parsed++;
    }
    f->facts = facts;
    if (store->der_file) {
        note_digests(store, f);
    }
    return f;
}

static hsts_run_file_t *run_file(hsts_cert_store_t *store, const char *path)
{
    hsts_run_file_t *f;

    /* what was read ahead is at hand once the thread is joined */
    hsts_read_ahead_end(store);
    f = apr_hash_get(store->files, path, APR_HASH_KEY_STRING);
    return f ? f : hsts_store_file(store, path,
                                   store->read ? apr_hash_get(
                                       store->read, path, APR_HASH_KEY_STRING)
                                   : NULL);
}

/* Decodes the certificates of a file whose facts the cache had, from
 * its content read again: only if it is still what this run read. */
static void decode_again(hsts_cert_store_t *store, hsts_run_file_t *f)
{
    char *buf = NULL;
    apr_size_t size = 0, len = 0;
    const char *error, *data;
    hsts_digest_t d;

    f->decoded = 1;
    data = hsts_read_whole(store->pool, f->path, &buf, &size, &len, &error);
    if (data) {
        hsts_digest(store->md, data, len, &d);
        if (!memcmp(d.b, f->digest.b, HSTS_DIGEST_LEN)) {
            hsts_file_facts_read(store->pool, store->md,
                                 data, len, store->der);
        }
    }
}

const hsts_der_t *hsts_store_der(hsts_cert_store_t *store,
                                 const hsts_digest_t *digest)
{
    const hsts_der_t *der = apr_hash_get(store->der, digest->b,
                                         HSTS_DIGEST_LEN);
    hsts_run_file_t *f;

    if (der) {
        return der;
    }
    if (!store->der_file) {
        /* which file holds which certificate: needed only now, rarely */
        apr_hash_index_t *hi;
        store->der_file = apr_hash_make(store->pool);
        for (hi = apr_hash_first(NULL, store->files); hi;
             hi = apr_hash_next(hi)) {
            hsts_run_file_t *rf = apr_hash_this_val(hi);
            if (rf->facts) {
                note_digests(store, rf);
            }
        }
    }
    f = apr_hash_get(store->der_file, digest->b, HSTS_DIGEST_LEN);
    if (f && !f->decoded) {
        decode_again(store, f);
    }
    return apr_hash_get(store->der, digest->b, HSTS_DIGEST_LEN);
}

const hsts_cert_facts_t *hsts_store_facts(hsts_cert_store_t *store,
                                          const hsts_digest_t *digest,
                                          int keep)
{
    const hsts_cert_facts_t *facts = hsts_cache_get(store->cache,
                                                    HSTS_CACHE_CERT, digest);
    const hsts_der_t *der;
    const char *error = NULL;
    X509 *x;

    if (facts) {
        return facts;
    }
    der = hsts_store_der(store, digest);
    x = der ? hsts_der_parse(store->pool, der, &error) : NULL;
    facts = hsts_cert_facts_of(store->pool, x, error);
    store->stats.certs_parsed++;
    if (x && keep && !apr_hash_get(store->x509, digest->b, HSTS_DIGEST_LEN)) {
        apr_hash_set(store->x509, apr_pmemdup(store->pool, digest->b,
                                              HSTS_DIGEST_LEN),
                     HSTS_DIGEST_LEN, x);
    }
    else {
        X509_free(x);
    }
    return hsts_cache_put(store->cache, HSTS_CACHE_CERT, digest, facts);
}

X509 *hsts_store_x509(hsts_cert_store_t *store, const hsts_digest_t *digest)
{
    X509 *x = apr_hash_get(store->x509, digest->b, HSTS_DIGEST_LEN);
    const hsts_der_t *der;
    const char *error = NULL;

    if (x) {
        return x;
    }
    der = hsts_store_der(store, digest);
    x = der ? hsts_der_parse(store->pool, der, &error) : NULL;
    if (x) {
        apr_hash_set(store->x509, apr_pmemdup(store->pool, digest->b,
                                              HSTS_DIGEST_LEN),
                     HSTS_DIGEST_LEN, x);
    }
    ERR_clear_error();
    return x;
}

hsts_cert_t *hsts_cert_get(hsts_cert_store_t *store, const char *cert_file,
                           const char *chain_file)
{
    hsts_run_file_t *cf = run_file(store, cert_file);
    hsts_run_file_t *chf = chain_file ? run_file(store, chain_file) : NULL;
    const hsts_run_file_t *key[2];
    hsts_cert_t *cert;

    /* looked up once per host and check: by the files, no allocation */
    key[0] = cf;
    key[1] = chf;
    cert = apr_hash_get(store->certs, key, sizeof(key));
    if (cert) {
        return cert;
    }
    cert = apr_pcalloc(store->pool, sizeof(*cert));
    cert->store = store;
    cert->cert_file = cf->path;
    cert->chain_file = chf ? chf->path : NULL;
    cert->cf = cf;
    cert->chf = chf;
    cert->key[0] = cf;
    cert->key[1] = chf;
    apr_hash_set(store->certs, cert->key, sizeof(cert->key), cert);
    APR_ARRAY_PUSH(store->all, hsts_cert_t *) = cert;
    return cert;
}

const char *hsts_sample_name(apr_pool_t *p, const char *name)
{
    char *s, *c;

    if (!strpbrk(name, "*?")) {
        return name;
    }
    s = apr_pstrdup(p, name);
    for (c = s; *c; c++) {
        if (*c == '*' || *c == '?') {
            *c = 'x';
        }
    }
    return s;
}

void hsts_cert_want(hsts_cert_store_t *store, hsts_cert_t *cert,
                    const apr_array_header_t *names, int chain)
{
    hsts_want_t *want = apr_palloc(store->pool, sizeof(*want));

    cert->want_chain |= chain;
    want->names = names;
    want->next = cert->want;
    cert->want = want;
}

/* ------------------------------------------------------------------ */
/* What the facts say of a host's certificate: mod_ssl's reading of
 * the file (the leaf, then a chain; a block that does not parse makes
 * it refuse the whole file).                                           */

static const char *no_certificate(apr_pool_t *p, const char *why)
{
    return apr_psprintf(p, "holds no PEM certificate (%s)",
                        why ? why : "no certificate found in it");
}

/* The certificates of f from the first'th on into the chain, up to one
 * that does not parse; returns why reading stopped early, or NULL. */
/* The certificates of f from the first'th on into the chain (copied to
 * chain, when given), up to one that does not parse; returns why
 * reading stopped early, or NULL. */
static const char *add_chain(hsts_cert_t *cert, const hsts_run_file_t *f,
                             int first, hsts_digest_t *chain)
{
    apr_pool_t *p = cert->store->pool;
    int k;

    for (k = first; k < f->facts->count; k++) {
        const hsts_cert_facts_t *cf = hsts_store_facts(cert->store,
                                                       &f->facts->certs[k],
                                                       cert->want_chain);
        if (cf->error) {
            return apr_psprintf(p, "holds a block after certificate %d that "
                                "does not parse (%s)", k, cf->error);
        }
        if (chain) {
            chain[cert->n_untrusted] = f->facts->certs[k];
        }
        cert->n_untrusted++;
        /* a CA's SHA-1 signature counts, a root's own does not */
        if (!cert->sha1_chain && (cf->flags & (HSTS_CF_SHA1
                                               | HSTS_CF_SELF_SIGNED))
                                 == HSTS_CF_SHA1) {
            cert->sha1_chain = cf;
        }
    }
    return f->facts->error
           ? apr_psprintf(p, "holds a block after certificate %d that does "
                          "not parse (%s)", f->facts->count, f->facts->error)
           : NULL;
}

/* The chain file's certificates after those of the certificate file:
 * copied into one array (without a chain file, the certificate file's
 * own array is the chain: most hosts'). */
static void resolve_chain_file(hsts_cert_t *cert)
{
    apr_pool_t *p = cert->store->pool;
    const hsts_run_file_t *chf = cert->chf;
    const hsts_cert_facts_t *first;
    hsts_digest_t *chain;

    if (chf->read_error || !chf->facts->count) {
        cert->chain_error = chf->read_error ? chf->read_error
                            : no_certificate(p, chf->facts->error);
        return;
    }
    first = hsts_store_facts(cert->store, &chf->facts->certs[0],
                             cert->want_chain);
    if (first->error) {
        cert->chain_error = no_certificate(p, first->error);
        return;
    }
    chain = apr_palloc(p, sizeof(hsts_digest_t)
                          * (apr_size_t)(cert->n_untrusted
                                         + chf->facts->count));
    if (cert->n_untrusted) {
        memcpy(chain, cert->untrusted,
               sizeof(hsts_digest_t) * (apr_size_t)cert->n_untrusted);
    }
    cert->untrusted = chain;
    cert->chain_rest_error = add_chain(cert, chf, 0, chain);
}

static void resolve_files(hsts_cert_t *cert)
{
    apr_pool_t *p = cert->store->pool;
    const hsts_run_file_t *cf = cert->cf;

    if (cf->read_error || !cf->facts->count) {
        cert->leaf_error = cf->read_error ? cf->read_error
                           : no_certificate(p, cf->facts->error);
        return;
    }
    cert->leaf_digest = &cf->facts->certs[0];
    cert->untrusted = &cf->facts->certs[1];
    cert->rest_error = add_chain(cert, cf, 1, NULL);
    if (cert->chf) {
        resolve_chain_file(cert);
    }
}

void hsts_cert_resolve(hsts_cert_t *cert, int with_leaf)
{
    if (!cert->resolved) {
        cert->resolved = 1;
        resolve_files(cert);
    }
    if (with_leaf && cert->leaf_digest && !cert->leaf) {
        const hsts_cert_facts_t *f = hsts_store_facts(cert->store,
                                                      cert->leaf_digest, 0);
        if (f->error) {
            cert->leaf_error = no_certificate(cert->store->pool, f->error);
            cert->leaf_digest = NULL;
        }
        else {
            cert->leaf = f;
        }
    }
}

/* OpenSSL's answer, asked once per certificate and name: prepare()
 * asks what was wanted while it has the leaf parsed; anything else is
 * asked here, of the leaf parsed now (and kept for the run). */
int hsts_cert_covers(hsts_cert_t *cert, const char *name)
{
    hsts_cert_store_t *s = cert->store;
    int covers;
    X509 *x;

    hsts_cert_resolve(cert, 1);
    if (!cert->leaf) {
        return 0;
    }
    covers = hsts_cache_name_get(s->cache, cert->leaf_digest, name);
    if (covers >= 0) {
        return covers;
    }
    x = hsts_store_x509(s, cert->leaf_digest);
    if (!x) {
        /* its file changed since this run read it: the next run sees it */
        return 0;
    }
    covers = hsts_x509_covers(x, name);
    s->stats.names_checked++;
    hsts_cache_name_put(s->cache, cert->leaf_digest, name, covers);
    return covers;
}

apr_time_t hsts_cert_expiry(hsts_cert_t *cert)
{
    hsts_cert_resolve(cert, 1);
    if (!cert->leaf || !(cert->leaf->flags & HSTS_CF_EXPIRY)) {
        return 0;
    }
    return apr_time_from_sec(cert->leaf->not_after);
}

/* ------------------------------------------------------------------ */
/* The checks                                                           */

/* Whether the files can be read; reports what cannot. */
static int check_readable(const hsts_cert_t *cert, apr_pool_t *p,
                          apr_array_header_t *issues)
{
    if (!cert->leaf) {
        hsts_issue_add(issues, HSTS_C_TLS_CERT_UNREADABLE,
                       apr_psprintf(p, "The certificate file %s %s, so the "
                                    "lint cannot check the certificate "
                                    "browsers will get. Fix "
                                    "SSLCertificateFile.", cert->cert_file,
                                    cert->leaf_error));
        return 0;
    }
    if (cert->rest_error) {
        hsts_issue_add(issues, HSTS_C_TLS_CERT_UNREADABLE,
                       apr_psprintf(p, "The certificate file %s %s, and "
                                    "mod_ssl refuses to start with it. Fix "
                                    "SSLCertificateFile.", cert->cert_file,
                                    cert->rest_error));
    }
    if (cert->chain_rest_error) {
        hsts_issue_add(issues, HSTS_C_TLS_CERT_UNREADABLE,
                       apr_psprintf(p, "The chain file %s %s, and mod_ssl "
                                    "refuses to start with it. Fix "
                                    "SSLCertificateChainFile.",
                                    cert->chain_file, cert->chain_rest_error));
    }
    if (cert->chain_error) {
        hsts_issue_add(issues, HSTS_C_TLS_CERT_UNREADABLE,
                       apr_psprintf(p, "The chain file %s %s. Fix "
                                    "SSLCertificateChainFile, or put the "
                                    "chain after the certificate in "
                                    "SSLCertificateFile.", cert->chain_file,
                                    cert->chain_error));
    }
    return 1;
}

/* Self-signed, expired, not yet valid, expiring within 30 days: the
 * dates against now, at every check. */
static void check_dates(const hsts_cert_t *cert, apr_pool_t *p,
                        apr_time_t now, apr_array_header_t *issues)
{
    const hsts_cert_facts_t *f = cert->leaf;
    apr_int64_t t = (apr_int64_t)apr_time_sec(now);

    if (f->flags & HSTS_CF_SELF_SIGNED) {
        hsts_issue_add(issues, HSTS_C_TLS_CERT_SELF_SIGNED,
                       apr_psprintf(p, "The certificate %s (%s) is self-"
                                    "signed: browsers refuse it, and on an "
                                    "HSTS host they give no way past the "
                                    "error. Use a certificate from a public "
                                    "CA (mod_md can get one).",
                                    cert->cert_file, f->subject));
    }
    if ((f->flags & HSTS_CF_NOT_AFTER) && f->not_after <= t) {
        hsts_issue_add(issues, HSTS_C_TLS_CERT_EXPIRED,
                       apr_psprintf(p, "The certificate %s (%s) expired on "
                                    "%s, and on an HSTS host browsers give "
                                    "no way past that. Renew it.",
                                    cert->cert_file, f->subject,
                                    hsts_date_text(p, f->not_after)));
    }
    else if ((f->flags & HSTS_CF_NOT_AFTER)
             && f->not_after <= t + HSTS_THIRTY_DAYS) {
        hsts_issue_add(issues, HSTS_C_TLS_CERT_EXPIRES_SOON,
                       apr_psprintf(p, "The certificate %s (%s) expires on "
                                    "%s, within 30 days; after that browsers "
                                    "lock users out of this HSTS host. Renew "
                                    "it now.", cert->cert_file, f->subject,
                                    hsts_date_text(p, f->not_after)));
    }
    if ((f->flags & HSTS_CF_NOT_BEFORE) && f->not_before > t) {
        hsts_issue_add(issues, HSTS_C_TLS_CERT_NOT_YET_VALID,
                       apr_psprintf(p, "The certificate %s (%s) is not valid "
                                    "before %s, and browsers refuse it until "
                                    "then. Check the server's clock, or use a "
                                    "certificate valid now.", cert->cert_file,
                                    f->subject,
                                    hsts_date_text(p, f->not_before)));
    }
}

static void check_names(hsts_cert_t *cert, apr_pool_t *p,
                        const apr_array_header_t *names,
                        apr_array_header_t *issues)
{
    const char *missing = NULL;
    int i;

    for (i = 0; i < names->nelts; i++) {
        const char *name = APR_ARRAY_IDX(names, i, const char *);
        if (!hsts_cert_covers(cert, hsts_sample_name(p, name))) {
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
                                    cert->leaf->subject, missing));
    }
}

/* The leaf if it is signed with SHA-1, else the first certificate of
 * the chain signed with SHA-1 by a CA (a root's own signature does not
 * count). */
static void check_sha1(const hsts_cert_t *cert, apr_pool_t *p,
                       apr_array_header_t *issues)
{
    const hsts_cert_facts_t *x = cert->leaf->flags & HSTS_CF_SHA1
                                 ? cert->leaf : cert->sha1_chain;

    if (x) {
        hsts_issue_add(issues, HSTS_C_DOMAIN_TLS_SHA1,
                       apr_psprintf(p, "The certificate %s (in %s) is signed "
                                    "with SHA-1, which browsers no longer "
                                    "trust. Get certificates signed with "
                                    "SHA-256.", x->subject, cert->cert_file));
    }
}

/* Where the intermediates go, for the messages: "in
 * SSLCertificateChainFile F" or "after the certificate in
 * SSLCertificateFile". */
static const char *chain_place(const hsts_cert_t *cert, apr_pool_t *p)
{
    return cert->chain_file
           ? apr_pstrcat(p, "in SSLCertificateChainFile ", cert->chain_file,
                         NULL)
           : "after the certificate in SSLCertificateFile";
}

/* A chain that verifies, dates aside: whether the certificates above the
 * leaf are valid now (an expired intermediate or root fails the chain
 * for browsers and for the preload checker, as an invalid one does). */
static void check_issuer_dates(const hsts_cert_t *cert, apr_pool_t *p,
                               apr_time_t now, const hsts_verdict_t *v,
                               apr_array_header_t *issues)
{
    apr_int64_t t = (apr_int64_t)apr_time_sec(now);
    const char *which, *when;

    if (v->issuers_until <= t) {
        which = v->until_subject;
        when = apr_pstrcat(p, "expired on ",
                           hsts_date_text(p, v->issuers_until), NULL);
    }
    else if (v->issuers_from > t) {
        which = v->from_subject;
        when = apr_pstrcat(p, "is not valid before ",
                           hsts_date_text(p, v->issuers_from), NULL);
    }
    else {
        return;
    }
    hsts_issue_add(issues, HSTS_C_DOMAIN_TLS_INVALID_CERT_CHAIN,
                   apr_psprintf(p, "The certificate %s (%s) verifies against "
                                "the system's trusted CAs only through %s, "
                                "which %s: browsers and the preload list "
                                "reject the chain. Configure the issuer's "
                                "current intermediate certificates %s (or, "
                                "for a root, update the system's trusted "
                                "CAs).", cert->cert_file, cert->leaf->subject,
                                which, when, chain_place(cert, p)));
}

void hsts_cert_check(hsts_cert_store_t *store, hsts_cert_t *cert,
                     apr_pool_t *p, apr_time_t now,
                     const apr_array_header_t *names, int preload,
                     apr_array_header_t *issues)
{
    const hsts_verdict_t *verdict;

    (void)store;
    hsts_cert_resolve(cert, 1);
    if (!check_readable(cert, p, issues)) {
        return;
    }
    check_dates(cert, p, now, issues);
    check_names(cert, p, names, issues);
    check_sha1(cert, p, issues);
    if (!preload) {
        return;
    }
    verdict = hsts_verdict_of(cert);
    if (!*verdict->error) {
        check_issuer_dates(cert, p, now, verdict, issues);
    }
    else {
        /* the chain is in SSLCertificateChainFile when one is set */
        hsts_issue_add(issues, HSTS_C_DOMAIN_TLS_INVALID_CERT_CHAIN,
                       apr_psprintf(p, "The certificate %s (%s) does not "
                                    "verify against the system's trusted CAs "
                                    "with its configured chain%s%s (%s), and "
                                    "the preload list requires a publicly "
                                    "trusted chain. Configure the "
                                    "intermediate certificates %s.",
                                    cert->cert_file, cert->leaf->subject,
                                    cert->chain_file ? " in " : "",
                                    cert->chain_file ? cert->chain_file : "",
                                    verdict->error, chain_place(cert, p)));
    }
}
