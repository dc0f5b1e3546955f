/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mod_hsts: chains, verified against the system's trust store (pure;
 * hsts_cert_int.h).
 *
 * A verdict says whether a leaf verifies to a trusted root through its
 * configured chain, for the SSL server purpose, dates aside: the leaf's
 * have findings of their own, and those of the certificates above it are
 * kept with the verdict and compared with the clock at every run. It is
 * cached under the leaf, the chain and the trust store's identity, so it
 * is worked out once per process for each.
 *
 * Thousands of leaves usually share one intermediate. Verifying each
 * from scratch verifies the intermediate's signature again every time
 * and looks it up in the trust store (a directory scan) every time. So
 * the first leaf of a chain that verifies in full "seeds" it: its issuer,
 * verified up to a root, goes into a store of its own, and the next
 * leaves issued by it are verified against that store alone
 * (X509_V_FLAG_PARTIAL_CHAIN): one signature each. That says exactly
 * what the full verification would, unless something above the issuer
 * constrains the leaf itself (name constraints, policies, RFC 3779
 * resources): then there is no seed. Whatever does not verify that way
 * is verified in full again, so that its error is the one OpenSSL gives.
 *
 * When many certificates are new (a first start), they are parsed and
 * verified on several threads: OpenSSL's objects are shared read-only,
 * each thread allocates from a pool of its own, and the results are
 * cached by the calling thread.
 */
#include <apr_file_io.h>
#include <apr_strings.h>
#include <apr_thread_proc.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hsts_cert_int.h"

/* ------------------------------------------------------------------ */
/* The trust store and its identity                                     */

/* An environment variable as OpenSSL reads it (ignored when set-uid). */
static const char *env_or(const char *name, const char *fallback)
{
#if defined(__GLIBC__) && defined(_GNU_SOURCE)
    const char *v = secure_getenv(name);
#else
    const char *v = getenv(name);
#endif

    return v ? v : fallback;
}

static void digest_str(EVP_MD_CTX *md, const char *s)
{
    EVP_DigestUpdate(md, s, strlen(s) + 1);
}

/* A file's content into the digest, or why it cannot be read. */
static void digest_file(EVP_MD_CTX *md, apr_pool_t *p, const char *path)
{
    apr_file_t *f;
    char buf[16384];
    apr_size_t n;
    apr_status_t rv;

    rv = apr_file_open(&f, path, APR_FOPEN_READ | APR_FOPEN_BINARY, 0, p);
    if (rv != APR_SUCCESS) {
        digest_str(md, apr_psprintf(p, "unreadable %d", rv));
        return;
    }
    do {
        n = sizeof(buf);
        rv = apr_file_read(f, buf, &n);
        EVP_DigestUpdate(md, buf, n);
    } while (rv == APR_SUCCESS && n);
    digest_str(md, APR_STATUS_IS_EOF(rv) ? "end" : "error");
    apr_file_close(f);
}

/* The names OpenSSL's hashed directory lookups open: 8 hex digits, a
 * dot, an optional 'r' (CRLs) and a number. */
static int hash_named(const char *name)
{
    int i;

    for (i = 0; i < 8; i++) {
        if (!strchr("0123456789abcdefABCDEF", name[i]) || !name[i]) {
            return 0;
        }
    }
    name += 8;
    if (*name++ != '.') {
        return 0;
    }
    name += *name == 'r';
    return *name && strspn(name, "0123456789") == strlen(name);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A directory's listing, and the content of what OpenSSL may open in
 * it, into the digest. */
static void digest_dir(EVP_MD_CTX *md, apr_pool_t *p, const char *dir)
{
    apr_array_header_t *names = apr_array_make(p, 64, sizeof(const char *));
    apr_dir_t *d;
    apr_finfo_t fi;
    int i;

    digest_str(md, dir);
    if (apr_dir_open(&d, dir, p) != APR_SUCCESS) {
        digest_str(md, "unreadable");
        return;
    }
    while (apr_dir_read(&fi, APR_FINFO_NAME, d) == APR_SUCCESS) {
        APR_ARRAY_PUSH(names, const char *) = apr_pstrdup(p, fi.name);
    }
    apr_dir_close(d);
    qsort(names->elts, (size_t)names->nelts, sizeof(const char *), by_name);
    for (i = 0; i < names->nelts; i++) {
        const char *name = APR_ARRAY_IDX(names, i, const char *);
        digest_str(md, name);
        if (hash_named(name)) {
            digest_file(md, p, apr_pstrcat(p, dir, "/", name, NULL));
        }
    }
}

void hsts_trust_identity(apr_pool_t *p, hsts_digest_t *id)
{
    const char *file = env_or(X509_get_default_cert_file_env(),
                              X509_get_default_cert_file());
    const char *dirs = env_or(X509_get_default_cert_dir_env(),
                              X509_get_default_cert_dir());
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned char out[EVP_MAX_MD_SIZE];
    char *copy, *dir, *last;
    apr_pool_t *scratch;

    memset(id->b, 0, sizeof(id->b));
    if (!md || !EVP_DigestInit_ex(md, EVP_sha256(), NULL)) {
        EVP_MD_CTX_free(md);
        return;
    }
    apr_pool_create(&scratch, p);
    digest_str(md, "trust store 1");
    digest_str(md, file);
    digest_file(md, scratch, file);
    digest_str(md, dirs);
    copy = apr_pstrdup(scratch, dirs);
    for (dir = apr_strtok(copy, ":", &last); dir;
         dir = apr_strtok(NULL, ":", &last)) {
        digest_dir(md, scratch, dir);
    }
    if (EVP_DigestFinal_ex(md, out, NULL)) {
        memcpy(id->b, out, HSTS_DIGEST_LEN);
    }
    EVP_MD_CTX_free(md);
    apr_pool_destroy(scratch);
}

static const hsts_digest_t *trust_id(hsts_cert_store_t *s)
{
    if (!s->trust_known) {
        hsts_trust_identity(s->pool, &s->trust_id);
        s->trust_known = 1;
    }
    return &s->trust_id;
}

/* The system's trust store, loaded once per run. If it is not what it
 * was when the run took its identity, this run's verdicts are not kept. */
static X509_STORE *trust_store(hsts_cert_store_t *s)
{
    hsts_digest_t now;

    if (!s->trust_loaded) {
        s->trust_loaded = 1;
        s->trust = X509_STORE_new();
        if (!s->trust || !X509_STORE_set_default_paths(s->trust)) {
            ERR_clear_error();
        }
        hsts_trust_identity(s->pool, &now);
        s->trust_moved = memcmp(now.b, trust_id(s)->b, HSTS_DIGEST_LEN) != 0;
    }
    return s->trust;
}

/* ------------------------------------------------------------------ */
/* Keys                                                                 */

/* The SHA-256 of a tag and of the digests given (na from a, nb from b),
 * with the store's context. */
static int key_of(hsts_cert_store_t *s, hsts_digest_t *out, const char *tag,
                  const hsts_digest_t *a, int na, const hsts_digest_t *b,
                  int nb)
{
    unsigned char md[EVP_MAX_MD_SIZE];

    if (!s->keys && !(s->keys = EVP_MD_CTX_new())) {
        return 0;
    }
    if (!EVP_DigestInit_ex(s->keys, s->md ? s->md : EVP_sha256(), NULL)
        || !EVP_DigestUpdate(s->keys, tag, strlen(tag) + 1)
        || !EVP_DigestUpdate(s->keys, a, sizeof(*a) * (apr_size_t)na)
        || !EVP_DigestUpdate(s->keys, b, sizeof(*b) * (apr_size_t)nb)
        || !EVP_DigestFinal_ex(s->keys, md, NULL)) {
        return 0;
    }
    memcpy(out->b, md, HSTS_DIGEST_LEN);
    return 1;
}

/*
 * A verdict is keyed by the contents of the certificate file and of the
 * chain file, which say what OpenSSL gets (the leaf, and the chain after
 * it), and by the trust store's identity: one digest per host. A chain
 * file that cannot be read gives nothing, as none does.
 */
void hsts_verdict_key(hsts_cert_t *cert)
{
    hsts_cert_store_t *s = cert->store;
    hsts_digest_t in[3];

    if (cert->keyed) {
        return;
    }
    hsts_cert_resolve(cert, 0);
    if (!cert->leaf_digest) {
        cert->keyed = 1;
        return;
    }
    in[0] = cert->cf->digest;
    memset(&in[1], 0, sizeof(in[1]));
    if (cert->chf && !cert->chf->read_error) {
        in[1] = cert->chf->digest;
    }
    in[2] = *trust_id(s);
    /* without a key nothing is cached, and nothing found */
    if (key_of(s, &cert->verdict_key, cert->chf ? "verdict 2 chain"
                                                : "verdict 2", in, 3, NULL,
               0)) {
        cert->keyed = 1;
        cert->verdict = hsts_cache_get(s->cache, HSTS_CACHE_VERDICT,
                                       &cert->verdict_key);
    }
}

/* The chain's own key (its certificates, not their files): the leaves
 * of one chain share an intermediate to verify against. */
static void chain_key(hsts_cert_t *cert)
{
    if (!cert->chain_keyed) {
        cert->chain_keyed = key_of(cert->store, &cert->chain_key, "chain 1",
                                   (const hsts_digest_t *)
                                   cert->untrusted, cert->n_untrusted,
                                   NULL, 0);
    }
}

/* ------------------------------------------------------------------ */
/* Verification                                                         */

/* An issuer verified up to a root, in a store of its own. */
typedef struct {
    X509 *issuer;
    X509_STORE *partial;
    hsts_verdict_t *verified;       /* the dates of the issuer and above */
    int tries;                      /* leaves that did not seed it */
} seed_t;

#define SEED_TRIES 3

/* Whether a certificate above the leaf's issuer may judge the leaf by
 * more than its issuer's verdict does. */
static int constrains_below(X509 *x)
{
    static const int nids[] = { NID_name_constraints, NID_policy_constraints,
                                NID_inhibit_any_policy, NID_sbgp_ipAddrBlock,
                                NID_sbgp_autonomousSysNum };
    size_t i;

    for (i = 0; i < sizeof(nids) / sizeof(nids[0]); i++) {
        if (X509_get_ext_by_NID(x, nids[i], -1) >= 0) {
            return 1;
        }
    }
    return 0;
}

/* The verified chain's issuer of the leaf, when the chain can seed. */
static X509 *seed_issuer(X509_STORE_CTX *ctx)
{
    STACK_OF(X509) *chain = X509_STORE_CTX_get0_chain(ctx);
    int i;

    if (!chain || sk_X509_num(chain) < 2) {
        return NULL;
    }
    for (i = 2; i < sk_X509_num(chain); i++) {
        if (constrains_below(sk_X509_value(chain, i))) {
            return NULL;
        }
    }
    return sk_X509_value(chain, 1);
}

/* The dates above the leaf of the chain that verified. */
static void chain_dates(apr_pool_t *p, hsts_verdict_t *v,
                        X509_STORE_CTX *ctx)
{
    STACK_OF(X509) *chain = X509_STORE_CTX_get0_chain(ctx);
    int i;

    for (i = 1; chain && i < sk_X509_num(chain); i++) {
        hsts_verdict_issuer(p, v, sk_X509_value(chain, i));
    }
}

/*
 * Verifies leaf with the store, dates aside (which chain OpenSSL builds
 * does not depend on the time then, so the verdict can be kept). With
 * issuer, *issuer gets the leaf's issuer (up-referenced) when the
 * verified chain can seed. The dates of a chain that verifies are taken
 * from above the leaf (with PARTIAL_CHAIN, a seed's store, the seed has
 * them).
 */
static hsts_verdict_t *verify(apr_pool_t *p, X509_STORE *store, X509 *leaf,
                              STACK_OF(X509) *untrusted, unsigned long flags,
                              X509 **issuer)
{
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    hsts_verdict_t *v;

    if (!store || !ctx || !X509_STORE_CTX_init(ctx, store, leaf, untrusted)) {
        v = hsts_verdict_make(p, "the check could not run");
    }
    else {
        X509_STORE_CTX_set_flags(ctx, X509_V_FLAG_NO_CHECK_TIME | flags);
        X509_STORE_CTX_set_purpose(ctx, X509_PURPOSE_SSL_SERVER);
        if (X509_verify_cert(ctx) != 1) {
            v = hsts_verdict_make(p, X509_verify_cert_error_string(
                                         X509_STORE_CTX_get_error(ctx)));
        }
        else {
            v = hsts_verdict_make(p, "");
            if (!(flags & X509_V_FLAG_PARTIAL_CHAIN)) {
                chain_dates(p, v, ctx);
            }
            if (issuer && (*issuer = seed_issuer(ctx)) != NULL) {
                X509_up_ref(*issuer);
            }
        }
    }
    X509_STORE_CTX_free(ctx);
    ERR_clear_error();
    return v;
}

static void seed_free(seed_t *seed)
{
    X509_STORE_free(seed->partial);
    X509_free(seed->issuer);
    seed->partial = NULL;
    seed->issuer = NULL;
}

/* verified: the verdict of the leaf that seeds, whose dates above it
 * are the issuer's and above. */
static void plant(apr_pool_t *p, seed_t *seed, X509 *issuer,
                  const hsts_verdict_t *verified)
{
    seed->partial = X509_STORE_new();
    seed->issuer = issuer;
    seed->verified = hsts_verdict_copy(p, verified);
    if (!seed->partial || !X509_STORE_add_cert(seed->partial, issuer)) {
        seed_free(seed);
    }
    ERR_clear_error();
}

/* What each verification did, for the store's statistics. */
typedef struct {
    int full;
    int short_;
} tally_t;

/*
 * The verdict on leaf with cert's chain. Seeds are read by any thread
 * but planted (may_seed) only by the one that owns the store.
 */
static const hsts_verdict_t *verdict_for(apr_pool_t *p, hsts_cert_t *cert,
                                          X509 *leaf, int may_seed,
                                          tally_t *tally)
{
    hsts_cert_store_t *s = cert->store;
    seed_t *seed = cert->chain_keyed ? apr_hash_get(s->seeds,
                                                    cert->chain_key.b,
                                                    HSTS_DIGEST_LEN)
                                     : NULL;
    STACK_OF(X509) *untrusted;
    X509 *issuer = NULL;
    hsts_verdict_t *result;
    int i;

    if (seed && seed->partial
        && X509_check_issued(seed->issuer, leaf) == X509_V_OK
        && !*verify(p, seed->partial, leaf, NULL, X509_V_FLAG_PARTIAL_CHAIN,
                    NULL)->error) {
        tally->short_++;
        return seed->verified;
    }
    untrusted = sk_X509_new_null();
    for (i = 0; untrusted && i < cert->n_untrusted; i++) {
        X509 *x = apr_hash_get(s->x509, cert->untrusted[i].b,
                               HSTS_DIGEST_LEN);
        if (x) {
            sk_X509_push(untrusted, x);
        }
    }
    may_seed = may_seed && cert->chain_keyed
               && (!seed || (!seed->partial && seed->tries < SEED_TRIES));
    result = verify(p, s->trust, leaf, untrusted, 0,
                    may_seed ? &issuer : NULL);
    tally->full++;
    sk_X509_free(untrusted);
    if (may_seed) {
        if (!seed) {
            seed = apr_pcalloc(s->pool, sizeof(*seed));
            apr_hash_set(s->seeds, apr_pmemdup(s->pool, cert->chain_key.b,
                                               HSTS_DIGEST_LEN),
                         HSTS_DIGEST_LEN, seed);
        }
        if (issuer) {
            plant(s->pool, seed, issuer, result);
        }
        else {
            seed->tries++;
        }
    }
    return result;
}

/* Makes sure what verifying cert needs is at hand: the trust store and
 * its chain's certificates, parsed. */
static void ready_chain(hsts_cert_t *cert)
{
    int i;

    chain_key(cert);
    trust_store(cert->store);
    for (i = 0; i < cert->n_untrusted; i++) {
        hsts_store_x509(cert->store, &cert->untrusted[i]);
    }
}

void hsts_verify_free(hsts_cert_store_t *s)
{
    apr_hash_index_t *hi;

    hsts_read_ahead_stop(s);
    for (hi = apr_hash_first(NULL, s->x509); hi; hi = apr_hash_next(hi)) {
        X509_free(apr_hash_this_val(hi));
    }
    apr_hash_clear(s->x509);
    for (hi = apr_hash_first(NULL, s->seeds); hi; hi = apr_hash_next(hi)) {
        seed_free(apr_hash_this_val(hi));
    }
    apr_hash_clear(s->seeds);
    X509_STORE_free(s->trust);
    s->trust = NULL;
    s->trust_loaded = 0;
}

static const hsts_verdict_t *keep_verdict(hsts_cert_t *cert,
                                          const hsts_verdict_t *verdict)
{
    hsts_cert_store_t *s = cert->store;

    if (s->trust_moved || !cert->keyed) {
        return hsts_verdict_copy(s->pool, verdict);
    }
    return hsts_cache_put(s->cache, HSTS_CACHE_VERDICT, &cert->verdict_key,
                          verdict);
}

const hsts_verdict_t *hsts_verdict_of(hsts_cert_t *cert)
{
    hsts_cert_store_t *s = cert->store;
    const hsts_der_t *der;
    const char *error = NULL;
    X509 *leaf;
    tally_t tally = { 0, 0 };

    hsts_verdict_key(cert);
    if (!cert->verdict && !cert->leaf_digest) {
        cert->verdict = hsts_verdict_make(s->pool,
                                          "the certificate does not parse");
    }
    if (cert->verdict) {
        return cert->verdict;
    }
    ready_chain(cert);
    der = hsts_store_der(s, cert->leaf_digest);
    leaf = der ? hsts_der_parse(s->pool, der, &error) : NULL;
    if (!leaf) {
        /* its file changed since this run read it: the next run sees it */
        cert->verdict = hsts_verdict_make(s->pool, "the file changed while "
                                                   "the lint read it");
        return cert->verdict;
    }
    cert->verdict = keep_verdict(cert, verdict_for(s->pool, cert, leaf, 1,
                                                   &tally));
    X509_free(leaf);
    s->stats.chains_verified += tally.full + tally.short_;
    s->stats.chains_short += tally.short_;
    return cert->verdict;
}

/* ------------------------------------------------------------------ */
/* Many at once                                                         */

/* The work on one leaf: its facts, the names it is asked about, the
 * verdicts of the certificates (and chains) it is the leaf of. */
typedef struct {
    const hsts_der_t *der;
    int need_facts;
    apr_array_header_t *names;      /* const char *: not known yet */
    apr_array_header_t *certs;      /* hsts_cert_t * */
    int may_seed;
    int done;
    /* results, in the pool of the thread that did it */
    int parsed;
    hsts_cert_facts_t *facts;
    unsigned char *covers;          /* per name */
    const hsts_verdict_t **verdicts;
    tally_t tally;
} task_t;

static void run_task(task_t *t, apr_pool_t *p)
{
    const char *error = NULL;
    X509 *x = hsts_der_parse(p, t->der, &error);
    int i;

    t->parsed = x != NULL;
    if (t->need_facts) {
        t->facts = hsts_cert_facts_of(p, x, error);
    }
    t->covers = apr_pcalloc(p, (apr_size_t)t->names->nelts + 1);
    for (i = 0; x && i < t->names->nelts; i++) {
        t->covers[i] = (unsigned char)hsts_x509_covers(
            x, APR_ARRAY_IDX(t->names, i, const char *));
    }
    t->verdicts = apr_pcalloc(p, sizeof(const hsts_verdict_t *)
                                 * (apr_size_t)(t->certs->nelts + 1));
    for (i = 0; x && i < t->certs->nelts; i++) {
        t->verdicts[i] = verdict_for(p, APR_ARRAY_IDX(t->certs, i,
                                                      hsts_cert_t *),
                                     x, t->may_seed, &t->tally);
    }
    X509_free(x);
}

/* Whether name is wanted of cert's leaf and not known: each is asked
 * once per run (asked: digest and name -> ""). */
static int unknown_name(hsts_cert_t *cert, const char *name,
                        apr_hash_t *asked, apr_pool_t *p)
{
    const char *key;

    if (hsts_cache_name_get(cert->store->cache, cert->leaf_digest,
                            name) >= 0) {
        return 0;
    }
    key = apr_pstrcat(p, hsts_digest_hex(p, cert->leaf_digest), name, NULL);
    if (apr_hash_get(asked, key, APR_HASH_KEY_STRING)) {
        return 0;
    }
    apr_hash_set(asked, key, APR_HASH_KEY_STRING, "");
    return 1;
}

/* The names wanted of cert that the cache cannot answer, or NULL. */
static apr_array_header_t *unknown_names(hsts_cert_t *cert, apr_hash_t *asked,
                                         apr_pool_t *p)
{
    apr_array_header_t *names = NULL;
    const hsts_want_t *want;
    int i;

    for (want = cert->want; want; want = want->next) {
        for (i = 0; i < want->names->nelts; i++) {
            const char *name = hsts_sample_name(
                p, APR_ARRAY_IDX(want->names, i, const char *));
            if (!unknown_name(cert, name, asked, p)) {
                continue;
            }
            if (!names) {
                names = apr_array_make(p, 2, sizeof(const char *));
            }
            APR_ARRAY_PUSH(names, const char *) = name;
        }
    }
    return names;
}

/* The task of cert's leaf, made if new (with NULL der when the leaf
 * cannot be had: nothing to do then). */
static task_t *task_of(hsts_cert_t *cert, apr_hash_t *by_leaf,
                       apr_array_header_t *tasks, apr_pool_t *p)
{
    task_t *t = apr_hash_get(by_leaf, cert->leaf_digest->b, HSTS_DIGEST_LEN);

    if (!t) {
        t = apr_pcalloc(p, sizeof(*t));
        t->der = hsts_store_der(cert->store, cert->leaf_digest);
        t->names = apr_array_make(p, 2, sizeof(const char *));
        t->certs = apr_array_make(p, 1, sizeof(hsts_cert_t *));
        apr_hash_set(by_leaf, cert->leaf_digest->b, HSTS_DIGEST_LEN, t);
        if (t->der) {
            APR_ARRAY_PUSH(tasks, task_t *) = t;
        }
    }
    return t;
}

/* The tasks of a store: each leaf whose facts, answers for names or
 * verdicts are not known. */
static apr_array_header_t *tasks_of(hsts_cert_store_t *s, apr_pool_t *p)
{
    apr_array_header_t *tasks = apr_array_make(p, 16, sizeof(task_t *));
    apr_hash_t *by_leaf = apr_hash_make(p), *asked = apr_hash_make(p);
    int i;

    for (i = 0; i < s->all->nelts; i++) {
        hsts_cert_t *cert = APR_ARRAY_IDX(s->all, i, hsts_cert_t *);
        apr_array_header_t *names;
        int facts, chain;
        task_t *t;

        hsts_cert_resolve(cert, 0);
        if (cert->want_chain) {
            hsts_verdict_key(cert);
        }
        if (!cert->leaf_digest) {
            continue;
        }
        facts = !cert->leaf && !hsts_cache_get(s->cache, HSTS_CACHE_CERT,
                                               cert->leaf_digest);
        chain = cert->want_chain && cert->keyed && !cert->verdict;
        names = unknown_names(cert, asked, p);
        if (!facts && !chain && !names) {
            continue;
        }
        t = task_of(cert, by_leaf, tasks, p);
        t->need_facts |= facts;
        if (names) {
            apr_array_cat(t->names, names);
        }
        if (chain && t->der) {
            ready_chain(cert);
            APR_ARRAY_PUSH(t->certs, hsts_cert_t *) = cert;
        }
    }
    return tasks;
}

/* The chain a task verifies, when it verifies one only. */
static const hsts_cert_t *chain_of(const task_t *t)
{
    const hsts_cert_t *cert = t->certs->nelts == 1
                              ? APR_ARRAY_IDX(t->certs, 0, hsts_cert_t *)
                              : NULL;

    return cert && cert->chain_keyed ? cert : NULL;
}

/* Runs, in the calling thread, a task of each chain that several leaves
 * share (the first few, until one seeds it), so that the others find it
 * seeded; returns how many ran. */
static int seed_chains(apr_array_header_t *tasks, apr_pool_t *p)
{
    apr_hash_t *count = apr_hash_make(p);
    task_t **all = (task_t **)tasks->elts;
    int i, ran = 0;

    for (i = 0; i < tasks->nelts; i++) {
        const hsts_cert_t *cert = chain_of(all[i]);
        int *n;

        if (!cert) {
            continue;
        }
        n = apr_hash_get(count, cert->chain_key.b, HSTS_DIGEST_LEN);
        if (!n) {
            n = apr_pcalloc(p, sizeof(*n));
            apr_hash_set(count, cert->chain_key.b, HSTS_DIGEST_LEN, n);
        }
        ++*n;
    }
    for (i = 0; i < tasks->nelts; i++) {
        const hsts_cert_t *cert = chain_of(all[i]);
        const seed_t *seed;

        if (!cert || *(int *)apr_hash_get(count, cert->chain_key.b,
                                          HSTS_DIGEST_LEN) < 2) {
            continue;
        }
        seed = apr_hash_get(cert->store->seeds, cert->chain_key.b,
                            HSTS_DIGEST_LEN);
        if (!seed || (!seed->partial && seed->tries < SEED_TRIES)) {
            all[i]->may_seed = 1;
            run_task(all[i], p);
            all[i]->done = 1;
            ran++;
        }
    }
    return ran;
}

#define MAX_THREADS 8
#define MIN_TASKS_PER_THREAD 16

typedef struct {
    task_t **tasks;
    int n, first, step;
    apr_pool_t *pool;
} worker_t;

static void work(worker_t *w)
{
    int i;

    for (i = w->first; i < w->n; i += w->step) {
        if (!w->tasks[i]->done) {
            run_task(w->tasks[i], w->pool);
        }
    }
}

#if APR_HAS_THREADS
static void *APR_THREAD_FUNC work_thread(apr_thread_t *t, void *data)
{
    (void)t;
    work(data);
    return NULL;
}
#endif

static int threads_for(int tasks)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    int n = cpus < 1 ? 1 : cpus > MAX_THREADS ? MAX_THREADS : (int)cpus;

    if (n > tasks / MIN_TASKS_PER_THREAD) {
        n = tasks / MIN_TASKS_PER_THREAD;
    }
    return n < 1 ? 1 : n;
}

/* Runs the tasks on n threads (the calling one included); returns how
 * many ran them. */
static int run_tasks(apr_array_header_t *tasks, int n, apr_pool_t *p)
{
    worker_t w[MAX_THREADS];
    int i, started = 1;
#if APR_HAS_THREADS
    apr_thread_t *t[MAX_THREADS];
    sigset_t all, old;
#endif

    memset(w, 0, sizeof(w));

    for (i = 0; i < n; i++) {
        w[i].tasks = (task_t **)tasks->elts;
        w[i].n = tasks->nelts;
        w[i].first = i;
        w[i].step = n;
        w[i].pool = p;
    }
#if APR_HAS_THREADS
    /* the threads take none of the signals meant for httpd */
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    for (i = 1; i < n; i++) {
        apr_pool_t *tp = hsts_own_pool(p);
        if (!tp || apr_thread_create(&t[i], NULL, work_thread, &w[i], tp)
                   != APR_SUCCESS) {
            break;
        }
        w[i].pool = tp;
        started++;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
#endif
    /* the calling thread's share, and that of any thread not started */
    work(&w[0]);
    for (i = started; i < n; i++) {
        work(&w[i]);
    }
#if APR_HAS_THREADS
    for (i = 1; i < started; i++) {
        apr_status_t rv;
        apr_thread_join(&rv, t[i]);
    }
#endif
    return started;
}

static void merge(hsts_cert_store_t *s, apr_array_header_t *tasks)
{
    int i, j;

    for (i = 0; i < tasks->nelts; i++) {
        task_t *t = APR_ARRAY_IDX(tasks, i, task_t *);

        if (t->facts) {
            hsts_cache_put(s->cache, HSTS_CACHE_CERT, &t->der->digest,
                           t->facts);
            s->stats.certs_parsed++;
        }
        for (j = 0; t->parsed && j < t->names->nelts; j++) {
            hsts_cache_name_put(s->cache, &t->der->digest,
                                APR_ARRAY_IDX(t->names, j, const char *),
                                t->covers[j]);
            s->stats.names_checked++;
        }
        for (j = 0; t->verdicts && j < t->certs->nelts; j++) {
            hsts_cert_t *cert = APR_ARRAY_IDX(t->certs, j, hsts_cert_t *);
            if (t->verdicts[j]) {
                cert->verdict = keep_verdict(cert, t->verdicts[j]);
            }
        }
        s->stats.chains_verified += t->tally.full + t->tally.short_;
        s->stats.chains_short += t->tally.short_;
    }
}

void hsts_cert_prepare(hsts_cert_store_t *s)
{
    apr_pool_t *p;
    apr_array_header_t *tasks;

    apr_pool_create(&p, s->pool);
    tasks = tasks_of(s, p);
    /* every file read ahead has been got */
    hsts_read_ahead_end(s);
    if (tasks->nelts) {
        int n = tasks->nelts - seed_chains(tasks, p);
        n = run_tasks(tasks, s->no_threads ? 1 : threads_for(n), p);
        if (n > s->stats.threads) {
            s->stats.threads = n;
        }
        merge(s, tasks);
    }
    apr_pool_destroy(p);
}
